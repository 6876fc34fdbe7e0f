/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders @widget as it is on screen, at its allocated size, into a PNG at
 * @path. The widget must be realized (its window mapped). */
gboolean kiosk_screenshot_save (GtkWidget *widget, const char *path, GError **error);

/* Does what the buttons carrying @actions ("ticket.category::residence",
 * "kiosk.show::ticket") do, in order, each looked up from the screen then in
 * view of @window upwards, as a button on it would be: screenshots of screens
 * a finger reaches. FALSE at the first action that is malformed or that no
 * widget in view offers. */
gboolean kiosk_screenshot_press (GtkWidget *window, const char *const *actions, GError **error);

G_END_DECLS
