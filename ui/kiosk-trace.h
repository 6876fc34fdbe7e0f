/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* With LINLI_KIOSK_TRACE=PATH, writes "input <µs>" for every key press,
 * button press and touch on @window and "frame <µs>" after every painted
 * frame (monotonic clock), so bench/compare measures input-to-answer latency
 * on the frame clock. Without the variable it does nothing and costs nothing. */
void kiosk_trace_attach (GtkWindow *window);

G_END_DECLS
