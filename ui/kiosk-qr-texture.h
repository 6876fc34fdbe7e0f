/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-bitmap.h"

G_BEGIN_DECLS

/* A 1-bit image as an opaque black-on-white texture, one pixel a dot. */
GdkTexture *kiosk_bitmap_to_texture (const KioskBitmap *bitmap);

/* @text as a QR code (kiosk_qr_render(): error correction M, quiet zone)
 * at most @max_px square, whole pixels a module, so a phone reads it off the
 * screen as well as off the slip. Show it unscaled (a GtkPicture that may
 * not shrink): scaling would blur the module edges. */
GdkTexture *kiosk_qr_texture_new (const char *text, int max_px, GError **error);

G_END_DECLS
