/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-test"

#include "kiosk-ui-test-util.h"

void
kiosk_ui_test_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

GtkWidget *
kiosk_ui_test_find_widget (GtkWidget *root, KioskUiTestVisit visit, gpointer data)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (visit (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kiosk_ui_test_find_widget (child, visit, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gboolean
kiosk_ui_test_button_does (GtkWidget *widget, gpointer data)
{
  const KioskUiTestActionRef *ref = data;
  GVariant *target;

  if (!GTK_IS_BUTTON (widget)
      || g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), ref->action) != 0)
    return FALSE;
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
  if (ref->target == NULL)
    return target == NULL;
  return target != NULL && g_variant_is_of_type (target, G_VARIANT_TYPE_STRING)
         && g_strcmp0 (g_variant_get_string (target, NULL), ref->target) == 0;
}

void
kiosk_ui_test_press (GtkWidget *root, const char *action, const char *target)
{
  KioskUiTestActionRef ref = { action, target };
  GtkWidget *button = kiosk_ui_test_find_widget (root, kiosk_ui_test_button_does, &ref);

  if (button == NULL)
    g_error ("no visible button for %s(%s)", action, target ? target : "");
  g_signal_emit_by_name (button, "clicked");
  kiosk_ui_test_iterate ();
}
