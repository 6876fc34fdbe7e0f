/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hours"

#include "kiosk-error.h"
#include "kiosk-hours.h"

static const char hall_json[]
    = "{ \"weekly\": { \"mon\": [\"08:30-12:00\", \"13:30-17:30\"], \"tue\": [\"08:30-12:00\", "
      "\"13:30-17:30\"],"
      "                \"wed\": [\"08:30-12:00\", \"13:30-17:30\"], \"thu\": [\"08:30-12:00\", "
      "\"13:30-17:30\"],"
      "                \"fri\": [\"08:30-12:00\", \"13:30-17:30\"], \"sat\": [\"09:00-12:00\"], \"sun\": [] "
      "},"
      "  \"holidays\": [\"2027-01-01\"], \"workdays\": { \"2027-01-03\": \"fri\" }, \"cutoff_minutes\": 20 }";

static KioskHours *
parse (const char *json, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return kiosk_hours_new_from_json ("hall", json_node_get_object (json_parser_get_root (parser)), error);
}

static GDateTime *
local (const char *iso)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  GDateTime *dt = g_date_time_new_from_iso8601 (iso, tz);

  g_assert_nonnull (dt);
  return dt;
}

/* 2026-11-23 is a Monday; 2027-01-01 a Friday (holiday); 2027-01-03 a Sunday
 * worked as a Friday (调休). */
static const struct
{
  const char *at;
  gboolean open;
  const char *closing;     /* NULL when closed */
  const char *next_strict; /* next opening strictly after */
} cases[] = {
  { "2026-11-23T08:29:59", FALSE, NULL, "2026-11-23T08:30:00+08" },
  { "2026-11-23T08:30:00", TRUE, "2026-11-23T12:00:00+08", "2026-11-23T13:30:00+08" },
  { "2026-11-23T11:59:00", TRUE, "2026-11-23T12:00:00+08", "2026-11-23T13:30:00+08" },
  { "2026-11-23T12:00:00", FALSE, NULL, "2026-11-23T13:30:00+08" }, /* lunch */
  { "2026-11-23T17:30:00", FALSE, NULL, "2026-11-24T08:30:00+08" },
  { "2026-11-28T10:00:00", TRUE, "2026-11-28T12:00:00+08", "2026-11-30T08:30:00+08" }, /* Saturday */
  { "2026-11-29T10:00:00", FALSE, NULL, "2026-11-30T08:30:00+08" },                    /* Sunday */
  { "2026-12-31T18:00:00", FALSE, NULL, "2027-01-02T09:00:00+08" },                    /* holiday skipped */
  { "2027-01-01T10:00:00", FALSE, NULL, "2027-01-02T09:00:00+08" },
  { "2027-01-03T14:00:00", TRUE, "2027-01-03T17:30:00+08", "2027-01-04T08:30:00+08" }, /* make-up day */
};

static void
test_table (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskHours) hours = parse (hall_json, &error);

  g_assert_no_error (error);
  g_assert_cmpint (kiosk_hours_get_cutoff_minutes (hours), ==, 20);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *iso = g_strconcat (cases[i].at, "+08:00", NULL);
      g_autoptr (GDateTime) at = local (iso);
      g_autoptr (GDateTime) closing = kiosk_hours_closing_time (hours, at);
      g_autoptr (GDateTime) next = kiosk_hours_next_opening (hours, at, TRUE);
      g_autoptr (GDateTime) next_loose = kiosk_hours_next_opening (hours, at, FALSE);
      g_autofree char *next_text = g_date_time_format (next, "%Y-%m-%dT%H:%M:%S+08");

      if (kiosk_hours_is_open (hours, at) != cases[i].open)
        g_error ("%s: open should be %d", cases[i].at, cases[i].open);
      if (cases[i].closing == NULL)
        g_assert_null (closing);
      else
        {
          g_autofree char *text = g_date_time_format (closing, "%Y-%m-%dT%H:%M:%S+08");
          g_assert_cmpstr (text, ==, cases[i].closing);
        }
      g_assert_cmpstr (next_text, ==, cases[i].next_strict);
      /* When open, "next opening" that may be now is now. */
      if (cases[i].open)
        g_assert_true (g_date_time_equal (next_loose, at));
      else
        g_assert_true (g_date_time_equal (next_loose, next));
    }
}

static void
test_never_open (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskHours) hours = parse ("{ \"weekly\": {} }", &error);
  g_autoptr (GDateTime) at = local ("2026-11-23T10:00:00+08:00");

  g_assert_no_error (error);
  g_assert_false (kiosk_hours_is_open (hours, at));
  g_assert_null (kiosk_hours_next_opening (hours, at, TRUE));
}

static const struct
{
  const char *json;
  const char *expect;
} bad[] = {
  { "{}", "\"weekly\" is missing" },
  { "{ \"weekly\": { \"mon\": [\"08:00-12:00\", \"11:00-13:00\"] } }",
    "mon: 11:00-13:00 overlaps 08:00-12:00" },
  { "{ \"weekly\": { \"mon\": [\"12:00-08:00\"] } }", "mon[0]: \"12:00-08:00\" is not a time range" },
  { "{ \"weekly\": { \"mon\": [\"8:00-12:00\"] } }", "mon[0]: \"8:00-12:00\"" },
  { "{ \"weekly\": { \"monday\": [] } }", "\"monday\" is not a weekday" },
  { "{ \"weekly\": {}, \"holidays\": [\"2027-02-30\"] }", "holidays[0] is not a date" },
  { "{ \"weekly\": {}, \"holidays\": [\"2027-01-02\"], \"workdays\": { \"2027-01-02\": \"mon\" } }",
    "is both a holiday and a working day" },
  { "{ \"weekly\": {}, \"cutoff_minutes\": -5 }", "cutoff_minutes must be between" },
};

static void
test_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskHours) hours = parse (bad[i].json, &error);

      g_assert_null (hours);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      if (strstr (error->message, bad[i].expect) == NULL)
        g_error ("case %u: got \"%s\", want \"%s\"", i, error->message, bad[i].expect);
    }
}

static void
test_parse_time (void)
{
  g_assert_cmpint (kiosk_hours_parse_time ("00:00"), ==, 0);
  g_assert_cmpint (kiosk_hours_parse_time ("08:30"), ==, 510);
  g_assert_cmpint (kiosk_hours_parse_time ("24:00"), ==, 1440);
  g_assert_cmpint (kiosk_hours_parse_time ("24:01"), ==, -1);
  g_assert_cmpint (kiosk_hours_parse_time ("8:30"), ==, -1);
  g_assert_cmpint (kiosk_hours_parse_time ("08:60"), ==, -1);
  g_assert_cmpint (kiosk_hours_parse_time ("08:30x"), ==, -1);
  g_assert_cmpint (kiosk_hours_parse_time (NULL), ==, -1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/hours/table", test_table);
  g_test_add_func ("/kiosk/hours/never-open", test_never_open);
  g_test_add_func ("/kiosk/hours/bad", test_bad);
  g_test_add_func ("/kiosk/hours/parse-time", test_parse_time);
  return g_test_run ();
}
