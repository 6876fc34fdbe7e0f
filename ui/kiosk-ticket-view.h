/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-screen.h"

G_BEGIN_DECLS

/* Take a number: the hall's queues with today's hours and whether each is
 * open now. Issuing tickets arrives with the queue. */
#define KIOSK_TYPE_TICKET_VIEW (kiosk_ticket_view_get_type ())
G_DECLARE_FINAL_TYPE (KioskTicketView, kiosk_ticket_view, KIOSK, TICKET_VIEW, KioskScreen)

G_END_DECLS
