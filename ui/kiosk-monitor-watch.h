/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A display unplugged and plugged back: follows the display's monitor list
 * (gdk_display_get_monitors "items-changed"), logs each change and, when a
 * monitor is there again, puts @window back full screen on it and presents
 * it (@fullscreen FALSE: only presents, for a fixed-size window). Lives as
 * long as @window. See docs/appliance.md for what cage does meanwhile. */
void kiosk_monitor_watch_attach (GtkWindow *window, gboolean fullscreen);

G_END_DECLS
