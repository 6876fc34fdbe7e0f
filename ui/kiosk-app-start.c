/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

/* Starting up: the store, the content, and the first frame (READY=1 for
 * systemd, the watchdog, --screenshot and --startup-report). */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk-app-network.h"
#include "kiosk-application-private.h"
#include "kiosk-screenshot.h"
#include "kiosk-sdnotify.h"

/* Settle time after the first frame before a screenshot: wrapped labels
 * may take a second layout pass. */
#define SCREENSHOT_SETTLE_MS 300
/* After --press a slip may still be on its way to the printer. */
#define SCREENSHOT_PRESS_SETTLE_MS 1500

void
kiosk_app_open_store (KioskApplication *self)
{
  const char *state_dir = kiosk_config_get_string (self->config, "kiosk", "state_dir");
  g_autofree char *path = g_build_filename (state_dir, "kiosk.db", NULL);
  g_autoptr (GError) error = NULL;

  if (g_mkdir_with_parents (state_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_message ("Cannot create %s: %s; out of service", state_dir, g_strerror (saved_errno));
      return;
    }
  self->store = kiosk_store_open (path, self->clock, &error);
  if (self->store == NULL)
    g_message ("%s; out of service", error->message);
  else if (kiosk_store_get_recovered_from (self->store) != NULL)
    g_message ("The database was damaged; kept as %s, started afresh",
               kiosk_store_get_recovered_from (self->store));
}

void
kiosk_app_on_retention_finished (KioskRetention *retention, gint64 removed, const GError *error)
{
  if (error != NULL)
    g_message ("Retention: %s (%" G_GINT64_FORMAT " old rows removed before)", error->message, removed);
  else if (removed > 0)
    g_message ("Retention: removed %" G_GINT64_FORMAT " rows older than %u days", removed,
               kiosk_retention_get_keep_days (retention));
}

void
kiosk_app_load_content (KioskApplication *self)
{
  const char *dir = kiosk_config_get_string (self->config, "kiosk", "content_dir");
  g_autoptr (KioskBundle) bundle = NULL;
  g_autoptr (GError) error = NULL;

  bundle = kiosk_bundle_load (dir, &error);
  if (bundle == NULL)
    {
      g_autofree char *fallback = kiosk_app_default_bundle_dir ();

      /* A bad bundle must never leave the kiosk blank: show the default one. */
      g_message ("Content %s: %s; using %s", dir, error->message, fallback);
      g_clear_error (&error);
      bundle = kiosk_bundle_load (fallback, &error);
      if (bundle == NULL)
        {
          g_message ("Content %s: %s; out of service", fallback, error->message);
          return;
        }
    }
  self->content = kiosk_content_new (bundle);
}

static void
print_startup_report (KioskApplication *self)
{
  g_autofree char *status = NULL;
  long rss_kb = -1;

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      const char *line = strstr (status, "VmRSS:");

      if (line != NULL)
        rss_kb = strtol (line + strlen ("VmRSS:"), NULL, 10);
    }
  printf ("first_frame_ms=%.1f rss_kb=%ld\n", (g_get_monotonic_time () - self->started_us) / 1000.0, rss_kb);
  fflush (stdout);
}

static gboolean
take_screenshot (gpointer user_data)
{
  KioskApplication *self = user_data;
  g_autoptr (GError) error = NULL;

  if (!kiosk_screenshot_save (GTK_WIDGET (self->window), self->screenshot_path, &error))
    {
      g_printerr ("linli-kiosk: %s\n", error->message);
      self->exit_code = 1;
    }
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

static void
on_first_frame (GdkFrameClock *frame_clock, KioskApplication *self)
{
  g_signal_handlers_disconnect_by_func (frame_clock, on_first_frame, self);
  /* Ready only once a person can see the home screen; the watchdog pings come
   * from this (the UI) thread's main loop, so a hung UI stops them. */
  kiosk_sdnotify ("READY=1\nSTATUS=主页 / Home screen shown", NULL);
  if (self->watchdog_id == 0)
    self->watchdog_id = kiosk_sdnotify_start_watchdog ();
  /* The content in force is healthy after [content] healthy_seconds more of
   * this loop, the one that feeds the watchdog. */
  kiosk_app_network_shown (G_APPLICATION (self));
  if (self->startup_report)
    {
      print_startup_report (self);
      g_application_quit (G_APPLICATION (self));
    }
  else if (self->screenshot_path != NULL)
    g_timeout_add (self->presses != NULL ? SCREENSHOT_PRESS_SETTLE_MS : SCREENSHOT_SETTLE_MS, take_screenshot,
                   self);
}

void
kiosk_app_on_window_mapped (GtkWidget *window, KioskApplication *self)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_first_frame), self);
  gdk_frame_clock_request_phase (frame_clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}
