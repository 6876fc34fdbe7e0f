/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-application.h"
#include "kiosk-entry-overlay.h"
#include "kiosk-staff-panel.h"

G_BEGIN_DECLS

/* The one window: a header (centre, date, time), a stack of screens, a
 * footer (home, language, large text), and the out-of-service cover. */
#define KIOSK_TYPE_WINDOW (kiosk_window_get_type ())
G_DECLARE_FINAL_TYPE (KioskWindow, kiosk_window, KIOSK, WINDOW, GtkApplicationWindow)

KioskWindow *kiosk_window_new (KioskApplication *app);

/* "home", "ticket", "fitness", "guide" or "notices". */
const char *kiosk_window_get_screen (KioskWindow *self);
void kiosk_window_show_screen (KioskWindow *self, const char *name);
GtkWidget *kiosk_window_get_screen_widget (KioskWindow *self, const char *name);
/* TRUE while the 暂停服务 / Out of service cover hides everything. */
gboolean kiosk_window_get_out_of_service (KioskWindow *self);
/* A touch, a key or an action: the idle timeout starts again. */
void kiosk_window_note_activity (KioskWindow *self);
/* Checks the idle timeout now (it is also checked every second and whenever
 * a fake clock moves); returns TRUE when it sent the kiosk home. */
gboolean kiosk_window_check_idle (KioskWindow *self);

/* Over every screen: the answer to a card, and the staff panel (action
 * kiosk.staff, or a long press on the centre's name). */
KioskEntryOverlay *kiosk_window_get_entry_overlay (KioskWindow *self);
KioskStaffPanel *kiosk_window_get_staff_panel (KioskWindow *self);

/* Outside opening hours (kiosk-display-power.c): a black cover over every
 * screen but the card answer. */
void kiosk_window_set_blanked (KioskWindow *self, gboolean blanked);
gboolean kiosk_window_get_blanked (KioskWindow *self);

G_END_DECLS
