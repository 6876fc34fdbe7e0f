/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-qr"

#include <string.h>

#include "kiosk-error.h"
#include "kiosk-qr.h"

static void
test_ticket_url (void)
{
  const struct
  {
    const char *hub, *code, *url;
  } cases[] = {
    { "https://hub.linli.example.cn", "K7QF2M9X", "https://hub.linli.example.cn/t/K7QF2M9X" },
    { "https://hub.linli.example.cn/", "K7QF2M9X", "https://hub.linli.example.cn/t/K7QF2M9X" },
    { "https://hub.example.cn//", "A1", "https://hub.example.cn/t/A1" },
    { "https://10.0.0.5:8443/linli", "A1", "https://10.0.0.5:8443/linli/t/A1" },
    { "https://hub.example.cn", "a b/c", "https://hub.example.cn/t/a%20b%2Fc" },
    /* refused */
    { "ftp://hub.example.cn", "A1", NULL },
    /* A phone warns on plain http; the kiosks' address is never the answer either. */
    { "http://10.0.0.5:8080/linli", "A1", NULL },
    { "hub.example.cn", "A1", NULL },
    { "https://", "A1", NULL },
    { "https://hub.example.cn?x=1", "A1", NULL },
    { "", "A1", NULL },
    { NULL, "A1", NULL },
    { "https://hub.example.cn", "", NULL },
    { "https://hub.example.cn", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *url = kiosk_qr_ticket_url (cases[i].hub, cases[i].code, &error);

      g_test_message ("case %u: %s + %s", i, cases[i].hub, cases[i].code);
      if (cases[i].url != NULL)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (url, ==, cases[i].url);
        }
      else
        {
          g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
          g_assert_null (url);
        }
    }
}

/* [hub] public_url, checked by the hub at start, by the kiosk's sync and by
 * the store: what passes here is printed as a QR on paper. */
static void
test_public_url (void)
{
  g_autofree char *longest = NULL;
  g_autofree char *too_long = NULL;
  const struct
  {
    const char *url;
    gboolean ok;
  } cases[] = {
    { "https://linli.example.cn", TRUE },
    { "https://linli.example.cn/", TRUE },
    { "https://10.0.0.5:8443/hall-1", TRUE },
    { "https://[::1]:8443", TRUE },
    { "http://linli.example.cn", FALSE },
    { "ftp://linli.example.cn", FALSE },
    { "linli.example.cn", FALSE },
    { "https://", FALSE },
    { "https:///path", FALSE },
    { "https://linli.example.cn/?next=x", FALSE },
    { "https://linli.example.cn/#top", FALSE },
    { "https://user:pw@linli.example.cn", FALSE },
    { "https://linli.example.cn/a b", FALSE },
    { "https://linli.example.cn/\tx", FALSE },
    { "https://linli.example.cn/\nx", FALSE },
    { "https://linli.example.cn/\x7f", FALSE },
    { " https://linli.example.cn", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      g_test_message ("case %u: %s", i, cases[i].url);
      g_assert_cmpint (kiosk_qr_check_public_url (cases[i].url, &error), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
    }

  /* The bound: the longest address passes, one byte more does not. */
  longest = g_strdup_printf ("https://h.cn/%0*d", KIOSK_PUBLIC_URL_MAX - (int)strlen ("https://h.cn/"), 0);
  g_assert_cmpuint (strlen (longest), ==, KIOSK_PUBLIC_URL_MAX);
  g_assert_true (kiosk_qr_check_public_url (longest, NULL));
  too_long = g_strconcat (longest, "0", NULL);
  g_assert_false (kiosk_qr_check_public_url (too_long, NULL));
}

/* The longest public address still makes a QR that fits 58 mm paper at the
 * smallest module a phone reads. */
static void
test_longest_url_fits (void)
{
  g_autofree char *base
      = g_strdup_printf ("https://h.cn/%0*d", KIOSK_PUBLIC_URL_MAX - (int)strlen ("https://h.cn/"), 0);
  g_autofree char *url = kiosk_qr_ticket_url (base, "J32XRRAJ4MKBX6TL", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) qr = NULL;

  g_assert_nonnull (url);
  /* The slip gives its QR half of a 384-dot line. */
  qr = kiosk_qr_render (url, 384 / 2, &error);
  g_assert_no_error (error);
  g_assert_nonnull (qr);
}

static void
test_fit_module (void)
{
  const struct
  {
    int modules, max_dots, module;
  } cases[] = {
    { 29, 296, 8 }, /* version 3: 29 + 8 quiet = 37 modules */
    { 29, 295, 7 }, { 29, 37, 1 }, { 29, 36, 0 }, { 21, 192, 6 }, { 0, 100, 0 }, { 21, 0, 0 }, { -1, 100, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (kiosk_qr_fit_module (cases[i].modules, cases[i].max_dots), ==, cases[i].module);
}

static void
test_quiet_zone (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) qr = kiosk_qr_render ("https://hub.linli.example.cn/t/K7QF2M9X", 280, &error);
  int modules, module, quiet;

  g_assert_no_error (error);
  g_assert_cmpint (qr->width, ==, qr->height);
  g_assert_cmpint (qr->width, <=, 280);
  /* Version 3 (29 modules) at level M for this length: 280 / 37 = 7 dots. */
  modules = 29;
  module = qr->width / (modules + 2 * KIOSK_QR_QUIET_ZONE);
  g_assert_cmpint (module, ==, 7);
  g_assert_cmpint (qr->width, ==, (modules + 2 * KIOSK_QR_QUIET_ZONE) * module);
  quiet = KIOSK_QR_QUIET_ZONE * module;
  /* The quiet zone is white on all four sides… */
  g_assert_cmpuint (kiosk_bitmap_count_black (qr, 0, 0, qr->width, quiet), ==, 0);
  g_assert_cmpuint (kiosk_bitmap_count_black (qr, 0, qr->height - quiet, qr->width, quiet), ==, 0);
  g_assert_cmpuint (kiosk_bitmap_count_black (qr, 0, 0, quiet, qr->height), ==, 0);
  g_assert_cmpuint (kiosk_bitmap_count_black (qr, qr->width - quiet, 0, quiet, qr->height), ==, 0);
  /* …and a finder pattern's dark ring starts right inside it. */
  g_assert_cmpuint (kiosk_bitmap_count_black (qr, quiet, quiet, 7 * module, module), ==, 7 * module * module);
}

static void
test_too_long (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strnfill (400, 'x');
  g_autoptr (KioskBitmap) qr = kiosk_qr_render (text, 192, &error);

  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_null (qr);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/qr/ticket-url", test_ticket_url);
  g_test_add_func ("/kiosk/qr/public-url", test_public_url);
  g_test_add_func ("/kiosk/qr/longest-url-fits", test_longest_url_fits);
  g_test_add_func ("/kiosk/qr/fit-module", test_fit_module);
  g_test_add_func ("/kiosk/qr/quiet-zone", test_quiet_zone);
  g_test_add_func ("/kiosk/qr/too-long", test_too_long);
  return g_test_run ();
}
