/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui-test"

#include "kiosk-ui-test-util.h"

#include "kiosk-application.h"
#include "kiosk-screen.h"

#include <sodium.h>

#include "kiosk-test-util.h"
#include <string.h>

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

  return kiosk_button_does (widget, ref->action, ref->target);
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

char *
kiosk_ui_test_pin_hash (const char *pin)
{
  char out[crypto_pwhash_STRBYTES];

  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (
      crypto_pwhash_str (out, pin, strlen (pin), crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), ==,
      0);
  return g_strdup (out);
}

void
kiosk_ui_test_open_staff_panel (GtkWidget *window)
{
  /* Window → overlay → page box → header → centre name. */
  GtkWidget *header
      = gtk_widget_get_first_child (gtk_widget_get_first_child (gtk_window_get_child (GTK_WINDOW (window))));
  GtkWidget *centre = gtk_widget_get_first_child (header);
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (centre);
  gboolean pressed = FALSE;

  g_assert_true (GTK_IS_LABEL (centre));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !pressed; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (GTK_EVENT_CONTROLLER (item)), "staff-long-press") == 0)
        {
          g_signal_emit_by_name (item, "pressed", 10.0, 10.0);
          pressed = TRUE;
        }
    }
  g_assert_true (pressed);
  kiosk_ui_test_iterate ();
}

void
kiosk_ui_test_staff_unlock (GtkWidget *window, const char *pin)
{
  for (const char *p = pin; *p != '\0'; p++)
    {
      char digit[2] = { *p, '\0' };

      kiosk_ui_test_press (window, "staff.digit", digit);
    }
  kiosk_ui_test_press (window, "staff.enter", NULL);
}

GPtrArray *
kiosk_ui_test_argv (const char *config, const char *dir, const char *content, const char *size)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup ("linli-kiosk"));
  if (config != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--config"));
      g_ptr_array_add (argv, g_strdup (config));
    }
  g_ptr_array_add (argv, g_strdup ("--state-dir"));
  g_ptr_array_add (argv, g_build_filename (dir, "state", NULL));
  g_ptr_array_add (argv, g_strdup ("--content"));
  g_ptr_array_add (argv, content != NULL ? g_strdup (content) : kiosk_test_asset_path ("content/default"));
  g_ptr_array_add (argv, g_strdup ("--size"));
  g_ptr_array_add (argv, g_strdup (size != NULL ? size : "1080x1920"));
  g_ptr_array_add (argv, NULL);
  return argv;
}

void
kiosk_ui_test_wait_mapped (GtkWidget *window)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (window) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gtk_widget_get_mapped (window));
}

GtkWidget *
kiosk_ui_test_find_outside (GtkWidget *window, GtkWidget *root, int width, int height,
                            graphene_rect_t *bounds)
{
  /* Allocations are whole pixels; bounds go through float transforms. */
  const float slack = 0.5f;

  if (!gtk_widget_get_mapped (root))
    return NULL;
  if (!gtk_widget_compute_bounds (root, window, bounds))
    g_error ("%s has no bounds in the window", G_OBJECT_TYPE_NAME (root));
  if (bounds->origin.x < -slack || bounds->origin.y < -slack
      || bounds->origin.x + bounds->size.width > width + slack
      || bounds->origin.y + bounds->size.height > height + slack)
    return root;
  if (GTK_IS_SCROLLED_WINDOW (root))
    return NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kiosk_ui_test_find_outside (window, child, width, height, bounds);

      if (found != NULL)
        return found;
    }
  return NULL;
}

char *
kiosk_ui_test_describe (GtkWidget *widget)
{
  g_auto (GStrv) classes = gtk_widget_get_css_classes (widget);
  g_autofree char *joined = g_strjoinv (".", classes);

  if (GTK_IS_LABEL (widget))
    return g_strdup_printf ("%s.%s \"%s\"", G_OBJECT_TYPE_NAME (widget), joined,
                            gtk_label_get_text (GTK_LABEL (widget)));
  return g_strdup_printf ("%s.%s", G_OBJECT_TYPE_NAME (widget), joined);
}

void
kiosk_ui_test_assert_inside (GtkWidget *window, GtkWidget *root, int width, int height, const char *what)
{
  graphene_rect_t b;
  GtkWidget *outside = kiosk_ui_test_find_outside (window, root, width, height, &b);

  if (outside != NULL)
    {
      g_autofree char *name = kiosk_ui_test_describe (outside);

      g_error ("%s: %s at %.0f,%.0f %.0f×%.0f is outside the %d×%d screen", what, name, b.origin.x,
               b.origin.y, b.size.width, b.size.height, width, height);
    }
}

GtkLabel *
kiosk_ui_test_find_ellipsized (GtkWidget *root)
{
  if (!gtk_widget_get_mapped (root))
    return NULL;
  if (GTK_IS_LABEL (root) && pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (root))))
    return GTK_LABEL (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = kiosk_ui_test_find_ellipsized (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
count_paint (GdkFrameClock *clock, guint *painted)
{
  (*painted)++;
}

void
kiosk_ui_test_settle (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  guint painted = 0;
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint), &painted);

  while (painted < 3 && g_get_monotonic_time () < deadline)
    {
      gtk_widget_queue_draw (window);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, handler);
}

typedef struct
{
  KioskUiTestAppBody body;
  gpointer data;
} AppRun;

static void
on_app_activated (GApplication *app, AppRun *run)
{
  GtkWidget *window = GTK_WIDGET (kiosk_application_get_kiosk_window (KIOSK_APPLICATION (app)));

  g_assert_nonnull (window);
  kiosk_ui_test_wait_mapped (window);
  kiosk_ui_test_iterate ();
  run->body (window, run->data);
  gtk_window_destroy (GTK_WINDOW (window));
  /* A slip still on its way holds its view until its callback runs. */
  kiosk_ui_test_iterate ();
  g_application_quit (app);
}

void
kiosk_ui_test_run_app (GApplication *app, GPtrArray *argv, KioskUiTestAppBody body, gpointer data)
{
  AppRun run = { body, data };
  gulong handler = g_signal_connect_after (app, "activate", G_CALLBACK (on_app_activated), &run);

  g_assert_cmpint (g_application_run (app, (int)argv->len - 1, (char **)argv->pdata), ==, 0);
  g_signal_handler_disconnect (app, handler);
}

void
kiosk_ui_test_assert_finalized (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  GWeakRef ref;
  GObject *alive;

  g_assert_true (G_IS_OBJECT (object));
  g_weak_ref_init (&ref, object);
  g_object_unref (object);
  while ((alive = g_weak_ref_get (&ref)) != NULL)
    {
      g_object_unref (alive);
      if (g_get_monotonic_time () > deadline)
        g_error ("%s still alive 30 s after its last expected reference went", G_OBJECT_TYPE_NAME (alive));
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
  g_weak_ref_clear (&ref);
}
