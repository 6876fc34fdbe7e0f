/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A 1-bit image as a thermal printer sees it: rows of bytes, most significant
 * bit leftmost, 1 = black dot. The ESC/POS raster format is the same, so the
 * encoder copies rows without any conversion. */
typedef struct
{
  int width;    /* dots */
  int height;   /* dots */
  int stride;   /* bytes per row, >= (width + 7) / 8 */
  guint8 *bits; /* owned, stride * height bytes */
} KioskBitmap;

/* All white. NULL with @error when the size is not positive or too large. */
KioskBitmap *kiosk_bitmap_new (int width, int height, GError **error);
void kiosk_bitmap_free (KioskBitmap *self);
KioskBitmap *kiosk_bitmap_copy (const KioskBitmap *self);

static inline gboolean
kiosk_bitmap_get (const KioskBitmap *self, int x, int y)
{
  return (self->bits[(gsize)y * self->stride + x / 8] >> (7 - x % 8)) & 1;
}

static inline void
kiosk_bitmap_set (KioskBitmap *self, int x, int y, gboolean black)
{
  guint8 *b = &self->bits[(gsize)y * self->stride + x / 8];
  guint8 mask = (guint8)(0x80 >> (x % 8));

  if (black)
    *b |= mask;
  else
    *b &= (guint8)~mask;
}

/* Fills a rectangle, clipped to the image. */
void kiosk_bitmap_fill_rect (KioskBitmap *self, int x, int y, int w, int h, gboolean black);
/* Copies @src into @self with its top-left at (@x, @y), clipped. */
void kiosk_bitmap_blit (KioskBitmap *self, const KioskBitmap *src, int x, int y);
/* Same size and the same dots (padding bits beyond the width are ignored). */
gboolean kiosk_bitmap_equal (const KioskBitmap *a, const KioskBitmap *b);
/* Black dots in a rectangle, clipped. */
gsize kiosk_bitmap_count_black (const KioskBitmap *self, int x, int y, int w, int h);

/* 1-bit from a coverage image (0 = paper, 255 = full ink) by threshold. */
KioskBitmap *kiosk_bitmap_new_from_coverage (const guint8 *coverage, int width, int height, int stride,
                                             guint8 threshold, GError **error);
/* Floyd–Steinberg error diffusion of an 8-bit grey image (0 = black, 255 = white). */
KioskBitmap *kiosk_bitmap_new_dithered (const guint8 *grey, int width, int height, int stride,
                                        GError **error);

/* A black-on-white 1-bit PNG (what the folder transport and the docs keep). */
gboolean kiosk_bitmap_write_png (const KioskBitmap *self, const char *path, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskBitmap, kiosk_bitmap_free)

G_END_DECLS
