/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-admission"

#include "kiosk-admission.h"

int
kiosk_admission_minutes_left (const KioskHours *hours, GDateTime *now)
{
  const GArray *spans = kiosk_hours_spans_on (hours, now);
  int minute = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);
  int left = 0;

  for (guint i = 0; i < spans->len; i++)
    {
      const KioskSpan *span = &g_array_index (spans, KioskSpan, i);
      left += MAX (0, span->end - MAX (span->start, minute));
    }
  return left;
}

/* Closed all day, while the same weekday opens in a nearby week: a holiday
 * rather than a day the hall never opens (KioskHours keeps holidays to itself). */
static gboolean
is_holiday (const KioskHours *hours, GDateTime *now)
{
  static const int weeks[] = { -1, 1, -2, 2 };

  if (kiosk_hours_spans_on (hours, now)->len > 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (weeks); i++)
    {
      g_autoptr (GDateTime) other = g_date_time_add_weeks (now, weeks[i]);
      if (kiosk_hours_spans_on (hours, other)->len > 0)
        return TRUE;
    }
  return FALSE;
}

KioskRefusal *
kiosk_admission_check (const KioskAdmission *a)
{
  g_autoptr (GDateTime) closing = NULL;
  g_autoptr (GDateTime) next = NULL;
  KioskRefusalReason reason;

  g_return_val_if_fail (a != NULL && a->hours != NULL && a->now != NULL && a->next_day != NULL, NULL);

  if (!kiosk_hours_is_open (a->hours, a->now))
    {
      next = kiosk_hours_next_opening (a->hours, a->now, TRUE);
      reason = is_holiday (a->hours, a->now) ? KIOSK_REFUSAL_HOLIDAY : KIOSK_REFUSAL_CLOSED_NOW;
      return kiosk_refusal_new (reason, next, a->now);
    }

  closing = kiosk_hours_closing_time (a->hours, a->now);
  if (!a->booked)
    {
      g_autoptr (GDateTime) cutoff
          = g_date_time_add_minutes (closing, -kiosk_hours_get_cutoff_minutes (a->hours));

      if (g_date_time_compare (a->now, cutoff) >= 0)
        {
          next = kiosk_hours_next_opening (a->hours, closing, TRUE);
          return kiosk_refusal_new (KIOSK_REFUSAL_CUTOFF, next, a->now);
        }
    }

  if (a->cap_reached && !a->booked)
    reason = KIOSK_REFUSAL_CAP_REACHED;
  else if (a->range_exhausted)
    reason = KIOSK_REFUSAL_RANGE_EXHAUSTED;
  else if (!a->booked && a->wait_low_minutes >= 0
           && a->wait_low_minutes >= kiosk_admission_minutes_left (a->hours, a->now))
    reason = KIOSK_REFUSAL_CANNOT_SERVE_BEFORE_CLOSING;
  else
    return NULL;

  next = kiosk_hours_next_opening (a->hours, a->next_day, FALSE);
  return kiosk_refusal_new (reason, next, a->now);
}
