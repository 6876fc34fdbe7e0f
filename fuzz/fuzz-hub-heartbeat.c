/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-hub-heartbeat"

/* libFuzzer: the hub's POST /v1/heartbeat body. Any bytes: a heartbeat or a
 * HUB_ERROR, never a crash; what is stored is JSON the hub can read back. */

#include "fuzz-util.h"
#include "hub-proto.h"
#include "kiosk-json.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const HubLimits limits = { 200, 1024 * 1024 };
  static const KioskJsonLimits roomy = { 64 * 1024 * 1024, 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (HubHeartbeat) hb = hub_heartbeat_parse ((const char *)data, size, &limits, &error);

  FUZZ_CHECK ((hb == NULL) != (error == NULL));
  FUZZ_CHECK (error == NULL || error->domain == HUB_ERROR);
  if (hb != NULL)
    {
      g_autoptr (JsonNode) again = kiosk_json_parse (hb->heartbeat_json, -1, &roomy, NULL);
      FUZZ_CHECK (again != NULL && JSON_NODE_HOLDS_OBJECT (again));
    }
  return 0;
}
