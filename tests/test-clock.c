/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-clock"

#include "kiosk-clock.h"

static void
test_fake_advances (void)
{
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 11, 23, 0, 30, 0);
  g_autoptr (KioskClock) clock = kiosk_clock_new_fake (NULL, start);
  g_autoptr (GDateTime) now = NULL;
  gint64 mono0 = kiosk_clock_get_monotonic (clock);

  now = kiosk_clock_now (clock);
  /* 00:30 UTC is 08:30 in Shanghai. */
  g_assert_cmpint (g_date_time_get_hour (now), ==, 8);
  g_assert_cmpint (g_date_time_get_minute (now), ==, 30);
  g_assert_cmpint (g_date_time_get_utc_offset (now) / G_TIME_SPAN_HOUR, ==, 8);

  /* A whole day in no time at all. */
  kiosk_clock_advance (clock, 24 * G_TIME_SPAN_HOUR);
  g_clear_pointer (&now, g_date_time_unref);
  now = kiosk_clock_now (clock);
  g_assert_cmpint (g_date_time_get_day_of_month (now), ==, 24);
  g_assert_cmpint (kiosk_clock_get_monotonic (clock) - mono0, ==, 24 * G_TIME_SPAN_HOUR);
}

static void
test_set_now_keeps_monotonic (void)
{
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 11, 23, 12, 0, 0);
  g_autoptr (GDateTime) earlier = g_date_time_new_utc (2026, 11, 23, 11, 0, 0);
  g_autoptr (KioskClock) clock = kiosk_clock_new_fake ("Asia/Shanghai", start);
  gint64 mono0 = kiosk_clock_get_monotonic (clock);

  /* Setting the wall clock back (an NTP step) never moves monotonic time back. */
  kiosk_clock_set_now (clock, earlier);
  g_assert_cmpint (kiosk_clock_get_real_time (clock), ==, kiosk_date_time_to_usec (earlier));
  g_assert_cmpint (kiosk_clock_get_monotonic (clock), ==, mono0);
}

static void
test_system_is_now (void)
{
  g_autoptr (KioskClock) clock = kiosk_clock_new_system (NULL);
  gint64 before = g_get_real_time ();
  gint64 t = kiosk_clock_get_real_time (clock);

  g_assert_false (kiosk_clock_is_fake (clock));
  g_assert_cmpint (t, >=, before);
  g_assert_cmpint (t - before, <, 5 * G_USEC_PER_SEC);
}

static void
test_usec_round_trip (void)
{
  const gint64 values[] = { 0, 1, 999999, 1795000000123456, -1000000 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr (GDateTime) dt = kiosk_date_time_new_from_usec (values[i]);
      g_assert_cmpint (kiosk_date_time_to_usec (dt), ==, values[i]);
    }
}

/* The local date, not UTC's: 00:30 in Shanghai is still yesterday in UTC. */
static void
test_today_is_local (void)
{
  g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 ("2026-11-23T16:30:00Z", NULL);
  g_autoptr (KioskClock) clock = kiosk_clock_new_fake ("Asia/Shanghai", start);
  GDate today;

  kiosk_clock_get_today (clock, &today);
  g_assert_cmpint (g_date_get_year (&today), ==, 2026);
  g_assert_cmpint (g_date_get_month (&today), ==, 11);
  g_assert_cmpint (g_date_get_day (&today), ==, 24);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/clock/fake-advances", test_fake_advances);
  g_test_add_func ("/kiosk/clock/set-now-keeps-monotonic", test_set_now_keeps_monotonic);
  g_test_add_func ("/kiosk/clock/system-is-now", test_system_is_now);
  g_test_add_func ("/kiosk/clock/usec-round-trip", test_usec_round_trip);
  g_test_add_func ("/kiosk/clock/today-is-local", test_today_is_local);
  return g_test_run ();
}
