/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-display"

#include "kiosk-monitor-watch.h"

typedef struct
{
  GtkWindow *window; /* borrowed: the watch is the window's data */
  GListModel *monitors;
  gulong handler;
  gboolean fullscreen;
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_clear_signal_handler (&watch->handler, watch->monitors);
  g_clear_object (&watch->monitors);
  g_free (watch);
}

static void
on_monitors_changed (GListModel *monitors, guint position, guint removed, guint added, Watch *watch)
{
  guint count = g_list_model_get_n_items (monitors);
  g_autoptr (GdkMonitor) first = count > 0 ? g_list_model_get_item (monitors, 0) : NULL;

  if (count == 0)
    {
      /* GTK keeps the window and its surface; there is nothing to draw on
       * until a monitor comes back. cage 0.1.4 exits when its last output
       * goes, so our udev rule keeps a connected monitor's connector forced
       * on (systemd/99-linli-kiosk.rules) and we get here only without it
       * (or in another compositor), and wait. */
      g_message ("Display: no monitor connected; waiting for one");
      return;
    }
  {
    GdkRectangle area;

    gdk_monitor_get_geometry (first, &area);
    g_message ("Display: %u monitor(s); the kiosk on %s, %dx%d", count,
               gdk_monitor_get_connector (first) != NULL ? gdk_monitor_get_connector (first) : "the first",
               area.width, area.height);
  }
  /* Back from none, or the one we were on went: full screen again on the
   * first, and raised, so the kiosk is what the monitor shows. */
  if (watch->fullscreen)
    gtk_window_fullscreen_on_monitor (watch->window, first);
  gtk_window_present (watch->window);
  gtk_widget_queue_resize (GTK_WIDGET (watch->window));
}

void
kiosk_monitor_watch_attach (GtkWindow *window, gboolean fullscreen)
{
  Watch *watch;

  g_return_if_fail (GTK_IS_WINDOW (window));

  watch = g_new0 (Watch, 1);
  watch->window = window;
  watch->fullscreen = fullscreen;
  watch->monitors = g_object_ref (gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (window))));
  watch->handler
      = g_signal_connect (watch->monitors, "items-changed", G_CALLBACK (on_monitors_changed), watch);
  g_object_set_data_full (G_OBJECT (window), "kiosk-monitor-watch", watch, watch_free);
}
