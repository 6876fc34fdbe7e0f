/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-application.h"
#include "kiosk-window.h"

G_BEGIN_DECLS

/* The screen outside opening hours ([display] in kiosk.conf): the window is
 * covered black and the monitor powered off by a command; a touch or a card
 * read lights it for wake_seconds. The schedule is kiosk-display-schedule.c's,
 * on the application's clock, so a fake clock drives it in tests. The club
 * door does not depend on any of this: readers and gate run either way. */
#define KIOSK_TYPE_DISPLAY_POWER (kiosk_display_power_get_type ())
G_DECLARE_FINAL_TYPE (KioskDisplayPower, kiosk_display_power, KIOSK, DISPLAY_POWER, GObject)

KioskDisplayPower *kiosk_display_power_new (KioskApplication *app, KioskWindow *window);

/* TRUE while the screen is black ("blanked" is notified on change). */
gboolean kiosk_display_power_get_blanked (KioskDisplayPower *self);
/* Lights the screen for wake_seconds (what a touch or a card read does). */
void kiosk_display_power_wake (KioskDisplayPower *self);
/* Power commands run so far, and the last one ("off" or "on"), for tests. */
guint kiosk_display_power_get_commands_run (KioskDisplayPower *self);

G_END_DECLS
