/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-demo-bus"

#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>

#include "kiosk-application.h"
#include "kiosk-demo-bus.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-window.h"

/* linli-kiosk --demo's input path on the session bus (kiosk-demo-bus.h),
 * called from another connection as bench/soak does: a private bus, a real
 * (Xvfb) display, a fake clock on a Monday morning, demo mode's members. */

typedef struct
{
  char *dir;
  KioskClock *clock;
  KioskApplication *app;
  KioskWindow *window;
  GDBusConnection *caller;
  GPtrArray *argv;
} Fixture;

typedef struct
{
  gboolean demo;
  void (*body) (Fixture *f);
  const char *config; /* kiosk.conf text for --config, "@" standing for the test's folder */
} Case;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const Case *tc = data;
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) monday = g_date_time_new (tz, 2026, 11, 23, 10, 0, 0);

  f->dir = kiosk_test_make_tmpdir ("ui-demo-bus");
  f->clock = kiosk_clock_new_fake (NULL, monday);
  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "clock", f->clock, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  f->argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->argv, g_strdup ("linli-kiosk"));
  if (tc->demo)
    g_ptr_array_add (f->argv, g_strdup ("--demo"));
  else
    {
      g_ptr_array_add (f->argv, g_strdup ("--content"));
      g_ptr_array_add (f->argv, kiosk_test_asset_path ("content/default"));
    }
  g_ptr_array_add (f->argv, g_strdup ("--state-dir"));
  g_ptr_array_add (f->argv, g_build_filename (f->dir, "state", NULL));
  g_ptr_array_add (f->argv, g_strdup ("--size"));
  g_ptr_array_add (f->argv, g_strdup ("1080x1920"));
  if (tc->config != NULL)
    {
      g_autoptr (GString) text = g_string_new (tc->config);
      g_autofree char *path = g_build_filename (f->dir, "kiosk.conf", NULL);

      g_string_replace (text, "@", f->dir, 0);
      g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
      g_ptr_array_add (f->argv, g_strdup ("--config"));
      g_ptr_array_add (f->argv, g_steal_pointer (&path));
    }
  g_ptr_array_add (f->argv, NULL);
  /* Another connection, as the soak's own process has. */
  f->caller = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SESSION_BUS_ADDRESS"),
                                                      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                      NULL, NULL, NULL);
  g_assert_nonnull (f->caller);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_true (g_dbus_connection_close_sync (f->caller, NULL, NULL));
  /* The connection's worker lets go of it in its own time. */
  g_clear_object (&f->caller);
  kiosk_ui_test_assert_finalized (g_steal_pointer (&f->app));
  kiosk_ui_test_assert_finalized (f->clock);
  g_ptr_array_unref (f->argv);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
on_reply (GObject *source, GAsyncResult *result, gpointer data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

/* Calls a demo method on the kiosk and runs its main loop until the answer. */
static GVariant *
call (Fixture *f, const char *method, GVariant *parameters, const char *reply_type, GError **error)
{
  GDBusConnection *kiosk_bus = g_application_get_dbus_connection (G_APPLICATION (f->app));
  g_autoptr (GAsyncResult) result = NULL;

  /* Generous: a ticket draws five screens, slow under the sanitizers. */
  g_dbus_connection_call (f->caller, g_dbus_connection_get_unique_name (kiosk_bus),
                          g_application_get_dbus_object_path (G_APPLICATION (f->app)),
                          KIOSK_DEMO_BUS_INTERFACE, method, parameters, G_VARIANT_TYPE (reply_type),
                          G_DBUS_CALL_FLAGS_NONE, 120000, NULL, on_reply, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_dbus_connection_call_finish (f->caller, result, error);
}

static guint
count_files (const char *dir, const char *suffix)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    n += g_str_has_suffix (name, suffix);
  return n;
}

/* A member's badge and a stranger's: the decision a reader's read gets. */
static void
test_card_read (Fixture *f)
{
  g_autoptr (GVariant) member = NULL;
  g_autoptr (GVariant) again = NULL;
  g_autoptr (GVariant) stranger = NULL;
  g_autoptr (GError) error = NULL;
  gboolean granted;
  const char *title;

  member = call (f, "CardRead", g_variant_new ("(s)", "0012345678"), "(bs)", &error);
  g_assert_no_error (error);
  g_variant_get (member, "(b&s)", &granted, &title);
  g_assert_true (granted);
  g_assert_cmpstr (title, ==, "Welcome");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (kiosk_window_get_entry_overlay (f->window))));

  again = call (f, "CardRead", g_variant_new ("(s)", "0012345678"), "(bs)", &error);
  g_assert_no_error (error);
  g_variant_get (again, "(b&s)", &granted, &title);
  g_assert_false (granted);

  stranger = call (f, "CardRead", g_variant_new ("(s)", "3999999999"), "(bs)", &error);
  g_assert_no_error (error);
  g_variant_get (stranger, "(b&s)", &granted, &title);
  g_assert_false (granted);
  g_assert_cmpstr (title, ==, "Card not registered");
}

/* Three taps on the real buttons, the slip printed into the demo folder,
 * Done, and home again; looking at each screen or tapping through. */
static void
test_take_ticket (Fixture *f)
{
  g_autofree char *slips = g_build_filename (f->dir, "state", "slips", NULL);
  g_autoptr (GError) error = NULL;

  for (guint turn = 0; turn < 2; turn++)
    {
      g_autoptr (GVariant) reply
          = call (f, "TakeTicket", g_variant_new ("(ub)", turn, turn == 0), "(sss)", &error);
      const char *service, *label, *print;

      g_assert_no_error (error);
      g_variant_get (reply, "(&s&s&s)", &service, &label, &print);
      g_assert_cmpstr (service, ==, turn == 0 ? "residence-permit" : "residence-renewal");
      g_assert_cmpstr (label, ==, turn == 0 ? "A001" : "A002");
      g_assert_cmpstr (print, ==, "printed");
      g_assert_cmpuint (count_files (slips, ".png"), ==, turn + 1);
      g_assert_cmpstr (kiosk_window_get_screen (f->window), ==, "home");
    }
}

/* Issue #17 item 11: demo mode with a --config that names a printer prints
 * there, not into the demo's own folder. */
static void
test_config_printer (Fixture *f)
{
  g_autofree char *printer = g_build_filename (f->dir, "printer", NULL);
  g_autofree char *slips = g_build_filename (f->dir, "state", "slips", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = call (f, "TakeTicket", g_variant_new ("(ub)", 0, FALSE), "(sss)", &error);
  const char *service, *label, *print;

  g_assert_no_error (error);
  g_variant_get (reply, "(&s&s&s)", &service, &label, &print);
  g_assert_cmpstr (print, ==, "printed");
  g_assert_cmpuint (count_files (printer, ".png"), ==, 1);
  g_assert_cmpuint (count_files (slips, ".png"), ==, 0);
}

/* The frame after the call, even when nothing on screen changes. */
static void
test_frame (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) first = call (f, "Frame", NULL, "()", &error);
  g_autoptr (GVariant) second = NULL;

  g_assert_no_error (error);
  second = call (f, "Frame", NULL, "()", &error);
  g_assert_no_error (error);
}

/* A kiosk in service exports nothing of it. */
static void
test_not_in_service (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = call (f, "CardRead", g_variant_new ("(s)", "0012345678"), "(bs)", &error);

  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD)
                 || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE)
                 || g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT));
}

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

int
main (int argc, char *argv[])
{
  g_autoptr (GTestDBus) bus = NULL;
  int status;

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display: run under xvfb-run\n");
      return 0;
    }
  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);

#define ADD(path, demo, fn, config)                                                                          \
  do                                                                                                         \
    {                                                                                                        \
      static const Case tc = { demo, fn, config };                                                           \
      g_test_add ("/kiosk/ui/demo-bus/" path, Fixture, &tc, fixture_setup, run_case, fixture_teardown);      \
    }                                                                                                        \
  while (0)
  ADD ("card-read", TRUE, test_card_read, NULL);
  ADD ("take-ticket", TRUE, test_take_ticket, NULL);
  ADD ("config-printer", TRUE, test_config_printer, "[printer]\ntransport = folder\nfolder = @/printer\n");
  ADD ("frame", TRUE, test_frame, NULL);
  ADD ("not-in-service", FALSE, test_not_in_service, NULL);
#undef ADD

  status = g_test_run ();
  g_test_dbus_down (bus);
  return status;
}
