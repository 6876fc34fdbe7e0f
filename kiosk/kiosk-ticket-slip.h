/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-bundle.h"
#include "kiosk-slip.h"
#include "kiosk-ticket.h"

G_BEGIN_DECLS

/* What goes on the printed slip of one ticket: #KioskSlipData filled from the
 * ticket and the bundle it was issued under, with the strings it borrows
 * owned here. The screen shows the same QR, so a resident who photographs
 * the screen holds what the slip would have said. */
typedef struct
{
  KioskSlipData data;

  /* Owned: what data points into */
  KioskTicket *ticket; /* a copy */
  KioskBundle *bundle;
  char *service_zh;
  char *service_en;
  char *wait_text;
  GStrv documents;
  char *qr_text;
} KioskTicketSlip;

/* The text of a ticket's QR: its live page "<public url>/t/<public code>"
 * (kiosk_qr_ticket_url()) on the hub's web listener. NULL without an error
 * when @public_url is NULL or empty (the kiosk was never told one: no QR, as
 * a code a phone cannot open helps nobody); NULL with KIOSK_ERROR_INVALID
 * for a @public_url kiosk_qr_check_public_url() refuses. */
char *kiosk_ticket_qr_text (const KioskTicket *ticket, const char *public_url, GError **error);

/* @ticket's slip: the centre's name, the label, the service in both
 * languages (with the lane for a priority ticket: "居住证申领 · 老年人优先"),
 * people ahead, "约 10–20 分钟 / about 10–20 min", the issue time, the
 * documents to bring as "中文 / English", and the QR of the ticket's page
 * under @public_url (kiosk_store_get_public_url()). With @public_url NULL or
 * empty the slip has no QR and says to watch the hall screen instead.
 * KIOSK_ERROR_NOT_FOUND when the bundle lacks the ticket's service,
 * KIOSK_ERROR_INVALID for a bad @public_url. */
KioskTicketSlip *kiosk_ticket_slip_new (const KioskTicket *ticket, KioskBundle *bundle,
                                        const char *public_url, GError **error);
void kiosk_ticket_slip_free (KioskTicketSlip *slip);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskTicketSlip, kiosk_ticket_slip_free)

G_END_DECLS
