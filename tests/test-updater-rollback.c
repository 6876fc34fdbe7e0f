/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-updater"

/* KioskUpdater's rollback at start against the stand-in hub
 * (updater-test-hub.h): a release that crash-loops within the window goes
 * back to the previous one and is not taken again, starts spread beyond the
 * window do not count, and a release broken on disk falls back to the
 * previous one, then to the packaged bundle. */

#include <string.h>

#include "updater-test-hub.h"

/* A release that makes the kiosk crash twice within the window is rolled
 * back at the second start, reported, and not taken again. */
static void
test_crash_loop (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  publish (f, 3);
  check_ok (f);
  g_assert_cmpint (link_release (f, "previous"), ==, 2);

  kiosk_clock_advance (f->clock, G_TIME_SPAN_MINUTE);
  make_updater (f, 30); /* crash 1 */
  g_assert_cmpint (bundle_release (f), ==, 3);
  g_assert_null (kiosk_updater_get_last_error (f->updater));

  kiosk_clock_advance (f->clock, G_TIME_SPAN_MINUTE);
  make_updater (f, 30); /* crash 2 */
  g_assert_cmpint (bundle_release (f), ==, 2);
  g_assert_cmpint (kiosk_updater_get_current_release (f->updater), ==, 2);
  g_assert_cmpint (link_release (f, "current"), ==, 2);
  g_assert_cmpint (link_release (f, "previous"), ==, 0);
  g_assert_nonnull (strstr (kiosk_updater_get_last_error (f->updater), "Content rolled back"));
  g_assert_cmpint (count_events (f, "content-rolled-back", "release 3 → 2: started 2 times%"), ==, 1);

  /* The hub still offers 3: refused without fetching a file. */
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_REPLAY);
  g_assert_cmpint (bundle_release (f), ==, 2);

  /* Later starts stay on 2; a fixed release 4 is taken. */
  kiosk_clock_advance (f->clock, G_TIME_SPAN_MINUTE);
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 2);
  publish (f, 4);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 4);
}

/* Starts spread beyond the window are not a crash loop. */
static void
test_crash_window (Fixture *f, gconstpointer data)
{
  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  publish (f, 3);
  check_ok (f);
  kiosk_clock_advance (f->clock, 5 * G_TIME_SPAN_MINUTE);
  make_updater (f, 30);
  kiosk_clock_advance (f->clock, 6 * G_TIME_SPAN_MINUTE);
  make_updater (f, 30);
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 3);
  g_assert_cmpint (count_events (f, "content-rolled-back", "%"), ==, 0);
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
  ADD ("/kiosk/updater/crash-loop", test_crash_loop, NULL);
  ADD ("/kiosk/updater/crash-window", test_crash_window, NULL);
  ADD ("/kiosk/updater/broken-at-start", test_broken_at_start, NULL);
#undef ADD
  return g_test_run ();
}
