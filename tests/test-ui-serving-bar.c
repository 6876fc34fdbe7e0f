/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-serving-bar"

#include "config.h"

#include <gtk/gtk.h>

#include "kiosk-application.h"
#include "kiosk-screenshot.h"
#include "kiosk-serving-bar.h"
#include "kiosk-sync-proto.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-window.h"

/* The home screen's "正在办理 / Now serving" bar must fit: on each supported
 * screen, in both languages and both text sizes, with none to six calls,
 * no widget of the window leaves the screen and no label on the bar is cut
 * short with "…". The calls come as the sync delivers them (counter actions
 * of the hall applied to the queue), without a hub. */

typedef struct
{
  const char *size;
  int width, height;
} Case;

typedef struct
{
  char *dir;
  KioskClock *clock;
  KioskApplication *app;
  GPtrArray *argv;
  const Case *tc;
} Fixture;

/* What counters are called in a hall: short and long desk names, one
 * desk with no English name, numbers of every lane. */
static const struct
{
  const char *label, *desk_zh, *desk_en;
} calls[] = {
  { "A001", "3号窗口", "Counter 3" },
  { "B012", "12号窗口", "Counter 12" },
  { "A002", "社保医保窗口", "Social insurance desk" },
  { "Y003", "预约窗口", "" },
  { "C104", "10号窗口", "Counter 10" },
  { "A105", "11号窗口", "Counter 11" },
};

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  /* A Monday morning in November: the hall is open. */
  g_autoptr (GDateTime) start = g_date_time_new (tz, 2026, 11, 23, 10, 0, 0);

  f->tc = data;
  f->dir = kiosk_test_make_tmpdir ("ui-serving-bar");
  f->clock = kiosk_clock_new_fake (NULL, start);
  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "clock", f->clock, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  f->argv = kiosk_ui_test_argv (NULL, f->dir, NULL, f->tc->size);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_ui_test_assert_finalized (g_steal_pointer (&f->app));
  kiosk_ui_test_assert_finalized (f->clock);
  g_ptr_array_unref (f->argv);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Counter @i of the table calls its number, as a page from the hub would
 * bring it: another kiosk's ticket, so only a call for the hall. */
static void
apply_call (Fixture *f, guint i)
{
  KioskQueue *queue = kiosk_application_get_queue (f->app);
  KioskStore *store = kiosk_application_get_store (f->app);
  g_autoptr (GPtrArray) page = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_sync_call_free);
  g_autoptr (GError) error = NULL;
  KioskSyncCall *call = g_new0 (KioskSyncCall, 1);

  kiosk_clock_advance (f->clock, G_TIME_SPAN_MINUTE);
  call->id = 100 + i;
  call->action = KIOSK_SYNC_CALL_CALLED;
  call->action_name = g_strdup ("next");
  call->uuid = g_uuid_string_random ();
  call->label = g_strdup (calls[i].label);
  call->desk = g_strdup_printf ("%u", i + 1);
  call->desk_zh = g_strdup (calls[i].desk_zh);
  call->desk_en = g_strdup (calls[i].desk_en);
  call->at_us = kiosk_clock_get_real_time (f->clock);
  g_ptr_array_add (page, call);

  g_assert_true (kiosk_store_begin (store, &error));
  g_assert_true (kiosk_queue_apply_hub_calls (queue, page, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kiosk_store_commit (store, &error));
  g_assert_no_error (error);
  /* What the app does when the sync thread has applied a page. */
  kiosk_queue_notify_changed (queue, NULL);
  kiosk_ui_test_iterate ();
}

/* The bar, shown or not (kiosk_ui_test_find_widget() sees visible ones only). */
static KioskServingBar *
find_bar (GtkWidget *root)
{
  if (KIOSK_IS_SERVING_BAR (root))
    return KIOSK_SERVING_BAR (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      KioskServingBar *bar = find_bar (child);
      if (bar != NULL)
        return bar;
    }
  return NULL;
}

/* The screen as it failed, beside the test program, to look at. */
static void
save_failure (GtkWidget *window)
{
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_BUILT), "serving-bar-failed.png", NULL);

  if (kiosk_screenshot_save (window, path, NULL))
    g_test_message ("the screen as it failed: %s", path);
}

static void
check_fits (Fixture *f, GtkWidget *window, KioskServingBar *bar, guint n_calls, const char *lang,
            gboolean large)
{
  g_autofree char *what
      = g_strdup_printf ("%s %s%s, %u calls", f->tc->size, lang, large ? " large text" : "", n_calls);
  graphene_rect_t bounds;
  GtkLabel *cut;
  guint shown = 0;

  kiosk_application_set_language (f->app, lang);
  kiosk_application_set_large_text (f->app, large);
  kiosk_ui_test_iterate ();
  kiosk_ui_test_settle (window);

  g_assert_cmpuint (kiosk_serving_bar_get_texts (bar)->len, ==, MIN (n_calls, KIOSK_SERVING_BAR_MAX_CALLS));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bar)) == (n_calls > 0));
  /* A window wider than the screen is what pushed the clock off it. */
  if (gtk_widget_get_width (window) != f->tc->width || gtk_widget_get_height (window) != f->tc->height)
    {
      save_failure (window);
      g_error ("%s: the window grew to %d×%d", what, gtk_widget_get_width (window),
               gtk_widget_get_height (window));
    }
  if (kiosk_ui_test_find_outside (window, window, f->tc->width, f->tc->height, &bounds) != NULL)
    save_failure (window);
  kiosk_ui_test_assert_inside (window, window, f->tc->width, f->tc->height, what);
  cut = kiosk_ui_test_find_ellipsized (GTK_WIDGET (bar));
  if (cut != NULL)
    {
      save_failure (window);
      g_error ("%s: \"%s\" is cut short", what, gtk_label_get_text (cut));
    }
  /* The newest call is always on show, whole; earlier ones as room allows. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (bar)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    shown += gtk_widget_get_mapped (child) ? 1 : 0;
  if (n_calls > 0)
    {
      g_assert_cmpuint (shown, >=, 2);
      g_assert_true (gtk_widget_get_mapped (
          gtk_widget_get_next_sibling (gtk_widget_get_first_child (GTK_WIDGET (bar)))));
    }
  g_test_message ("%s: fits, %u calls on show", what, n_calls > 0 ? shown - 1 : 0);
}

static void
on_window (GtkWidget *window, gpointer data)
{
  Fixture *f = data;
  GtkWidget *home = kiosk_window_get_screen_widget (KIOSK_WINDOW (window), "home");
  KioskServingBar *bar = find_bar (home);
  const char *dir = g_getenv ("KIOSK_SCREENSHOT_DIR");

  g_assert_nonnull (bar);
  g_assert_nonnull (kiosk_application_get_queue (f->app));
  for (guint n = 0; n <= G_N_ELEMENTS (calls); n++)
    {
      if (n > 0)
        apply_call (f, n - 1);
      for (guint large = 0; large <= 1; large++)
        {
          check_fits (f, window, bar, n, "zh", large);
          check_fits (f, window, bar, n, "en", large);
        }
    }

  /* The README's screenshots of the bar: three calls, each language and text size. */
  if (dir != NULL && f->tc->width < f->tc->height)
    {
      static const struct
      {
        const char *lang;
        gboolean large;
        const char *name;
      } shots[] = {
        { "zh", FALSE, "home-now-serving-zh.png" },
        { "en", FALSE, "home-now-serving-en.png" },
        { "zh", TRUE, "home-now-serving-large-text-zh.png" },
        { "en", TRUE, "home-now-serving-large-text-en.png" },
      };

      for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
        {
          g_autofree char *path = g_build_filename (dir, shots[i].name, NULL);
          g_autoptr (GError) error = NULL;

          kiosk_application_set_language (f->app, shots[i].lang);
          kiosk_application_set_large_text (f->app, shots[i].large);
          kiosk_ui_test_iterate ();
          kiosk_ui_test_settle (window);
          g_assert_true (kiosk_screenshot_save (window, path, &error));
          g_assert_no_error (error);
          g_test_message ("wrote %s", path);
        }
    }
}

static void
test_fits (Fixture *f, gconstpointer data)
{
  kiosk_ui_test_run_app (G_APPLICATION (f->app), f->argv, on_window, f);
}

int
main (int argc, char *argv[])
{
  static const Case portrait = { "1080x1920", 1080, 1920 };
  static const Case landscape = { "1920x1080", 1920, 1080 };

  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/ui/serving-bar/fits/portrait", Fixture, &portrait, fixture_setup, test_fits,
              fixture_teardown);
  g_test_add ("/kiosk/ui/serving-bar/fits/landscape", Fixture, &landscape, fixture_setup, test_fits,
              fixture_teardown);
  return g_test_run ();
}
