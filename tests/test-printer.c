/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-printer"

/* KioskPrinter against a fake ESC/POS printer on a pseudo-terminal and on
 * loopback TCP. The fake parses what it receives command by command (so raster
 * data that happens to contain 10 04 is not taken for DLE EOT) and answers
 * DLE EOT from a script. */

#include <errno.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <string.h>
#include <unistd.h>

#include "kiosk-error.h"
#include "kiosk-printer.h"
#include "kiosk-test-util.h"

typedef enum
{
  SCRIPT_OK,
  SCRIPT_NEAR_END,
  SCRIPT_COVER_OPEN,
  SCRIPT_PAPER_OUT_MID_JOB, /* ready, then out of paper after the first band */
  SCRIPT_SILENT,            /* takes everything, answers nothing */
  SCRIPT_DISCONNECT,        /* hangs up after the first band */
  SCRIPT_STALL,             /* answers status, then stops reading */
} Script;

typedef struct
{
  Script script;     /* first connection */
  Script later;      /* connections after the first (TCP) */
  int fd;            /* pty master; -1 for TCP */
  GSocket *listener; /* TCP */
  GThread *thread;
  gint stop; /* atomic */
  GMutex lock;
  /* Under lock */
  GByteArray *printed; /* ESC @, GS v 0 … as received, status requests left out */
  guint connections;
  guint status_requests;
  guint cuts;
} Fake;

static const guint8 *
status_replies (Script script, gboolean paper_out)
{
  static const guint8 ok[4] = { 0x12, 0x12, 0x12, 0x12 };
  static const guint8 near_end[4] = { 0x12, 0x12, 0x12, 0x1e };
  static const guint8 cover[4] = { 0x1a, 0x16, 0x12, 0x12 };
  static const guint8 out[4] = { 0x1a, 0x32, 0x12, 0x72 };

  if (paper_out)
    return out;
  if (script == SCRIPT_COVER_OPEN)
    return cover;
  if (script == SCRIPT_NEAR_END)
    return near_end;
  return ok;
}

/* Serves one connection until it ends, the script hangs up, or stop. */
static void
fake_serve (Fake *fake, int fd, Script script)
{
  g_autoptr (GByteArray) in = g_byte_array_new ();
  gboolean paper_out = FALSE, stalled = FALSE;
  guint bands = 0;

  while (!g_atomic_int_get (&fake->stop))
    {
      struct pollfd p = { .fd = fd, .events = POLLIN };
      guint8 buf[4096];
      gssize n;
      gsize used = 0;

      if (stalled)
        {
          g_usleep (10000);
          continue;
        }
      if (poll (&p, 1, 20) <= 0)
        continue;
      n = read (fd, buf, sizeof buf);
      if (n < 0 && (errno == EAGAIN || errno == EINTR))
        continue;
      if (n <= 0)
        return; /* the driver closed its end */
      g_byte_array_append (in, buf, n);

      /* Whole commands only; a partial one waits for more bytes. */
      while (used < in->len)
        {
          const guint8 *c = in->data + used;
          gsize left = in->len - used, size = 0;

          if (left >= 2 && c[0] == 0x1b && c[1] == '@')
            size = 2;
          else if (left >= 3 && c[0] == 0x1b && c[1] == 'd')
            size = 3;
          else if (left >= 3 && c[0] == 0x1d && c[1] == 'V')
            size = 3;
          else if (left >= 8 && c[0] == 0x1d && c[1] == 'v' && c[2] == '0')
            {
              size = 8 + (gsize)(c[4] | c[5] << 8) * (c[6] | c[7] << 8);
              if (script == SCRIPT_STALL)
                {
                  stalled = TRUE;
                  break;
                }
              if (left < size)
                {
                  size = 0;
                  break;
                }
            }
          else if (left >= 3 && c[0] == 0x10 && c[1] == 0x04)
            {
              guint8 reply = status_replies (script, paper_out)[CLAMP (c[2], 1, 4) - 1];

              g_mutex_lock (&fake->lock);
              fake->status_requests++;
              g_mutex_unlock (&fake->lock);
              if (script != SCRIPT_SILENT && write (fd, &reply, 1) != 1)
                return;
              used += 3;
              continue;
            }
          else if (left < 8)
            break;
          else
            g_error ("fake printer: unknown command 0x%02x 0x%02x", c[0], c[1]);

          if (size == 0)
            break;
          g_mutex_lock (&fake->lock);
          g_byte_array_append (fake->printed, c, size);
          if (c[0] == 0x1d && c[1] == 'V')
            fake->cuts++;
          g_mutex_unlock (&fake->lock);
          used += size;
          if (c[0] == 0x1d && c[1] == 'v' && ++bands == 1)
            {
              if (script == SCRIPT_PAPER_OUT_MID_JOB)
                paper_out = TRUE;
              if (script == SCRIPT_DISCONNECT)
                return;
            }
        }
      g_byte_array_remove_range (in, 0, used);
    }
}

static gpointer
fake_pty_thread (gpointer data)
{
  Fake *fake = data;

  fake_serve (fake, fake->fd, fake->script);
  /* Hanging up: the driver's next read or write fails. */
  g_close (fake->fd, NULL);
  fake->fd = -1;
  return NULL;
}

static gpointer
fake_tcp_thread (gpointer data)
{
  Fake *fake = data;

  while (!g_atomic_int_get (&fake->stop))
    {
      g_autoptr (GSocket) conn = NULL;
      Script script;

      if (!g_socket_condition_timed_wait (fake->listener, G_IO_IN, 20000, NULL, NULL))
        continue;
      conn = g_socket_accept (fake->listener, NULL, NULL);
      if (conn == NULL)
        continue;
      g_mutex_lock (&fake->lock);
      script = fake->connections++ == 0 ? fake->script : fake->later;
      g_mutex_unlock (&fake->lock);
      fake_serve (fake, g_socket_get_fd (conn), script);
      g_socket_close (conn, NULL);
    }
  return NULL;
}

static void
fake_init (Fake *fake, Script script)
{
  fake->script = script;
  fake->later = SCRIPT_OK;
  fake->fd = -1;
  fake->printed = g_byte_array_new ();
  g_mutex_init (&fake->lock);
}

/* A pty whose slave path the driver opens; returns that path. */
static char *
fake_start_pty (Fake *fake, Script script, int *slave_out)
{
  int master, slave;
  struct termios tio;

  fake_init (fake, script);
  g_assert_cmpint (openpty (&master, &slave, NULL, NULL, NULL), ==, 0);
  /* Raw from the start: a USB device file has no line discipline either. */
  g_assert_cmpint (tcgetattr (slave, &tio), ==, 0);
  cfmakeraw (&tio);
  g_assert_cmpint (tcsetattr (slave, TCSANOW, &tio), ==, 0);
  fake->fd = master;
  *slave_out = slave; /* kept open so the master never sees a hang-up between jobs */
  fake->thread = g_thread_new ("fake-pty", fake_pty_thread, fake);
  return g_strdup (ttyname (slave));
}

static guint16
fake_start_tcp (Fake *fake, Script script, Script later)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  fake_init (fake, script);
  fake->later = later;
  fake->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (fake->listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (fake->listener, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (fake->listener, &error);
  g_assert_no_error (error);
  fake->thread = g_thread_new ("fake-tcp", fake_tcp_thread, fake);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static void
fake_stop (Fake *fake)
{
  g_atomic_int_set (&fake->stop, 1);
  g_clear_pointer (&fake->thread, g_thread_join);
  if (fake->fd >= 0)
    g_close (fake->fd, NULL);
  g_clear_object (&fake->listener);
  g_clear_pointer (&fake->printed, g_byte_array_unref);
  g_mutex_clear (&fake->lock);
}

typedef struct
{
  Fake fake;
  int slave;
  char *tmpdir;
  KioskBitmap *slip;
  KioskPrinter *printer;
} Fixture;

/* 576 x 300 dots: three bands of 128 rows, so a job has points between bands. */
static KioskBitmap *
make_slip (void)
{
  g_autoptr (GError) error = NULL;
  KioskBitmap *bmp = kiosk_bitmap_new (576, 300, &error);

  g_assert_no_error (error);
  for (int y = 0; y < bmp->height; y++)
    for (int x = 0; x < bmp->width; x++)
      kiosk_bitmap_set (bmp, x, y, (x / 8 + y / 8) % 3 == 0);
  /* Bytes 10 04 01 inside the raster: the fake must not take them for DLE EOT. */
  bmp->bits[5 * bmp->stride + 0] = 0x10;
  bmp->bits[5 * bmp->stride + 1] = 0x04;
  bmp->bits[5 * bmp->stride + 2] = 0x01;
  return bmp;
}

static void
fixture_setup (Fixture *f, gconstpointer unused)
{
  f->slave = -1;
  f->tmpdir = kiosk_test_make_tmpdir ("printer");
  f->slip = make_slip ();
}

/* Like g_assert_finalize_object(), but allows the job thread a moment: a
 * GTask's worker drops its reference to the source object just after the
 * callback has run in the main thread. */
static void
assert_finalized_soon (gpointer object)
{
  gpointer weak = object;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);
  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (weak);
}

static void
fixture_teardown (Fixture *f, gconstpointer unused)
{
  if (f->printer != NULL)
    assert_finalized_soon (g_steal_pointer (&f->printer));
  if (f->fake.printed != NULL)
    fake_stop (&f->fake);
  if (f->slave >= 0)
    g_close (f->slave, NULL);
  kiosk_bitmap_free (f->slip);
  kiosk_test_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

static void
got_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* Prints and waits in the main loop, as the kiosk's UI would. */
static gboolean
print_and_wait (KioskPrinter *printer, const KioskBitmap *slip, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  kiosk_printer_print_async (printer, slip, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kiosk_printer_print_finish (printer, result, error);
}

/* What the fake printed, as an image; NULL if it printed nothing. */
static KioskBitmap *
fake_printed (Fake *fake)
{
  g_autoptr (GError) error = NULL;
  KioskBitmap *bmp;

  g_mutex_lock (&fake->lock);
  bmp = fake->printed->len > 0 ? kiosk_escpos_decode_raster (fake->printed->data, fake->printed->len, &error)
                               : NULL;
  g_mutex_unlock (&fake->lock);
  g_assert_no_error (error);
  return bmp;
}

/* The job is done when the driver has written its last byte; the fake may
 * still be reading it. */
static guint
fake_wait_cuts (Fake *fake, guint cuts)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint seen;

  for (;;)
    {
      g_mutex_lock (&fake->lock);
      seen = fake->cuts;
      g_mutex_unlock (&fake->lock);
      if (seen >= cuts || g_get_monotonic_time () > deadline)
        return seen;
      g_usleep (1000);
    }
}

static void
setup_pty_printer (Fixture *f, Script script)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = fake_start_pty (&f->fake, script, &f->slave);

  f->printer = kiosk_printer_new_serial (path, 115200, KIOSK_PRINTER_FLOW_RTSCTS, &error);
  g_assert_no_error (error);
  kiosk_printer_set_timeout (f->printer, 300);
}

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

static void
test_folder (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (f->tmpdir, "slips", NULL);
  g_autofree char *bin = g_build_filename (dir, "0002.bin", NULL);
  g_autofree char *png1 = g_build_filename (dir, "0001.png", NULL);
  g_autofree char *png3 = g_build_filename (dir, "0003.png", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *spec = g_strconcat ("folder:", dir, NULL);
  g_autoptr (KioskBitmap) back = NULL;
  gsize len;

  f->printer = kiosk_printer_new_folder (dir);
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (png1, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_get_contents (bin, &contents, &len, &error));
  back = kiosk_escpos_decode_raster ((const guint8 *)contents, len, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_bitmap_equal (back, f->slip));

  /* A new printer on the same folder (a restart) goes on numbering. */
  assert_finalized_soon (g_steal_pointer (&f->printer));
  f->printer = kiosk_printer_new_from_spec (spec, &error);
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  g_assert_true (g_file_test (png3, G_FILE_TEST_IS_REGULAR));
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==, KIOSK_PRINTER_STATUS_READY);
}

/* A folder printer left running (demo mode, a kiosk without a printer) keeps
 * the newest slips only, so the disk does not fill a slip at a time. */
static void
test_folder_keep (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (f->tmpdir, "slips", NULL);

  f->printer = kiosk_printer_new_folder (dir);
  kiosk_printer_set_folder_keep (f->printer, 2);
  for (guint i = 1; i <= 4; i++)
    {
      g_assert_true (print_and_wait (f->printer, f->slip, &error));
      g_assert_no_error (error);
    }
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *png = g_strdup_printf ("%s/%04u.png", dir, i);
      g_autofree char *bin = g_strdup_printf ("%s/%04u.bin", dir, i);

      g_assert_cmpint (g_file_test (png, G_FILE_TEST_EXISTS), ==, i > 2);
      g_assert_cmpint (g_file_test (bin, G_FILE_TEST_EXISTS), ==, i > 2);
    }

  /* 0 keeps every slip. */
  kiosk_printer_set_folder_keep (f->printer, 0);
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  for (guint i = 3; i <= 5; i++)
    {
      g_autofree char *png = g_strdup_printf ("%s/%04u.png", dir, i);

      g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
    }
}

static void
test_folder_unwritable (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;

  f->printer = kiosk_printer_new_folder ("/proc/linli-kiosk-slips");
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
  g_assert_true (kiosk_printer_get_status (f->printer) & KIOSK_PRINTER_STATUS_ERROR);
}

static void
test_spec (void)
{
  const struct
  {
    const char *spec;
    int transport; /* -1: refused */
  } cases[] = {
    { "usb:/dev/usb/lp0", KIOSK_PRINTER_TRANSPORT_USB },
    { "serial:/dev/ttyUSB0", KIOSK_PRINTER_TRANSPORT_SERIAL },
    { "serial:/dev/ttyS0,baud=19200,flow=xonxoff", KIOSK_PRINTER_TRANSPORT_SERIAL },
    { "serial:/dev/ttyS0,baud=115200,flow=rtscts", KIOSK_PRINTER_TRANSPORT_SERIAL },
    { "tcp:192.168.1.50", KIOSK_PRINTER_TRANSPORT_TCP },
    { "tcp:printer.local:9100", KIOSK_PRINTER_TRANSPORT_TCP },
    { "tcp:[::1]:9101", KIOSK_PRINTER_TRANSPORT_TCP },
    { "folder:/var/lib/linli-kiosk/slips", KIOSK_PRINTER_TRANSPORT_FOLDER },
    { "serial:/dev/ttyS0,baud=1234", -1 },
    { "serial:/dev/ttyS0,baud=fast", -1 },
    { "serial:/dev/ttyS0,flow=magic", -1 },
    { "serial:ttyS0", -1 },
    { "usb:lp0", -1 },
    { "lpt:/dev/lp0", -1 },
    { "", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskPrinter) printer = kiosk_printer_new_from_spec (cases[i].spec, &error);

      g_test_message ("case %s", cases[i].spec);
      if (cases[i].transport < 0)
        {
          g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
          g_assert_null (printer);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpint (kiosk_printer_get_transport (printer), ==, cases[i].transport);
        }
    }
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
  ADD ("/kiosk/printer/folder/files", test_folder);
  ADD ("/kiosk/printer/folder/keep", test_folder_keep);
  ADD ("/kiosk/printer/folder/unwritable", test_folder_unwritable);
#undef ADD
  g_test_add_func ("/kiosk/printer/spec", test_spec);
  return g_test_run ();
}
