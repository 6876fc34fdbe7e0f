/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-display"

#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>

#include "kiosk-application.h"
#include "kiosk-display-power.h"
#include "kiosk-screenshot.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-window.h"

/* The screen outside opening hours, through the whole application on a real
 * (Xvfb) display and a fake clock: the hall's hours (Monday 08:30–17:30, with
 * 30 minutes either side), power commands that write to a file instead of a
 * monitor, a member list and the log door. 2026-11-23 is a Monday. The club
 * opens at 06:30, two hours before the hall. */

#define MEMBER_CARD "0012345678" /* 张三明, worker: club hours */

typedef struct
{
  char *dir;
  char *power_log;
  KioskClock *clock;
  KioskApplication *app;
  KioskWindow *window;
  KioskDisplayPower *power;
  GPtrArray *argv;
  guint door_opened;
} Fixture;

typedef struct
{
  const char *start;         /* local time the fake clock starts at */
  const char *power_command; /* NULL: write "on"/"off" to the power log */
  void (*body) (Fixture *f);
} Case;

/* Messages of the display module, for the missing-command case. */
static GPtrArray *display_messages;

static GDateTime *
local (const char *iso)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, tz);

  g_assert_nonnull (dt);
  return dt;
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
  const Case *tc = data;
  g_autoptr (GDateTime) start = local (tc->start);
  g_autofree char *conf = NULL;
  g_autofree char *off = NULL;
  g_autofree char *on = NULL;

  f->dir = kiosk_test_make_tmpdir ("ui-display");
  f->power_log = g_build_filename (f->dir, "power.log", NULL);
  write_file (f->dir, "card.key", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
  write_file (f->dir, "members.csv",
              "card,kind,name,valid_from,valid_until,status,group\n" MEMBER_CARD
              ",worker,张三明,,,active,worker\n");
  off = tc->power_command ? g_strdup (tc->power_command)
                          : g_strdup_printf ("sh -c 'echo off >> \"%s\"'", f->power_log);
  on = tc->power_command ? g_strdup (tc->power_command)
                         : g_strdup_printf ("sh -c 'echo on >> \"%s\"'", f->power_log);
  conf = g_strdup_printf ("[readers]\nudev_tag = false\n\n"
                          "[door]\nbackend = log\npulse_ms = 50\n\n"
                          "[fitness]\ncard_key_file = %s/card.key\nmember_file = %s/members.csv\n\n"
                          "[display]\nhours = hall\nwake_seconds = 60\n"
                          "power_off_command = %s\npower_on_command = %s\n",
                          f->dir, f->dir, off, on);
  write_file (f->dir, "kiosk.conf", conf);

  f->clock = kiosk_clock_new_fake (NULL, start);
  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "clock", f->clock, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  {
    g_autofree char *config_file = g_build_filename (f->dir, "kiosk.conf", NULL);

    f->argv = kiosk_ui_test_argv (config_file, f->dir, NULL, NULL);
  }
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_ui_test_assert_finalized (g_steal_pointer (&f->app));
  kiosk_ui_test_assert_finalized (f->clock);
  g_ptr_array_unref (f->argv);
  kiosk_test_remove_tree (f->dir);
  g_free (f->power_log);
  g_free (f->dir);
}

static void
on_door_state (KioskDoor *door, GParamSpec *pspec, Fixture *f)
{
  if (kiosk_door_get_state (door) == KIOSK_DOOR_STATE_OPEN)
    f->door_opened++;
}

static void
on_window (GtkWidget *window, gpointer data)
{
  Fixture *f = data;
  const Case *tc = g_object_get_data (G_OBJECT (f->app), "test-case");

  f->window = KIOSK_WINDOW (window);
  f->power = kiosk_application_get_display_power (f->app);
  g_assert_nonnull (f->power);
  g_signal_connect (kiosk_gate_get_door (kiosk_application_get_gate (f->app)), "notify::state",
                    G_CALLBACK (on_door_state), f);
  kiosk_ui_test_iterate ();

  tc->body (f);
  f->window = NULL;
}

static void
run_case (Fixture *f, gconstpointer data)
{
  g_object_set_data (G_OBJECT (f->app), "test-case", (gpointer)data);
  kiosk_ui_test_run_app (G_APPLICATION (f->app), f->argv, on_window, f);
}

/* ── Helpers ────────────────────────────────────────────────────────── */

static void
set_clock (Fixture *f, const char *iso)
{
  g_autoptr (GDateTime) at = local (iso);

  kiosk_clock_set_now (f->clock, at);
  kiosk_ui_test_iterate ();
}

/* The power commands run in the background: wait until the log reads @want. */
static void
assert_power_log (Fixture *f, const char *want)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autofree char *got = NULL;

  for (;;)
    {
      g_clear_pointer (&got, g_free);
      if (!g_file_get_contents (f->power_log, &got, NULL, NULL))
        got = g_strdup ("");
      if (g_strcmp0 (got, want) == 0 || g_get_monotonic_time () > deadline)
        break;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_assert_cmpstr (got, ==, want);
}

/* The window as a person sees it: the share of its pixels that are black.
 * Kept as KIOSK_SCREENSHOT_DIR/@name when that is set. */
static double
black_share (Fixture *f, const char *name)
{
  const char *keep = g_getenv ("KIOSK_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (keep != NULL ? keep : f->dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  int width, height;
  gsize black = 0;

  kiosk_ui_test_settle (GTK_WIDGET (f->window));
  g_assert_true (kiosk_screenshot_save (GTK_WIDGET (f->window), path, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize)width * height * 4);
  gdk_texture_download (texture, pixels, (gsize)width * 4);
  for (gsize i = 0; i < (gsize)width * height; i++)
    {
      const guchar *p = pixels + i * 4; /* B G R A, premultiplied */
      if (p[0] < 8 && p[1] < 8 && p[2] < 8)
        black++;
    }
  return (double)black / ((double)width * height);
}

/* ── Cases ──────────────────────────────────────────────────────────── */

/* Lit at 17:00 and until half an hour after closing; black and powered off at
 * 18:00; lit again half an hour before the next day's opening. */
static void
test_closing_and_opening (Fixture *f)
{
  g_assert_false (kiosk_display_power_get_blanked (f->power));
  g_assert_false (kiosk_window_get_blanked (f->window));
  /* On at start: a kiosk restarted by day switches on a monitor left off. */
  assert_power_log (f, "on\n");
  g_assert_cmpfloat (black_share (f, "display-day.png"), <, 0.5);

  set_clock (f, "2026-11-23T17:59:00");
  g_assert_false (kiosk_display_power_get_blanked (f->power));
  set_clock (f, "2026-11-23T18:00:00");
  g_assert_true (kiosk_display_power_get_blanked (f->power));
  g_assert_true (kiosk_window_get_blanked (f->window));
  assert_power_log (f, "on\noff\n");
  g_assert_cmpfloat (black_share (f, "display-closed.png"), >, 0.99);

  /* The night passes without a command. */
  set_clock (f, "2026-11-24T03:00:00");
  set_clock (f, "2026-11-24T07:59:59");
  g_assert_true (kiosk_display_power_get_blanked (f->power));
  assert_power_log (f, "on\noff\n");

  set_clock (f, "2026-11-24T08:00:00");
  g_assert_false (kiosk_display_power_get_blanked (f->power));
  assert_power_log (f, "on\noff\non\n");
  g_assert_cmpfloat (black_share (f, "display-opening.png"), <, 0.5);
  g_assert_cmpuint (kiosk_display_power_get_commands_run (f->power), ==, 3);
}

/* A worker's badge at 06:00, before the club (06:30) and the hall open: the
 * screen lights and says when the club opens; the door stays shut. The wake
 * ends after wake_seconds. At 06:45 the club is open and the hall not: a tap
 * on the black screen opens the door and lights the screen. */
static void
test_badge_at_dawn (Fixture *f)
{
  const KioskFeedback *feedback;

  g_assert_true (kiosk_display_power_get_blanked (f->power));
  assert_power_log (f, "off\n");

  kiosk_application_card_read (f->app, MEMBER_CARD);
  kiosk_ui_test_iterate ();
  g_assert_false (kiosk_display_power_get_blanked (f->power));
  feedback = kiosk_entry_overlay_get_feedback (kiosk_window_get_entry_overlay (f->window));
  g_assert_nonnull (feedback);
  g_assert_false (feedback->granted);
  g_assert_cmpuint (f->door_opened, ==, 0);
  assert_power_log (f, "off\non\n");
  g_assert_cmpfloat (black_share (f, "display-woken-closed.png"), <, 0.5);

  kiosk_clock_advance (f->clock, 59 * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_false (kiosk_display_power_get_blanked (f->power));
  kiosk_clock_advance (f->clock, 2 * G_USEC_PER_SEC);
  kiosk_ui_test_iterate ();
  g_assert_true (kiosk_display_power_get_blanked (f->power));
  assert_power_log (f, "off\non\noff\n");

  set_clock (f, "2026-11-23T06:45:00");
  g_assert_true (kiosk_display_power_get_blanked (f->power));
  kiosk_application_card_read (f->app, MEMBER_CARD);
  kiosk_ui_test_iterate ();
  g_assert_false (kiosk_display_power_get_blanked (f->power));
  feedback = kiosk_entry_overlay_get_feedback (kiosk_window_get_entry_overlay (f->window));
  g_assert_nonnull (feedback);
  g_assert_true (feedback->granted);
  g_assert_cmpuint (f->door_opened, ==, 1);
  assert_power_log (f, "off\non\noff\non\n");
}

/* A power command that is not installed: one clear log line, and the screen
 * still turns black and back. */
static void
test_missing_command (Fixture *f)
{
  gboolean said_missing = FALSE;

  g_assert_true (kiosk_display_power_get_blanked (f->power));
  g_assert_true (kiosk_window_get_blanked (f->window));
  kiosk_display_power_wake (f->power);
  g_assert_false (kiosk_window_get_blanked (f->window));
  set_clock (f, "2026-11-23T10:00:00");
  set_clock (f, "2026-11-23T20:00:00");
  g_assert_true (kiosk_window_get_blanked (f->window));
  g_assert_cmpuint (kiosk_display_power_get_commands_run (f->power), ==, 0);
  for (guint i = 0; i < display_messages->len; i++)
    if (strstr (g_ptr_array_index (display_messages, i), "linli-no-such-power-tool is not installed") != NULL)
      {
        g_assert_false (said_missing);
        said_missing = TRUE;
      }
  g_assert_true (said_missing);
}

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
  if (g_strcmp0 (domain, "kiosk-display") == 0 && message != NULL)
    g_ptr_array_add (display_messages, g_strdup (message));
  if (g_strcmp0 (domain, "Gtk") == 0 && message != NULL
      && g_str_has_prefix (message, "Unable to acquire session bus"))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

int
main (int argc, char *argv[])
{
  int status;

  display_messages = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display: run under xvfb-run\n");
      return 0;
    }

#define ADD(path, start, command, fn)                                                                        \
  do                                                                                                         \
    {                                                                                                        \
      static const Case tc = { start, command, fn };                                                         \
      g_test_add ("/kiosk/ui/display/" path, Fixture, &tc, fixture_setup, run_case, fixture_teardown);       \
    }                                                                                                        \
  while (0)
  ADD ("closing-and-opening", "2026-11-23T17:00:00", NULL, test_closing_and_opening);
  ADD ("badge-at-dawn", "2026-11-23T06:00:00", NULL, test_badge_at_dawn);
  ADD ("missing-command", "2026-11-23T06:00:00", "linli-no-such-power-tool --off", test_missing_command);
  status = g_test_run ();
  g_ptr_array_unref (display_messages);
  return status;
}
