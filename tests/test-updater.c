/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-updater"

/* KioskUpdater against the stand-in hub (updater-test-hub.h) when all goes
 * well: the first start on the packaged bundle, a publish reaching the screen
 * by polling and by sync_now, the previous release kept, 304 Not Modified,
 * a release held until its not-before time, and a hub that is down. Bad
 * releases are in test-updater-rejected.c, crash-loop rollback in
 * test-updater-rollback.c. */

#include "kiosk-error.h"
#include "updater-test-hub.h"

static void
test_first_start (Fixture *f, gconstpointer data)
{
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 1);
  g_assert_cmpint (kiosk_updater_get_current_release (f->updater), ==, 1);
  g_assert_null (kiosk_updater_get_last_error (f->updater));
  g_assert_null (kiosk_updater_get_last_check (f->updater));
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* A publish reaches the screen through polling alone; the time from the
 * hub's swap of release.json to notify::bundle is printed, not asserted. */
static void
test_publish_to_swap (Fixture *f, gconstpointer data)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  KioskContent *content;
  guint notified = 0;
  guint release_notified = 0;
  guint files_before;

  make_updater (f, 1);
  content = kiosk_updater_get_content (f->updater);
  g_signal_connect (content, "notify::bundle", G_CALLBACK (count_notify), &notified);
  g_signal_connect (f->updater, "notify::current-release", G_CALLBACK (count_notify), &release_notified);
  kiosk_updater_start (f->updater);

  for (gint64 n = 2; n <= 6; n++)
    {
      gint64 t0 = g_get_monotonic_time ();
      gint64 deadline = t0 + 10 * G_USEC_PER_SEC;
      double ms;

      files_before = f->files_served;
      publish (f, n);
      while (bundle_release (f) != n && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_assert_cmpint (bundle_release (f), ==, n);
      g_assert_cmpint (kiosk_updater_get_current_release (f->updater), ==, n);
      g_assert_cmpuint (notified, ==, n - 1);
      g_assert_cmpuint (release_notified, ==, n - 1);
      /* The logo is the same in every release: fetched once, then linked. */
      g_assert_cmpuint (f->files_served - files_before, ==, n == 2 ? 3 : 2);
      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_doubles);
  g_test_message ("publish → swap, poll_seconds=1, %u releases: median %.0f ms, max %.0f ms", times->len,
                  g_array_index (times, double, times->len / 2),
                  g_array_index (times, double, times->len - 1));

  g_assert_null (kiosk_updater_get_last_error (f->updater));
  g_assert_nonnull (kiosk_updater_get_last_check (f->updater));
  g_assert_cmpint (count_events (f, "content-activated", "release %"), ==, 5);
  g_assert_cmpint (link_release (f, "current"), ==, 6);
  g_assert_cmpint (link_release (f, "previous"), ==, 5);
  assert_no_leftovers (f);
}

/* The heartbeat's nudge: publish → sync_now → swap, without waiting for a poll. */
static void
test_sync_now (Fixture *f, gconstpointer data)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  make_updater (f, 3600);
  kiosk_updater_start (f->updater);
  while (kiosk_updater_get_busy (f->updater))
    g_main_context_iteration (NULL, TRUE);

  for (gint64 n = 2; n <= 12; n++)
    {
      gint64 t0 = g_get_monotonic_time ();
      gint64 deadline = t0 + 10 * G_USEC_PER_SEC;
      double ms;

      publish (f, n);
      kiosk_updater_sync_now (f->updater);
      kiosk_updater_sync_now (f->updater); /* while busy: runs once more after */
      while (bundle_release (f) != n && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_assert_cmpint (bundle_release (f), ==, n);
      g_array_append_val (times, ms);
      while (kiosk_updater_get_busy (f->updater))
        g_main_context_iteration (NULL, TRUE);
    }
  g_array_sort (times, compare_doubles);
  g_test_message ("publish → swap, sync now, %u releases: median %.1f ms, max %.1f ms", times->len,
                  g_array_index (times, double, times->len / 2),
                  g_array_index (times, double, times->len - 1));
  /* Each second sync_now found nothing new: a 304. */
  g_assert_cmpuint (f->json_304, >=, 11);
}

/* The previous release stays on disk for a rollback; older ones go. */
static void
test_previous_kept (Fixture *f, gconstpointer data)
{
  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  g_assert_true (release_on_disk (f, 2));
  g_assert_cmpint (link_release (f, "previous"), ==, 0);

  publish (f, 3);
  check_ok (f);
  g_assert_true (release_on_disk (f, 2));
  g_assert_true (release_on_disk (f, 3));
  g_assert_cmpint (link_release (f, "current"), ==, 3);
  g_assert_cmpint (link_release (f, "previous"), ==, 2);

  publish (f, 4);
  check_ok (f);
  g_assert_false (release_on_disk (f, 2));
  g_assert_true (release_on_disk (f, 3));
  g_assert_true (release_on_disk (f, 4));
  g_assert_cmpint (link_release (f, "previous"), ==, 3);

  /* A restart picks the release in force up from disk. */
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 4);
}

static void
test_not_modified (Fixture *f, gconstpointer data)
{
  guint files;

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  files = f->files_served;
  check_ok (f);
  check_ok (f);
  g_assert_cmpuint (f->json_200, ==, 1);
  g_assert_cmpuint (f->json_304, ==, 2);
  g_assert_cmpuint (f->files_served, ==, files);
  g_assert_cmpint (bundle_release (f), ==, 2);
}

/* Issue #17 item 9: a kiosk starts without the hub's ETag, so its first
 * check after a start gets the release it already runs. That release is in
 * force, not a replay: nothing is reported, however often it starts. */
static void
test_restart_same_release (Fixture *f, gconstpointer data)
{
  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  for (guint start = 0; start < 2; start++)
    {
      kiosk_clock_advance (f->clock, G_TIME_SPAN_HOUR);
      make_updater (f, 30);
      check_ok (f);
      g_assert_null (kiosk_updater_get_last_error (f->updater));
      g_assert_cmpint (bundle_release (f), ==, 2);
      /* Known now: the next poll is a 304. */
      check_ok (f);
    }
  g_assert_cmpint (count_events (f, "content-rejected", "%"), ==, 0);
  g_assert_cmpuint (f->json_304, ==, 2);
}

static void
test_not_before (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) now = kiosk_clock_now (f->clock);
  g_autoptr (GDateTime) later = g_date_time_add_hours (now, 1);

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  publish_full (f, 3, "hall:east", later, NULL, NULL, 0);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 2);
  kiosk_clock_advance (f->clock, 2 * G_TIME_SPAN_HOUR);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 3);
}

static void
test_hub_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_free (f->url);
  f->url = g_strdup ("http://127.0.0.1:1");
  make_updater (f, 30);
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (kiosk_updater_get_last_error (f->updater), "无法获取内容更新"));
  g_assert_nonnull (kiosk_updater_get_last_check (f->updater));
  g_assert_cmpint (bundle_release (f), ==, 1);
  g_assert_cmpint (count_events (f, "content-rejected", "%"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, data) g_test_add (path, Fixture, data, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/updater/first-start", test_first_start, NULL);
  ADD ("/kiosk/updater/publish-to-swap", test_publish_to_swap, NULL);
  ADD ("/kiosk/updater/sync-now", test_sync_now, NULL);
  ADD ("/kiosk/updater/previous-kept", test_previous_kept, NULL);
  ADD ("/kiosk/updater/not-modified", test_not_modified, NULL);
  ADD ("/kiosk/updater/restart-same-release", test_restart_same_release, NULL);
  ADD ("/kiosk/updater/not-before", test_not_before, NULL);
  ADD ("/kiosk/updater/hub-down", test_hub_down, NULL);
#undef ADD
  return g_test_run ();
}
