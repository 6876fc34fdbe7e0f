/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "queue-child"

/* Issues tickets until it is killed; test-queue-crash.c kills it with
 * SIGKILL at random moments. Usage:
 *   queue-child DATABASE CONTENT-DIR KIOSK-INDEX KIOSKS-IN-HALL START-DAY
 * START-DAY: days after 2026-11-23. Each ticket is called at once, so the
 * line stays short; when a day is used up (the range, or the predictive
 * cut-off after earlier runs were killed between issue and call) it moves
 * its fake clock to the next day. It writes "R" to stdout once it is ready
 * to issue, so the parent can aim its kills at the loop. */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kiosk-error.h"
#include "kiosk-queue.h"
#include "queue-test-manifest.h"

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GTimeZone) tz = NULL;
  g_autoptr (GDateTime) start = NULL;
  g_autoptr (KioskClock) clock = NULL;
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  g_autoptr (KioskQueue) queue = NULL;
  KioskQueueSettings settings;
  guint refusals_in_a_row = 0;

  if (argc != 6)
    {
      fprintf (stderr, "usage: %s DATABASE CONTENT-DIR KIOSK-INDEX KIOSKS-IN-HALL START-DAY\n", argv[0]);
      return 2;
    }

  tz = g_time_zone_new_identifier ("Asia/Shanghai");
  if (tz == NULL)
    tz = g_time_zone_new_offset (8 * 3600);
  {
    g_autoptr (GDateTime) monday = g_date_time_new (tz, 2026, 11, 23, 10, 0, 0);
    start = g_date_time_add_days (monday, atoi (argv[5]));
  }
  clock = kiosk_clock_new_fake ("Asia/Shanghai", start);

  store = kiosk_store_open (argv[1], clock, &error);
  if (store != NULL)
    bundle = kiosk_bundle_load (argv[2], &error);
  if (bundle != NULL)
    {
      queue_test_settings (&settings, (guint)atoi (argv[3]), (guint)atoi (argv[4]));
      queue = kiosk_queue_new (store, bundle, &settings, &error);
      g_bytes_unref (settings.secret);
    }
  if (queue == NULL)
    {
      fprintf (stderr, "queue-child: %s\n", error->message);
      return 2;
    }

  if (write (STDOUT_FILENO, "R", 1) != 1)
    return 2;

  for (;;)
    {
      g_autoptr (KioskTicket) ticket = kiosk_queue_issue (queue, "night-desk", KIOSK_LANE_NORMAL, &error);

      if (ticket != NULL)
        {
          refusals_in_a_row = 0;
          if (kiosk_queue_record_event (queue, ticket->uuid, KIOSK_QUEUE_EVENT_CALLED, ticket->issued,
                                        &error))
            continue;
        }
      else if (g_error_matches (error, KIOSK_ERROR, KIOSK_ERROR_CLOSED) && ++refusals_in_a_row < 1000)
        {
          /* This day is full: on to the next one. */
          g_clear_error (&error);
          kiosk_clock_advance (clock, 24 * G_TIME_SPAN_HOUR);
          continue;
        }
      fprintf (stderr, "queue-child: %s\n", error->message);
      return 2;
    }
}
