/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "kiosk-qr-texture.h"
#include "kiosk-qr.h"

GdkTexture *
kiosk_bitmap_to_texture (const KioskBitmap *bitmap)
{
  gsize stride = (gsize)bitmap->width * 3;
  guint8 *pixels = g_malloc (stride * (gsize)bitmap->height);
  g_autoptr (GBytes) bytes = NULL;

  for (int y = 0; y < bitmap->height; y++)
    for (int x = 0; x < bitmap->width; x++)
      memset (pixels + (gsize)y * stride + (gsize)x * 3, kiosk_bitmap_get (bitmap, x, y) ? 0x00 : 0xff, 3);
  bytes = g_bytes_new_take (pixels, stride * (gsize)bitmap->height);
  return gdk_memory_texture_new (bitmap->width, bitmap->height, GDK_MEMORY_R8G8B8, bytes, stride);
}

GdkTexture *
kiosk_qr_texture_new (const char *text, int max_px, GError **error)
{
  g_autoptr (KioskBitmap) qr = kiosk_qr_render (text, max_px, error);

  if (qr == NULL)
    return NULL;
  return kiosk_bitmap_to_texture (qr);
}
