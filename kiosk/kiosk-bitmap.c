/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-bitmap"

#include <cairo.h>
#include <string.h>

#include "kiosk-bitmap.h"
#include "kiosk-error.h"

/* A slip is a few thousand dots long; anything beyond this is a bug upstream. */
#define MAX_SIDE 65535

KioskBitmap *
kiosk_bitmap_new (int width, int height, GError **error)
{
  KioskBitmap *self;

  if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "图像尺寸无效 / Invalid image size %d×%d", width,
                   height);
      return NULL;
    }
  self = g_new0 (KioskBitmap, 1);
  self->width = width;
  self->height = height;
  self->stride = (width + 7) / 8;
  self->bits = g_malloc0 ((gsize)self->stride * (gsize)height);
  return self;
}

void
kiosk_bitmap_free (KioskBitmap *self)
{
  if (self == NULL)
    return;
  g_free (self->bits);
  g_free (self);
}

KioskBitmap *
kiosk_bitmap_copy (const KioskBitmap *self)
{
  KioskBitmap *copy;

  g_return_val_if_fail (self != NULL, NULL);
  copy = g_new0 (KioskBitmap, 1);
  *copy = *self;
  copy->bits = g_memdup2 (self->bits, (gsize)self->stride * (gsize)self->height);
  return copy;
}

void
kiosk_bitmap_fill_rect (KioskBitmap *self, int x, int y, int w, int h, gboolean black)
{
  int x1 = MIN (x + w, self->width), y1 = MIN (y + h, self->height);

  for (int yy = MAX (y, 0); yy < y1; yy++)
    for (int xx = MAX (x, 0); xx < x1; xx++)
      kiosk_bitmap_set (self, xx, yy, black);
}

void
kiosk_bitmap_blit (KioskBitmap *self, const KioskBitmap *src, int x, int y)
{
  for (int sy = 0; sy < src->height; sy++)
    {
      int dy = y + sy;

      if (dy < 0 || dy >= self->height)
        continue;
      for (int sx = 0; sx < src->width; sx++)
        {
          int dx = x + sx;

          if (dx >= 0 && dx < self->width)
            kiosk_bitmap_set (self, dx, dy, kiosk_bitmap_get (src, sx, sy));
        }
    }
}

gboolean
kiosk_bitmap_equal (const KioskBitmap *a, const KioskBitmap *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->width != b->width || a->height != b->height)
    return FALSE;
  for (int y = 0; y < a->height; y++)
    {
      const guint8 *ra = a->bits + (gsize)y * a->stride;
      const guint8 *rb = b->bits + (gsize)y * b->stride;
      int full = a->width / 8, rest = a->width % 8;

      if (memcmp (ra, rb, full) != 0)
        return FALSE;
      if (rest != 0 && ((ra[full] ^ rb[full]) & (guint8)(0xff << (8 - rest))) != 0)
        return FALSE;
    }
  return TRUE;
}

gsize
kiosk_bitmap_count_black (const KioskBitmap *self, int x, int y, int w, int h)
{
  int x1 = MIN (x + w, self->width), y1 = MIN (y + h, self->height);
  gsize n = 0;

  for (int yy = MAX (y, 0); yy < y1; yy++)
    for (int xx = MAX (x, 0); xx < x1; xx++)
      n += kiosk_bitmap_get (self, xx, yy);
  return n;
}

KioskBitmap *
kiosk_bitmap_new_from_coverage (const guint8 *coverage, int width, int height, int stride, guint8 threshold,
                                GError **error)
{
  g_autoptr (KioskBitmap) self = kiosk_bitmap_new (width, height, error);

  if (self == NULL)
    return NULL;
  for (int y = 0; y < height; y++)
    {
      const guint8 *row = coverage + (gsize)y * stride;

      for (int x = 0; x < width; x++)
        if (row[x] >= threshold)
          kiosk_bitmap_set (self, x, y, TRUE);
    }
  return g_steal_pointer (&self);
}

KioskBitmap *
kiosk_bitmap_new_dithered (const guint8 *grey, int width, int height, int stride, GError **error)
{
  g_autoptr (KioskBitmap) self = kiosk_bitmap_new (width, height, error);
  /* Two rows of accumulated error, with a guard cell each side. */
  g_autofree int *cur = NULL, *next = NULL;

  if (self == NULL)
    return NULL;
  cur = g_new0 (int, width + 2);
  next = g_new0 (int, width + 2);
  for (int y = 0; y < height; y++)
    {
      const guint8 *row = grey + (gsize)y * stride;
      int *tmp;

      for (int x = 0; x < width; x++)
        {
          int v = row[x] * 16 + cur[x + 1];
          int out = v < 128 * 16 ? 0 : 255 * 16;
          int err = v - out;

          if (out == 0)
            kiosk_bitmap_set (self, x, y, TRUE);
          cur[x + 2] += err * 7 / 16;
          next[x] += err * 3 / 16;
          next[x + 1] += err * 5 / 16;
          next[x + 2] += err * 1 / 16;
        }
      tmp = cur;
      cur = next;
      next = tmp;
      memset (next, 0, sizeof (int) * (width + 2));
    }
  return g_steal_pointer (&self);
}

gboolean
kiosk_bitmap_write_png (const KioskBitmap *self, const char *path, GError **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  guint8 *data;
  int cstride;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  /* RGB24 rather than A1: an A1 PNG has an alpha channel only, which many
   * viewers (and zbarimg) show as black on black. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, self->width, self->height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_FAILED, "无法创建图像 / Cannot create image: %s",
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  cstride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < self->height; y++)
    {
      guint32 *row = (guint32 *)(gpointer)(data + (gsize)y * cstride);

      for (int x = 0; x < self->width; x++)
        row[x] = kiosk_bitmap_get (self, x, y) ? 0x000000 : 0xffffff;
    }
  cairo_surface_mark_dirty (surface);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_STORAGE, "无法写入图像 %s / Cannot write image %s: %s",
                   path, path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
