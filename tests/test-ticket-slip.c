/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ticket-slip"

#include <string.h>

#include "kiosk-error.h"
#include "kiosk-test-fonts.h"
#include "kiosk-test-util.h"
#include "kiosk-ticket-slip.h"

/* A ticket of the default bundle as its slip: what the resident takes away. */

typedef struct
{
  KioskBundle *bundle;
  KioskTicket ticket;
  GDateTime *issued;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = kiosk_test_asset_path ("content/default");
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GError) error = NULL;

  f->bundle = kiosk_bundle_load (dir, &error);
  g_assert_no_error (error);
  f->issued = g_date_time_new (tz, 2026, 11, 23, 10, 0, 0);
  f->ticket = (KioskTicket){
    .uuid = (char *)"3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b",
    .service_id = (char *)"residence-permit",
    .label = (char *)"A023",
    .lane = KIOSK_LANE_NORMAL,
    .issued = f->issued,
    .people_ahead = 3,
    .wait_low = 10,
    .wait_high = 20,
    .public_code = (char *)"J32XRRAJ4MKBX6TL",
  };
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_date_time_unref (f->issued);
  g_assert_finalize_object (f->bundle);
}

static void
test_qr_text (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *hub;
    const char *text; /* NULL: KIOSK_ERROR_INVALID */
  } cases[] = {
    { "https://hub.linli.test", "https://hub.linli.test/t/J32XRRAJ4MKBX6TL" },
    { "https://hub.linli.test/", "https://hub.linli.test/t/J32XRRAJ4MKBX6TL" },
    /* No public address: no QR, and nothing wrong. */
    { NULL, NULL },
    { "", NULL },
    { "ftp://hub", NULL },
    { "http://hub.linli.test", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *text = kiosk_ticket_qr_text (&f->ticket, cases[i].hub, &error);

      g_assert_cmpstr (text, ==, cases[i].text);
      if (cases[i].text == NULL && cases[i].hub != NULL && *cases[i].hub != '\0')
        g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      else
        g_assert_no_error (error);
    }
}

static void
test_fields (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskTicketSlip) slip
      = kiosk_ticket_slip_new (&f->ticket, f->bundle, "https://hub.linli.test", &error);
  g_autoptr (KioskBitmap) bitmap = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (slip->data.centre_name_zh, ==, "邻里共享社区综合服务中心");
  g_assert_cmpstr (slip->data.centre_name_en, ==, "Linli Shared Community Service Centre");
  g_assert_cmpstr (slip->data.ticket_label, ==, "A023");
  g_assert_cmpstr (slip->data.service_zh, ==, "居住证申领");
  g_assert_cmpstr (slip->data.service_en, ==, "Residence permit application");
  g_assert_cmpint (slip->data.people_ahead, ==, 3);
  g_assert_cmpstr (slip->data.wait_text, ==, "约 10–20 分钟 / about 10–20 min");
  g_assert_true (g_date_time_equal (slip->data.issued_at, f->issued));
  g_assert_cmpstr (slip->data.documents[0], ==, "居民身份证原件 / Resident ID card (original)");
  g_assert_cmpuint (g_strv_length ((GStrv)slip->data.documents), ==, 4);
  g_assert_cmpstr (slip->data.qr_url, ==, "https://hub.linli.test/t/J32XRRAJ4MKBX6TL");

  /* The slip owns what it shows: the caller's ticket may go. */
  f->ticket.label = (char *)"XXXX";
  g_assert_cmpstr (slip->data.ticket_label, ==, "A023");

  bitmap = kiosk_slip_render (&slip->data, KIOSK_SLIP_WIDTH_80MM, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bitmap->width, ==, KIOSK_SLIP_WIDTH_80MM);
}

static void
test_priority_and_unknown (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskTicketSlip) slip = NULL;

  f->ticket.lane = KIOSK_LANE_ELDERLY;
  f->ticket.wait_low = -1;
  f->ticket.wait_high = -1;
  slip = kiosk_ticket_slip_new (&f->ticket, f->bundle, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (slip->data.service_zh, ==, "居住证申领 · 老年人优先");
  g_assert_cmpstr (slip->data.service_en, ==, "Residence permit application · Senior");
  g_assert_cmpstr (slip->data.wait_text, ==, "暂无估计 / no estimate");
  g_clear_pointer (&slip, kiosk_ticket_slip_free);

  /* A service the bundle no longer has: said so, no slip. */
  f->ticket.service_id = (char *)"gone";
  slip = kiosk_ticket_slip_new (&f->ticket, f->bundle, NULL, &error);
  g_assert_null (slip);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
}

/* Without the hub's public address the slip has no QR a phone could not
 * open, and says how the turn will come instead (on paper and as text). */
static void
test_no_public_url (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskTicketSlip) slip = kiosk_ticket_slip_new (&f->ticket, f->bundle, NULL, &error);
  g_autoptr (KioskBitmap) with_qr = NULL, without = NULL;
  g_autoptr (KioskTicketSlip) slip_qr = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_null (slip->data.qr_url);
  g_assert_null (slip->qr_text);
  lines = kiosk_slip_format_text (&slip->data, 48);
  text = g_strjoinv ("\n", lines);
  g_assert_nonnull (strstr (text, "请留意大厅叫号屏和广播"));
  g_assert_null (strstr (text, "LINLI:"));

  without = kiosk_slip_render (&slip->data, KIOSK_SLIP_WIDTH_80MM, &error);
  g_assert_no_error (error);
  slip_qr = kiosk_ticket_slip_new (&f->ticket, f->bundle, "https://linli.example.cn", &error);
  g_assert_no_error (error);
  with_qr = kiosk_slip_render (&slip_qr->data, KIOSK_SLIP_WIDTH_80MM, &error);
  g_assert_no_error (error);
  /* The note takes far less paper than a QR. */
  g_assert_cmpint (without->height + 150, <, with_qr->height);

  /* A bad address is an error, not a silently different slip. */
  g_assert_null (kiosk_ticket_slip_new (&f->ticket, f->bundle, "http://linli.example.cn", &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
}

/* The slip the README shows, rendered by this code from the default content
 * (docs/screenshots/slip-zh.png), and its QR read back with zbarimg when it
 * is installed: the ticket page's address, nothing else. */
static void
test_readme_slip (Fixture *f, gconstpointer data)
{
  const char *root = g_getenv ("KIOSK_SOURCE_ROOT");
  g_autofree char *dir = NULL, *png = NULL, *zbarimg = g_find_program_in_path ("zbarimg");
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskTicketSlip) slip = NULL;
  g_autoptr (KioskBitmap) bitmap = NULL;

  if (root == NULL)
    {
      g_test_skip ("KIOSK_SOURCE_ROOT is not set (run through meson test)");
      return;
    }
  slip = kiosk_ticket_slip_new (&f->ticket, f->bundle, "https://linli.example.cn", &error);
  g_assert_no_error (error);
  bitmap = kiosk_slip_render (&slip->data, KIOSK_SLIP_WIDTH_80MM, &error);
  g_assert_no_error (error);
  dir = g_build_filename (root, "docs", "screenshots", NULL);
  png = g_build_filename (dir, "slip-zh.png", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (kiosk_bitmap_write_png (bitmap, png, &error));
  g_assert_no_error (error);

  if (zbarimg != NULL)
    {
      const char *argv[] = { zbarimg, "--quiet", "--raw", png, NULL };
      g_autofree char *out = NULL;
      int status = 0;

      g_assert_true (
          g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
      g_assert_no_error (error);
      g_assert_true (g_spawn_check_wait_status (status, NULL));
      g_assert_cmpstr (g_strstrip (out), ==, "https://linli.example.cn/t/J32XRRAJ4MKBX6TL");
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/ticket-slip/qr-text", Fixture, NULL, fixture_setup, test_qr_text, fixture_teardown);
  g_test_add ("/kiosk/ticket-slip/fields", Fixture, NULL, fixture_setup, test_fields, fixture_teardown);
  g_test_add ("/kiosk/ticket-slip/priority-and-unknown", Fixture, NULL, fixture_setup,
              test_priority_and_unknown, fixture_teardown);
  g_test_add ("/kiosk/ticket-slip/no-public-url", Fixture, NULL, fixture_setup, test_no_public_url,
              fixture_teardown);
  g_test_add ("/kiosk/ticket-slip/readme-slip", Fixture, NULL, fixture_setup, test_readme_slip,
              fixture_teardown);
  return kiosk_test_run_with_fonts ();
}
