/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Renders @widget as it is on screen, at its allocated size, into a PNG at
 * @path. The widget must be realized (its window mapped). */
gboolean kiosk_screenshot_save (GtkWidget *widget, const char *path, GError **error);

G_END_DECLS
