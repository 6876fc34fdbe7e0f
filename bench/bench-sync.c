/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-sync"

/* Figures for the hub and the kiosk's uploader, on loopback with a real
 * PostgreSQL (started like the 'hub' test suite does):
 *  1. drain rate of a 100,000-record backlog (records/s);
 *  2. the hub's requests/s and latency (median, p99) under a bounded load:
 *     a second process (this program with --load) runs a fixed number of
 *     closed-loop clients, each on one kept-alive connection.
 * It prints figures and asserts nothing about them. */

#include <stdio.h>
#include <stdlib.h>

#include "hub-harness.h"
#include "kiosk-autocleanups.h"
#include "kiosk-store.h"
#include "kiosk-sync.h"
#include "kiosk-test-util.h"

#define BACKLOG 100000

typedef struct
{
  const char *url;
  const char *ca;
  const char *cert;
  const char *key;
  const char *path;
  gboolean post;
  gint64 deadline;
  GArray *latencies_us; /* gint64, this client's */
  guint errors;
} LoadClient;

static size_t
discard (char *data, size_t size, size_t n, void *user_data)
{
  return size * n;
}

static gpointer
load_client (gpointer data)
{
  LoadClient *c = data;
  g_autoptr (CURL) curl = curl_easy_init ();
  g_autofree char *url = g_strconcat (c->url, c->path, NULL);
  struct curl_slist *headers = curl_slist_append (NULL, "Content-Type: application/json");

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CAINFO, c->ca);
  curl_easy_setopt (curl, CURLOPT_SSLCERT, c->cert);
  curl_easy_setopt (curl, CURLOPT_SSLKEY, c->key);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 10L);

  while (g_get_monotonic_time () < c->deadline)
    {
      g_autoptr (GString) body = NULL;
      gint64 start;
      long status = 0;

      if (c->post)
        {
          body = g_string_new (NULL);
          kiosk_sync_records_begin (body);
          for (guint i = 0; i < 10; i++)
            {
              g_autofree char *uuid = g_uuid_string_random ();
              kiosk_sync_records_add (body, uuid, "entry", "{\"card\":\"bench\",\"door\":\"gym\"}");
            }
          kiosk_sync_records_end (body);
          curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE, (long)body->len);
          curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body->str);
        }
      start = g_get_monotonic_time ();
      if (curl_easy_perform (curl) != CURLE_OK)
        {
          c->errors++;
          continue;
        }
      curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
      if (status != 200)
        c->errors++;
      else
        {
          gint64 took = g_get_monotonic_time () - start;
          g_array_append_val (c->latencies_us, took);
        }
    }
  curl_slist_free_all (headers);
  return NULL;
}

static int
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return (x > y) - (x < y);
}

/* --load URL CA CERT KEY PATH post|get SECONDS CLIENTS: prints one line,
 * "requests errors seconds median_us p99_us". */
static int
run_load (char **argv)
{
  guint seconds = (guint)atoi (argv[8]), n = (guint)atoi (argv[9]);
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree LoadClient *clients = g_new0 (LoadClient, n);
  g_autofree GThread **threads = g_new0 (GThread *, n);
  gint64 started = g_get_monotonic_time ();
  guint errors = 0;

  curl_global_init (CURL_GLOBAL_DEFAULT);
  for (guint i = 0; i < n; i++)
    {
      clients[i] = (LoadClient){ argv[2],
                                 argv[3],
                                 argv[4],
                                 argv[5],
                                 argv[6],
                                 g_str_equal (argv[7], "post"),
                                 started + (gint64)seconds * G_USEC_PER_SEC,
                                 g_array_new (FALSE, FALSE, sizeof (gint64)),
                                 0 };
      threads[i] = g_thread_new ("load", load_client, &clients[i]);
    }
  for (guint i = 0; i < n; i++)
    {
      g_thread_join (threads[i]);
      g_array_append_vals (all, clients[i].latencies_us->data, clients[i].latencies_us->len);
      errors += clients[i].errors;
      g_array_unref (clients[i].latencies_us);
    }
  g_array_sort (all, compare_int64);
  printf ("%u %u %.3f %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", all->len, errors,
          (double)(g_get_monotonic_time () - started) / G_USEC_PER_SEC,
          all->len ? g_array_index (all, gint64, all->len / 2) : 0,
          all->len ? g_array_index (all, gint64, (guint)((all->len - 1) * 0.99)) : 0);
  return 0;
}

static void
on_pending (GObject *object, GParamSpec *pspec, gpointer done)
{
  if (kiosk_sync_get_pending (KIOSK_SYNC (object)) == 0)
    *(gboolean *)done = TRUE;
}

static void
bench_drain (HubHarness *h, guint batch)
{
  g_autofree char *cert = NULL, *key = NULL, *id = g_strdup_printf ("bench-drain-%u", batch);
  g_autofree char *dir = hub_harness_mkdir (h, "bench");
  g_autofree char *db_path = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *count_sql = g_strdup_printf ("SELECT count (*) FROM records WHERE kiosk_id = '%s'", id);
  g_autoptr (KioskClock) clock = kiosk_clock_new_system (NULL);
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskSync) sync = NULL;
  g_auto (KioskSyncConfig) config = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean drained = FALSE;
  gint64 start, took;

  hub_harness_enrol (h, id, &cert, &key);
  store = kiosk_store_open (db_path, clock, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < BACKLOG; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *payload
          = g_strdup_printf ("{\"ticket\":\"A%03u\",\"service\":\"居住证\",\"wait_min\":[5,15]}", i % 1000);
      if (i % 5000 == 0)
        kiosk_store_begin (store, NULL);
      kiosk_store_outbox_add (store, uuid, "ticket", payload, &error);
      g_assert_no_error (error);
      if (i % 5000 == 4999)
        kiosk_store_commit (store, NULL);
    }

  hub_harness_sync_config (h, cert, key, &config);
  config.batch_size = batch;
  sync = kiosk_sync_new (db_path, clock, &config);
  g_signal_connect (sync, "notify::pending", G_CALLBACK (on_pending), &drained);
  start = g_get_monotonic_time ();
  kiosk_sync_start (sync);
  if (!hub_harness_wait (&drained, 600))
    g_error ("backlog not drained: %s", kiosk_sync_get_last_error (sync));
  took = g_get_monotonic_time () - start;
  kiosk_sync_stop (sync);

  printf ("drain  %6u records, batch %4u: %6.2f s, %8.0f records/s (in PostgreSQL: %" G_GINT64_FORMAT ")\n",
          BACKLOG, batch, (double)took / G_USEC_PER_SEC, BACKLOG / ((double)took / G_USEC_PER_SEC),
          hub_harness_query_int (h, count_sql));
  fflush (stdout);
}

static void
bench_load (HubHarness *h, const char *self_path, const char *path, const char *method, guint clients,
            guint seconds)
{
  g_autofree char *cert = NULL, *key = NULL, *out = NULL;
  g_autofree char *id = g_strdup_printf ("bench-load-%s-%u", method, clients);
  g_autofree char *seconds_text = g_strdup_printf ("%u", seconds),
                  *clients_text = g_strdup_printf ("%u", clients);
  guint requests = 0, errors = 0;
  double elapsed = 0;
  gint64 median = 0, p99 = 0;

  hub_harness_enrol (h, id, &cert, &key);
  {
    const char *argv[] = { self_path, "--load", h->url,       h->ca_cert,   cert, key,
                           path,      method,   seconds_text, clients_text, NULL };
    out = hub_harness_run (argv, FALSE);
  }
  if (sscanf (out, "%u %u %lf %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &requests, &errors, &elapsed, &median,
              &p99)
      != 5)
    g_error ("load process said: %s", out);
  printf ("load   %-4s %-12s %2u clients %2us: %7.0f requests/s, median %6.2f ms, p99 %6.2f ms, %u errors\n",
          method, path, clients, seconds, requests / elapsed, median / 1000.0, p99 / 1000.0, errors);
  fflush (stdout);
}

int
main (int argc, char **argv)
{
  g_autofree char *why = NULL;
  HubHarness *h;

  if (argc == 10 && g_str_equal (argv[1], "--load"))
    return run_load (argv);

  h = hub_harness_new (&why);
  if (h == NULL)
    {
      printf ("skipped: %s\n", why);
      return 77;
    }
  hub_harness_start_hub (h);
  printf ("linli-hub on loopback, PostgreSQL 15 on a unix socket (fsync on), %u CPUs\n",
          g_get_num_processors ());

  bench_drain (h, 500);
  bench_drain (h, 1000);
  bench_load (h, argv[0], "/v1/records", "post", 4, 5);
  bench_load (h, argv[0], "/v1/records", "post", 16, 5);
  bench_load (h, argv[0], "/v1/time", "get", 4, 5);
  bench_load (h, argv[0], "/v1/time", "get", 16, 5);

  hub_harness_free (h);
  return 0;
}
