/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <pango/pangocairo.h>

/* g_test_run(), then frees the font caches Pango, cairo and fontconfig keep
 * for the life of the process, so that AddressSanitizer and valgrind report
 * only our own leaks. */
static inline int
kiosk_test_run_with_fonts (void)
{
  int rc = g_test_run ();

  pango_cairo_font_map_set_default (NULL);
  cairo_debug_reset_static_data ();
  FcFini ();
  return rc;
}
