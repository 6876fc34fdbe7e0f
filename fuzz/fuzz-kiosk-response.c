/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-kiosk-response"

/* libFuzzer: every parser the kiosk runs on a hub reply. A hub (or anything
 * pretending to be one) can send any bytes; the kiosk must return an error,
 * never crash or leak. */

#include "kiosk-qr.h"
#include "kiosk-sync-proto.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const char *text = (const char *)data;
  g_autoptr (GHashTable) accepted = kiosk_sync_parse_accepted (text, size, NULL);
  g_autoptr (KioskSyncMemberPage) page = kiosk_sync_parse_members (text, size, size > 0 ? data[0] : 0, NULL);
  g_autofree char *reason = kiosk_sync_parse_error_reason (text, size);
  g_autofree char *public_url = NULL;
  gboolean sync_now;
  gint64 t;

  kiosk_sync_parse_heartbeat_reply (text, size, &sync_now, &t, NULL);
  kiosk_sync_parse_time (text, size, &t, NULL);
  /* An address it accepted is one a slip may print. */
  if (kiosk_sync_parse_public_url (text, size, &public_url, NULL) && public_url != NULL && *public_url != '\0'
      && !kiosk_qr_check_public_url (public_url, NULL))
    __builtin_trap ();

  /* A page the parser accepted keeps its promises: seq inside (after, cursor]. */
  if (page != NULL)
    for (guint i = 0; i < page->members->len; i++)
      {
        KioskSyncMember *m = g_ptr_array_index (page->members, i);
        if (m->seq > page->cursor || m->card_hash == NULL || *m->card_hash == '\0')
          __builtin_trap ();
      }
  return 0;
}
