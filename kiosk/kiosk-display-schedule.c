/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-display-schedule"

#include "kiosk-display-schedule.h"
#include "kiosk-error.h"

/* Screen-on intervals as Unix seconds, [start, end). */
typedef struct
{
  gint64 start;
  gint64 end;
} Interval;

static int
compare_intervals (gconstpointer a, gconstpointer b)
{
  const Interval *x = a, *y = b;

  return x->start < y->start ? -1 : x->start > y->start;
}

static gint64
at_minute (GDateTime *day, int minute)
{
  g_autoptr (GDateTime) midnight
      = g_date_time_new (g_date_time_get_timezone (day), g_date_time_get_year (day),
                         g_date_time_get_month (day), g_date_time_get_day_of_month (day), 0, 0, 0);

  return g_date_time_to_unix (midnight) + (gint64)minute * 60;
}

/* Every span of @hours on the days from @first to @last (offsets from
 * @local's date), widened by the margins, sorted and merged. */
static GArray *
on_intervals (GPtrArray *hours, const KioskDisplayMargins *margins, GDateTime *local, int first, int last)
{
  GArray *merged = g_array_new (FALSE, FALSE, sizeof (Interval));
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (Interval));
  gint64 min_gap = (gint64)margins->min_off_minutes * 60;

  for (int offset = first; offset <= last; offset++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (local, offset);

      for (guint h = 0; h < hours->len; h++)
        {
          const GArray *spans = kiosk_hours_spans_on (g_ptr_array_index (hours, h), day);

          for (guint i = 0; i < spans->len; i++)
            {
              const KioskSpan *span = &g_array_index (spans, KioskSpan, i);
              Interval iv = { at_minute (day, span->start) - (gint64)margins->on_before_minutes * 60,
                              at_minute (day, span->end) + (gint64)margins->off_after_minutes * 60 };

              g_array_append_val (all, iv);
            }
        }
    }
  g_array_sort (all, compare_intervals);
  for (guint i = 0; i < all->len; i++)
    {
      const Interval *iv = &g_array_index (all, Interval, i);
      Interval *prev = merged->len > 0 ? &g_array_index (merged, Interval, merged->len - 1) : NULL;

      /* Overlapping, touching, or a gap too short to be worth the switch. */
      if (prev != NULL && iv->start - prev->end < MAX (min_gap, 1))
        prev->end = MAX (prev->end, iv->end);
      else
        g_array_append_val (merged, *iv);
    }
  return merged;
}

/* The answer within the days [-1, @days]; FALSE when the change lies beyond. */
static gboolean
decide_within (GPtrArray *hours, const KioskDisplayMargins *margins, GDateTime *local, int days, gboolean *on,
               gint64 *change)
{
  g_autoptr (GArray) intervals = on_intervals (hours, margins, local, -1, days);
  gint64 now = g_date_time_to_unix (local);
  /* The last day's intervals may still merge with the next day's. */
  g_autoptr (GDateTime) horizon_day = g_date_time_add_days (local, days);
  gint64 horizon = at_minute (horizon_day, 0);

  for (guint i = 0; i < intervals->len; i++)
    {
      const Interval *iv = &g_array_index (intervals, Interval, i);

      if (now < iv->start)
        {
          *on = FALSE;
          *change = iv->start;
          return iv->start < horizon;
        }
      if (now < iv->end)
        {
          *on = TRUE;
          *change = iv->end;
          return iv->end < horizon;
        }
    }
  *on = FALSE;
  *change = 0;
  return FALSE;
}

gboolean
kiosk_display_schedule_is_on (GPtrArray *hours, const KioskDisplayMargins *margins, GDateTime *local,
                              GDateTime **next_change)
{
  gboolean on = TRUE;
  gint64 change = 0;

  g_return_val_if_fail (hours != NULL && margins != NULL && local != NULL, TRUE);

  if (next_change != NULL)
    *next_change = NULL;
  if (hours->len == 0)
    return TRUE;

  /* A week answers nearly always; a long holiday may need the year. */
  if (!decide_within (hours, margins, local, 8, &on, &change)
      && !decide_within (hours, margins, local, 370, &on, &change))
    change = 0;
  if (next_change != NULL && change != 0)
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (change);

      *next_change = g_date_time_to_timezone (utc, g_date_time_get_timezone (local));
    }
  return on;
}

static void
add_unique (GPtrArray *hours, const KioskHours *h)
{
  if (h != NULL && !g_ptr_array_find (hours, h, NULL))
    g_ptr_array_add (hours, (gpointer)h);
}

GPtrArray *
kiosk_display_schedule_hours_from_bundle (KioskBundle *bundle, const char *const *ids, GError **error)
{
  g_autoptr (GPtrArray) hours = g_ptr_array_new ();
  const KioskFitnessRules *fitness;
  GPtrArray *list;

  g_return_val_if_fail (KIOSK_IS_BUNDLE (bundle), NULL);

  if (ids != NULL && ids[0] != NULL)
    {
      for (guint i = 0; ids[i] != NULL; i++)
        {
          const KioskHours *h = kiosk_bundle_find_hours (bundle, ids[i]);

          if (h == NULL)
            {
              g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                           "[display] hours: \"%s\" is not a set of hours in the content", ids[i]);
              return NULL;
            }
          add_unique (hours, h);
        }
      return g_steal_pointer (&hours);
    }

  list = kiosk_bundle_get_queues (bundle);
  for (guint i = 0; i < list->len; i++)
    add_unique (hours, ((const KioskQueueDef *)g_ptr_array_index (list, i))->hours);
  list = kiosk_bundle_get_services (bundle);
  for (guint i = 0; i < list->len; i++)
    add_unique (hours, ((const KioskService *)g_ptr_array_index (list, i))->hours);
  fitness = kiosk_bundle_get_fitness (bundle);
  if (fitness != NULL)
    {
      add_unique (hours, fitness->hours);
      for (guint i = 0; i < fitness->groups->len; i++)
        add_unique (hours, ((const KioskFitnessGroup *)g_ptr_array_index (fitness->groups, i))->hours);
    }
  return g_steal_pointer (&hours);
}
