/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-wait"

#include "kiosk-wait.h"

static void
test_format_range (void)
{
  static const struct
  {
    int low, high;
    const char *zh, *en;
  } cases[] = {
    { 10, 20, "约 10–20 分钟", "about 10–20 min" },
    { 0, 5, "约 0–5 分钟", "about 0–5 min" },
    { 0, 0, "无需等待", "no wait" },
    { 15, 15, "约 15 分钟", "about 15 min" },
    { 20, 10, "约 10–20 分钟", "about 10–20 min" }, /* swapped: still a range */
    { 60, 115, "约 60–115 分钟", "about 60–115 min" },
    { 90, 120, "约 1.5–2 小时", "about 1.5–2 h" },
    { 100, 130, "约 1.5–2.5 小时", "about 1.5–2.5 h" },
    { 120, 120, "约 2 小时", "about 2 h" },
    { 170, 245, "约 2.5–4.5 小时", "about 2.5–4.5 h" },
    { -1, -1, "暂无估计", "no estimate" },
    { 5, -1, "暂无估计", "no estimate" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *zh = kiosk_wait_format_range (cases[i].low, cases[i].high, "zh");
      g_autofree char *en = kiosk_wait_format_range (cases[i].low, cases[i].high, "en");
      g_autofree char *other = kiosk_wait_format_range (cases[i].low, cases[i].high, NULL);

      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
      g_assert_cmpstr (other, ==, cases[i].zh); /* Chinese first */
    }
}

static void
test_service_time (void)
{
  static const double few[] = { 8, 12 };
  static const double steady[] = { 10, 10, 10, 10, 10, 10 };
  static const double mixed[] = { 6, 14, 6, 14, 6, 14 };
  static const double junk[] = { 10, 10, 10, 0, -3, 600, 10, 10 };
  KioskServiceTime st;

  /* Too few samples: the configured default, half of it as spread. */
  kiosk_wait_service_time (few, G_N_ELEMENTS (few), 5, 12, &st);
  g_assert_true (st.from_default);
  g_assert_cmpfloat_with_epsilon (st.mean_minutes, 12, 1e-9);
  g_assert_cmpfloat_with_epsilon (st.spread_minutes, 6, 1e-9);
  kiosk_wait_service_time (NULL, 0, 0, 7, &st);
  g_assert_true (st.from_default);

  kiosk_wait_service_time (steady, G_N_ELEMENTS (steady), 5, 30, &st);
  g_assert_false (st.from_default);
  g_assert_cmpuint (st.n_samples, ==, 6);
  g_assert_cmpfloat_with_epsilon (st.mean_minutes, 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (st.spread_minutes, 0, 1e-6);

  kiosk_wait_service_time (mixed, G_N_ELEMENTS (mixed), 5, 30, &st);
  g_assert_cmpfloat_with_epsilon (st.mean_minutes, 10, 1e-9);
  g_assert_cmpfloat_with_epsilon (st.spread_minutes, 4, 1e-9);

  /* Zero, negative and a counter left open for ten hours are not services. */
  kiosk_wait_service_time (junk, G_N_ELEMENTS (junk), 5, 30, &st);
  g_assert_cmpuint (st.n_samples, ==, 5);
  g_assert_cmpfloat_with_epsilon (st.mean_minutes, 10, 1e-9);
}

static void
test_estimate_table (void)
{
  static const struct
  {
    double mean, spread;
    guint ahead, counters;
    int low, high;
  } cases[] = {
    /* centre = (ahead + ½) × mean ÷ counters, spread × √(ahead + 1) ÷ counters */
    { 10, 5, 0, 1, 0, 10 },   /* 5 ± 5 */
    { 10, 5, 3, 1, 25, 45 },  /* 35 ± 10 */
    { 10, 0, 3, 1, 35, 40 },  /* 35 ± 0: at least five minutes wide */
    { 10, 3, 10, 2, 45, 60 }, /* 52.5 ± 4.97 */
    { 12, 6, 20, 3, 70, 95 }, /* 82 ± 9.17 */
    { 10, 5, 0, 4, 0, 5 },    /* 1.25 ± 1.25 */
    { 10, 5, 5, 0, -1, -1 },  /* no counter open */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KioskServiceTime st = { cases[i].mean, cases[i].spread, 10, FALSE };
      int low = -7, high = -7;

      kiosk_wait_estimate (&st, cases[i].ahead, cases[i].counters, &low, &high);
      g_test_message ("case %u: %d–%d", i, low, high);
      g_assert_cmpint (low, ==, cases[i].low);
      g_assert_cmpint (high, ==, cases[i].high);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/wait/format-range", test_format_range);
  g_test_add_func ("/kiosk/wait/service-time", test_service_time);
  g_test_add_func ("/kiosk/wait/estimate-table", test_estimate_table);
  return g_test_run ();
}
