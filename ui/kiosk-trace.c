/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-trace"

#include <errno.h>
#include <stdio.h>

#include "kiosk-trace.h"

static gboolean
on_event (GtkEventControllerLegacy *controller, GdkEvent *event, FILE *out)
{
  switch (gdk_event_get_event_type (event))
    {
      case GDK_KEY_PRESS:
      case GDK_BUTTON_PRESS:
      case GDK_TOUCH_BEGIN:
        fprintf (out, "input %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
        break;
      default:
        break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_after_paint (GdkFrameClock *clock, FILE *out)
{
  fprintf (out, "frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
}

static void
on_map (GtkWidget *window, FILE *out)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (on_after_paint), out);
}

void
kiosk_trace_attach (GtkWindow *window)
{
  const char *path = g_getenv ("LINLI_KIOSK_TRACE");
  GtkEventController *controller;
  FILE *out;

  if (path == NULL || *path == '\0')
    return;
  out = fopen (path, "w");
  if (out == NULL)
    {
      g_warning ("LINLI_KIOSK_TRACE: cannot write %s: %s", path, g_strerror (errno));
      return;
    }
  setvbuf (out, NULL, _IOLBF, 0);
  /* The file lives as long as the window. */
  g_object_set_data_full (G_OBJECT (window), "kiosk-trace", out, (GDestroyNotify)fclose);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (on_event), out);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
  g_signal_connect (window, "map", G_CALLBACK (on_map), out);
}
