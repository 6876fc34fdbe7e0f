/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-compare"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench-fb.h"

/* XWDFileHeader (X11/XWDFile.h): 25 big-endian CARD32 fields, then the
 * window name, then ncolors XWDColor entries of 12 bytes, then the pixels. */
enum
{
  XWD_HEADER_SIZE = 0,
  XWD_PIXMAP_DEPTH = 3,
  XWD_WIDTH = 4,
  XWD_HEIGHT = 5,
  XWD_BYTE_ORDER = 7,
  XWD_BITS_PER_PIXEL = 11,
  XWD_BYTES_PER_LINE = 12,
  XWD_RED_MASK = 14,
  XWD_GREEN_MASK = 15,
  XWD_BLUE_MASK = 16,
  XWD_NCOLORS = 19,
  XWD_N_FIELDS = 25,
};
#define XWD_COLOR_SIZE 12

/* The four tile colours of the home screen. */
static const guint32 tile_colours[] = { 0xc62828, 0x2e7d32, 0x1565c0, 0x6a1b9a };
#define TILE_COLOUR_TOLERANCE 6

static guint32
field (const guint8 *header, int i)
{
  const guint8 *p = header + 4 * i;

  return (guint32)p[0] << 24 | (guint32)p[1] << 16 | (guint32)p[2] << 8 | p[3];
}

gboolean
bench_fb_open (BenchFb *fb, const char *path, GError **error)
{
  struct stat st;
  const guint8 *h;
  gsize header_size, pixels_at;

  *fb = (BenchFb){ .fd = -1 };
  fb->fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fb->fd < 0 || fstat (fb->fd, &st) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", path,
                   g_strerror (saved_errno));
      bench_fb_close (fb);
      return FALSE;
    }
  fb->map_len = (gsize)st.st_size;
  if (fb->map_len < XWD_N_FIELDS * 4)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: too short for an XWD file", path);
      bench_fb_close (fb);
      return FALSE;
    }
  fb->map = mmap (NULL, fb->map_len, PROT_READ, MAP_SHARED, fb->fd, 0);
  if (fb->map == MAP_FAILED)
    {
      int saved_errno = errno;

      fb->map = NULL;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: mmap: %s", path,
                   g_strerror (saved_errno));
      bench_fb_close (fb);
      return FALSE;
    }

  h = fb->map;
  header_size = field (h, XWD_HEADER_SIZE);
  pixels_at = header_size + (gsize)field (h, XWD_NCOLORS) * XWD_COLOR_SIZE;
  fb->width = (int)field (h, XWD_WIDTH);
  fb->height = (int)field (h, XWD_HEIGHT);
  fb->stride = (int)field (h, XWD_BYTES_PER_LINE);
  fb->red_mask = field (h, XWD_RED_MASK);
  fb->green_mask = field (h, XWD_GREEN_MASK);
  fb->blue_mask = field (h, XWD_BLUE_MASK);
  /* Xvfb -screen 0 WxHx24 stores 32-bit pixels in the machine's order. */
  if (field (h, XWD_BITS_PER_PIXEL) != 32 || field (h, XWD_PIXMAP_DEPTH) != 24
      || field (h, XWD_BYTE_ORDER) != (G_BYTE_ORDER == G_LITTLE_ENDIAN ? 0 : 1) || fb->width <= 0
      || fb->height <= 0 || fb->stride < fb->width * 4
      || pixels_at + (gsize)fb->stride * (gsize)fb->height > fb->map_len)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: expected a 24-bit XWD screen with 32-bit pixels (Xvfb -screen 0 WxHx24)", path);
      bench_fb_close (fb);
      return FALSE;
    }
  fb->pixels = fb->map + pixels_at;
  return TRUE;
}

void
bench_fb_close (BenchFb *fb)
{
  if (fb->map != NULL)
    munmap (fb->map, fb->map_len);
  if (fb->fd >= 0)
    close (fb->fd);
  *fb = (BenchFb){ .fd = -1 };
}

static guint32
channel (guint32 pixel, guint32 mask)
{
  if (mask == 0)
    return 0;
  return (pixel & mask) >> __builtin_ctz (mask);
}

guint32
bench_fb_rgb (const BenchFb *fb, int x, int y)
{
  guint32 pixel;

  /* The header ends at any byte: no aligned loads. */
  memcpy (&pixel, fb->pixels + (gsize)y * (gsize)fb->stride + (gsize)x * 4, sizeof pixel);

  return channel (pixel, fb->red_mask) << 16 | channel (pixel, fb->green_mask) << 8
         | channel (pixel, fb->blue_mask);
}

static gboolean
near (guint32 a, guint32 b)
{
  for (int shift = 0; shift <= 16; shift += 8)
    {
      int d = (int)((a >> shift) & 0xff) - (int)((b >> shift) & 0xff);

      if (d > TILE_COLOUR_TOLERANCE || d < -TILE_COLOUR_TOLERANCE)
        return FALSE;
    }
  return TRUE;
}

gboolean
bench_fb_home_shown (const BenchFb *fb)
{
  guint counts[G_N_ELEMENTS (tile_colours)] = { 0 };
  guint samples = 0;

  for (int y = 0; y < fb->height; y += 4)
    for (int x = 0; x < fb->width; x += 4)
      {
        guint32 rgb = bench_fb_rgb (fb, x, y);

        samples++;
        for (gsize i = 0; i < G_N_ELEMENTS (tile_colours); i++)
          if (near (rgb, tile_colours[i]))
            {
              counts[i]++;
              break;
            }
      }
  for (gsize i = 0; i < G_N_ELEMENTS (tile_colours); i++)
    if ((guint64)counts[i] * 1000 < (guint64)samples * BENCH_TILE_MIN_PERMILLE)
      return FALSE;
  return TRUE;
}

guint64
bench_fb_hash (const BenchFb *fb, int first_row)
{
  guint64 hash = 0xcbf29ce484222325u;

  for (int y = MAX (first_row, 0); y < fb->height; y += 2)
    {
      const guint8 *row = fb->pixels + (gsize)y * (gsize)fb->stride;

      for (int i = 0; i + 8 <= fb->width * 4; i += 8)
        {
          guint64 word;

          memcpy (&word, row + i, sizeof word);
          hash = (hash ^ word) * 0x100000001b3u;
        }
    }
  return hash;
}
