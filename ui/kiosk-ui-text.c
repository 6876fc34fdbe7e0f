/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "kiosk-hours.h"
#include "kiosk-ui-text.h"

void
kiosk_ui_i18n_init (const char *localedir)
{
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  /* Chinese must come out as UTF-8 even where LC_CTYPE is plain "C". */
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

const char *
kiosk_ui_normalize_language (const char *lang)
{
  return g_strcmp0 (lang, KIOSK_LANG_EN) == 0 ? KIOSK_LANG_EN : KIOSK_LANG_ZH;
}

gboolean
kiosk_ui_apply_language (const char *lang)
{
  gboolean en = g_strcmp0 (kiosk_ui_normalize_language (lang), KIOSK_LANG_EN) == 0;
  const char *locale = en ? "en_US.UTF-8" : "zh_CN.UTF-8";

  if (setlocale (LC_MESSAGES, locale) != NULL)
    {
      /* LANGUAGE outranks LC_MESSAGES in gettext; only the fallback sets it. */
      if (g_getenv ("LANGUAGE") != NULL)
        g_unsetenv ("LANGUAGE");
      return TRUE;
    }

  /* Without the locale (locale-gen not run), gettext still honours LANGUAGE
   * under any locale but plain "C". */
  setlocale (LC_MESSAGES, "C.UTF-8");
  g_setenv ("LANGUAGE", en ? "en_US" : "zh_CN", TRUE);
  return FALSE;
}

char *
kiosk_ui_format_date (GDateTime *local)
{
  static const char *const weekdays[] = {
    N_ ("Monday"), N_ ("Tuesday"),  N_ ("Wednesday"), N_ ("Thursday"),
    N_ ("Friday"), N_ ("Saturday"), N_ ("Sunday"),
  };
  static const char *const months[] = {
    N_ ("January"), N_ ("February"), N_ ("March"),     N_ ("April"),   N_ ("May"),      N_ ("June"),
    N_ ("July"),    N_ ("August"),   N_ ("September"), N_ ("October"), N_ ("November"), N_ ("December"),
  };
  /* Placeholders, not printf, so each language orders the parts its own way. */
  const char *pattern = _ ("{weekday}, {day} {month} {year}");
  int month = g_date_time_get_month (local);
  g_autofree char *day = g_strdup_printf ("%d", g_date_time_get_day_of_month (local));
  g_autofree char *month_num = g_strdup_printf ("%d", month);
  g_autofree char *year = g_strdup_printf ("%d", g_date_time_get_year (local));
  const char *values[][2] = {
    { "{weekday}", _ (weekdays[g_date_time_get_day_of_week (local) - 1]) },
    { "{day}", day },
    { "{month}", _ (months[month - 1]) },
    { "{month_num}", month_num },
    { "{year}", year },
  };
  GString *out = g_string_new (pattern);

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    g_string_replace (out, values[i][0], values[i][1], 0);
  return g_string_free (out, FALSE);
}

char *
kiosk_ui_format_time (GDateTime *local)
{
  return g_date_time_format (local, "%H:%M");
}

char *
kiosk_ui_format_minutes (int minutes)
{
  return g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);
}

char *
kiosk_ui_format_spans (const GArray *spans)
{
  GString *out;

  if (spans == NULL || spans->len == 0)
    return g_strdup (_ ("Closed today"));

  out = g_string_new (NULL);
  for (guint i = 0; i < spans->len; i++)
    {
      const KioskSpan *span = &g_array_index (spans, KioskSpan, i);
      g_autofree char *start = kiosk_ui_format_minutes (span->start);
      g_autofree char *end = kiosk_ui_format_minutes (span->end);

      g_string_append_printf (out, "%s%s–%s", i > 0 ? "  " : "", start, end);
    }
  return g_string_free (out, FALSE);
}

gboolean
kiosk_ui_text_has_cjk (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3000 && c <= 0x303F)
          || (c >= 0xFF00 && c <= 0xFFEF))
        return TRUE;
    }
  return FALSE;
}

static const char *
weekday_short (int day_of_week)
{
  static const char *const names[] = {
    N_ ("Mon"), N_ ("Tue"), N_ ("Wed"), N_ ("Thu"), N_ ("Fri"), N_ ("Sat"), N_ ("Sun"),
  };

  return _ (names[day_of_week - 1]);
}

char *
kiosk_ui_format_open_state (const KioskHours *hours, GDateTime *local)
{
  g_autoptr (GDateTime) closing = kiosk_hours_closing_time (hours, local);
  g_autoptr (GDateTime) opening = NULL;
  g_autofree char *at = NULL;

  if (closing != NULL)
    {
      g_autofree char *until = kiosk_ui_format_time (closing);

      return g_strdup_printf (_ ("Open now, until %s"), until);
    }

  opening = kiosk_hours_next_opening (hours, local, FALSE);
  if (opening == NULL)
    return g_strdup (_ ("Closed"));

  at = kiosk_ui_format_time (opening);
  if (g_date_time_get_day_of_year (opening) == g_date_time_get_day_of_year (local)
      && g_date_time_get_year (opening) == g_date_time_get_year (local))
    return g_strdup_printf (_ ("Closed, opens at %s"), at);
  {
    g_autoptr (GDateTime) tomorrow = g_date_time_add_days (local, 1);

    if (g_date_time_get_day_of_year (opening) == g_date_time_get_day_of_year (tomorrow)
        && g_date_time_get_year (opening) == g_date_time_get_year (tomorrow))
      return g_strdup_printf (_ ("Closed, opens tomorrow at %s"), at);
  }
  if (g_date_time_difference (opening, local) < 6 * G_TIME_SPAN_DAY)
    return g_strdup_printf (_ ("Closed, opens %s %s"), weekday_short (g_date_time_get_day_of_week (opening)),
                            at);
  {
    g_autofree char *date = g_date_time_format (opening, "%m-%d");

    return g_strdup_printf (_ ("Closed, opens %s %s"), date, at);
  }
}

static int
lines_at (PangoLayout *layout, int width)
{
  pango_layout_set_width (layout, width * PANGO_SCALE);
  return pango_layout_get_line_count (layout);
}

int
kiosk_ui_balanced_width (PangoLayout *layout, int width)
{
  int lines, low, high;

  g_return_val_if_fail (PANGO_IS_LAYOUT (layout), width);

  lines = lines_at (layout, width);
  if (lines <= 1)
    return width;
  /* Fewer pixels never give fewer lines: search for the first width that
   * still gives as few as @width does. */
  low = 1;
  high = width;
  while (low < high)
    {
      int mid = low + (high - low) / 2;

      if (lines_at (layout, mid) <= lines)
        high = mid;
      else
        low = mid + 1;
    }
  pango_layout_set_width (layout, high * PANGO_SCALE);
  return high;
}
