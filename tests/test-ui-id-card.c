/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-id-card"

#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>

#include "ga450-fake.h"
#include "kiosk-application.h"
#include "kiosk-appointment.h"
#include "kiosk-entry-overlay.h"
#include "kiosk-gate.h"
#include "kiosk-reader-manager.h"
#include "kiosk-screenshot.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-window.h"

/* A chip ID card reader through the whole application on a real (Xvfb)
 * display: a fake GA 450 reader on a pseudo-terminal, named in the settings
 * as a technician would, a fake clock on 2026-12-03. The test puts cards on
 * the reader and looks at what a person sees; at the end it searches the
 * kiosk's files and everything logged for the holder's name and number. */

#define NAME "张小三"
#define NUMBER "11010519491231002X"

typedef struct
{
  char *dir;
  char *link;
  Ga450Fake *fake;
  KioskClock *clock;
  KioskApplication *app;
  KioskWindow *window;
  GPtrArray *argv;
  guint n_reads;
} Fixture;

/* Everything logged while the tests run, to search for personal data. */
static GString *logged;

static GLogWriterOutput
capture_log (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  if (message != NULL)
    g_string_append_printf (logged, "%s\n", message);
  /* No session bus under the test runner: not the kiosk's business. */
  if (g_strcmp0 (domain, "Gtk") == 0 && message != NULL
      && g_str_has_prefix (message, "Unable to acquire session bus"))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

static GBytes *
card_text (const char *valid_until)
{
  Ga450TestCard c = *ga450_test_card_zhang ();

  c.name = NAME;
  c.valid_until = valid_until;
  return ga450_test_text_block (&c);
}

static void
write_file (const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) start = g_date_time_new (tz, 2026, 12, 3, 10, 0, 0);
  g_autofree char *conf = NULL;

  f->dir = kiosk_test_make_tmpdir ("ui-id-card");
  f->link = g_build_filename (f->dir, "id-reader", NULL);
  f->fake = ga450_fake_new (f->link);
  /* No udev tag: the test must not take this machine's input devices. */
  conf = g_strdup_printf ("[readers]\nudev_tag = false\nid_card_ports = %s\n\n"
                          "[door]\nbackend = log\n",
                          f->link);
  write_file (f->dir, "kiosk.conf", conf);

  f->clock = kiosk_clock_new_fake (NULL, start);
  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "clock", f->clock, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  f->argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (f->argv, g_strdup ("linli-kiosk"));
  g_ptr_array_add (f->argv, g_strdup ("--config"));
  g_ptr_array_add (f->argv, g_build_filename (f->dir, "kiosk.conf", NULL));
  g_ptr_array_add (f->argv, g_strdup ("--state-dir"));
  g_ptr_array_add (f->argv, g_build_filename (f->dir, "state", NULL));
  g_ptr_array_add (f->argv, g_strdup ("--content"));
  g_ptr_array_add (f->argv, kiosk_test_asset_path ("content/default"));
  g_ptr_array_add (f->argv, g_strdup ("--size"));
  g_ptr_array_add (f->argv, g_strdup ("1080x1920"));
  g_ptr_array_add (f->argv, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_ui_test_assert_finalized (g_steal_pointer (&f->app));
  kiosk_ui_test_assert_finalized (f->clock);
  g_ptr_array_unref (f->argv);
  ga450_fake_free (f->fake);
  kiosk_test_remove_tree (f->dir);
  g_free (f->link);
  g_free (f->dir);
}

/* Every read from the gate's readers (the application's ::card-read stops at
 * the first screen that takes it). */
static void
count_read (KioskGate *gate, const char *reader_id, KioskCardRead *read, Fixture *f)
{
  if (g_str_has_prefix (reader_id, "id-card:"))
    f->n_reads++;
}

static const KioskFeedback *
shown (Fixture *f)
{
  return kiosk_entry_overlay_get_feedback (kiosk_window_get_entry_overlay (f->window));
}

static gboolean
wait_until (gboolean (*done) (Fixture *f, gconstpointer data), Fixture *f, gconstpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (f, data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }
  return TRUE;
}

static gboolean
feedback_hint_has (Fixture *f, gconstpointer text)
{
  const KioskFeedback *feedback = shown (f);

  return feedback != NULL && feedback->hint_zh != NULL && strstr (feedback->hint_zh, text) != NULL;
}

static gboolean
nothing_shown (Fixture *f, gconstpointer data)
{
  return shown (f) == NULL;
}

static gboolean
reads_at_least (Fixture *f, gconstpointer n)
{
  return f->n_reads >= GPOINTER_TO_UINT (n);
}

static gboolean
label_is (GtkWidget *widget, gpointer text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget)
         && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
label_shown (Fixture *f, gconstpointer text)
{
  return kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_is, (gpointer)text) != NULL;
}

static gboolean
label_has (GtkWidget *widget, gpointer text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static void
screenshot (Fixture *f, const char *name)
{
  const char *dir = g_getenv ("KIOSK_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  kiosk_ui_test_settle (GTK_WIDGET (f->window));
  kiosk_screenshot_save (GTK_WIDGET (f->window), path, &error);
  g_assert_no_error (error);
}

/* Nothing the card said is in the kiosk's files or in what it logged. */
static void
assert_nothing_kept (Fixture *f)
{
  g_autofree char *state = g_build_filename (f->dir, "state", NULL);
  g_autoptr (GDir) dir = g_dir_open (state, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (state, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)
          || !g_file_get_contents (path, &contents, &length, NULL))
        continue;
      files++;
      g_assert_null (g_strstr_len (contents, (gssize)length, NAME));
      g_assert_null (g_strstr_len (contents, (gssize)length, NUMBER));
      g_assert_null (g_strstr_len (contents, (gssize)length, "19491231002"));
      g_assert_null (g_strstr_len (contents, (gssize)length, "景山前街"));
    }
  g_assert_cmpuint (files, >, 0);
  g_assert_null (strstr (logged->str, NAME));
  g_assert_null (strstr (logged->str, NUMBER));
  g_assert_null (strstr (logged->str, "景山前街"));
  /* Nor on screen: the name only masked, the number never. */
  g_assert_null (kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_has, (gpointer)NAME));
  g_assert_null (kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_has, (gpointer)NUMBER));
}

static void
on_window (GtkWidget *window, gpointer data)
{
  Fixture *f = data;
  g_autoptr (GBytes) valid = card_text ("长期");
  g_autoptr (GBytes) expired = card_text ("20261202");
  KioskReaderManager *readers;
  g_autoptr (GPtrArray) health = NULL;

  f->window = KIOSK_WINDOW (window);
  g_signal_connect (kiosk_application_get_gate (f->app), "read", G_CALLBACK (count_read), f);
  kiosk_ui_test_iterate ();

  /* Card in on the home screen: greeted by a masked name. */
  ga450_fake_set_card (f->fake, valid);
  g_assert_true (wait_until (reads_at_least, f, GUINT_TO_POINTER (1)));
  g_assert_nonnull (shown (f));
  g_assert_cmpstr (shown (f)->title_zh, ==, "张*三，您好");
  g_assert_true (shown (f)->granted);
  screenshot (f, "id-card-greeting-zh.png");

  /* Held on the reader: read once. */
  for (guint until = ga450_fake_count_finds (f->fake) + 8; ga450_fake_count_finds (f->fake) < until;)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  g_assert_cmpuint (f->n_reads, ==, 1);
  g_assert_cmpuint (ga450_fake_count_reads (f->fake), ==, 1);

  /* Taken away, and a card that expired yesterday put down. */
  ga450_fake_set_card (f->fake, NULL);
  for (guint until = ga450_fake_count_finds (f->fake) + 3; ga450_fake_count_finds (f->fake) < until;)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  ga450_fake_set_card (f->fake, expired);
  g_assert_true (wait_until (feedback_hint_has, f, "已于 2026-12-02 到期"));
  screenshot (f, "id-card-expired-zh.png");

  /* At appointment check-in the expired card gets a refusal, not a ticket.
   * (The home screen's answer first goes away, on the kiosk's clock.) */
  ga450_fake_set_card (f->fake, NULL);
  kiosk_clock_advance (f->clock, KIOSK_ENTRY_OVERLAY_SECONDS * G_USEC_PER_SEC);
  g_assert_true (wait_until (nothing_shown, f, NULL));
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.show", "ticket");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "ticket.appointment", NULL);
  kiosk_ui_test_iterate ();
  for (guint until = ga450_fake_count_finds (f->fake) + 3; ga450_fake_count_finds (f->fake) < until;)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  ga450_fake_set_card (f->fake, expired);
  g_assert_true (wait_until (label_shown, f, "身份证已过期，请到窗口办理"));
  screenshot (f, "id-card-check-in-expired-zh.png");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);
  g_assert_true (wait_until (label_shown, f, "This ID card has expired; please go to the desk"));
  screenshot (f, "id-card-check-in-expired-en.png");
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.toggle-language", NULL);

  /* A booking made with the number checks in with a valid card, greeted. */
  ga450_fake_set_card (f->fake, NULL);
  g_assert_true (kiosk_appointment_import_data (kiosk_application_get_queue (f->app),
                                                "{ \"appointments\": [ { \"code\": \"K7M2Q9\", "
                                                "\"service\": \"residence-permit\", "
                                                "\"slot\": \"2026-12-03T10:00:00+08:00\", "
                                                "\"id_number\": \"" NUMBER "\" } ] }",
                                                -1, NULL, NULL));
  for (guint until = ga450_fake_count_finds (f->fake) + 3; ga450_fake_count_finds (f->fake) < until;)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  ga450_fake_set_card (f->fake, valid);
  g_assert_true (wait_until (label_shown, f, "张*三，您好！取号成功"));
  screenshot (f, "id-card-check-in-zh.png");

  /* Unplugged: the reader's health says so; plugged back: it reads again. */
  readers = kiosk_gate_get_readers (kiosk_application_get_gate (f->app));
  ga450_fake_unplug (f->fake);
  kiosk_ui_test_press (GTK_WIDGET (f->window), "kiosk.home", NULL);
  for (gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    {
      g_clear_pointer (&health, g_ptr_array_unref);
      health = kiosk_reader_manager_list_health (readers);
      g_assert_cmpuint (health->len, ==, 1);
      if (!((KioskReaderHealth *)g_ptr_array_index (health, 0))->present)
        break;
      g_main_context_iteration (NULL, FALSE), g_usleep (5000);
    }
  g_assert_false (((KioskReaderHealth *)g_ptr_array_index (health, 0))->present);
  ga450_fake_replug (f->fake);
  ga450_fake_set_card (f->fake, valid);
  g_assert_true (wait_until (reads_at_least, f, GUINT_TO_POINTER (5)));

  assert_nothing_kept (f);
  f->window = NULL;
}

static void
test_id_card (Fixture *f, gconstpointer data)
{
  kiosk_ui_test_run_app (G_APPLICATION (f->app), f->argv, on_window, f);
}

int
main (int argc, char *argv[])
{
  logged = g_string_new (NULL);
  g_log_set_writer_func (capture_log, NULL, NULL);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display: run under xvfb-run\n");
      return 0;
    }

  g_test_add ("/kiosk/ui/id-card/reader", Fixture, NULL, fixture_setup, test_id_card, fixture_teardown);
  return g_test_run ();
}
