/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hub-guard-slow"

#include <curl/curl.h>
#include <stdio.h>

#include "hub-harness.h"

/* Slow clients (slowloris) against the real linli-hub over TLS: kiosk A's
 * certificate opens many connections and sends its requests a header line at
 * a time, and other clients start TLS handshakes they never finish; meanwhile
 * kiosk B sends heartbeats and record batches. B must be answered, and every
 * slow connection must be closed by the hub's timeouts. Short timeouts from a
 * hub.conf; the figures are printed (docs/hub.md), only "answered at all" and
 * "closed at all" are asserted, with generous deadlines. */

/* A sanitizer build of the hub (CI runs one) is tens of times slower: longer
 * timeouts, a slower attack, fewer rounds. */
#if defined(__SANITIZE_ADDRESS__)
#define SLOW 4
#else
#define SLOW 1
#endif

#define HANDSHAKE_TIMEOUT_S (2 * SLOW)
#define REQUEST_TIMEOUT_S (3 * SLOW)
#define IDLE_TIMEOUT_S (5 * SLOW)
#define MAX_PER_KIOSK 4
#define MAX_HANDSHAKES 6
#define MAX_CONNECTIONS 200

/* Each slow connection closed is opened again while the attack lasts: five
 * times as many as kiosk A may hold, twice as many unfinished handshakes as
 * the hub lets wait. Kiosk A's are opened one every RAMP_MS. */
#define SLOW_TLS (5 * MAX_PER_KIOSK)
#define SLOW_RAW (2 * MAX_HANDSHAKES)
#define RAMP_MS (20 * SLOW)
#define TRICKLE_MS (400 * SLOW)
#define REOPEN_MS (500 * SLOW * SLOW)
#define SAMPLE_MS 100
/* Kiosk B's rounds (a heartbeat and a record batch each), without and with the attack. */
#define PROBES (24 / SLOW)
#define PROBE_ATTEMPTS 3

static HubHarness *harness;
static char *cert_a, *key_a, *cert_b, *key_b;

typedef enum
{
  KIND_TLS, /* kiosk A's certificate, then a request a header line at a time */
  KIND_RAW, /* a TLS record header and nothing more: a handshake never finished */
  N_KINDS,
} Kind;

static const char *const kind_names[] = { "kiosk A, slow headers", "handshake never finished" };

typedef struct Attack Attack;

typedef struct
{
  /* Borrowed */
  Attack *attack;

  /* Owned */
  GIOStream *stream;
  GCancellable *cancel;

  Kind kind;
  guint reopen_id;
  gint64 opened_us;
  gint64 established_us; /* 0 until the TLS handshake is done (KIND_TLS) */
  guint pending;         /* asynchronous operations under way */
  gboolean writing;
  gboolean closed;
  guint8 buffer[256];
} Slow;

struct Attack
{
  /* Owned */
  GTlsCertificate *certificate;
  GPtrArray *slows; /* Slow *, every one opened */
  GArray *held_ms[N_KINDS];

  guint port;
  gboolean running; /* reopen what closes */
  guint open[N_KINDS];
  guint held_max; /* most KIND_TLS connections past their handshake and open for over a second */
  guint64 opened[N_KINDS];
  guint trickle_id, sample_id, ramp_id;
  guint ramped;
};

static void slow_open (Attack *attack, Kind kind);

static void
slow_free (Slow *slow)
{
  g_clear_object (&slow->stream);
  g_clear_object (&slow->cancel);
  g_free (slow);
}

static gboolean
on_reopen (gpointer user_data)
{
  Slow *slow = user_data;

  slow->reopen_id = 0;
  if (slow->attack->running)
    slow_open (slow->attack, slow->kind);
  return G_SOURCE_REMOVE;
}

static void
slow_closed (Slow *slow)
{
  Attack *attack = slow->attack;
  double held = (double)(g_get_monotonic_time () - slow->opened_us) / 1000.0;

  if (slow->closed)
    return;
  slow->closed = TRUE;
  attack->open[slow->kind]--;
  g_array_append_val (attack->held_ms[slow->kind], held);
  g_cancellable_cancel (slow->cancel);
  if (attack->running)
    slow->reopen_id = g_timeout_add (REOPEN_MS, on_reopen, slow);
}

static void
on_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Slow *slow = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  slow->pending--;
  if (n <= 0 || slow->closed)
    {
      slow_closed (slow);
      return;
    }
  /* An answer (the hub says why it gives up) is read to the end. */
  slow->pending++;
  g_input_stream_read_async (G_INPUT_STREAM (source), slow->buffer, sizeof slow->buffer, G_PRIORITY_DEFAULT,
                             slow->cancel, on_read, slow);
}

static void
on_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Slow *slow = user_data;

  slow->pending--;
  slow->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    slow_closed (slow);
}

static void
slow_write (Slow *slow, const char *text)
{
  if (slow->closed || slow->writing)
    return;
  slow->writing = TRUE;
  slow->pending++;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (slow->stream), text, strlen (text),
                                   G_PRIORITY_DEFAULT, slow->cancel, on_written, slow);
}

/* Watches for the hub closing the connection. */
static void
slow_start_reading (Slow *slow)
{
  slow->pending++;
  g_input_stream_read_async (g_io_stream_get_input_stream (slow->stream), slow->buffer, sizeof slow->buffer,
                             G_PRIORITY_DEFAULT, slow->cancel, on_read, slow);
}

static void
on_handshake (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Slow *slow = user_data;

  slow->pending--;
  if (!g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, NULL) || slow->closed)
    {
      slow_closed (slow);
      return;
    }
  slow->established_us = g_get_monotonic_time ();
  slow_start_reading (slow);
  slow_write (slow, "POST /v1/heartbeat HTTP/1.1\r\nHost: 127.0.0.1\r\n");
}

static gboolean
accept_any (GTlsConnection *conn, GTlsCertificate *peer, GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE; /* the test's own hub on loopback */
}

/* A plain connect to loopback: immediate, and without GSocketClient's debug
 * lines for every one of hundreds of connections. */
static GSocketConnection *
connect_loopback (guint port)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16)port);
  g_autoptr (GSocket) socket
      = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);

  if (socket == NULL || !g_socket_connect (socket, address, NULL, NULL))
    return NULL;
  return g_socket_connection_factory_create_connection (socket);
}

static void
slow_open (Attack *attack, Kind kind)
{
  Slow *slow = g_new0 (Slow, 1);
  g_autoptr (GIOStream) tls = NULL;

  slow->attack = attack;
  slow->kind = kind;
  slow->cancel = g_cancellable_new ();
  slow->opened_us = g_get_monotonic_time ();
  g_ptr_array_add (attack->slows, slow);
  attack->open[kind]++;
  attack->opened[kind]++;
  slow->stream = G_IO_STREAM (connect_loopback (attack->port));
  if (slow->stream == NULL)
    {
      slow_closed (slow);
      return;
    }
  if (kind == KIND_RAW)
    {
      slow_start_reading (slow);
      /* A TLS handshake record begun, never finished. */
      slow_write (slow, "\x16\x03\x01\x02");
      return;
    }
  tls = g_tls_client_connection_new (slow->stream, NULL, NULL);
  g_assert_nonnull (tls);
  g_set_object (&slow->stream, tls);
  g_tls_connection_set_certificate (G_TLS_CONNECTION (tls), attack->certificate);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (accept_any), NULL);
  slow->pending++;
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, slow->cancel, on_handshake,
                                    slow);
}

static gboolean
on_ramp (gpointer user_data)
{
  Attack *attack = user_data;

  slow_open (attack, KIND_TLS);
  if (++attack->ramped < SLOW_TLS)
    return G_SOURCE_CONTINUE;
  attack->ramp_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
on_trickle (gpointer user_data)
{
  Attack *attack = user_data;

  for (guint i = 0; i < attack->slows->len; i++)
    {
      Slow *slow = attack->slows->pdata[i];
      if (slow->kind == KIND_TLS && slow->established_us != 0 && !slow->closed)
        slow_write (slow, "X-Slow: 1\r\n");
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sample (gpointer user_data)
{
  Attack *attack = user_data;
  gint64 now = g_get_monotonic_time ();
  guint held = 0;

  for (guint i = 0; i < attack->slows->len; i++)
    {
      Slow *slow = attack->slows->pdata[i];
      held += slow->kind == KIND_TLS && !slow->closed && slow->established_us != 0
              && now - slow->established_us > G_USEC_PER_SEC;
    }
  attack->held_max = MAX (attack->held_max, held);
  return G_SOURCE_CONTINUE;
}

/* Kiosk B, in its own thread: a heartbeat and a record batch a round. */
typedef struct
{
  GArray *latency_ms; /* double */
  guint failures;     /* not answered 200, even after PROBE_ATTEMPTS */
  guint retries;      /* connections dropped before an answer, tried again */
  char *first_failure;
  gint done;
} Probe;

static gpointer
probe_thread (gpointer user_data)
{
  Probe *p = user_data;

  for (guint i = 0; i < PROBES; i++)
    for (guint j = 0; j < 2; j++)
      {
        g_autofree char *uuid = g_uuid_string_random ();
        g_autofree char *body
            = j == 0 ? g_strdup ("{\"software_version\":\"probe\",\"uptime_s\":1}")
                     : g_strdup_printf (
                         "{\"records\":[{\"uuid\":\"%s\",\"kind\":\"status\",\"payload\":{}}]}", uuid);
        gint64 start = g_get_monotonic_time ();
        long status = 0;
        double ms;

        /* A kiosk whose connection is dropped (its handshake among those the
         * hub lets go under a flood) tries again, as kiosk-sync does. */
        for (guint attempt = 0; attempt < PROBE_ATTEMPTS && status == 0; attempt++)
          {
            g_autofree char *reply = NULL;

            status = hub_harness_request (harness, cert_b, key_b, j == 0 ? "/v1/heartbeat" : "/v1/records",
                                          body, strlen (body), &reply);
            if (status != 200 && p->first_failure == NULL)
              p->first_failure = g_strdup_printf ("%ld %s", status, reply);
            if (status == 0)
              p->retries++;
          }
        ms = (double)(g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (p->latency_ms, ms);
        if (status != 200)
          p->failures++;
      }
  g_atomic_int_set (&p->done, TRUE);
  return NULL;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The value below which @q of them fall (nearest rank). */
static double
quantile (GArray *values, double q)
{
  guint rank;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_double);
  rank = (guint)MAX (1.0, (double)values->len * q + 0.999999) - 1;
  return g_array_index (values, double, MIN (rank, values->len - 1));
}

/* Runs kiosk B's rounds, iterating the main context meanwhile. */
static void
probe_run (Probe *p)
{
  GThread *thread;

  p->latency_ms = g_array_new (FALSE, FALSE, sizeof (double));
  thread = g_thread_new ("probe", probe_thread, p);
  while (!g_atomic_int_get (&p->done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
}

static gboolean
on_tick (gpointer user_data)
{
  return G_SOURCE_CONTINUE; /* wakes the main loop for probe_run and the waits */
}

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The hub's own count (linli-hub logs its figures when it stops). */
static guint64
log_figure (const char *log, const char *after)
{
  const char *at = strstr (log, after);

  g_assert_nonnull (at);
  return g_ascii_strtoull (at + strlen (after), NULL, 10);
}

static void
test_slowloris (void)
{
  Attack attack = { 0 };
  Probe baseline = { 0 }, attacked = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *log = NULL, *line = NULL;
  guint tick = g_timeout_add (50, on_tick, NULL);
  gboolean late = FALSE;
  gint64 start_us, stop_us;
  guint64 refused_client, timed_out_request, handshakes_ended;
  guint deadline;

  probe_run (&baseline);
  g_assert_cmpuint (baseline.failures, ==, 0);

  attack.certificate = g_tls_certificate_new_from_files (cert_a, key_a, &error);
  g_assert_no_error (error);
  attack.slows = g_ptr_array_new_with_free_func ((GDestroyNotify)slow_free);
  for (guint k = 0; k < N_KINDS; k++)
    attack.held_ms[k] = g_array_new (FALSE, FALSE, sizeof (double));
  attack.port = harness->port;
  attack.running = TRUE;
  start_us = g_get_monotonic_time ();
  for (guint i = 0; i < SLOW_RAW; i++)
    slow_open (&attack, KIND_RAW);
  attack.ramp_id = g_timeout_add (RAMP_MS, on_ramp, &attack);
  attack.trickle_id = g_timeout_add (TRICKLE_MS, on_trickle, &attack);
  attack.sample_id = g_timeout_add (SAMPLE_MS, on_sample, &attack);
  /* Let the attack fill the hub before kiosk B comes. */
  deadline = g_timeout_add (1000 * SLOW, on_deadline, &late);
  while (!late)
    g_main_context_iteration (NULL, TRUE);

  probe_run (&attacked);
  /* Long enough that the request timeout has closed slow connections. */
  late = FALSE;
  deadline = g_timeout_add_seconds (REQUEST_TIMEOUT_S + 2, on_deadline, &late);
  while (!late)
    g_main_context_iteration (NULL, TRUE);

  /* Stop reopening: every slow connection must now be closed by the hub. */
  attack.running = FALSE;
  stop_us = g_get_monotonic_time ();
  late = FALSE;
  deadline = g_timeout_add_seconds (60, on_deadline, &late);
  while (!late && attack.open[KIND_TLS] + attack.open[KIND_RAW] > 0)
    g_main_context_iteration (NULL, TRUE);
  if (!late)
    g_source_remove (deadline);
  g_test_message ("after the attack stopped, its last connections were closed within %.1f s",
                  (double)(g_get_monotonic_time () - stop_us) / G_USEC_PER_SEC);
  g_assert_cmpuint (attack.open[KIND_TLS], ==, 0);
  g_assert_cmpuint (attack.open[KIND_RAW], ==, 0);

  printf ("# slow-client test, %.0f s: timeouts handshake %d s, request %d s; caps %d per kiosk, %d "
          "handshakes\n",
          (double)(g_get_monotonic_time () - start_us) / G_USEC_PER_SEC, HANDSHAKE_TIMEOUT_S,
          REQUEST_TIMEOUT_S, MAX_PER_KIOSK, MAX_HANDSHAKES);
  for (guint k = 0; k < N_KINDS; k++)
    printf ("#   %s: %d at once, %" G_GUINT64_FORMAT " opened, held median %.0f ms, max %.0f ms\n",
            kind_names[k], k == KIND_TLS ? SLOW_TLS : SLOW_RAW, attack.opened[k],
            quantile (attack.held_ms[k], 0.5), quantile (attack.held_ms[k], 1.0));
  printf ("#   kiosk A connections past the handshake held at once: at most %u\n", attack.held_max);
  printf ("#   kiosk B, %u requests: median %.1f ms, p99 %.1f ms without the attack; "
          "median %.1f ms, p99 %.1f ms with it; %u failed, %u connections dropped and tried again\n",
          baseline.latency_ms->len, quantile (baseline.latency_ms, 0.5), quantile (baseline.latency_ms, 0.99),
          quantile (attacked.latency_ms, 0.5), quantile (attacked.latency_ms, 0.99), attacked.failures,
          attacked.retries);
  if (attacked.first_failure != NULL)
    printf ("#   first failure: %s\n", attacked.first_failure);
  g_free (baseline.first_failure);
  g_assert_cmpuint (attacked.failures, ==, 0);

  /* The hub's side: it refused kiosk A past its cap and closed by timeouts. */
  hub_harness_stop_hub (harness);
  g_file_get_contents (harness->hub_log, &log, NULL, &error);
  g_assert_no_error (error);
  /* (Its stderr is in the log: a sanitizer build's reports would be too.) */
  g_assert_null (strstr (log, "Sanitizer"));
  g_assert_null (strstr (log, "runtime error"));
  /* The figures are the last line about the listener. */
  g_assert_nonnull ((line = g_strrstr (log, "kiosks' listener: ")));
  line = g_strndup (line, strcspn (line, "\n"));
  printf ("#   hub: %s\n", line);
  refused_client = log_figure (line, "(listener full) and ");
  timed_out_request = log_figure (line, "(handshake) and ");
  handshakes_ended = log_figure (line, "(per-kiosk cap), ") + log_figure (line, "timed out ");
  g_assert_cmpuint (refused_client, >, 0);
  g_assert_cmpuint (timed_out_request, >, 0);
  g_assert_cmpuint (handshakes_ended, >, 0);

  g_clear_handle_id (&attack.ramp_id, g_source_remove);
  g_clear_handle_id (&attack.trickle_id, g_source_remove);
  g_clear_handle_id (&attack.sample_id, g_source_remove);
  for (guint i = 0; i < attack.slows->len; i++)
    {
      Slow *slow = attack.slows->pdata[i];
      g_clear_handle_id (&slow->reopen_id, g_source_remove);
      while (slow->pending > 0)
        g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  g_ptr_array_unref (attack.slows);
  for (guint k = 0; k < N_KINDS; k++)
    g_array_unref (attack.held_ms[k]);
  g_object_unref (attack.certificate);
  g_array_unref (baseline.latency_ms);
  g_array_unref (attacked.latency_ms);
  g_free (attacked.first_failure);
}

int
main (int argc, char **argv)
{
  g_autofree char *why = NULL;
  g_autofree char *config = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      g_print ("1..0 # SKIP %s\n", why);
      return 77;
    }
  curl_global_init (CURL_GLOBAL_DEFAULT);
  config = g_strdup_printf ("[hub]\nhandshake_timeout=%d\nrequest_timeout=%d\nidle_timeout=%d\n"
                            "max_connections=%d\nmax_connections_per_kiosk=%d\nmax_handshakes=%d\n",
                            HANDSHAKE_TIMEOUT_S, REQUEST_TIMEOUT_S, IDLE_TIMEOUT_S, MAX_CONNECTIONS,
                            MAX_PER_KIOSK, MAX_HANDSHAKES);
  harness->hub_config = g_build_filename (harness->dir, "hub.conf", NULL);
  harness->hub_log = g_build_filename (harness->dir, "hub.log", NULL);
  g_file_set_contents (harness->hub_config, config, -1, &error);
  g_assert_no_error (error);
  hub_harness_start_hub (harness);
  hub_harness_enrol (harness, "slow-a", &cert_a, &key_a);
  hub_harness_enrol (harness, "slow-b", &cert_b, &key_b);

  g_test_add_func ("/hub/guard/slowloris-other-kiosks-served", test_slowloris);

  status = g_test_run ();
  hub_harness_free (harness);
  g_free (cert_a);
  g_free (key_a);
  g_free (cert_b);
  g_free (key_b);
  curl_global_cleanup ();
  return status;
}
