/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-slip"

/* Render + ESC/POS encode time of one slip, its size, and how long it takes to
 * reach the printer. Prints figures, asserts nothing.
 *   bench-slip [-n N] [-w WIDTH] [--png PATH]  */

#include <stdio.h>
#include <stdlib.h>

#include "kiosk-escpos.h"
#include "kiosk-qr.h"
#include "kiosk-slip.h"

/* 9600 baud 8N1: 10 bits on the wire per byte. */
#define SERIAL_BYTES_PER_SEC (9600.0 / 10.0)
/* USB 1.1 full speed (12 Mbit/s), the speed of printer-class devices: bulk
 * transfers carry at most 19 packets of 64 bytes per 1 ms frame (1.216 MB/s);
 * we assume 1 MB/s after protocol overhead. */
#define USB_FS_BYTES_PER_SEC 1000000.0
/* A typical 80 mm thermal printer: 200 mm/s at 8 dots/mm. */
#define PRINT_DOTS_PER_SEC (200.0 * 8.0)

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted, double p)
{
  guint i = (guint)(p * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, double, i);
}

int
main (int argc, char *argv[])
{
  int n = 200, width = 0;
  g_autofree char *png = NULL;
  GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &n, "Slips to render", "N" },
    { "width", 'w', 0, G_OPTION_ARG_INT, &width, "Only this width in dots (default: 576 and 384)", "DOTS" },
    { "png", 0, 0, G_OPTION_ARG_FILENAME, &png, "Write the first 576-dot slip (or --width) as a PNG",
      "PATH" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- slip render benchmark");
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr (GDateTime) issued = g_date_time_new (tz, 2026, 11, 23, 9, 41, 0);
  g_autofree char *url = NULL;
  const char *const docs[]
      = { "居住证申请表 / Residence permit form", "身份证原件及复印件 / ID card and a copy",
          "租房合同或单位住宿证明 / Tenancy contract or dormitory letter",
          "一寸照片 2 张 / Two 1-inch photos", NULL };
  const int widths[] = { KIOSK_SLIP_WIDTH_80MM, KIOSK_SLIP_WIDTH_58MM };

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || n < 1)
    {
      fprintf (stderr, "%s\n", error != NULL ? error->message : "-n must be at least 1");
      return 2;
    }
  url = kiosk_qr_ticket_url ("https://hub.linli.example.cn", "K7QF2M9X", &error);
  g_assert_no_error (error);

  printf ("# slip render + ESC/POS raster encode, %d slips per width\n", n);
  printf ("# assumes serial 9600 8N1 = %.0f B/s, USB full speed = %.0f B/s, print 200 mm/s\n",
          SERIAL_BYTES_PER_SEC, USB_FS_BYTES_PER_SEC);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      gsize bytes = 0, text_bytes = 0;
      int height = 0;

      if (width != 0 && widths[w] != width)
        continue;
      for (int i = 0; i < n; i++)
        {
          g_autofree char *label = g_strdup_printf ("A%03d", 1 + i % 999);
          KioskSlipData data = {
            .centre_name_zh = "邻里共享社区综合服务中心",
            .centre_name_en = "Linli Shared Community Service Centre",
            .ticket_label = i == 0 ? "A023" : label,
            .service_zh = "居住证办理",
            .service_en = "Residence permit",
            .people_ahead = i == 0 ? 3 : i % 40,
            .wait_text = "约 10–20 分钟 / about 10–20 min",
            .issued_at = issued,
            .documents = docs,
            .qr_url = url,
          };
          gint64 t0 = g_get_monotonic_time ();
          g_autoptr (KioskBitmap) slip = kiosk_slip_render (&data, widths[w], &error);
          g_autoptr (GBytes) esc = NULL;
          double ms;

          g_assert_no_error (error);
          esc = kiosk_escpos_encode_raster (slip, NULL, &error);
          g_assert_no_error (error);
          ms = (g_get_monotonic_time () - t0) / 1000.0;
          g_array_append_val (times, ms);
          if (i == 0)
            {
              g_auto (GStrv) lines = kiosk_slip_format_text (&data, widths[w] == 576 ? 48 : 32);
              g_autoptr (GBytes) text
                  = kiosk_escpos_encode_text ((const char *const *)lines, TRUE, NULL, &error);

              g_assert_no_error (error);
              text_bytes = g_bytes_get_size (text);
              bytes = g_bytes_get_size (esc);
              height = slip->height;
              if (png != NULL && (width != 0 || widths[w] == KIOSK_SLIP_WIDTH_80MM))
                {
                  if (!kiosk_bitmap_write_png (slip, png, &error))
                    {
                      fprintf (stderr, "%s\n", error->message);
                      return 1;
                    }
                }
            }
        }
      g_array_sort (times, cmp_double);
      printf ("width %d dots (%s): %d x %d dots, %.1f mm long\n", widths[w],
              widths[w] == 576 ? "80 mm" : "58 mm", widths[w], height, height / 8.0);
      printf ("  render+encode: median %.2f ms, p99 %.2f ms, max %.2f ms\n", percentile (times, 0.5),
              percentile (times, 0.99), percentile (times, 1.0));
      printf ("  bytes per slip: %" G_GSIZE_FORMAT "\n", bytes);
      printf ("  transfer: %.1f s at 9600 baud, %.1f ms over USB full speed; printing takes %.1f s\n",
              bytes / SERIAL_BYTES_PER_SEC, bytes / USB_FS_BYTES_PER_SEC * 1000.0,
              height / PRINT_DOTS_PER_SEC);
      printf ("  raster at 115200 baud: %.1f s; text mode (GB18030, no QR): %" G_GSIZE_FORMAT
              " bytes, %.1f s at 9600 baud\n",
              bytes / (115200.0 / 10.0), text_bytes, text_bytes / SERIAL_BYTES_PER_SEC);
    }
  return 0;
}
