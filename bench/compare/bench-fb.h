/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Xvfb's screen as its -fbdir XWD file, mapped shared: every read sees the
 * pixels the X server has drawn so far, without a round trip to the server. */
typedef struct
{
  int fd;
  guint8 *map;
  gsize map_len;
  const guint8 *pixels;
  int width;
  int height;
  int stride;
  guint32 red_mask;
  guint32 green_mask;
  guint32 blue_mask;
} BenchFb;

gboolean bench_fb_open (BenchFb *fb, const char *path, GError **error);
void bench_fb_close (BenchFb *fb);

/* 0xRRGGBB of the pixel at (x, y). */
guint32 bench_fb_rgb (const BenchFb *fb, int x, int y);

/* The one condition for "the home screen is shown", the same for both
 * programs: each of the four tile colours of the design (ui/style.css,
 * bench/compare/home.css) covers at least BENCH_TILE_MIN_PERMILLE of the
 * screen. Sampled on a grid of every 4th pixel each way. */
#define BENCH_TILE_MIN_PERMILLE 50
gboolean bench_fb_home_shown (const BenchFb *fb);

/* A hash of every second row from first_row down, to tell frames apart. */
guint64 bench_fb_hash (const BenchFb *fb, int first_row);

G_END_DECLS
