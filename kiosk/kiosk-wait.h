/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long one person takes at a counter, from recent history. */
typedef struct
{
  double mean_minutes;
  double spread_minutes; /* standard deviation of one service */
  guint n_samples;       /* samples used; 0 when from the default */
  gboolean from_default; /* too few samples: the queue's configured minutes */
} KioskServiceTime;

/* Samples longer than this are a counter left open, not a service. */
#define KIOSK_WAIT_MAX_SAMPLE_MINUTES 240.0

/* The rolling service time from @minutes (durations of the last services,
 * called → served, already limited by the caller to the last K within H
 * hours). Samples ≤ 0 or > KIOSK_WAIT_MAX_SAMPLE_MINUTES are ignored. With
 * fewer than @min_samples usable ones the result is @default_minutes with a
 * spread of half of it (an honest "we do not know yet"). */
void kiosk_wait_service_time (const double *minutes, guint n, guint min_samples, double default_minutes,
                              KioskServiceTime *out);

/* The wait of someone with @people_ahead before them and @counters desks
 * open, as a range of whole minutes rounded outwards to 5:
 *
 *   centre = (people_ahead + ½) × mean ÷ counters   (½: the service under way)
 *   spread = spread × √(people_ahead + 1) ÷ counters
 *   low    = ⌊(centre − spread) / 5⌋ × 5, at least 0
 *   high   = ⌈(centre + spread) / 5⌉ × 5, at least low + 5
 *
 * With no counter open there is no estimate: both are -1. */
void kiosk_wait_estimate (const KioskServiceTime *service_time, guint people_ahead, guint counters, int *low,
                          int *high);

/* "约 10–20 分钟" / "about 10–20 min"; "约 1.5–2 小时" / "about 1.5–2 h" from
 * two hours up (half hours, rounded outwards); "约 5 分钟" when low == high;
 * "无需等待" / "no wait" for 0–0; "暂无估计" / "no estimate" when either is
 * negative. @lang: "en" for English, anything else Chinese. Pure. */
char *kiosk_wait_format_range (int low, int high, const char *lang);

G_END_DECLS
