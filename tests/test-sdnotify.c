/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sdnotify"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>

#include "kiosk-sdnotify.h"
#include "kiosk-test-util.h"

typedef struct
{
  char *dir;
  GSocket *socket;
  GMainLoop *loop;
  GArray *pings; /* gint64 monotonic µs of each WATCHDOG=1 */
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GSocketAddress) address = NULL;

  f->dir = kiosk_test_make_tmpdir ("notify");
  path = g_build_filename (f->dir, "notify.sock", NULL);
  f->socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_DEFAULT, &error);
  g_assert_no_error (error);
  address = g_unix_socket_address_new (path);
  g_assert_true (g_socket_bind (f->socket, address, TRUE, &error));
  g_socket_set_blocking (f->socket, FALSE);
  g_setenv ("NOTIFY_SOCKET", path, TRUE);
  f->loop = g_main_loop_new (NULL, FALSE);
  f->pings = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_unsetenv ("NOTIFY_SOCKET");
  g_unsetenv ("WATCHDOG_USEC");
  g_unsetenv ("WATCHDOG_PID");
  g_clear_object (&f->socket);
  g_main_loop_unref (f->loop);
  g_array_unref (f->pings);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
receive (Fixture *f)
{
  char buffer[256];
  gssize n = g_socket_receive (f->socket, buffer, sizeof buffer - 1, NULL, NULL);

  return n > 0 ? g_strndup (buffer, n) : NULL;
}

static void
test_ready (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *got = NULL;

  g_assert_true (kiosk_sdnotify ("READY=1\nSTATUS=主页 / Home", &error));
  g_assert_no_error (error);
  got = receive (f);
  g_assert_cmpstr (got, ==, "READY=1\nSTATUS=主页 / Home");
}

static void
test_not_under_systemd (Fixture *f, gconstpointer data)
{
  g_unsetenv ("NOTIFY_SOCKET");
  g_assert_true (kiosk_sdnotify ("READY=1", NULL));
  g_setenv ("WATCHDOG_USEC", "not-a-number", TRUE);
  g_assert_cmpuint (kiosk_sdnotify_watchdog_interval_us (), ==, 0);
  g_setenv ("WATCHDOG_USEC", "2000000", TRUE);
  g_setenv ("WATCHDOG_PID", "1", TRUE); /* meant for another process */
  g_assert_cmpuint (kiosk_sdnotify_watchdog_interval_us (), ==, 0);
  g_unsetenv ("WATCHDOG_PID");
  g_assert_cmpuint (kiosk_sdnotify_watchdog_interval_us (), ==, 1000000);
}

/* Receives on its own thread: the main loop is the thing under test, so it
 * cannot be the one that notices the silence. */
static gpointer
collect (gpointer user_data)
{
  Fixture *f = user_data;

  g_socket_set_blocking (f->socket, TRUE);
  g_socket_set_timeout (f->socket, 1);
  for (;;)
    {
      g_autofree char *got = receive (f);
      gint64 now = g_get_monotonic_time ();

      if (got == NULL || g_str_equal (got, "STOP"))
        break;
      if (g_str_equal (got, "WATCHDOG=1"))
        g_array_append_val (f->pings, now);
    }
  return NULL;
}

static gint64 hang_start, hang_end;

static gboolean
hang (gpointer user_data)
{
  /* What a stuck UI thread looks like to the watchdog. */
  hang_start = g_get_monotonic_time ();
  g_usleep (600 * 1000);
  hang_end = g_get_monotonic_time ();
  return G_SOURCE_REMOVE;
}

static gboolean
quit (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_hung_loop_stops_pings (Fixture *f, gconstpointer data)
{
  GThread *thread = g_thread_new ("collect", collect, f);
  guint before = 0, during = 0, after = 0;
  guint id;

  /* WATCHDOG_USEC of 40 ms: a ping every 20 ms. */
  g_setenv ("WATCHDOG_USEC", "40000", TRUE);
  id = kiosk_sdnotify_start_watchdog ();
  g_assert_cmpuint (id, !=, 0);

  g_timeout_add (150, hang, NULL);
  g_timeout_add (1000, quit, f->loop);
  g_main_loop_run (f->loop);
  g_source_remove (id);
  g_assert_true (kiosk_sdnotify ("STOP", NULL));
  g_thread_join (thread);

  /* Pings came before and after the hang, and none while it lasted, so
   * systemd would have seen the silence. A ping sent just before the hang may
   * be received late on a loaded machine, so only the hang's second half
   * counts; a pinger not tied to the main loop would send ~15 pings there. */
  g_assert_cmpint (hang_end - hang_start, >=, 600 * 1000);
  for (guint i = 0; i < f->pings->len; i++)
    {
      gint64 t = g_array_index (f->pings, gint64, i);
      if (t < hang_start)
        before++;
      else if (t > hang_end)
        after++;
      else if (t > hang_start + 300 * 1000)
        during++;
    }
  g_assert_cmpuint (before, >=, 1);
  g_assert_cmpuint (during, ==, 0);
  g_assert_cmpuint (after, >=, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/sdnotify/ready", test_ready);
  ADD ("/kiosk/sdnotify/not-under-systemd", test_not_under_systemd);
  ADD ("/kiosk/sdnotify/hung-loop-stops-pings", test_hung_loop_stops_pings);
#undef ADD
  return g_test_run ();
}
