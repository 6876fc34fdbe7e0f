/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-application.h"
#include "kiosk-screen.h"
#include "kiosk-ticket.h"

G_BEGIN_DECLS

/* Take a number: category → service (the tap that issues the ticket) →
 * confirmation with the number, the wait, the documents and the QR, while
 * the slip prints; a priority lane on request; refusals with the next
 * opening; appointment check-in by booking code, QR or ID card. */
#define KIOSK_TYPE_TICKET_VIEW (kiosk_ticket_view_get_type ())
G_DECLARE_FINAL_TYPE (KioskTicketView, kiosk_ticket_view, KIOSK, TICKET_VIEW, KioskScreen)

typedef enum
{
  KIOSK_PRINT_NONE,     /* no ticket shown */
  KIOSK_PRINT_PRINTING, /* the slip is on its way */
  KIOSK_PRINT_PRINTED,
  KIOSK_PRINT_FAILED, /* or no printer: the QR on screen stands in for the slip */
} KioskPrintState;

/* Where tickets come from (its queue), where slips go (its printer), its
 * config ([queue] return_home_seconds, [printer] width_dots, [hub] url) and
 * its card reads. Borrowed: the application outlives its window. */
void kiosk_ticket_view_set_application (KioskTicketView *self, KioskApplication *app);

/* "categories", "services", "lanes", "ticket", "refused" or "appointment". */
const char *kiosk_ticket_view_get_page (KioskTicketView *self);
/* The ticket on the confirmation page; NULL on the others. */
const KioskTicket *kiosk_ticket_view_get_ticket (KioskTicketView *self);
/* What the QR on the confirmation page (and the slip) encodes. */
const char *kiosk_ticket_view_get_qr_text (KioskTicketView *self);
KioskPrintState kiosk_ticket_view_get_print_state (KioskTicketView *self);

G_END_DECLS
