/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-application.h"
#include "kiosk-printer.h"

G_BEGIN_DECLS

/* The staff panel, over every screen, behind the staff PIN ([staff]
 * pin_hash; 1234 in demo mode). A long press on the centre's name (or the
 * kiosk.staff action) opens it at the PIN pad; after the right PIN it shows
 * today's entries (masked names), the occupancy, manual admit with a preset
 * reason, reader and door health, the printer, and the records waiting for the
 * hub. It closes itself after [staff] idle_timeout_seconds without a touch.
 * Five wrong PINs in a row lock the pad for five minutes.
 *
 * Actions (what the buttons carry): staff.digit("0".."9"), staff.erase,
 * staff.enter, staff.admit("forgot-card"|"guest"|"other"), staff.close. */
#define KIOSK_TYPE_STAFF_PANEL (kiosk_staff_panel_get_type ())
G_DECLARE_FINAL_TYPE (KioskStaffPanel, kiosk_staff_panel, KIOSK, STAFF_PANEL, GtkWidget)

/* @app: borrowed; it outlives the window the panel is in. */
void kiosk_staff_panel_attach (KioskStaffPanel *self, KioskApplication *app);
/* The printer whose status the panel shows; NULL: none (borrowed, may be
 * set at any time). */
void kiosk_staff_panel_set_printer (KioskStaffPanel *self, KioskPrinter *printer);

void kiosk_staff_panel_open (KioskStaffPanel *self);
void kiosk_staff_panel_close (KioskStaffPanel *self);
/* TRUE once the right PIN was given, until it closes. */
gboolean kiosk_staff_panel_get_unlocked (KioskStaffPanel *self);
/* Closes the panel when it has been idle too long; also checked every second
 * and whenever a fake clock moves. Returns TRUE when it closed. */
gboolean kiosk_staff_panel_check_idle (KioskStaffPanel *self);

G_END_DECLS
