/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-escpos"

#include <string.h>

#include "kiosk-error.h"
#include "kiosk-escpos.h"
#include "kiosk-slip.h"
#include "kiosk-test-fonts.h"
#include "kiosk-test-util.h"

/* A 10 x 3 image, rows: X.X.X.X.X. / XXXXXXXXXX / .........X */
static KioskBitmap *
tiny_bitmap (void)
{
  g_autoptr (GError) error = NULL;
  KioskBitmap *bmp = kiosk_bitmap_new (10, 3, &error);

  g_assert_no_error (error);
  for (int x = 0; x < 10; x += 2)
    kiosk_bitmap_set (bmp, x, 0, TRUE);
  kiosk_bitmap_fill_rect (bmp, 0, 1, 10, 1, TRUE);
  kiosk_bitmap_set (bmp, 9, 2, TRUE);
  return bmp;
}

static void
test_golden (void)
{
  static const guint8 golden[] = {
    0x1b, 0x40,                                     /* ESC @ */
    0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00, /* GS v 0, 2 bytes x 2 rows */
    0xaa, 0x80, 0xff, 0xc0,                         /* rows 0 and 1 */
    0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x01, 0x00, /* GS v 0, 2 bytes x 1 row */
    0x00, 0x40,                                     /* row 2 */
    0x1b, 0x64, 0x03,                               /* ESC d 3 */
    0x1d, 0x56, 0x01,                               /* GS V 1: partial cut */
  };
  const KioskEscposOptions options = { .band_rows = 2, .feed_lines = 3, .cut = TRUE };
  g_autoptr (KioskBitmap) bmp = tiny_bitmap ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = kiosk_escpos_encode_raster (bmp, &options, &error);
  g_autoptr (GPtrArray) parts = kiosk_escpos_encode_raster_parts (bmp, &options, &error);
  gsize len;
  const guint8 *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, golden, sizeof golden);
  /* Two bands and the finish: where the driver may ask the status. */
  g_assert_cmpuint (parts->len, ==, 3);
  g_assert_cmpuint (g_bytes_get_size (parts->pdata[0]), ==, 2 + 8 + 4);
  g_assert_cmpuint (g_bytes_get_size (parts->pdata[2]), ==, 6);
}

static void
test_no_cut (void)
{
  static const guint8 golden[]
      = { 0x1b, 0x40, 0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x03, 0x00, 0xaa, 0x80, 0xff, 0xc0, 0x00, 0x40 };
  const KioskEscposOptions options = { .band_rows = 256, .feed_lines = 0, .cut = FALSE };
  g_autoptr (KioskBitmap) bmp = tiny_bitmap ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = kiosk_escpos_encode_raster (bmp, &options, &error);
  gsize len;
  const guint8 *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, golden, sizeof golden);
}

static void
test_bad_options (void)
{
  const KioskEscposOptions cases[] = {
    { 0, 4, TRUE },
    { 257, 4, TRUE },
    { 128, -1, TRUE },
    { 128, 256, TRUE },
  };
  g_autoptr (KioskBitmap) bmp = tiny_bitmap ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) bytes = kiosk_escpos_encode_raster (bmp, &cases[i], &error);

      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      g_assert_null (bytes);
    }
}

static void
test_round_trip (gconstpointer width_p)
{
  int width = GPOINTER_TO_INT (width_p);
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr (GDateTime) issued = g_date_time_new (tz, 2026, 11, 23, 9, 41, 0);
  const char *const docs[] = { "居住证申请表 / Residence permit form", NULL };
  KioskSlipData data = {
    .centre_name_zh = "邻里共享社区综合服务中心",
    .ticket_label = "A023",
    .service_zh = "居住证办理",
    .service_en = "Residence permit",
    .people_ahead = 3,
    .wait_text = "约 10–20 分钟 / about 10–20 min",
    .issued_at = issued,
    .documents = docs,
    .qr_url = "https://hub.linli.example.cn/t/K7QF2M9X",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) slip = kiosk_slip_render (&data, width, &error);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (KioskBitmap) back = NULL;
  gsize len;
  const guint8 *raw;

  g_assert_no_error (error);
  bytes = kiosk_escpos_encode_raster (slip, NULL, &error);
  g_assert_no_error (error);
  raw = g_bytes_get_data (bytes, &len);
  back = kiosk_escpos_decode_raster (raw, len, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_bitmap_equal (slip, back));

  /* And one flipped dot is seen: the comparison is not blind. */
  back->bits[back->stride * (back->height / 2) + 10] ^= 0x10;
  g_assert_false (kiosk_bitmap_equal (slip, back));
}

static void
test_round_trip_odd_width (void)
{
  g_autoptr (KioskBitmap) bmp = tiny_bitmap ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = kiosk_escpos_encode_raster (bmp, NULL, &error);
  gsize len;
  const guint8 *raw = g_bytes_get_data (bytes, &len);
  g_autoptr (KioskBitmap) back = kiosk_escpos_decode_raster (raw, len, &error);

  g_assert_no_error (error);
  /* The printer sees whole bytes: 10 dots come back as 16, the rest white. */
  g_assert_cmpint (back->width, ==, 16);
  g_assert_cmpint (back->height, ==, 3);
  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 16; x++)
      g_assert_cmpint (kiosk_bitmap_get (back, x, y), ==, x < 10 ? kiosk_bitmap_get (bmp, x, y) : 0);
}

static void
test_decode_invalid (void)
{
  const struct
  {
    const char *what;
    const guint8 *data;
    gsize len;
  } cases[] = {
    { "empty", (const guint8 *)"", 0 },
    { "text", (const guint8 *)"hello", 5 },
    { "only init", (const guint8[]){ 0x1b, 0x40 }, 2 },
    { "short raster", (const guint8[]){ 0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00, 0xff }, 9 },
    { "mode 1", (const guint8[]){ 0x1d, 0x76, 0x30, 0x01, 0x01, 0x00, 0x01, 0x00, 0xff }, 9 },
    { "widths differ",
      (const guint8[]){ 0x1d, 0x76, 0x30, 0x00, 0x01, 0x00, 0x01, 0x00, 0xff, 0x1d, 0x76, 0x30, 0x00, 0x02,
                        0x00, 0x01, 0x00, 0xff, 0xff },
      19 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskBitmap) bmp = kiosk_escpos_decode_raster (cases[i].data, cases[i].len, &error);

      g_test_message ("case %s", cases[i].what);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      g_assert_null (bmp);
    }
}

static void
test_status_request (void)
{
  guint8 req[3];

  kiosk_escpos_status_request (4, req);
  g_assert_cmpmem (req, 3, ((guint8[]){ 0x10, 0x04, 0x04 }), 3);
}

static void
test_status_parse (void)
{
  const struct
  {
    guint8 n, reply;
    gboolean ok;
    KioskPrinterStatus status;
  } cases[] = {
    { 1, 0x12, TRUE, KIOSK_PRINTER_STATUS_READY },
    { 1, 0x16, TRUE, KIOSK_PRINTER_STATUS_READY }, /* drawer pin: not ours */
    { 1, 0x1a, TRUE, KIOSK_PRINTER_STATUS_OFFLINE },
    { 2, 0x12, TRUE, KIOSK_PRINTER_STATUS_READY },
    { 2, 0x16, TRUE, KIOSK_PRINTER_STATUS_COVER_OPEN },
    { 2, 0x1a, TRUE, KIOSK_PRINTER_STATUS_READY }, /* feed button held */
    { 2, 0x32, TRUE, KIOSK_PRINTER_STATUS_PAPER_OUT },
    { 2, 0x52, TRUE, KIOSK_PRINTER_STATUS_ERROR },
    { 2, 0x76, TRUE,
      KIOSK_PRINTER_STATUS_COVER_OPEN | KIOSK_PRINTER_STATUS_PAPER_OUT | KIOSK_PRINTER_STATUS_ERROR },
    { 3, 0x12, TRUE, KIOSK_PRINTER_STATUS_READY },
    { 3, 0x16, TRUE, KIOSK_PRINTER_STATUS_ERROR }, /* recoverable */
    { 3, 0x1a, TRUE, KIOSK_PRINTER_STATUS_ERROR }, /* autocutter */
    { 3, 0x32, TRUE, KIOSK_PRINTER_STATUS_ERROR }, /* unrecoverable */
    { 3, 0x52, TRUE, KIOSK_PRINTER_STATUS_ERROR }, /* auto-recoverable */
    { 4, 0x12, TRUE, KIOSK_PRINTER_STATUS_READY },
    { 4, 0x1e, TRUE, KIOSK_PRINTER_STATUS_PAPER_NEAR_END },
    { 4, 0x72, TRUE, KIOSK_PRINTER_STATUS_PAPER_OUT },
    { 4, 0x7e, TRUE, KIOSK_PRINTER_STATUS_PAPER_NEAR_END | KIOSK_PRINTER_STATUS_PAPER_OUT },
    /* not status bytes: fixed bits wrong */
    { 1, 0x00, FALSE, 0 },
    { 1, 0x13, FALSE, 0 }, /* XOFF */
    { 1, 0x11, FALSE, 0 }, /* XON */
    { 1, 0x92, FALSE, 0 },
    { 4, 0x02, FALSE, 0 },
    /* not a status request */
    { 0, 0x12, FALSE, 0 },
    { 5, 0x12, FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      KioskPrinterStatus st = KIOSK_PRINTER_STATUS_UNKNOWN;
      gboolean ok = kiosk_escpos_parse_status (cases[i].n, cases[i].reply, &st, &error);

      g_test_message ("case %u: n=%u reply=0x%02x", i, cases[i].n, cases[i].reply);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmphex (st, ==, cases[i].status);
        }
      else
        {
          g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
          g_assert_cmphex (st, ==, KIOSK_PRINTER_STATUS_UNKNOWN);
        }
    }
}

/* A whole round n = 1..4 adds up, as the driver does it. */
static void
test_status_round (void)
{
  const guint8 replies[] = { 0x1a, 0x32, 0x12, 0x72 }; /* offline, stopped at paper end, -, paper end */
  KioskPrinterStatus st = KIOSK_PRINTER_STATUS_READY;
  g_autofree char *text = NULL;
  g_autofree char *names = NULL;

  for (guint8 n = 1; n <= 4; n++)
    g_assert_true (kiosk_escpos_parse_status (n, replies[n - 1], &st, NULL));
  g_assert_cmphex (st, ==, KIOSK_PRINTER_STATUS_OFFLINE | KIOSK_PRINTER_STATUS_PAPER_OUT);
  text = kiosk_printer_status_describe (st);
  g_assert_cmpstr (text, ==, "纸张用完 / Paper out; 打印机脱机 / Printer offline");
  names = kiosk_printer_status_to_string (st);
  g_assert_cmpstr (names, ==, "paper-out,offline");
}

static void
test_status_describe (void)
{
  const struct
  {
    KioskPrinterStatus status;
    const char *text, *names;
  } cases[] = {
    { KIOSK_PRINTER_STATUS_READY, "正常 / Ready", "ready" },
    { KIOSK_PRINTER_STATUS_COVER_OPEN, "打印机盖打开 / Cover open", "cover-open" },
    { KIOSK_PRINTER_STATUS_PAPER_NEAR_END, "纸张将尽 / Paper low", "paper-near-end" },
    { KIOSK_PRINTER_STATUS_UNKNOWN, "打印机无响应 / Printer not responding", "unknown" },
    { KIOSK_PRINTER_STATUS_ERROR | KIOSK_PRINTER_STATUS_COVER_OPEN,
      "打印机盖打开 / Cover open; 打印机故障 / Printer error", "cover-open,error" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = kiosk_printer_status_describe (cases[i].status);
      g_autofree char *names = kiosk_printer_status_to_string (cases[i].status);

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_cmpstr (names, ==, cases[i].names);
    }
  g_assert_true (G_TYPE_IS_FLAGS (KIOSK_TYPE_PRINTER_STATUS));
}

static void
test_text_mode (void)
{
  static const guint8 golden[] = {
    0x1b, 0x40, 0x1c, 0x26,             /* ESC @, FS & */
    0x1b, 0x61, 0x01, 0x1d, 0x21, 0x11, /* centre, double size */
    'A',  '0',  '2',  '3',  '\n', 0x1d, 0x21, 0x00, 0x1b, 0x61, 0x00, 0xbe, 0xd3, 0xd7, 0xa1, 0xd6,
    0xa4, 0xb0, 0xec, 0xc0, 0xed, '\n', /* 居住证办理 in GB18030 */
    'R',  'e',  's',  'i',  'd',  'e',  'n',  'c',  'e',  '\n', 0x1b, 0x64, 0x04, 0x1d, 0x56, 0x01,
  };
  const char *const lines[] = { "A023", "居住证办理", "Residence", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = kiosk_escpos_encode_text (lines, TRUE, NULL, &error);
  gsize len;
  const guint8 *data;

  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, golden, sizeof golden);
}

static void
test_text_mode_invalid (void)
{
  const char *const lines[] = { "A023", "bad \xff utf-8", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = kiosk_escpos_encode_text (lines, FALSE, NULL, &error);

  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_null (bytes);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/escpos/golden", test_golden);
  g_test_add_func ("/kiosk/escpos/golden-no-cut", test_no_cut);
  g_test_add_func ("/kiosk/escpos/bad-options", test_bad_options);
  g_test_add_data_func ("/kiosk/escpos/round-trip/80mm", GINT_TO_POINTER (576), test_round_trip);
  g_test_add_data_func ("/kiosk/escpos/round-trip/58mm", GINT_TO_POINTER (384), test_round_trip);
  g_test_add_func ("/kiosk/escpos/round-trip-odd-width", test_round_trip_odd_width);
  g_test_add_func ("/kiosk/escpos/decode-invalid", test_decode_invalid);
  g_test_add_func ("/kiosk/escpos/status-request", test_status_request);
  g_test_add_func ("/kiosk/escpos/status-parse", test_status_parse);
  g_test_add_func ("/kiosk/escpos/status-round", test_status_round);
  g_test_add_func ("/kiosk/escpos/status-describe", test_status_describe);
  g_test_add_func ("/kiosk/escpos/text-mode", test_text_mode);
  g_test_add_func ("/kiosk/escpos/text-mode-invalid", test_text_mode_invalid);
  return kiosk_test_run_with_fonts ();
}
