/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "kiosk-error.h"
#include "kiosk-screenshot.h"
#include "kiosk-window.h"

gboolean
kiosk_screenshot_save (GtkWidget *widget, const char *path, GError **error)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GtkNative *native = gtk_widget_get_native (widget);
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  if (native == NULL || gtk_native_get_renderer (native) == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "screenshot %s: the window is not on screen",
                   path);
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "screenshot %s: nothing was drawn", path);
      return FALSE;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_STORAGE, "screenshot %s: cannot write the file", path);
      return FALSE;
    }
  return TRUE;
}

gboolean
kiosk_screenshot_press (GtkWidget *window, const char *const *actions, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (window), FALSE);

  for (guint i = 0; actions != NULL && actions[i] != NULL; i++)
    {
      KioskWindow *kiosk = KIOSK_WINDOW (window);
      GtkWidget *screen = kiosk_window_get_screen_widget (kiosk, kiosk_window_get_screen (kiosk));
      g_autofree char *name = NULL;
      g_autoptr (GVariant) target = NULL;
      g_autoptr (GError) local_error = NULL;

      if (!g_action_parse_detailed_name (actions[i], &name, &target, &local_error))
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "--press %s: %s", actions[i],
                       local_error->message);
          return FALSE;
        }
      if (!gtk_widget_activate_action_variant (screen, name, target))
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND,
                       "--press %s: no such action on the %s screen", actions[i],
                       kiosk_window_get_screen (kiosk));
          return FALSE;
        }
    }
  return TRUE;
}
