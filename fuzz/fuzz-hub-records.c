/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-hub-records"

/* libFuzzer: the hub's POST /v1/records body and the members cursor. Any
 * bytes: no crash, no leak, and a batch that passes must re-serialise to JSON
 * the kiosk's parser reads back. */

#include <string.h>

#include "fuzz-util.h"
#include "hub-proto.h"
#include "kiosk-json.h"
#include "kiosk-sync-proto.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const HubLimits limits = { 200, 1024 * 1024 };
  g_autoptr (HubRecordBatch) batch = NULL;
  g_autofree char *text = g_strndup ((const char *)data, size);
  gint64 cursor;

  batch = hub_record_batch_parse ((const char *)data, size, &limits, NULL);
  if (batch != NULL)
    {
      static const KioskJsonLimits roomy = { 64 * 1024 * 1024, 0 };
      g_autoptr (JsonNode) again = kiosk_json_parse (batch->records_json, -1, &roomy, NULL);
      g_autofree char *accepted = hub_accepted_to_json (batch->uuids);
      g_autoptr (GHashTable) set = kiosk_sync_parse_accepted (accepted, strlen (accepted), NULL);

      /* What goes to PostgreSQL is an array of exactly the records checked. */
      FUZZ_CHECK (again != NULL && JSON_NODE_HOLDS_ARRAY (again)
                  && json_array_get_length (json_node_get_array (again)) == batch->n_records);
      /* The reply the kiosk gets names every record, readably. */
      FUZZ_CHECK (set != NULL && g_hash_table_size (set) <= batch->n_records);
    }

  hub_parse_cursor (text, &cursor, NULL);
  return 0;
}
