/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-printer"

/* The fake ESC/POS printer and the fixture of the KioskPrinter tests
 * (printer-test-fake.h). */

#include <errno.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <string.h>
#include <unistd.h>

#include "kiosk-test-util.h"
#include "printer-test-fake.h"

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
char *
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

guint16
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

void
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

void
fixture_setup (Fixture *f, gconstpointer unused)
{
  f->slave = -1;
  f->tmpdir = kiosk_test_make_tmpdir ("printer");
  f->slip = make_slip ();
}

/* Like g_assert_finalize_object(), but allows the job thread a moment: a
 * GTask's worker drops its reference to the source object just after the
 * callback has run in the main thread. */
void
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

void
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
gboolean
print_and_wait (KioskPrinter *printer, const KioskBitmap *slip, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  kiosk_printer_print_async (printer, slip, NULL, got_result, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kiosk_printer_print_finish (printer, result, error);
}

/* What the fake printed, as an image; NULL if it printed nothing. */
KioskBitmap *
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
guint
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

void
setup_pty_printer (Fixture *f, Script script)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = fake_start_pty (&f->fake, script, &f->slave);

  f->printer = kiosk_printer_new_serial (path, 115200, KIOSK_PRINTER_FLOW_RTSCTS, &error);
  g_assert_no_error (error);
  kiosk_printer_set_timeout (f->printer, 300);
}
