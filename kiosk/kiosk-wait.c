/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-wait"

#include <math.h>

#include "kiosk-wait.h"

void
kiosk_wait_service_time (const double *minutes, guint n, guint min_samples, double default_minutes,
                         KioskServiceTime *out)
{
  double sum = 0, sum_sq = 0;
  guint used = 0;

  g_return_if_fail (out != NULL);
  g_return_if_fail (minutes != NULL || n == 0);

  for (guint i = 0; i < n; i++)
    {
      if (!(minutes[i] > 0) || minutes[i] > KIOSK_WAIT_MAX_SAMPLE_MINUTES)
        continue;
      sum += minutes[i];
      sum_sq += minutes[i] * minutes[i];
      used++;
    }

  if (used == 0 || used < min_samples)
    {
      out->mean_minutes = default_minutes;
      out->spread_minutes = default_minutes / 2;
      out->n_samples = 0;
      out->from_default = TRUE;
      return;
    }

  out->mean_minutes = sum / used;
  /* Population deviation; rounding can make the difference a hair below 0. */
  out->spread_minutes = sqrt (MAX (0.0, sum_sq / used - out->mean_minutes * out->mean_minutes));
  out->n_samples = used;
  out->from_default = FALSE;
}

void
kiosk_wait_estimate (const KioskServiceTime *service_time, guint people_ahead, guint counters, int *low,
                     int *high)
{
  double centre, spread;
  int lo, hi;

  g_return_if_fail (service_time != NULL && low != NULL && high != NULL);

  if (counters == 0)
    {
      *low = *high = -1;
      return;
    }

  centre = (people_ahead + 0.5) * service_time->mean_minutes / counters;
  spread = service_time->spread_minutes * sqrt (people_ahead + 1.0) / counters;
  lo = (int)floor ((centre - spread) / 5.0) * 5;
  hi = (int)ceil ((centre + spread) / 5.0) * 5;
  lo = MAX (lo, 0);
  hi = MAX (hi, lo + 5);
  *low = lo;
  *high = hi;
}

/* Half hours as "1.5" or "2". */
static char *
format_half_hours (int halves)
{
  return halves % 2 ? g_strdup_printf ("%d.5", halves / 2) : g_strdup_printf ("%d", halves / 2);
}

char *
kiosk_wait_format_range (int low, int high, const char *lang)
{
  gboolean en = g_strcmp0 (lang, "en") == 0;

  if (low < 0 || high < 0)
    return g_strdup (en ? "no estimate" : "暂无估计");
  if (high < low)
    {
      int t = low;
      low = high;
      high = t;
    }
  if (high == 0)
    return g_strdup (en ? "no wait" : "无需等待");

  if (high >= 120)
    {
      g_autofree char *lo = format_half_hours (low / 30);
      g_autofree char *hi = format_half_hours ((high + 29) / 30);

      if (g_strcmp0 (lo, hi) == 0)
        return en ? g_strdup_printf ("about %s h", hi) : g_strdup_printf ("约 %s 小时", hi);
      return en ? g_strdup_printf ("about %s–%s h", lo, hi) : g_strdup_printf ("约 %s–%s 小时", lo, hi);
    }

  if (low == high)
    return en ? g_strdup_printf ("about %d min", high) : g_strdup_printf ("约 %d 分钟", high);
  return en ? g_strdup_printf ("about %d–%d min", low, high) : g_strdup_printf ("约 %d–%d 分钟", low, high);
}
