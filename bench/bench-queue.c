/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-queue"

/* The latency of one ticket issue, durable commit included: 10,000 issues
 * on a real database file (WAL, synchronous = FULL) in DIR (default: the
 * current directory). A line of about 20 people is kept by calling and
 * serving tickets between issues (not timed), and the fake clock moves 9 s
 * a ticket, so the run crosses a daily reset. Near midnight the 24-hour
 * test queue refuses (predictive cut-off: it closes at 24:00); the clock
 * then skips to the next morning and the refusal is counted, not timed.
 * Prints figures; asserts none. */

#include <stdio.h>
#include <stdlib.h>

#include "kiosk-error.h"
#include "kiosk-queue.h"
#include "kiosk-test-util.h"
#include "queue-test-manifest.h"

#define ISSUES 10000
#define LINE 20

static int
compare_gint64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;
  return x < y ? -1 : x > y;
}

static double
percentile_ms (const gint64 *sorted, guint n, double p)
{
  guint i = (guint)(p * (n - 1) + 0.5);
  return sorted[MIN (i, n - 1)] / 1000.0;
}

int
main (int argc, char *argv[])
{
  const QueueTestManifest spec = { 0, 0, 9999 };
  g_autofree char *parent = g_strdup (argc > 1 ? argv[1] : ".");
  g_autofree char *tmpl = g_build_filename (parent, "bench-queue-XXXXXX", NULL);
  g_autofree char *db = NULL;
  g_autofree gint64 *latency = g_new (gint64, ISSUES);
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) start = g_date_time_new (tz, 2026, 11, 23, 0, 30, 0);
  g_autoptr (KioskClock) clock = kiosk_clock_new_fake ("Asia/Shanghai", start);
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  g_autoptr (KioskQueue) queue = NULL;
  g_autoptr (GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  KioskQueueSettings settings;
  gint64 total = 0;
  guint refusals = 0;

  if (g_mkdtemp (tmpl) == NULL)
    {
      fprintf (stderr, "bench-queue: cannot make a directory in %s\n", parent);
      return 1;
    }
  db = g_build_filename (tmpl, "kiosk.db", NULL);
  store = kiosk_store_open (db, clock, &error);
  if (store == NULL)
    {
      fprintf (stderr, "bench-queue: %s\n", error->message);
      return 1;
    }
  bundle = queue_test_bundle (tmpl, &spec);
  queue_test_settings (&settings, 0, 1);
  queue = kiosk_queue_new (store, bundle, &settings, &error);
  g_bytes_unref (settings.secret);
  g_assert_no_error (error);
  /* Ten desks, so that a line of 20 stays within the predictive cut-off all day. */
  kiosk_queue_set_counters_open (queue, "N", 10);

  for (guint i = 0; i < ISSUES;)
    {
      g_autoptr (KioskTicket) ticket = NULL;
      KioskQueueStatus status;
      gint64 t0 = g_get_monotonic_time ();

      ticket = kiosk_queue_issue (queue, "night-desk", KIOSK_LANE_NORMAL, &error);
      latency[i] = g_get_monotonic_time () - t0;
      if (ticket == NULL && g_error_matches (error, KIOSK_ERROR, KIOSK_ERROR_CLOSED) && refusals < 10)
        {
          g_clear_error (&error);
          refusals++;
          kiosk_clock_advance (clock, 1 * G_TIME_SPAN_HOUR);
          continue;
        }
      if (ticket == NULL)
        {
          fprintf (stderr, "bench-queue: issue %u: %s\n", i, error->message);
          return 1;
        }
      total += latency[i++];
      g_hash_table_add (days, g_strdup (ticket->service_day));

      if (!kiosk_queue_get_status (queue, "N", &status, &error))
        g_error ("%s", error->message);
      while (status.waiting > LINE)
        {
          g_autoptr (KioskTicket) called = kiosk_queue_call_next (queue, "N", &error);
          g_autoptr (GDateTime) now = kiosk_clock_now (clock);

          g_assert_no_error (error);
          if (!kiosk_queue_record_event (queue, called->uuid, KIOSK_QUEUE_EVENT_SERVED, now, &error))
            g_error ("%s", error->message);
          status.waiting--;
        }
      kiosk_clock_advance (clock, 9 * G_TIME_SPAN_SECOND);
    }

  qsort (latency, ISSUES, sizeof *latency, compare_gint64);
  printf ("bench-queue: %d issues on %s (WAL, synchronous=FULL), %u service days, %u refusals skipped\n",
          ISSUES, db, g_hash_table_size (days), refusals);
  printf ("  median %.3f ms   p90 %.3f ms   p99 %.3f ms   max %.3f ms   mean %.3f ms\n",
          percentile_ms (latency, ISSUES, 0.5), percentile_ms (latency, ISSUES, 0.9),
          percentile_ms (latency, ISSUES, 0.99), latency[ISSUES - 1] / 1000.0, total / 1000.0 / ISSUES);
  printf ("  goal: p99 <= 10 ms (%s)\n", percentile_ms (latency, ISSUES, 0.99) <= 10.0 ? "met" : "not met");

  g_clear_object (&queue);
  g_clear_object (&store);
  kiosk_test_remove_tree (tmpl);
  return 0;
}
