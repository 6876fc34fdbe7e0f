/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "updater-child"

/* One run of a kiosk as far as the content updater sees it, for
 * test-updater-rollback.c to kill with SIGKILL (a crash or a power cut: the
 * process gets no say). Usage:
 *   updater-child DATABASE RELEASES-DIR FALLBACK-DIR healthy|unhealthy
 * It starts the updater (which counts the start), marks the release in force
 * healthy if asked, writes "R" to stdout and waits to be killed. */

#include <stdio.h>
#include <unistd.h>

#include "kiosk-updater.h"

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 ("2026-12-01T09:00:00+08:00", NULL);
  g_autoptr (KioskClock) clock = kiosk_clock_new_fake (NULL, start);
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskUpdater) updater = NULL;
  KioskUpdaterOptions options = { 0 };

  if (argc != 5)
    {
      fprintf (stderr, "usage: %s DATABASE RELEASES-DIR FALLBACK-DIR healthy|unhealthy\n", argv[0]);
      return 2;
    }
  options.releases_dir = argv[2];
  options.fallback_dir = argv[3];
  store = kiosk_store_open (argv[1], clock, &error);
  if (store != NULL)
    updater = kiosk_updater_new (store, &options, &error);
  if (updater == NULL)
    {
      fprintf (stderr, "updater-child: %s\n", error->message);
      return 1;
    }
  if (g_str_equal (argv[4], "healthy"))
    kiosk_updater_mark_healthy (updater);
  if (write (STDOUT_FILENO, "R", 1) != 1)
    return 1;
  for (;;)
    pause ();
}
