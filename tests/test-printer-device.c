/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-printer"

/* KioskPrinter's device transports against the fake ESC/POS printer
 * (printer-test-fake.h): serial on a pseudo-terminal, a USB device file, and
 * TCP on loopback; the printer's answers (cover open, paper out, silence,
 * hang-up, stall), status polling and the report to the store. */

#include <string.h>

#include "kiosk-error.h"
#include "kiosk-printer.h"
#include "printer-test-fake.h"

static void
test_pty_ok (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) printed = NULL;

  setup_pty_printer (f, SCRIPT_OK);
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==, KIOSK_PRINTER_STATUS_UNKNOWN);
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  g_assert_no_error (error);
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==, KIOSK_PRINTER_STATUS_READY);
  g_assert_null (kiosk_printer_get_last_error (f->printer));
  g_assert_cmpuint (fake_wait_cuts (&f->fake, 1), ==, 1);
  printed = fake_printed (&f->fake);
  g_assert_true (kiosk_bitmap_equal (printed, f->slip));
  /* Before the job and between its 3 bands and the cut: 4 rounds of 4 requests. */
  g_assert_cmpuint (f->fake.status_requests, ==, 16);
}

static void
test_pty_cover_open (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;

  setup_pty_printer (f, SCRIPT_COVER_OPEN);
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
  g_assert_nonnull (strstr (error->message, "打印机盖打开 / Cover open"));
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==,
                   KIOSK_PRINTER_STATUS_COVER_OPEN | KIOSK_PRINTER_STATUS_OFFLINE);
  g_assert_cmpstr (kiosk_printer_get_last_error (f->printer), ==, error->message);
  /* Nothing was sent, and the slip is still there to reprint. */
  g_assert_cmpuint (f->fake.printed->len, ==, 0);
  g_assert_true (kiosk_bitmap_equal (kiosk_printer_get_last_slip (f->printer), f->slip));
}

static void
test_pty_paper_out_mid_job (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) printed = NULL;

  setup_pty_printer (f, SCRIPT_PAPER_OUT_MID_JOB);
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
  g_assert_nonnull (strstr (error->message, "打印中断"));
  g_assert_nonnull (strstr (error->message, "纸张用完 / Paper out"));
  g_assert_true (kiosk_printer_get_status (f->printer) & KIOSK_PRINTER_STATUS_PAPER_OUT);
  /* It stopped after the first band: no more raster, no cut. */
  printed = fake_printed (&f->fake);
  g_assert_cmpint (printed->height, ==, 128);
  g_assert_cmpuint (f->fake.cuts, ==, 0);
  g_assert_nonnull (kiosk_printer_get_last_slip (f->printer));
}

static void
test_pty_silent (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();

  setup_pty_printer (f, SCRIPT_SILENT);
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "打印机无应答 / Printer did not answer"));
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==, KIOSK_PRINTER_STATUS_UNKNOWN);
  /* One timeout, not one per request. */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (f->fake.printed->len, ==, 0);
}

static void
test_pty_disconnect (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) again = NULL;

  setup_pty_printer (f, SCRIPT_DISCONNECT);
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
  g_assert_nonnull (strstr (error->message, "打印机连接断开 / Printer disconnected"));
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==, KIOSK_PRINTER_STATUS_UNKNOWN);
  /* The next job tries again and fails just as clearly (the pty is gone). */
  g_assert_false (print_and_wait (f->printer, f->slip, &again));
  g_assert_nonnull (again);
  g_assert_true (again->domain == KIOSK_ERROR);
}

static void
test_pty_stall (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBitmap) big = NULL;

  /* Bigger than the pty's buffer, so the writer must wait on the fake. */
  big = kiosk_bitmap_new (576, 2000, &error);
  g_assert_no_error (error);
  setup_pty_printer (f, SCRIPT_STALL);
  /* With status asked, the stalled printer fails to answer between bands. */
  g_assert_false (print_and_wait (f->printer, big, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "status in 300 ms"));
  g_clear_error (&error);

  /* Printing blind (a one-way USB printer), the write itself times out. */
  kiosk_printer_set_query_status (f->printer, FALSE);
  g_assert_false (print_and_wait (f->printer, big, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "write in 300 ms"));
}

static void
test_usb_device_file (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = fake_start_pty (&f->fake, SCRIPT_NEAR_END, &f->slave);
  g_autoptr (KioskBitmap) printed = NULL;

  /* /dev/usb/lp0 is a plain device file: the same code without termios. */
  f->printer = kiosk_printer_new_usb (path);
  kiosk_printer_set_timeout (f->printer, 300);
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fake_wait_cuts (&f->fake, 1), ==, 1);
  /* Paper low is a warning, not a refusal. */
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==, KIOSK_PRINTER_STATUS_PAPER_NEAR_END);
  printed = fake_printed (&f->fake);
  g_assert_true (kiosk_bitmap_equal (printed, f->slip));
}

static void
test_open_fails (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;

  f->printer = kiosk_printer_new_usb ("/nonexistent/usb/lp0");
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
  g_assert_nonnull (strstr (error->message, "无法打开打印机"));
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==, KIOSK_PRINTER_STATUS_UNKNOWN);
}

static void
test_tcp_ok (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  guint16 port = fake_start_tcp (&f->fake, SCRIPT_OK, SCRIPT_OK);
  g_autoptr (KioskBitmap) printed = NULL;
  g_autofree char *spec = g_strdup_printf ("tcp:127.0.0.1:%u", port);

  f->printer = kiosk_printer_new_from_spec (spec, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_printer_get_transport (f->printer), ==, KIOSK_PRINTER_TRANSPORT_TCP);
  kiosk_printer_set_timeout (f->printer, 1000);
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  g_assert_no_error (error);
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fake_wait_cuts (&f->fake, 2), ==, 2);
  printed = fake_printed (&f->fake);
  /* Two slips on one connection. */
  g_assert_cmpint (printed->height, ==, 2 * f->slip->height);
  g_assert_cmpuint (f->fake.connections, ==, 1);
}

static void
test_tcp_disconnect_reconnect (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  guint16 port = fake_start_tcp (&f->fake, SCRIPT_DISCONNECT, SCRIPT_OK);
  g_autoptr (KioskBitmap) printed = NULL;

  f->printer = kiosk_printer_new_tcp ("127.0.0.1", port);
  kiosk_printer_set_timeout (f->printer, 1000);
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
  g_assert_nonnull (strstr (error->message, "打印机连接断开 / Printer disconnected"));
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==, KIOSK_PRINTER_STATUS_UNKNOWN);
  g_clear_error (&error);

  /* The reprint (the staff panel's button) connects again and succeeds. */
  g_mutex_lock (&f->fake.lock);
  g_byte_array_set_size (f->fake.printed, 0);
  g_mutex_unlock (&f->fake.lock);
  g_assert_true (print_and_wait (f->printer, kiosk_printer_get_last_slip (f->printer), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->fake.connections, ==, 2);
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==, KIOSK_PRINTER_STATUS_READY);
  g_assert_null (kiosk_printer_get_last_error (f->printer));
  g_assert_cmpuint (fake_wait_cuts (&f->fake, 1), ==, 1);
  printed = fake_printed (&f->fake);
  g_assert_true (kiosk_bitmap_equal (printed, f->slip));
}

static void
test_tcp_silent (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  guint16 port = fake_start_tcp (&f->fake, SCRIPT_SILENT, SCRIPT_SILENT);

  f->printer = kiosk_printer_new_tcp ("127.0.0.1", port);
  kiosk_printer_set_timeout (f->printer, 300);
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_TIMEOUT);
}

static void
test_tcp_refused (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  guint16 port;

  /* A port that was just free: nothing listens there. */
  port = fake_start_tcp (&f->fake, SCRIPT_OK, SCRIPT_OK);
  fake_stop (&f->fake);
  f->printer = kiosk_printer_new_tcp ("127.0.0.1", port);
  kiosk_printer_set_timeout (f->printer, 1000);
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
  g_assert_nonnull (strstr (error->message, "无法连接打印机"));
}

static void
on_status (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *)user_data)++;
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_polling (Fixture *f, gconstpointer unused)
{
  guint notified = 0;
  gboolean late = FALSE;
  guint deadline;

  setup_pty_printer (f, SCRIPT_NEAR_END);
  g_signal_connect (f->printer, "notify::status", G_CALLBACK (on_status), &notified);
  g_object_set (f->printer, "poll-interval", 20, NULL);
  deadline = g_timeout_add_seconds (10, on_deadline, &late);
  while (kiosk_printer_get_status (f->printer) != KIOSK_PRINTER_STATUS_PAPER_NEAR_END && !late)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (late);
  g_source_remove (deadline);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (kiosk_printer_get_poll_interval (f->printer), ==, 20);
  /* Stop polling; the teardown waits for a poll still under way. */
  kiosk_printer_set_poll_interval (f->printer, 0);
}

static void
test_store_report (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (f->tmpdir, "kiosk.db", NULL);
  g_autoptr (KioskClock) clock = kiosk_clock_new_system (NULL);
  g_autoptr (KioskStore) store = kiosk_store_open (db, clock, &error);
  gint64 before;

  g_assert_no_error (error);
  before = kiosk_store_outbox_pending (store);
  setup_pty_printer (f, SCRIPT_COVER_OPEN);
  kiosk_printer_set_store (f->printer, store);
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
  /* Staff and the hub hear of it once, not once per attempt. */
  g_assert_cmpint (kiosk_store_outbox_pending (store), ==, before + 1);
  g_clear_error (&error);
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_cmpint (kiosk_store_outbox_pending (store), ==, before + 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/kiosk/printer/pty/ok", test_pty_ok);
  ADD ("/kiosk/printer/pty/cover-open", test_pty_cover_open);
  ADD ("/kiosk/printer/pty/paper-out-mid-job", test_pty_paper_out_mid_job);
  ADD ("/kiosk/printer/pty/no-answer", test_pty_silent);
  ADD ("/kiosk/printer/pty/disconnect", test_pty_disconnect);
  ADD ("/kiosk/printer/pty/write-stall", test_pty_stall);
  ADD ("/kiosk/printer/pty/polling", test_polling);
  ADD ("/kiosk/printer/pty/store-report", test_store_report);
  ADD ("/kiosk/printer/usb/device-file", test_usb_device_file);
  ADD ("/kiosk/printer/usb/open-fails", test_open_fails);
  ADD ("/kiosk/printer/tcp/ok", test_tcp_ok);
  ADD ("/kiosk/printer/tcp/disconnect-reconnect", test_tcp_disconnect_reconnect);
  ADD ("/kiosk/printer/tcp/no-answer", test_tcp_silent);
  ADD ("/kiosk/printer/tcp/refused", test_tcp_refused);
#undef ADD
  return g_test_run ();
}
