/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-slip"

#include <cairo.h>
#include <string.h>

#include "kiosk-error.h"
#include "kiosk-qr.h"
#include "kiosk-slip.h"
#include "kiosk-test-fonts.h"
#include "kiosk-test-util.h"

#define URL "https://hub.linli.example.cn/t/K7QF2M9X"

typedef struct
{
  char *tmpdir;
  GDateTime *issued;
  KioskSlipData data;
} Fixture;

static const char *const documents[] = {
  "居住证申请表 / Residence permit form",
  "身份证原件及复印件 / ID card and a copy",
  NULL,
};

static void
fixture_setup (Fixture *f, gconstpointer unused)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");

  f->tmpdir = kiosk_test_make_tmpdir ("slip");
  f->issued = g_date_time_new (tz, 2026, 11, 23, 9, 41, 0);
  f->data = (KioskSlipData){
    .centre_name_zh = "邻里共享社区综合服务中心",
    .centre_name_en = "Linli Shared Community Service Centre",
    .ticket_label = "A023",
    .service_zh = "居住证办理",
    .service_en = "Residence permit",
    .people_ahead = 3,
    .wait_text = "约 10–20 分钟 / about 10–20 min",
    .issued_at = f->issued,
    .documents = documents,
    .qr_url = URL,
  };
}

static void
fixture_teardown (Fixture *f, gconstpointer unused)
{
  kiosk_test_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
  g_date_time_unref (f->issued);
}

static gboolean
have_zbarimg (void)
{
  g_autofree char *path = g_find_program_in_path ("zbarimg");

  return path != NULL;
}

/* The text zbarimg reads from @png, or NULL if it finds no QR. */
static char *
zbar_decode (const char *png)
{
  const char *argv[] = { "zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", png, NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                NULL, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_strdup (g_strchomp (out));
}

static void
test_qr_decodes (Fixture *f, gconstpointer width_p)
{
  int width = GPOINTER_TO_INT (width_p);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) slip = NULL;
  g_autofree char *png = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = g_strdup_printf ("slip-%d.png", width);

  if (!have_zbarimg ())
    {
      g_test_skip ("zbarimg not installed (Debian zbar-tools)");
      return;
    }
  slip = kiosk_slip_render (&f->data, width, &error);
  g_assert_no_error (error);
  png = g_build_filename (f->tmpdir, name, NULL);
  g_assert_true (kiosk_bitmap_write_png (slip, png, &error));
  g_assert_no_error (error);
  text = zbar_decode (png);
  g_assert_cmpstr (text, ==, URL);
}

static void
test_qr_absent (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) slip = NULL;
  g_autofree char *png = g_build_filename (f->tmpdir, "no-qr.png", NULL);
  g_autofree char *text = NULL;

  if (!have_zbarimg ())
    {
      g_test_skip ("zbarimg not installed (Debian zbar-tools)");
      return;
    }
  /* The decoding test above is only worth something if a slip without a
   * QR really decodes to nothing. */
  f->data.qr_url = NULL;
  slip = kiosk_slip_render (&f->data, KIOSK_SLIP_WIDTH_80MM, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_bitmap_write_png (slip, png, &error));
  text = zbar_decode (png);
  g_assert_null (text);
}

static void
test_layout (Fixture *f, gconstpointer width_p)
{
  int width = GPOINTER_TO_INT (width_p);
  int margin = width * 8 / 576;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) slip = kiosk_slip_render (&f->data, width, &error);
  g_autoptr (KioskBitmap) again = kiosk_slip_render (&f->data, width, &error);
  gsize black;

  g_assert_no_error (error);
  g_assert_cmpint (slip->width, ==, width);
  /* A receipt, not a banner: between 8 and 25 cm long at 8 dots/mm. */
  g_assert_cmpint (slip->height, >, 640);
  g_assert_cmpint (slip->height, <, 2000);
  /* Nothing spills into the side margins. */
  g_assert_cmpuint (kiosk_bitmap_count_black (slip, 0, 0, margin, slip->height), ==, 0);
  g_assert_cmpuint (kiosk_bitmap_count_black (slip, width - margin, 0, margin, slip->height), ==, 0);
  /* Ink, but mostly paper. */
  black = kiosk_bitmap_count_black (slip, 0, 0, slip->width, slip->height);
  g_assert_cmpuint (black, >, (gsize)slip->width * slip->height / 50);
  g_assert_cmpuint (black, <, (gsize)slip->width * slip->height / 3);
  /* Same input, same dots: what the test sees is what the kiosk prints. */
  g_assert_true (kiosk_bitmap_equal (slip, again));
}

/* The ticket label is the largest thing on the slip: its rows of ink are
 * taller than any text line. */
static void
test_label_large (Fixture *f, gconstpointer width_p)
{
  int width = GPOINTER_TO_INT (width_p);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) slip = kiosk_slip_render (&f->data, width, &error);
  int run = 0, longest = 0;

  g_assert_no_error (error);
  /* Longest run of inked rows, outside the QR (the bottom part). */
  for (int y = 0; y < slip->height / 2; y++)
    {
      run = kiosk_bitmap_count_black (slip, 0, y, slip->width, 1) > 0 ? run + 1 : 0;
      longest = MAX (longest, run);
    }
  /* 15 mm at 80 mm, 10 mm at 58 mm. */
  g_assert_cmpint (longest, >=, width * 120 / 576);
}

static void
test_cjk_glyphs (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  const char *const bad_docs[] = { "\xcd\xb8 / an unassigned code point", NULL };

  g_assert_true (kiosk_slip_check_fonts (&f->data, KIOSK_SLIP_WIDTH_80MM, &error));
  g_assert_no_error (error);
  g_assert_true (kiosk_slip_check_fonts (&f->data, KIOSK_SLIP_WIDTH_58MM, &error));
  g_assert_no_error (error);

  /* A character no font has is caught: the check is not blind. */
  f->data.documents = bad_docs;
  g_assert_false (kiosk_slip_check_fonts (&f->data, KIOSK_SLIP_WIDTH_80MM, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
}

/* Different Chinese service names give different ink where the name is:
 * missing glyphs would all print as the same box. */
static void
test_cjk_distinct (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) a = NULL;
  g_autoptr (KioskBitmap) b = NULL;

  f->data.service_zh = "居住证办理";
  a = kiosk_slip_render (&f->data, KIOSK_SLIP_WIDTH_80MM, &error);
  g_assert_no_error (error);
  f->data.service_zh = "社保医保办";
  b = kiosk_slip_render (&f->data, KIOSK_SLIP_WIDTH_80MM, &error);
  g_assert_no_error (error);
  g_assert_cmpint (a->height, ==, b->height);
  g_assert_false (kiosk_bitmap_equal (a, b));
}

static void
test_logo (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->tmpdir, "logo.png", NULL);
  g_autoptr (KioskBitmap) plain = kiosk_slip_render (&f->data, KIOSK_SLIP_WIDTH_80MM, &error);
  g_autoptr (KioskBitmap) with_logo = NULL;
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 100);
  cairo_t *cr = cairo_create (s);
  gsize black;
  int logo_w = 200, logo_h = 100;

  /* A flat mid grey: dithering must give about half the dots, not all or none. */
  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (s, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);

  f->data.logo_path = path;
  with_logo = kiosk_slip_render (&f->data, KIOSK_SLIP_WIDTH_80MM, &error);
  g_assert_no_error (error);
  g_assert_cmpint (with_logo->height, >=, plain->height + logo_h);
  black = kiosk_bitmap_count_black (with_logo, (576 - logo_w) / 2, 0, logo_w, logo_h);
  g_assert_cmpuint (black, >, logo_w * logo_h * 4 / 10);
  g_assert_cmpuint (black, <, logo_w * logo_h * 6 / 10);
}

static void
test_invalid (Fixture *f, gconstpointer unused)
{
  const struct
  {
    const char *what;
    int width;
  } cases[] = {
    { "narrow", 100 },  { "wide", 5000 },    { "no-label", 576 },
    { "no-time", 576 }, { "bad-logo", 576 }, { "long-url", 384 },
  };
  g_autofree char *long_url = g_strnfill (600, 'x');

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KioskSlipData data = f->data;
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskBitmap) slip = NULL;

      if (g_str_equal (cases[i].what, "no-label"))
        data.ticket_label = "";
      else if (g_str_equal (cases[i].what, "no-time"))
        data.issued_at = NULL;
      else if (g_str_equal (cases[i].what, "bad-logo"))
        data.logo_path = "/nonexistent/logo.png";
      else if (g_str_equal (cases[i].what, "long-url"))
        data.qr_url = long_url;
      slip = kiosk_slip_render (&data, cases[i].width, &error);
      g_test_message ("case %s", cases[i].what);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      g_assert_null (slip);
    }
}

static void
test_people_ahead (void)
{
  const struct
  {
    int n;
    const char *text;
  } cases[] = {
    { 0, "前面无人等候 / You are next" },
    { 1, "前面还有 1 人 / 1 person ahead" },
    { 3, "前面还有 3 人 / 3 people ahead" },
    { 120, "前面还有 120 人 / 120 people ahead" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = kiosk_slip_format_people_ahead (cases[i].n);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_text_cells (void)
{
  const struct
  {
    const char *text;
    int cells;
  } cases[] = {
    { "", 0 },       { "A023", 4 },
    { "居住证", 6 }, { "约 10–20 分钟", 14 } /* the en dash is full width on Chinese printers */,
    { "□ ID", 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (kiosk_slip_text_cells (cases[i].text), ==, cases[i].cells);
}

static void
test_text_format (Fixture *f, gconstpointer columns_p)
{
  int columns = GPOINTER_TO_INT (columns_p);
  g_auto (GStrv) lines = kiosk_slip_format_text (&f->data, columns);
  g_autofree char *all = g_strjoinv ("\n", lines);
  g_autofree char *joined = g_strjoinv ("", lines);

  g_assert_cmpstr (lines[0], ==, "A023");
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpint (kiosk_slip_text_cells (lines[i]), <=, columns);
  g_assert_nonnull (strstr (all, "前面还有 3 人"));
  g_assert_nonnull (strstr (all, "2026-11-23 09:41"));
  g_assert_nonnull (strstr (all, "居住证申请表"));
  /* The URL is printed whole or broken into pieces that join back to it. */
  g_assert_nonnull (strstr (joined, URL));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func, data) g_test_add (path, Fixture, data, fixture_setup, func, fixture_teardown)
  ADD ("/kiosk/slip/qr-decodes/80mm", test_qr_decodes, GINT_TO_POINTER (576));
  ADD ("/kiosk/slip/qr-decodes/58mm", test_qr_decodes, GINT_TO_POINTER (384));
  ADD ("/kiosk/slip/qr-absent", test_qr_absent, NULL);
  ADD ("/kiosk/slip/layout/80mm", test_layout, GINT_TO_POINTER (576));
  ADD ("/kiosk/slip/layout/58mm", test_layout, GINT_TO_POINTER (384));
  ADD ("/kiosk/slip/label-large/80mm", test_label_large, GINT_TO_POINTER (576));
  ADD ("/kiosk/slip/label-large/58mm", test_label_large, GINT_TO_POINTER (384));
  ADD ("/kiosk/slip/cjk-glyphs", test_cjk_glyphs, NULL);
  ADD ("/kiosk/slip/cjk-distinct", test_cjk_distinct, NULL);
  ADD ("/kiosk/slip/logo-dithered", test_logo, NULL);
  ADD ("/kiosk/slip/invalid", test_invalid, NULL);
  ADD ("/kiosk/slip/text-format/48", test_text_format, GINT_TO_POINTER (48));
  ADD ("/kiosk/slip/text-format/32", test_text_format, GINT_TO_POINTER (32));
#undef ADD
  g_test_add_func ("/kiosk/slip/people-ahead", test_people_ahead);
  g_test_add_func ("/kiosk/slip/text-cells", test_text_cells);
  return kiosk_test_run_with_fonts ();
}
