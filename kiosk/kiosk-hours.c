/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-hours"

#include <stdio.h>
#include <string.h>

#include "kiosk-error.h"
#include "kiosk-hours.h"

struct _KioskHours
{
  char *id;
  GArray *week[7];      /* KioskSpan, Monday first */
  GHashTable *holidays; /* "YYYY-MM-DD" → itself */
  GHashTable *workdays; /* "YYYY-MM-DD" → weekday 1..7 whose spans apply */
  int cutoff_minutes;
  GArray *closed; /* empty, for holidays */
};

static const char *const weekday_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

int
kiosk_hours_parse_time (const char *text)
{
  int h, m;
  char tail;

  if (text == NULL || sscanf (text, "%2d:%2d%c", &h, &m, &tail) != 2)
    return -1;
  if (strlen (text) != 5 || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0))
    return -1;
  return h * 60 + m;
}

static int
weekday_from_name (const char *name)
{
  for (int i = 0; i < 7; i++)
    if (g_strcmp0 (name, weekday_names[i]) == 0)
      return i + 1;
  return 0;
}

static gboolean
is_valid_date (const char *text)
{
  int y, m, d;
  char tail;

  return text != NULL && strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3
         && g_date_valid_dmy (d, m, y);
}

void
kiosk_hours_free (KioskHours *hours)
{
  if (hours == NULL)
    return;
  for (int i = 0; i < 7; i++)
    g_clear_pointer (&hours->week[i], g_array_unref);
  g_clear_pointer (&hours->holidays, g_hash_table_unref);
  g_clear_pointer (&hours->workdays, g_hash_table_unref);
  g_clear_pointer (&hours->closed, g_array_unref);
  g_free (hours->id);
  g_free (hours);
}

static int
compare_spans (gconstpointer a, gconstpointer b)
{
  return ((const KioskSpan *)a)->start - ((const KioskSpan *)b)->start;
}

static gboolean
parse_day (KioskHours *hours, int weekday, JsonNode *node, GError **error)
{
  const char *day = weekday_names[weekday - 1];
  GArray *spans = hours->week[weekday - 1];
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "hours \"%s\": %s: expected a list like [\"08:30-12:00\"]", hours->id, day);
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *text = JSON_NODE_HOLDS_VALUE (item) ? json_node_get_string (item) : NULL;
      g_auto (GStrv) parts = text ? g_strsplit (text, "-", 0) : NULL;
      KioskSpan span;

      if (parts == NULL || g_strv_length (parts) != 2 || (span.start = kiosk_hours_parse_time (parts[0])) < 0
          || (span.end = kiosk_hours_parse_time (parts[1])) < 0 || span.start >= span.end)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                       "hours \"%s\": %s[%u]: \"%s\" is not a time range like \"08:30-12:00\"", hours->id,
                       day, i, text ? text : "(not a string)");
          return FALSE;
        }
      g_array_append_val (spans, span);
    }

  g_array_sort (spans, compare_spans);
  for (guint i = 1; i < spans->len; i++)
    {
      const KioskSpan *prev = &g_array_index (spans, KioskSpan, i - 1);
      const KioskSpan *cur = &g_array_index (spans, KioskSpan, i);

      if (cur->start < prev->end)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                       "hours \"%s\": %s: %02d:%02d-%02d:%02d overlaps %02d:%02d-%02d:%02d", hours->id, day,
                       cur->start / 60, cur->start % 60, cur->end / 60, cur->end % 60, prev->start / 60,
                       prev->start % 60, prev->end / 60, prev->end % 60);
          return FALSE;
        }
    }
  return TRUE;
}

KioskHours *
kiosk_hours_new_from_json (const char *id, JsonObject *object, GError **error)
{
  g_autoptr (KioskHours) hours = g_new0 (KioskHours, 1);
  JsonNode *node;

  hours->id = g_strdup (id);
  for (int i = 0; i < 7; i++)
    hours->week[i] = g_array_new (FALSE, FALSE, sizeof (KioskSpan));
  hours->closed = g_array_new (FALSE, FALSE, sizeof (KioskSpan));
  hours->holidays = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  hours->workdays = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  node = json_object_get_member (object, "weekly");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "hours \"%s\": \"weekly\" is missing or not an object", id);
      return NULL;
    }
  {
    JsonObject *weekly = json_node_get_object (node);
    g_autoptr (GList) days = json_object_get_members (weekly);

    for (GList *l = days; l != NULL; l = l->next)
      {
        int weekday = weekday_from_name (l->data);

        if (weekday == 0)
          {
            g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                         "hours \"%s\": \"%s\" is not a weekday (mon … sun)", id, (const char *)l->data);
            return NULL;
          }
        if (!parse_day (hours, weekday, json_object_get_member (weekly, l->data), error))
          return NULL;
      }
  }

  node = json_object_get_member (object, "holidays");
  if (node != NULL)
    {
      JsonArray *array = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          const char *date = JSON_NODE_HOLDS_VALUE (item) ? json_node_get_string (item) : NULL;

          if (!is_valid_date (date))
            {
              g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                           "hours \"%s\": holidays[%u] is not a date like \"2026-10-01\"", id, i);
              return NULL;
            }
          g_hash_table_add (hours->holidays, g_strdup (date));
        }
      if (array == NULL)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "hours \"%s\": \"holidays\" must be a list",
                       id);
          return NULL;
        }
    }

  /* 调休: a weekend date worked as a weekday, {"2026-09-27": "mon"}. */
  node = json_object_get_member (object, "workdays");
  if (node != NULL)
    {
      JsonObject *workdays = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autoptr (GList) dates = workdays ? json_object_get_members (workdays) : NULL;

      if (workdays == NULL)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                       "hours \"%s\": \"workdays\" must map dates to weekdays", id);
          return NULL;
        }
      for (GList *l = dates; l != NULL; l = l->next)
        {
          JsonNode *as = json_object_get_member (workdays, l->data);
          int weekday = JSON_NODE_HOLDS_VALUE (as) ? weekday_from_name (json_node_get_string (as)) : 0;

          if (!is_valid_date (l->data) || weekday == 0)
            {
              g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                           "hours \"%s\": workdays \"%s\" must map a date to a weekday (mon … sun)", id,
                           (const char *)l->data);
              return NULL;
            }
          if (g_hash_table_contains (hours->holidays, l->data))
            {
              g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                           "hours \"%s\": %s is both a holiday and a working day", id, (const char *)l->data);
              return NULL;
            }
          g_hash_table_insert (hours->workdays, g_strdup (l->data), GINT_TO_POINTER (weekday));
        }
    }

  hours->cutoff_minutes = (int)json_object_get_int_member_with_default (object, "cutoff_minutes", 0);
  if (hours->cutoff_minutes < 0 || hours->cutoff_minutes > 24 * 60)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "hours \"%s\": cutoff_minutes must be between 0 and 1440", id);
      return NULL;
    }

  return g_steal_pointer (&hours);
}

const char *
kiosk_hours_get_id (const KioskHours *hours)
{
  return hours->id;
}

int
kiosk_hours_get_cutoff_minutes (const KioskHours *hours)
{
  return hours->cutoff_minutes;
}

const GArray *
kiosk_hours_get_weekly (const KioskHours *hours, int weekday)
{
  g_return_val_if_fail (weekday >= 1 && weekday <= 7, NULL);
  return hours->week[weekday - 1];
}

const GArray *
kiosk_hours_spans_on (const KioskHours *hours, GDateTime *local)
{
  g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
  gpointer weekday;

  if (g_hash_table_contains (hours->holidays, date))
    return hours->closed;
  if (g_hash_table_lookup_extended (hours->workdays, date, NULL, &weekday))
    return hours->week[GPOINTER_TO_INT (weekday) - 1];
  return hours->week[g_date_time_get_day_of_week (local) - 1];
}

static GDateTime *
at_minute (GDateTime *day, int minute)
{
  g_autoptr (GDateTime) midnight
      = g_date_time_new (g_date_time_get_timezone (day), g_date_time_get_year (day),
                         g_date_time_get_month (day), g_date_time_get_day_of_month (day), 0, 0, 0);

  return g_date_time_add_minutes (midnight, minute);
}

static const KioskSpan *
span_at (const KioskHours *hours, GDateTime *local)
{
  const GArray *spans = kiosk_hours_spans_on (hours, local);
  int minute = g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local);

  for (guint i = 0; i < spans->len; i++)
    {
      const KioskSpan *span = &g_array_index (spans, KioskSpan, i);
      if (minute >= span->start && minute < span->end)
        return span;
    }
  return NULL;
}

gboolean
kiosk_hours_is_open (const KioskHours *hours, GDateTime *local)
{
  return span_at (hours, local) != NULL;
}

GDateTime *
kiosk_hours_closing_time (const KioskHours *hours, GDateTime *local)
{
  const KioskSpan *span = span_at (hours, local);

  return span ? at_minute (local, span->end) : NULL;
}

GDateTime *
kiosk_hours_next_opening (const KioskHours *hours, GDateTime *after, gboolean strictly)
{
  if (!strictly && kiosk_hours_is_open (hours, after))
    return g_date_time_ref (after);

  for (int offset = 0; offset <= 366; offset++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (after, offset);
      const GArray *spans = kiosk_hours_spans_on (hours, day);

      for (guint i = 0; i < spans->len; i++)
        {
          GDateTime *start = at_minute (day, g_array_index (spans, KioskSpan, i).start);

          if (g_date_time_compare (start, after) > 0)
            return start;
          g_date_time_unref (start);
        }
    }
  return NULL;
}
