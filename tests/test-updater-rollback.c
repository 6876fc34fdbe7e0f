/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-updater"

/* KioskUpdater's rollback at start against the stand-in hub
 * (updater-test-hub.h), on evidence only: runs of a new release that die
 * before it is healthy, crash_limit of them, roll it back (in this process,
 * and in a child killed with SIGKILL); clean restarts, and deaths after it
 * was healthy, do not. A release broken on disk falls back to the previous
 * one, then to the packaged bundle. */

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk-test-util.h"

#include "updater-test-hub.h"

/* Release 2 in force and healthy, then release 3 activated while running:
 * the run that activated it is open until it is healthy or stops cleanly. */
static void
activate_2_then_3 (Fixture *f)
{
  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  kiosk_updater_mark_healthy (f->updater);
  publish (f, 3);
  check_ok (f);
  g_assert_cmpint (link_release (f, "previous"), ==, 2);
  g_assert_false (kiosk_updater_get_healthy (f->updater));
}

/* A kiosk start after the last run died (SIGKILL, a crash, a power cut): the
 * updater is dropped without a clean stop. */
static void
crash_restart (Fixture *f)
{
  kiosk_clock_advance (f->clock, 10 * G_TIME_SPAN_SECOND);
  make_updater (f, 30);
}

/* systemctl restart or stop, SIGTERM: the application records a clean stop. */
static void
clean_restart (Fixture *f)
{
  kiosk_updater_record_clean_stop (f->updater);
  kiosk_clock_advance (f->clock, 10 * G_TIME_SPAN_SECOND);
  make_updater (f, 30);
}

static void
assert_not_rolled_back (Fixture *f, gint64 release)
{
  g_assert_cmpint (bundle_release (f), ==, release);
  g_assert_cmpint (link_release (f, "current"), ==, release);
  g_assert_null (kiosk_updater_get_last_error (f->updater));
  g_assert_cmpint (count_events (f, "content-rolled-back", "%"), ==, 0);
}

/* Issue #17 item 2: restarts are not crashes, however many and however soon. */
static void
test_clean_restarts (Fixture *f, gconstpointer data)
{
  activate_2_then_3 (f);
  for (guint i = 0; i < 12; i++)
    {
      clean_restart (f);
      assert_not_rolled_back (f, 3);
    }
  g_assert_false (kiosk_updater_get_healthy (f->updater));

  /* The marker the SIGTERM handler writes is proof enough, when the display
   * went first and the main loop never recorded the stop; it speaks for one
   * run only. */
  for (guint i = 0; i < 6; i++)
    {
      const char *marker = kiosk_updater_get_stop_marker (f->updater);

      g_assert_true (g_file_set_contents (marker, "", 0, NULL));
      crash_restart (f);
      assert_not_rolled_back (f, 3);
      g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
    }
  crash_restart (f);
  crash_restart (f);
  crash_restart (f);
  g_assert_cmpint (bundle_release (f), ==, 2);
}

/* Runs that die before the release is healthy, crash_limit (3) of them: the
 * release goes, the rollback is reported to the hub through the outbox, the
 * bad release number is refused and the next one is taken. */
static void
test_crash_before_healthy (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  activate_2_then_3 (f);
  crash_restart (f); /* the activating run died: 1 */
  assert_not_rolled_back (f, 3);
  clean_restart (f); /* a clean stop in between neither counts nor forgives */
  crash_restart (f); /* 2 */
  assert_not_rolled_back (f, 3);
  crash_restart (f); /* 3: rolled back */
  g_assert_cmpint (bundle_release (f), ==, 2);
  g_assert_cmpint (kiosk_updater_get_current_release (f->updater), ==, 2);
  g_assert_cmpint (link_release (f, "current"), ==, 2);
  g_assert_cmpint (link_release (f, "previous"), ==, 0);
  g_assert_nonnull (strstr (kiosk_updater_get_last_error (f->updater), "Content rolled back"));
  g_assert_cmpint (
      count_events (f, "content-rolled-back", "release 3 → 2: stopped 3 times before it was healthy%"), ==,
      1);
  g_assert_cmpint (count_outbox_status (f, "%\"event\":\"content-rolled-back\"%release 3 → 2%"), ==, 1);

  /* The hub still offers 3: refused without fetching a file, and reported. */
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_REPLAY);
  g_assert_cmpint (bundle_release (f), ==, 2);

  /* 2 was in force before: dying on it rolls nothing back. */
  for (guint i = 0; i < 5; i++)
    crash_restart (f);
  g_assert_cmpint (bundle_release (f), ==, 2);
  g_assert_cmpint (count_events (f, "content-rolled-back", "%"), ==, 1);

  /* Only release 3 is refused: the next higher one is taken. */
  publish (f, 4);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 4);
  g_assert_cmpint (link_release (f, "previous"), ==, 2);
}

/* Once healthy, a release stays, whatever stops the kiosk afterwards. */
static void
test_crash_after_healthy (Fixture *f, gconstpointer data)
{
  activate_2_then_3 (f);
  kiosk_updater_mark_healthy (f->updater);
  for (guint i = 0; i < 6; i++)
    {
      crash_restart (f);
      assert_not_rolled_back (f, 3);
      g_assert_true (kiosk_updater_get_healthy (f->updater));
    }
}

/* Healthy means: shown, and healthy_seconds more of the main loop. A clean
 * stop before then cancels the timer; a release activated later starts
 * unhealthy and is timed again. */
static void
test_healthy_after_shown (Fixture *f, gconstpointer data)
{
  gint64 deadline;

  f->healthy_seconds = 1;
  activate_2_then_3 (f);
  kiosk_updater_shown (f->updater);
  g_assert_false (kiosk_updater_get_healthy (f->updater));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!kiosk_updater_get_healthy (f->updater) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (kiosk_updater_get_healthy (f->updater));

  publish (f, 4);
  check_ok (f);
  g_assert_false (kiosk_updater_get_healthy (f->updater));
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!kiosk_updater_get_healthy (f->updater) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (kiosk_updater_get_healthy (f->updater));
  for (guint i = 0; i < 4; i++)
    crash_restart (f);
  assert_not_rolled_back (f, 4);
}

/* Runs in another process, killed with SIGKILL as a power cut or crash
 * kills the kiosk; updater-child marks the release healthy if asked. */
static void
run_and_kill (Fixture *f, gboolean healthy)
{
  g_autofree char *child = g_test_build_filename (G_TEST_BUILT, "updater-child", NULL);
  g_autofree char *db = g_build_filename (f->tmp, "kiosk.db", NULL);
  g_autofree char *fallback = kiosk_test_asset_path ("content/default");
  const char *argv[] = { child, db, f->releases_dir, fallback, healthy ? "healthy" : "unhealthy", NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;
  int status, out;
  char ready;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (read (out, &ready, 1), ==, 1);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  close (out);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
}

/* A power cut after the release was healthy, again and again: no rollback. */
static void
test_killed_after_healthy (Fixture *f, gconstpointer data)
{
  activate_2_then_3 (f);
  kiosk_updater_record_clean_stop (f->updater);
  drop_updater (f);
  run_and_kill (f, FALSE);
  run_and_kill (f, TRUE);
  for (guint i = 0; i < 4; i++)
    run_and_kill (f, FALSE);
  make_updater (f, 30);
  assert_not_rolled_back (f, 3);
  g_assert_true (kiosk_updater_get_healthy (f->updater));
}

/* Killed before it was healthy, three times: rolled back at the next start. */
static void
test_killed_before_healthy (Fixture *f, gconstpointer data)
{
  activate_2_then_3 (f);
  kiosk_updater_record_clean_stop (f->updater);
  drop_updater (f);
  for (guint i = 0; i < 3; i++)
    run_and_kill (f, FALSE);
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 2);
  g_assert_cmpint (count_events (f, "content-rolled-back", "release 3 → 2: stopped 3 times%"), ==, 1);
}

/* The release in force broke on disk while the kiosk was off. */
static void
test_broken_at_start (Fixture *f, gconstpointer data)
{
  g_autofree char *manifest = NULL;

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  publish (f, 3);
  check_ok (f);
  drop_updater (f);
  manifest = g_build_filename (f->releases_dir, "releases", "3", "manifest.json", NULL);
  g_assert_true (g_file_set_contents (manifest, "{", -1, NULL));

  kiosk_clock_advance (f->clock, G_TIME_SPAN_HOUR);
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 2);
  g_assert_cmpint (count_events (f, "content-rolled-back", "release 3 → 2: does not load%"), ==, 1);

  /* Both broken: the packaged bundle. */
  drop_updater (f);
  g_free (manifest);
  manifest = g_build_filename (f->releases_dir, "releases", "2", "manifest.json", NULL);
  g_assert_true (g_file_set_contents (manifest, "{", -1, NULL));
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 1);
  g_assert_cmpint (link_release (f, "current"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, data) g_test_add (path, Fixture, data, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/updater/rollback/clean-restarts", test_clean_restarts, NULL);
  ADD ("/kiosk/updater/rollback/crash-before-healthy", test_crash_before_healthy, NULL);
  ADD ("/kiosk/updater/rollback/crash-after-healthy", test_crash_after_healthy, NULL);
  ADD ("/kiosk/updater/rollback/healthy-after-shown", test_healthy_after_shown, NULL);
  ADD ("/kiosk/updater/rollback/killed-after-healthy", test_killed_after_healthy, NULL);
  ADD ("/kiosk/updater/rollback/killed-before-healthy", test_killed_before_healthy, NULL);
  ADD ("/kiosk/updater/rollback/broken-at-start", test_broken_at_start, NULL);
#undef ADD
  return g_test_run ();
}
