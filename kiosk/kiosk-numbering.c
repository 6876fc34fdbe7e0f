/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-numbering"

#include <stdio.h>

#include "kiosk-numbering.h"

char *
kiosk_numbering_service_day (GDateTime *instant, GTimeZone *tz, int reset_minutes)
{
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) shifted = NULL;

  g_return_val_if_fail (instant != NULL && tz != NULL, NULL);
  g_return_val_if_fail (reset_minutes >= 0 && reset_minutes < 24 * 60, NULL);

  /* Shift in local wall time, so a reset at 03:00 stays at 03:00 whatever
   * the zone's offset does. */
  local = g_date_time_to_timezone (instant, tz);
  shifted = g_date_time_add_minutes (local, -reset_minutes);
  return g_date_time_format (shifted, "%Y-%m-%d");
}

GDateTime *
kiosk_numbering_day_start (const char *day, GTimeZone *tz, int reset_minutes)
{
  g_autoptr (GDateTime) midnight = NULL;
  int y, m, d;
  char tail;

  g_return_val_if_fail (tz != NULL, NULL);

  if (day == NULL || sscanf (day, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    return NULL;
  midnight = g_date_time_new (tz, y, m, d, 0, 0, 0);
  return midnight ? g_date_time_add_minutes (midnight, reset_minutes) : NULL;
}

int
kiosk_numbering_number (int first, int last, guint index, guint n, guint seq)
{
  gint64 number;

  g_return_val_if_fail (n > 0 && index < n, -1);

  number = (gint64)first + index + (gint64)seq * n;
  return number <= last ? (int)number : -1;
}

guint
kiosk_numbering_capacity (int first, int last, guint index, guint n)
{
  gint64 span;

  g_return_val_if_fail (n > 0 && index < n, 0);

  span = (gint64)last - first - index;
  return span < 0 ? 0 : (guint)(span / n + 1);
}

guint
kiosk_numbering_cap_share (int cap, guint index, guint n)
{
  g_return_val_if_fail (n > 0 && index < n, 0);

  if (cap <= 0)
    return G_MAXUINT;
  return (guint)cap / n + (index < (guint)cap % n ? 1 : 0);
}
