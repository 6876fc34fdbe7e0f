/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-numbering"

#include "kiosk-numbering.h"

static GTimeZone *
shanghai (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Shanghai");
  return tz ? tz : g_time_zone_new_offset (8 * 3600);
}

static void
test_service_day (void)
{
  static const struct
  {
    int y, mo, d, h, mi;
    int reset;
    const char *day;
  } cases[] = {
    { 2026, 11, 23, 0, 0, 0, "2026-11-23" },    { 2026, 11, 22, 23, 59, 0, "2026-11-22" },
    { 2026, 11, 23, 2, 59, 180, "2026-11-22" }, /* before a 03:00 reset: still yesterday */
    { 2026, 11, 23, 3, 0, 180, "2026-11-23" },  { 2027, 1, 1, 1, 0, 120, "2026-12-31" },
    { 2028, 3, 1, 0, 30, 60, "2028-02-29" },    { 2026, 11, 23, 23, 59, 1439, "2026-11-23" },
  };
  g_autoptr (GTimeZone) tz = shanghai ();
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) local
          = g_date_time_new (tz, cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi, 0);
      g_autoptr (GDateTime) as_utc = g_date_time_to_timezone (local, utc);
      g_autofree char *day = kiosk_numbering_service_day (local, tz, cases[i].reset);
      g_autofree char *day_from_utc = kiosk_numbering_service_day (as_utc, tz, cases[i].reset);

      g_assert_cmpstr (day, ==, cases[i].day);
      /* The instant decides, not the zone it is given in. */
      g_assert_cmpstr (day_from_utc, ==, cases[i].day);
    }
}

static void
test_day_start (void)
{
  g_autoptr (GTimeZone) tz = shanghai ();
  g_autoptr (GDateTime) start = kiosk_numbering_day_start ("2026-11-23", tz, 180);
  g_autoptr (GDateTime) expected = g_date_time_new (tz, 2026, 11, 23, 3, 0, 0);
  g_autofree char *back = NULL;

  g_assert_nonnull (start);
  g_assert_true (g_date_time_equal (start, expected));
  back = kiosk_numbering_service_day (start, tz, 180);
  g_assert_cmpstr (back, ==, "2026-11-23");

  g_assert_null (kiosk_numbering_day_start ("2026-13-01", tz, 0));
  g_assert_null (kiosk_numbering_day_start ("2026-02-30", tz, 0));
  g_assert_null (kiosk_numbering_day_start ("yesterday", tz, 0));
  g_assert_null (kiosk_numbering_day_start (NULL, tz, 0));
}

static void
test_number_table (void)
{
  static const struct
  {
    int first, last;
    guint index, n, seq;
    int number;
  } cases[] = {
    { 1, 999, 0, 1, 0, 1 },     { 1, 999, 0, 1, 998, 999 }, { 1, 999, 0, 1, 999, -1 }, /* the range end */
    { 1, 999, 1, 2, 0, 2 },     { 1, 999, 1, 2, 498, 998 }, { 1, 999, 1, 2, 499, -1 },
    { 1, 999, 0, 2, 499, 999 }, { 101, 200, 2, 3, 1, 106 }, { 0, 9999, 0, 1, 9999, 9999 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (
        kiosk_numbering_number (cases[i].first, cases[i].last, cases[i].index, cases[i].n, cases[i].seq), ==,
        cases[i].number);

  g_assert_cmpuint (kiosk_numbering_capacity (1, 999, 0, 1), ==, 999);
  g_assert_cmpuint (kiosk_numbering_capacity (1, 999, 0, 2), ==, 500);
  g_assert_cmpuint (kiosk_numbering_capacity (1, 999, 1, 2), ==, 499);
  g_assert_cmpuint (kiosk_numbering_capacity (1, 999, 2, 3), ==, 333);
  g_assert_cmpuint (kiosk_numbering_capacity (5, 6, 2, 3), ==, 0);
}

/* Every kiosk of a hall owns its own numbers; together they cover the range. */
static void
test_disjoint_kiosks (void)
{
  static const int ranges[][2] = { { 1, 999 }, { 1, 10 }, { 500, 517 }, { 7, 7 } };

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    for (guint n = 1; n <= 7; n++)
      {
        int first = ranges[r][0], last = ranges[r][1];
        g_autofree guint8 *owner = g_new0 (guint8, last + 1);

        for (guint i = 0; i < n; i++)
          {
            guint capacity = kiosk_numbering_capacity (first, last, i, n);

            for (guint seq = 0; seq < capacity; seq++)
              {
                int number = kiosk_numbering_number (first, last, i, n, seq);

                g_assert_cmpint (number, >=, first);
                g_assert_cmpint (number, <=, last);
                g_assert_cmpuint (owner[number], ==, 0);
                owner[number] = (guint8)(i + 1);
              }
            g_assert_cmpint (kiosk_numbering_number (first, last, i, n, capacity), ==, -1);
          }
        for (int number = first; number <= last; number++)
          g_assert_cmpuint (owner[number], !=, 0);
      }
}

static void
test_cap_share (void)
{
  g_assert_cmpuint (kiosk_numbering_cap_share (10, 0, 3), ==, 4);
  g_assert_cmpuint (kiosk_numbering_cap_share (10, 1, 3), ==, 3);
  g_assert_cmpuint (kiosk_numbering_cap_share (10, 2, 3), ==, 3);
  g_assert_cmpuint (kiosk_numbering_cap_share (2, 2, 3), ==, 0);
  g_assert_cmpuint (kiosk_numbering_cap_share (50, 0, 1), ==, 50);
  g_assert_cmpuint (kiosk_numbering_cap_share (0, 1, 2), ==, G_MAXUINT);

  /* The shares add up to the cap exactly. */
  for (int cap = 1; cap < 60; cap++)
    for (guint n = 1; n < 8; n++)
      {
        guint sum = 0;
        for (guint i = 0; i < n; i++)
          sum += kiosk_numbering_cap_share (cap, i, n);
        g_assert_cmpuint (sum, ==, (guint)cap);
      }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/numbering/service-day", test_service_day);
  g_test_add_func ("/kiosk/numbering/day-start", test_day_start);
  g_test_add_func ("/kiosk/numbering/number-table", test_number_table);
  g_test_add_func ("/kiosk/numbering/disjoint-kiosks", test_disjoint_kiosks);
  g_test_add_func ("/kiosk/numbering/cap-share", test_cap_share);
  return g_test_run ();
}
