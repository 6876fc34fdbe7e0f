/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ticket-slip"

#include "kiosk-error.h"
#include "kiosk-qr.h"
#include "kiosk-ticket-slip.h"
#include "kiosk-wait.h"

char *
kiosk_ticket_qr_text (const KioskTicket *ticket, const char *public_url, GError **error)
{
  g_return_val_if_fail (ticket != NULL, NULL);

  if (public_url == NULL || *public_url == '\0')
    return NULL;
  return kiosk_qr_ticket_url (public_url, ticket->public_code, error);
}

static char *
service_line (const KioskText *name, KioskLane lane, const char *lang)
{
  const char *text = kiosk_text_get (name, lang);

  if (!kiosk_lane_is_priority (lane))
    return g_strdup (text);
  return g_strdup_printf ("%s · %s", text, kiosk_lane_get_label (lane, lang));
}

KioskTicketSlip *
kiosk_ticket_slip_new (const KioskTicket *ticket, KioskBundle *bundle, const char *public_url, GError **error)
{
  g_autoptr (KioskTicketSlip) slip = NULL;
  const KioskService *service;
  const KioskText *centre;
  g_autofree char *wait_zh = NULL;
  g_autofree char *wait_en = NULL;
  GPtrArray *documents;

  g_return_val_if_fail (ticket != NULL, NULL);
  g_return_val_if_fail (KIOSK_IS_BUNDLE (bundle), NULL);

  service = kiosk_bundle_find_service (bundle, ticket->service_id);
  if (service == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND,
                   "ticket %s: service \"%s\" is not in the bundle", ticket->label, ticket->service_id);
      return NULL;
    }

  slip = g_new0 (KioskTicketSlip, 1);
  slip->ticket = kiosk_ticket_copy (ticket);
  slip->bundle = g_object_ref (bundle);
  if (public_url != NULL && *public_url != '\0')
    {
      slip->qr_text = kiosk_ticket_qr_text (ticket, public_url, error);
      if (slip->qr_text == NULL)
        return NULL;
    }
  slip->service_zh = service_line (&service->name, ticket->lane, "zh");
  slip->service_en = service_line (&service->name, ticket->lane, "en");
  wait_zh = kiosk_wait_format_range (ticket->wait_low, ticket->wait_high, "zh");
  wait_en = kiosk_wait_format_range (ticket->wait_low, ticket->wait_high, "en");
  slip->wait_text = g_strdup_printf ("%s / %s", wait_zh, wait_en);

  documents = g_ptr_array_new ();
  for (guint i = 0; service->documents != NULL && i < service->documents->len; i++)
    {
      const KioskText *document = g_ptr_array_index (service->documents, i);

      g_ptr_array_add (documents, g_strdup_printf ("%s / %s", kiosk_text_get (document, "zh"),
                                                   kiosk_text_get (document, "en")));
    }
  g_ptr_array_add (documents, NULL);
  slip->documents = (GStrv)g_ptr_array_free (documents, FALSE);

  centre = kiosk_bundle_get_centre_name (bundle);
  slip->data = (KioskSlipData){
    .centre_name_zh = kiosk_text_get (centre, "zh"),
    .centre_name_en = kiosk_text_get (centre, "en"),
    .ticket_label = slip->ticket->label,
    .service_zh = slip->service_zh,
    .service_en = slip->service_en,
    .people_ahead = (int)ticket->people_ahead,
    .wait_text = slip->wait_text,
    .issued_at = slip->ticket->issued,
    .documents = slip->documents[0] != NULL ? (const char *const *)slip->documents : NULL,
    .qr_url = slip->qr_text,
  };
  return g_steal_pointer (&slip);
}

void
kiosk_ticket_slip_free (KioskTicketSlip *slip)
{
  if (slip == NULL)
    return;
  g_clear_pointer (&slip->ticket, kiosk_ticket_free);
  g_clear_object (&slip->bundle);
  g_free (slip->service_zh);
  g_free (slip->service_en);
  g_free (slip->wait_text);
  g_strfreev (slip->documents);
  g_free (slip->qr_text);
  g_free (slip);
}
