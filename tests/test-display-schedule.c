/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-display-schedule"

#include <string.h>

#include "kiosk-display-schedule.h"
#include "kiosk-error.h"
#include "kiosk-test-util.h"

/* The screen's schedule as pure data: hours in, on/off and the next change
 * out. Dates: 2026-11-23 is a Monday; 2027-01-01 a Friday (holiday); the
 * Spring Festival holidays run 2027-02-06 … 02-12 and Sunday 2027-02-14 is
 * worked as a Monday (调休), as in assets/content/default. */

#define WEEKDAYS(span)                                                                                       \
  "\"mon\": [" span "], \"tue\": [" span "], \"wed\": [" span "], \"thu\": [" span "], \"fri\": [" span "]"

static const char hall_json[] = "{ \"weekly\": { " WEEKDAYS (
    "\"08:30-12:00\", \"13:30-17:30\"") ", \"sat\": [\"09:00-12:00\"], "
                                        "\"sun\": [] },"
                                        "  \"holidays\": [\"2027-01-01\", \"2027-02-06\", \"2027-02-07\", "
                                        "\"2027-02-08\", \"2027-02-09\","
                                        "                 \"2027-02-10\", \"2027-02-11\", \"2027-02-12\"],"
                                        "  \"workdays\": { \"2027-02-14\": \"mon\" } }";
static const char club_json[]
    = "{ \"weekly\": { " WEEKDAYS ("\"06:30-22:00\"") ", \"sat\": [\"06:30-22:00\"], "
                                                      "\"sun\": [\"06:30-22:00\"] },"
                                                      "  \"holidays\": [\"2027-02-06\"] }";
static const char always_json[]
    = "{ \"weekly\": { " WEEKDAYS ("\"00:00-24:00\"") ", \"sat\": [\"00:00-24:00\"], "
                                                      "\"sun\": [\"00:00-24:00\"] } }";
static const char never_json[] = "{ \"weekly\": { \"mon\": [] } }";

static KioskHours *
parse (const char *id, const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  KioskHours *hours;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  hours = kiosk_hours_new_from_json (id, json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  return hours;
}

static GDateTime *
shanghai (const char *iso)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  GDateTime *dt;

  if (tz == NULL)
    tz = g_time_zone_new_offset (8 * 3600);
  dt = g_date_time_new_from_iso8601 (iso, tz);
  g_assert_nonnull (dt);
  return dt;
}

typedef struct
{
  KioskHours *hall, *club, *always, *never;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->hall = parse ("hall", hall_json);
  f->club = parse ("fitness", club_json);
  f->always = parse ("always", always_json);
  f->never = parse ("never", never_json);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_hours_free (f->hall);
  kiosk_hours_free (f->club);
  kiosk_hours_free (f->always);
  kiosk_hours_free (f->never);
}

typedef enum
{
  HALL = 1,
  CLUB = 2,
} Which;

static GPtrArray *
pick (Fixture *f, Which which)
{
  GPtrArray *hours = g_ptr_array_new ();

  if (which & HALL)
    g_ptr_array_add (hours, f->hall);
  if (which & CLUB)
    g_ptr_array_add (hours, f->club);
  return hours;
}

static const struct
{
  const char *what;
  Which which;
  int min_off;
  const char *at;
  gboolean on;
  const char *next; /* NULL: no change within a year */
} cases[] = {
  { "before the margin", HALL, 60, "2026-11-23T07:59:59", FALSE, "2026-11-23T08:00:00+08" },
  { "margin before opening", HALL, 60, "2026-11-23T08:00:00", TRUE, "2026-11-23T18:00:00+08" },
  { "lunch bridged", HALL, 60, "2026-11-23T12:45:00", TRUE, "2026-11-23T18:00:00+08" },
  { "lunch off", HALL, 0, "2026-11-23T12:29:59", TRUE, "2026-11-23T12:30:00+08" },
  { "lunch off", HALL, 0, "2026-11-23T12:45:00", FALSE, "2026-11-23T13:00:00+08" },
  { "margin after closing", HALL, 60, "2026-11-23T17:59:59", TRUE, "2026-11-23T18:00:00+08" },
  { "closed at night", HALL, 60, "2026-11-23T18:00:00", FALSE, "2026-11-24T08:00:00+08" },
  { "Saturday morning", HALL, 60, "2026-11-28T10:00:00", TRUE, "2026-11-28T12:30:00+08" },
  { "Sunday closed", HALL, 60, "2026-11-28T13:00:00", FALSE, "2026-11-30T08:00:00+08" },
  { "New Year holiday", HALL, 60, "2026-12-31T18:00:00", FALSE, "2027-01-02T08:30:00+08" },
  { "Spring Festival", HALL, 60, "2027-02-05T20:00:00", FALSE, "2027-02-13T08:30:00+08" },
  { "make-up Sunday", HALL, 60, "2027-02-13T13:00:00", FALSE, "2027-02-14T08:00:00+08" },
  /* The club opens at 06:30, two hours before the hall: a badge at 06:00 finds the screen on. */
  { "club and hall", HALL | CLUB, 60, "2026-11-23T06:00:00", TRUE, "2026-11-23T22:30:00+08" },
  { "club and hall", HALL | CLUB, 60, "2026-11-23T05:59:59", FALSE, "2026-11-23T06:00:00+08" },
  { "club and hall", HALL | CLUB, 60, "2026-11-23T22:30:00", FALSE, "2026-11-24T06:00:00+08" },
  { "club on a hall holiday", HALL | CLUB, 60, "2027-02-08T12:00:00", TRUE, "2027-02-08T22:30:00+08" },
  { "club holiday too", HALL | CLUB, 60, "2027-02-05T23:00:00", FALSE, "2027-02-07T06:00:00+08" },
};

static void
test_table (Fixture *f, gconstpointer data)
{
  KioskDisplayMargins margins = { 30, 30, 60 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) hours = pick (f, cases[i].which);
      g_autoptr (GDateTime) at = shanghai (cases[i].at);
      g_autoptr (GDateTime) next = NULL;
      g_autofree char *next_text = NULL;
      gboolean on;

      margins.min_off_minutes = cases[i].min_off;
      on = kiosk_display_schedule_is_on (hours, &margins, at, &next);
      next_text = next ? g_date_time_format (next, "%FT%T%:::z") : NULL;
      if (on != cases[i].on || g_strcmp0 (next_text, cases[i].next) != 0)
        g_error ("case %u (%s, %s): got %s until %s, want %s until %s", i, cases[i].what, cases[i].at,
                 on ? "on" : "off", next_text, cases[i].on ? "on" : "off", cases[i].next);
    }
}

/* No hours known (no content): never blank. All day every day: on, for good.
 * Never open: off, with nothing to wait for. */
static void
test_edges (Fixture *f, gconstpointer data)
{
  KioskDisplayMargins margins = { 30, 30, 60 };
  g_autoptr (GPtrArray) none = g_ptr_array_new ();
  g_autoptr (GPtrArray) always = g_ptr_array_new ();
  g_autoptr (GPtrArray) never = g_ptr_array_new ();
  g_autoptr (GDateTime) at = shanghai ("2026-11-23T03:00:00");
  GDateTime *next = (GDateTime *)0x1;

  g_ptr_array_add (always, f->always);
  g_ptr_array_add (never, f->never);
  g_assert_true (kiosk_display_schedule_is_on (none, &margins, at, &next));
  g_assert_null (next);
  g_assert_true (kiosk_display_schedule_is_on (always, &margins, at, &next));
  g_assert_null (next);
  g_assert_false (kiosk_display_schedule_is_on (never, &margins, at, &next));
  g_assert_null (next);
  g_assert_false (kiosk_display_schedule_is_on (never, &margins, at, NULL));
}

/* Walk a whole year from change to change: each change flips the answer,
 * lands on a whole minute of local time, and the zone (China, no DST since
 * 1991) never leaves +08:00. Counts the hall's working days as a check. */
static void
test_year_walk (Fixture *f, gconstpointer data)
{
  KioskDisplayMargins margins = { 30, 30, 60 };
  g_autoptr (GPtrArray) hours = pick (f, HALL);
  g_autoptr (GDateTime) at = shanghai ("2027-01-01T00:00:00");
  g_autoptr (GDateTime) end = shanghai ("2028-01-01T00:00:00");
  gboolean on = kiosk_display_schedule_is_on (hours, &margins, at, NULL);
  guint days_on = 0;

  g_assert_false (on);
  while (g_date_time_compare (at, end) < 0)
    {
      g_autoptr (GDateTime) next = NULL;
      g_autoptr (GDateTime) before = NULL;

      g_assert_cmpint (kiosk_display_schedule_is_on (hours, &margins, at, &next), ==, on);
      g_assert_nonnull (next);
      g_assert_cmpint (g_date_time_compare (next, at), >, 0);
      g_assert_cmpint (g_date_time_get_utc_offset (next), ==, 8 * G_TIME_SPAN_HOUR);
      g_assert_cmpint (g_date_time_get_second (next), ==, 0);
      before = g_date_time_add_seconds (next, -1);
      g_assert_cmpint (kiosk_display_schedule_is_on (hours, &margins, before, NULL), ==, on);
      if (!on && g_date_time_compare (next, end) < 0)
        days_on++;
      on = !on;
      g_date_time_unref (at);
      at = g_steal_pointer (&next);
    }
  /* 2027 starts on a Friday: 261 weekdays and 52 Saturdays; less the
   * holidays on weekdays (Jan 1, Feb 8–12) and on a Saturday (Feb 6; Feb 7 is
   * a Sunday), plus the make-up Sunday. Counted by hand. */
  g_assert_cmpuint (days_on, ==, 52 + 261 - 6 - 1 + 1);
}

static void
test_from_bundle (void)
{
  g_autofree char *dir = kiosk_test_asset_path ("content/default");
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBundle) bundle = kiosk_bundle_load (dir, &error);
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) hall = NULL;
  g_autoptr (GPtrArray) bad = NULL;
  const char *const none[] = { NULL };
  const char *const hall_only[] = { "hall", "hall", NULL };
  const char *const unknown[] = { "hall", "night-market", NULL };

  g_assert_no_error (error);
  all = kiosk_display_schedule_hours_from_bundle (bundle, none, &error);
  g_assert_no_error (error);
  /* hall, hall-extended, legal-duty, fitness, fitness-resident */
  g_assert_cmpuint (all->len, ==, 5);
  hall = kiosk_display_schedule_hours_from_bundle (bundle, hall_only, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hall->len, ==, 1);
  g_assert_cmpstr (kiosk_hours_get_id (g_ptr_array_index (hall, 0)), ==, "hall");
  bad = kiosk_display_schedule_hours_from_bundle (bundle, unknown, &error);
  g_assert_null (bad);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "night-market"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/display-schedule/table", Fixture, NULL, fixture_setup, test_table, fixture_teardown);
  g_test_add ("/kiosk/display-schedule/edges", Fixture, NULL, fixture_setup, test_edges, fixture_teardown);
  g_test_add ("/kiosk/display-schedule/year-walk", Fixture, NULL, fixture_setup, test_year_walk,
              fixture_teardown);
  g_test_add_func ("/kiosk/display-schedule/from-bundle", test_from_bundle);
  return g_test_run ();
}
