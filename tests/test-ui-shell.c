/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-shell"

#include "config.h"

#include <gdk/gdkkeysyms.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <stdio.h>

#include "kiosk-application.h"
#include "kiosk-guide-view.h"
#include "kiosk-home-view.h"
#include "kiosk-screenshot.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-ui-text.h"
#include "kiosk-window.h"

/* The whole application on a real (Xvfb) display: each test starts it with
 * a fresh state folder, the default bundle and a fake clock, then presses
 * what a finger would press. */

typedef struct
{
  char *dir;
  KioskClock *clock;
  KioskApplication *app;
  KioskWindow *window;
  GPtrArray *argv;
} Fixture;

typedef struct
{
  gboolean demo;
  gboolean broken_state_dir;
  void (*body) (Fixture *f);
} Case;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const Case *tc = data;
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  /* A Monday morning in November: the hall is open, the winter notice is valid. */
  g_autoptr (GDateTime) start = g_date_time_new (tz, 2026, 11, 23, 10, 0, 0);
  g_autofree char *state_dir = NULL;

  f->dir = kiosk_test_make_tmpdir ("ui-shell");
  state_dir = g_build_filename (f->dir, "state", NULL);
  if (tc->broken_state_dir)
    g_assert_true (g_file_set_contents (state_dir, "not a folder", -1, NULL));

  f->clock = kiosk_clock_new_fake (NULL, start);
  /* No application id: no single-instance check between tests. */
  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "clock", f->clock, "flags", G_APPLICATION_NON_UNIQUE, NULL);

  /* The command line a technician would type. */
  f->argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->argv, g_strdup ("linli-kiosk"));
  g_ptr_array_add (f->argv, g_strdup ("--state-dir"));
  g_ptr_array_add (f->argv, g_steal_pointer (&state_dir));
  g_ptr_array_add (f->argv, g_strdup ("--content"));
  g_ptr_array_add (f->argv, kiosk_test_asset_path ("content/default"));
  g_ptr_array_add (f->argv, g_strdup ("--size"));
  g_ptr_array_add (f->argv, g_strdup ("1080x1920"));
  if (tc->demo)
    g_ptr_array_add (f->argv, g_strdup ("--demo"));
  g_ptr_array_add (f->argv, NULL);
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

/* Runs the test body once the window is on screen, then closes it: the
 * application goes through startup, activate and shutdown as in real life. */
static void
on_window (GtkWidget *window, gpointer data)
{
  Fixture *f = data;
  const Case *tc = g_object_get_data (G_OBJECT (f->app), "test-case");

  f->window = KIOSK_WINDOW (window);
  tc->body (f);
  f->window = NULL;
}

static void
run_case (Fixture *f, gconstpointer data)
{
  g_object_set_data (G_OBJECT (f->app), "test-case", (gpointer)data);
  kiosk_ui_test_run_app (G_APPLICATION (f->app), f->argv, on_window, f);
}

/* Walks what a person could see: widgets hidden, or under a hidden parent, are skipped. */
static gboolean
label_is (GtkWidget *widget, gpointer text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
has_label (GtkWidget *root, const char *text)
{
  return kiosk_ui_test_find_widget (root, label_is, (gpointer)text) != NULL;
}

static gboolean
label_has_cjk (GtkWidget *widget, gpointer allowed)
{
  const char *text;

  if (!GTK_IS_LABEL (widget))
    return FALSE;
  text = gtk_label_get_text (GTK_LABEL (widget));
  return kiosk_ui_text_has_cjk (text) && !g_strv_contains (allowed, text);
}

static const KioskService *
first_service (Fixture *f, const KioskCategory **category)
{
  KioskBundle *bundle = kiosk_content_get_bundle (kiosk_application_get_content (f->app));
  g_autoptr (GPtrArray) services = NULL;

  *category = g_ptr_array_index (kiosk_bundle_get_categories (bundle), 0);
  services = kiosk_bundle_services_in (bundle, *category);
  g_assert_cmpuint (services->len, >, 0);
  return g_ptr_array_index (services, 0);
}

static void
test_starts_home (Fixture *f)
{
  GtkWidget *root = GTK_WIDGET (f->window);

  g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "home");
  g_assert_false (kiosk_window_get_out_of_service (f->window));
  g_assert_cmpstr (kiosk_application_get_language (f->app), ==, "zh");
  g_assert_true (has_label (root, "取号"));
  g_assert_true (has_label (root, "健身俱乐部"));
  g_assert_true (has_label (root, "办事指南"));
  g_assert_true (has_label (root, "通知公告"));
  g_assert_true (has_label (root, "邻里共享社区综合服务中心"));
  /* Header time and date come from the (fake) kiosk clock. */
  g_assert_true (has_label (root, "10:00"));
  g_assert_true (has_label (root, "2026年11月23日 星期一"));
  /* The newest valid announcement is on the home screen. */
  g_assert_true (has_label (root, "健身俱乐部冬季开放时间"));
  g_assert_cmpint (gtk_widget_get_width (root), ==, 1080);
  g_assert_cmpint (gtk_widget_get_height (root), ==, 1920);
}

static void
test_tiles_open_screens (Fixture *f)
{
  static const struct
  {
    const char *screen;
    const char *shows; /* a text from the bundle that screen must show */
  } tiles[] = {
    { "ticket", "居住与户籍" },
    { "fitness", "共享俱乐部" },
    { "guide", "社会保险" },
    { "notices", "律师值班时间" },
  };
  GtkWidget *root = GTK_WIDGET (f->window);

  for (gsize i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", tiles[i].screen);
      g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, tiles[i].screen);
      g_assert_true (has_label (kiosk_window_get_screen_widget (f->window, tiles[i].screen), tiles[i].shows));
      kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.home", NULL);
      g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "home");
      g_assert_true (has_label (root, "取号"));
    }
}

static void
test_guide_pages (Fixture *f)
{
  KioskGuideView *guide = KIOSK_GUIDE_VIEW (kiosk_window_get_screen_widget (f->window, "guide"));
  const KioskCategory *category;
  const KioskService *service = first_service (f, &category);
  const KioskText *document;

  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "guide");
  g_assert_cmpstr (kiosk_guide_view_get_page (guide), ==, "categories");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "guide.category", category->id);
  g_assert_cmpstr (kiosk_guide_view_get_page (guide), ==, "services");
  g_assert_true (has_label (GTK_WIDGET (guide), category->name.zh));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "guide.service", service->id);
  g_assert_cmpstr (kiosk_guide_view_get_page (guide), ==, "detail");
  g_assert_true (has_label (GTK_WIDGET (guide), service->name.zh));
  g_assert_nonnull (service->documents);
  g_assert_cmpuint (service->documents->len, >, 0);
  document = g_ptr_array_index (service->documents, 0);
  g_assert_true (has_label (GTK_WIDGET (guide), document->zh));
  g_assert_true (has_label (GTK_WIDGET (guide), "请携带"));

  /* The detail page stays put across a language switch, relabelled. */
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);
  g_assert_cmpstr (kiosk_guide_view_get_page (guide), ==, "detail");
  g_assert_true (has_label (GTK_WIDGET (guide), document->en));
  g_assert_true (has_label (GTK_WIDGET (guide), "Please bring"));
  g_assert_false (has_label (GTK_WIDGET (guide), document->zh));

  kiosk_ui_test_press (GTK_WIDGET (f->window), "guide.back", NULL);
  g_assert_cmpstr (kiosk_guide_view_get_page (guide), ==, "services");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "guide.back", NULL);
  g_assert_cmpstr (kiosk_guide_view_get_page (guide), ==, "categories");

  /* Leaving and coming back starts at the categories. */
  kiosk_ui_test_press (GTK_WIDGET (f->window), "guide.category", category->id);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.home", NULL);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "guide");
  g_assert_cmpstr (kiosk_guide_view_get_page (guide), ==, "categories");
}

static void
test_language_switch (Fixture *f)
{
  static const char *const screens[] = { "home", "ticket", "fitness", "guide", "notices" };
  /* The language button names Chinese in Chinese on purpose. */
  const char *const allowed[] = { "中文", NULL };
  GtkWidget *root = GTK_WIDGET (f->window);
  GtkWidget *cjk;

  g_assert_true (has_label (root, "取号"));
  g_assert_true (has_label (root, "English"));
  g_assert_false (has_label (root, "Take a number"));

  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);
  g_assert_cmpstr (kiosk_application_get_language (f->app), ==, "en");
  g_assert_true (has_label (root, "Take a number"));
  g_assert_true (has_label (root, "Linli Shared Community Service Centre"));
  g_assert_true (has_label (root, "Monday, 23 November 2026"));
  g_assert_true (has_label (root, "中文"));
  g_assert_false (has_label (root, "取号"));

  /* Every string on every screen switched, not only the home tiles. */
  for (gsize i = 0; i < G_N_ELEMENTS (screens); i++)
    {
      if (i > 0)
        kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", screens[i]);
      cjk = kiosk_ui_test_find_widget (root, label_has_cjk, (gpointer)allowed);
      if (cjk != NULL)
        g_error ("%s screen in English still shows \"%s\"", screens[i], gtk_label_get_text (GTK_LABEL (cjk)));
    }

  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);
  g_assert_cmpstr (kiosk_application_get_language (f->app), ==, "zh");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.home", NULL);
  g_assert_true (has_label (root, "取号"));
  g_assert_false (has_label (root, "首页")); /* no home button on the home screen */
  g_assert_false (has_label (root, "Take a number"));
}

static void
test_large_text (Fixture *f)
{
  GtkWidget *root = GTK_WIDGET (f->window);
  KioskHomeView *home = KIOSK_HOME_VIEW (kiosk_window_get_screen_widget (f->window, "home"));

  g_assert_false (gtk_widget_has_css_class (root, "large-text"));
  g_assert_cmpuint (kiosk_home_view_get_columns (home), ==, 2);

  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.large-text", NULL);
  g_assert_true (kiosk_application_get_large_text (f->app));
  g_assert_true (gtk_widget_has_css_class (root, "large-text"));
  /* Portrait: one large tile a row. */
  g_assert_cmpuint (kiosk_home_view_get_columns (home), ==, 1);
  /* Still within the screen. */
  kiosk_ui_test_iterate ();
  g_assert_cmpint (gtk_widget_get_height (root), ==, 1920);

  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.large-text", NULL);
  g_assert_false (kiosk_application_get_large_text (f->app));
  g_assert_false (gtk_widget_has_css_class (root, "large-text"));
  g_assert_cmpuint (kiosk_home_view_get_columns (home), ==, 2);
}

static void
test_idle_timeout (Fixture *f)
{
  GtkWidget *root = GTK_WIDGET (f->window);
  int timeout = kiosk_application_get_idle_timeout (f->app);

  g_assert_cmpint (timeout, ==, 60);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "guide");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.large-text", NULL);

  kiosk_clock_advance (f->clock, (timeout - 1) * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "guide");
  g_assert_cmpstr (kiosk_application_get_language (f->app), ==, "en");

  /* A touch starts the wait again. */
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "notices");
  kiosk_clock_advance (f->clock, (timeout - 1) * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "notices");

  kiosk_clock_advance (f->clock, 2 * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "home");
  g_assert_cmpstr (kiosk_application_get_language (f->app), ==, "zh");
  g_assert_false (kiosk_application_get_large_text (f->app));
  g_assert_false (gtk_widget_has_css_class (root, "large-text"));
  g_assert_true (has_label (root, "取号"));

  /* At rest nothing more happens. */
  kiosk_clock_advance (f->clock, 10 * timeout * G_USEC_PER_SEC);
  g_assert_false (kiosk_window_check_idle (f->window));
}

static void
test_out_of_service (Fixture *f)
{
  KioskStore *store = kiosk_application_get_store (f->app);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (store);
  g_assert_false (kiosk_window_get_out_of_service (f->window));

  /* A write that hit a full disk makes the store unhealthy... */
  kiosk_store_set_error (store, SQLITE_FULL, "test write", NULL);
  g_assert_false (kiosk_store_get_healthy (store));
  g_assert_true (kiosk_window_get_out_of_service (f->window));
  g_assert_true (has_label (GTK_WIDGET (f->window), "暂停服务"));
  g_assert_true (has_label (GTK_WIDGET (f->window), "Out of service"));

  /* ...and the next good write brings the kiosk back. */
  g_assert_true (kiosk_store_report (store, "test", "disk has room again", &error));
  g_assert_no_error (error);
  g_assert_true (kiosk_store_get_healthy (store));
  g_assert_false (kiosk_window_get_out_of_service (f->window));
  g_assert_false (has_label (GTK_WIDGET (f->window), "暂停服务"));
}

static void
test_store_unavailable (Fixture *f)
{
  /* The state folder is a file: no database, so no service, but no crash. */
  g_assert_null (kiosk_application_get_store (f->app));
  g_assert_true (kiosk_window_get_out_of_service (f->window));
  g_assert_true (has_label (GTK_WIDGET (f->window), "暂停服务"));
}

/* Takes every read, as the appointment check-in would take its own. */
static gboolean
on_card_read (KioskApplication *app, const char *reader_id, KioskCardRead *read, GPtrArray *reads)
{
  g_assert_cmpstr (reader_id, ==, KIOSK_KEYBOARD_READER_ID);
  g_ptr_array_add (reads, kiosk_card_read_copy (read));
  return TRUE;
}

static gboolean
is_card_keys (gpointer item, gpointer data)
{
  return g_strcmp0 (gtk_event_controller_get_name (item), "demo-card-keys") == 0;
}

static void
test_demo_card_keys (Fixture *f)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));
  g_autoptr (GPtrArray) reads = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_card_read_free);
  GtkEventController *keys = NULL;
  static const guint typed[] = { GDK_KEY_0, GDK_KEY_0, GDK_KEY_1, GDK_KEY_2, GDK_KEY_3,     GDK_KEY_4,
                                 GDK_KEY_5, GDK_KEY_6, GDK_KEY_7, GDK_KEY_8, GDK_KEY_Return };
  const KioskCardRead *read;

  g_assert_true (kiosk_application_get_demo (f->app));
  g_assert_true (g_file_test (kiosk_application_get_slip_dir (f->app), G_FILE_TEST_IS_DIR));
  g_assert_true (g_str_has_prefix (kiosk_application_get_slip_dir (f->app), f->dir));

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && keys == NULL; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (controllers, i);

      if (is_card_keys (item, NULL))
        keys = GTK_EVENT_CONTROLLER (item);
    }
  g_assert_nonnull (keys);
  g_assert_true (gtk_event_controller_get_propagation_phase (keys) == GTK_PHASE_CAPTURE);

  g_signal_connect (f->app, "card-read", G_CALLBACK (on_card_read), reads);
  for (gsize i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      gboolean handled = FALSE;

      g_signal_emit_by_name (keys, "key-pressed", typed[i], 0, (GdkModifierType)0, &handled);
      /* The digits never reach the screen. */
      g_assert_true (handled);
    }
  g_assert_cmpuint (reads->len, ==, 1);
  /* Classified as a reader's read would be: a decimal badge UID, normalised. */
  read = g_ptr_array_index (reads, 0);
  g_assert_cmpint (read->kind, ==, KIOSK_CARD_KIND_CARD_UID);
  g_assert_cmpstr (read->value, ==, "00BC614E");
  /* Taken by the handler: no answer on screen. */
  g_assert_null (kiosk_entry_overlay_get_feedback (kiosk_window_get_entry_overlay (f->window)));
}

static void
test_no_card_keys_outside_demo (Fixture *f)
{
  g_autoptr (GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));

  g_assert_false (kiosk_application_get_demo (f->app));
  g_assert_null (kiosk_application_get_slip_dir (f->app));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (controllers, i);

      g_assert_false (is_card_keys (item, NULL));
    }
}

static void
test_screenshot (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "home.png", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = NULL;

  g_assert_true (kiosk_screenshot_save (GTK_WIDGET (f->window), path, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1080);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 1920);
}

/* Xvfb has no session bus. GTK says so once per start and carries on; that
 * one warning must not count as a failure (warnings are fatal here). */
static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = fields[i].value;
    }
  if (g_strcmp0 (domain, "Gtk") == 0 && message != NULL
      && g_str_has_prefix (message, "Unable to acquire session bus"))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

int
main (int argc, char *argv[])
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  /* Software rendering: Xvfb has no GPU, and the same pixels everywhere. */
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display: run under xvfb-run\n");
      return 0;
    }

#define ADD(path, demo, broken, fn)                                                                          \
  do                                                                                                         \
    {                                                                                                        \
      static const Case tc = { demo, broken, fn };                                                           \
      g_test_add ("/kiosk/ui/shell/" path, Fixture, &tc, fixture_setup, run_case, fixture_teardown);         \
    }                                                                                                        \
  while (0)
  ADD ("starts-home", FALSE, FALSE, test_starts_home);
  ADD ("tiles-open-screens", FALSE, FALSE, test_tiles_open_screens);
  ADD ("guide-pages", FALSE, FALSE, test_guide_pages);
  ADD ("language-switch", FALSE, FALSE, test_language_switch);
  ADD ("large-text", FALSE, FALSE, test_large_text);
  ADD ("idle-timeout", FALSE, FALSE, test_idle_timeout);
  ADD ("out-of-service", FALSE, FALSE, test_out_of_service);
  ADD ("store-unavailable", FALSE, TRUE, test_store_unavailable);
  ADD ("demo-card-keys", TRUE, FALSE, test_demo_card_keys);
  ADD ("no-card-keys-outside-demo", FALSE, FALSE, test_no_card_keys_outside_demo);
  ADD ("screenshot", FALSE, FALSE, test_screenshot);
#undef ADD
  return g_test_run ();
}
