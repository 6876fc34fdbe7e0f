/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "sync-child"

/* The kiosk's uploader alone in a process, so tests can SIGKILL it mid-batch:
 *   sync-child DB URL CA CERT KEY BATCH
 * Exits 0 once the outbox is empty. */

#include <stdlib.h>

#include "kiosk-sync.h"

static void
on_pending (GObject *object, GParamSpec *pspec, gpointer loop)
{
  if (kiosk_sync_get_pending (KIOSK_SYNC (object)) == 0)
    g_main_loop_quit (loop);
}

int
main (int argc, char **argv)
{
  g_autoptr (KioskClock) clock = NULL;
  g_autoptr (KioskSync) sync = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  KioskSyncConfig config;

  if (argc != 7)
    {
      g_printerr ("usage: sync-child DB URL CA CERT KEY BATCH\n");
      return 2;
    }
  kiosk_sync_config_init (&config);
  config.hub_url = argv[2];
  config.ca_file = argv[3];
  config.cert_file = argv[4];
  config.key_file = argv[5];
  config.batch_size = (guint)atoi (argv[6]);
  config.connect_timeout_ms = 1000;
  config.total_timeout_ms = 5000;
  config.backoff_min_ms = 20;
  config.backoff_max_ms = 200;
  config.idle_poll_ms = 100;
  config.heartbeat_interval_ms = 0;

  clock = kiosk_clock_new_system (NULL);
  loop = g_main_loop_new (NULL, FALSE);
  sync = kiosk_sync_new (argv[1], clock, &config);
  g_signal_connect (sync, "notify::pending", G_CALLBACK (on_pending), loop);
  kiosk_sync_start (sync);
  g_main_loop_run (loop);
  kiosk_sync_stop (sync);
  return EXIT_SUCCESS;
}
