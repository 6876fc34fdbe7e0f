/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-fake"

/* A hub that misbehaves: a TLS server on loopback (GThreadedSocketService)
 * that answers garbage, 500, nothing at all, or names records it was not
 * sent. The kiosk must back off and keep every record. */

#include "hub-harness.h"
#include "kiosk-store.h"
#include "kiosk-sync.h"
#include "kiosk-test-util.h"

typedef enum
{
  FAKE_GARBAGE,
  FAKE_ERROR_500,
  FAKE_SILENT,
  FAKE_WRONG_IDS,
} FakeMode;

typedef struct
{
  FakeMode mode;
  const char *expected_error;
  guint max_requests; /* in the observation window, with backoff */
} FakeCase;

static const FakeCase cases[] = {
  { FAKE_GARBAGE, "Hub reply is not JSON", 40 },
  { FAKE_ERROR_500, "Hub answered 500", 40 },
  { FAKE_SILENT, "Hub did not answer", 8 },
  { FAKE_WRONG_IDS, "Hub confirmed none", 40 },
};

static HubHarness *certs;

typedef struct
{
  const FakeCase *fake;
  GTlsCertificate *server_cert;
  GSocketService *service;
  guint port;
  gint requests;
  char *dir;
  char *db_path;
  KioskClock *clock;
  KioskStore *store;
  char *client_cert;
  char *client_key;
} Fixture;

static char *
read_request (GDataInputStream *in, GInputStream *raw)
{
  g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  gsize length = 0;

  if (line == NULL)
    return NULL;
  for (;;)
    {
      g_autofree char *header = g_data_input_stream_read_line (in, NULL, NULL, NULL);
      if (header == NULL)
        return NULL;
      g_strchomp (header);
      if (*header == '\0')
        break;
      if (g_ascii_strncasecmp (header, "Content-Length:", 15) == 0)
        length = g_ascii_strtoull (header + 15, NULL, 10);
    }
  if (length > 0)
    {
      g_autofree char *body = g_malloc (length);
      if (!g_input_stream_read_all (G_INPUT_STREAM (in), body, length, NULL, NULL, NULL))
        return NULL;
    }
  return g_steal_pointer (&line);
}

static gboolean
on_run (GThreadedSocketService *service, GSocketConnection *connection, GObject *source, gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr (GIOStream) tls = g_tls_server_connection_new (G_IO_STREAM (connection), f->server_cert, NULL);
  g_autoptr (GDataInputStream) in = NULL;
  GOutputStream *out;

  if (tls == NULL || !g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, NULL))
    return TRUE;
  in = g_data_input_stream_new (g_io_stream_get_input_stream (tls));
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (in), FALSE);
  out = g_io_stream_get_output_stream (tls);

  for (;;)
    {
      g_autofree char *request = read_request (in, g_io_stream_get_input_stream (tls));
      const char *status_line = "200 OK", *body = "";
      g_autofree char *reply = NULL;
      char buf[256];

      if (request == NULL)
        break;
      g_atomic_int_inc (&f->requests);
      switch (f->fake->mode)
        {
          case FAKE_GARBAGE:
            body = "{\"accep\x01";
            break;
          case FAKE_ERROR_500:
            status_line = "500 Internal Server Error";
            break;
          case FAKE_WRONG_IDS:
            body = "{\"accepted\":[\"00000000-0000-4000-8000-000000000000\"]}";
            break;
          case FAKE_SILENT:
            /* Read until the kiosk gives up and hangs up. */
            while (g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf, NULL, NULL) > 0)
              ;
            return TRUE;
        }
      reply
          = g_strdup_printf ("HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                             status_line, strlen (body), body);
      if (!g_output_stream_write_all (out, reply, strlen (reply), NULL, NULL, NULL))
        break;
    }
  return TRUE;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  f->fake = data;
  f->server_cert = g_tls_certificate_new_from_files (certs->server_cert, certs->server_key, &error);
  g_assert_no_error (error);
  f->service = g_threaded_socket_service_new (4);
  g_socket_listener_add_address (G_SOCKET_LISTENER (f->service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  f->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_signal_connect (f->service, "run", G_CALLBACK (on_run), f);
  g_socket_service_start (f->service);

  f->dir = hub_harness_mkdir (certs, "kiosk");
  f->db_path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_system (NULL);
  f->store = kiosk_store_open (f->db_path, f->clock, &error);
  g_assert_no_error (error);
  hub_harness_make_cert (certs, certs->ca_cert, certs->ca_key, "fake-kiosk", FALSE, &f->client_cert,
                         &f->client_key);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_socket_service_stop (f->service);
  g_socket_listener_close (G_SOCKET_LISTENER (f->service));
  g_clear_object (&f->service);
  g_clear_object (&f->server_cert);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->clock);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->client_cert);
  g_free (f->client_key);
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_backs_off_keeps_data (Fixture *f, gconstpointer data)
{
  g_auto (KioskSyncConfig) config = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean done = FALSE;
  KioskSync *sync;
  guint requests;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_assert_true (kiosk_store_outbox_add (f->store, uuid, "entry", "{\"card\":\"x\"}", &error));
    }

  kiosk_sync_config_init (&config);
  config.hub_url = g_strdup_printf ("https://127.0.0.1:%u", f->port);
  config.ca_file = g_strdup (certs->ca_cert);
  config.cert_file = g_strdup (f->client_cert);
  config.key_file = g_strdup (f->client_key);
  /* Long enough for a TLS handshake with the sanitizers on. */
  config.total_timeout_ms = 2000;
  config.backoff_min_ms = 50;
  config.backoff_max_ms = 400;
  config.heartbeat_interval_ms = 0;
  sync = kiosk_sync_new (f->db_path, f->clock, &config);
  kiosk_sync_start (sync);

  /* The window opens at the first request: starting the worker (TLS
   * set-up) takes longer under the sanitizers than the window itself. */
  {
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    while (g_atomic_int_get (&f->requests) == 0 && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (1000);
      }
  }
  g_timeout_add (6000, on_deadline, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  kiosk_sync_stop (sync);

  requests = (guint)g_atomic_int_get (&f->requests);
  g_test_message ("%u requests in 6 s; last-error: %s", requests, kiosk_sync_get_last_error (sync));
  /* It kept trying, but backed off (a loop without backoff makes hundreds). */
  g_assert_cmpuint (requests, >=, 2);
  g_assert_cmpuint (requests, <=, f->fake->max_requests);
  g_assert_nonnull (strstr (kiosk_sync_get_last_error (sync), f->fake->expected_error));
  /* Every record is still there, unsent. */
  g_assert_cmpint (kiosk_store_outbox_pending (f->store), ==, 20);
  g_assert_cmpint (kiosk_sync_get_pending (sync), ==, 20);
  g_assert_cmpint (kiosk_sync_get_last_success (sync), ==, 0);
  g_assert_finalize_object (sync);
}

int
main (int argc, char **argv)
{
  static const char *const names[] = { "garbage", "error-500", "silent", "wrong-ids" };
  g_autofree char *why = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  certs = hub_harness_new_certs_only (&why);
  if (certs == NULL)
    {
      g_print ("1..0 # SKIP %s\n", why);
      return 77;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hub/fake/%s-backs-off-keeps-data", names[i]);
      g_test_add (path, Fixture, &cases[i], fixture_setup, test_backs_off_keeps_data, fixture_teardown);
    }
  status = g_test_run ();
  hub_harness_free (certs);
  return status;
}
