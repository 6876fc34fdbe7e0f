/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-text"

#include "config.h"

#include <gdk/gdkkeysyms.h>
#include <pango/pangocairo.h>

#include "kiosk-application.h"
#include "kiosk-bundle.h"
#include "kiosk-card-keys.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-text.h"

/* The pure pieces of the UI: formatting in both languages, the demo
 * keyboard's card reads, the --size parser. No display needed. */

static GDateTime *
shanghai (int year, int month, int day, int hour, int minute)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);

  return g_date_time_new (tz, year, month, day, hour, minute, 0);
}

static void
test_format_date (void)
{
  static const struct
  {
    int year, month, day;
    const char *zh;
    const char *en;
  } cases[] = {
    { 2026, 11, 23, "2026年11月23日 星期一", "Monday, 23 November 2026" },
    { 2027, 2, 7, "2027年2月7日 星期日", "Sunday, 7 February 2027" },
    { 2028, 2, 29, "2028年2月29日 星期二", "Tuesday, 29 February 2028" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) dt = shanghai (cases[i].year, cases[i].month, cases[i].day, 9, 5);
      g_autofree char *zh = NULL;
      g_autofree char *en = NULL;
      g_autofree char *time = kiosk_ui_format_time (dt);

      kiosk_ui_apply_language (KIOSK_LANG_ZH);
      zh = kiosk_ui_format_date (dt);
      kiosk_ui_apply_language (KIOSK_LANG_EN);
      en = kiosk_ui_format_date (dt);
      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
      g_assert_cmpstr (time, ==, "09:05");
    }
}

static void
test_format_spans (void)
{
  static const struct
  {
    KioskSpan spans[3];
    guint n;
    const char *zh;
    const char *en;
  } cases[] = {
    { { { 0 } }, 0, "今日休息", "Closed today" },
    { { { 8 * 60 + 30, 12 * 60 } }, 1, "08:30–12:00", "08:30–12:00" },
    { { { 8 * 60 + 30, 12 * 60 }, { 13 * 60 + 30, 17 * 60 + 30 } },
      2,
      "08:30–12:00  13:30–17:30",
      "08:30–12:00  13:30–17:30" },
    { { { 6 * 60 + 30, 24 * 60 } }, 1, "06:30–24:00", "06:30–24:00" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (KioskSpan));
      g_autofree char *zh = NULL;
      g_autofree char *en = NULL;

      g_array_append_vals (spans, cases[i].spans, cases[i].n);
      kiosk_ui_apply_language (KIOSK_LANG_ZH);
      zh = kiosk_ui_format_spans (spans);
      kiosk_ui_apply_language (KIOSK_LANG_EN);
      en = kiosk_ui_format_spans (spans);
      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
}

static void
test_open_state (void)
{
  g_autofree char *dir = kiosk_test_asset_path ("content/default");
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBundle) bundle = kiosk_bundle_load (dir, &error);
  const KioskHours *hall;
  /* The default bundle's hall: Mon–Fri 08:30–12:00 and 13:30–17:30, Sat 09:00–12:00. */
  static const struct
  {
    int month, day, hour, minute;
    const char *zh;
    const char *en;
  } cases[] = {
    { 11, 23, 10, 0, "正在开放，至 12:00", "Open now, until 12:00" },
    { 11, 23, 12, 30, "已关闭，13:30 开放", "Closed, opens at 13:30" },
    { 11, 23, 7, 0, "已关闭，08:30 开放", "Closed, opens at 08:30" },
    { 11, 23, 18, 0, "已关闭，明天 08:30 开放", "Closed, opens tomorrow at 08:30" },
    { 11, 27, 18, 0, "已关闭，明天 09:00 开放", "Closed, opens tomorrow at 09:00" },
    { 11, 28, 13, 0, "已关闭，周一 08:30 开放", "Closed, opens Mon 08:30" },
  };

  g_assert_no_error (error);
  hall = kiosk_bundle_find_hours (bundle, "hall");
  g_assert_nonnull (hall);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) at
          = shanghai (2026, cases[i].month, cases[i].day, cases[i].hour, cases[i].minute);
      g_autofree char *zh = NULL;
      g_autofree char *en = NULL;

      kiosk_ui_apply_language (KIOSK_LANG_ZH);
      zh = kiosk_ui_format_open_state (hall, at);
      kiosk_ui_apply_language (KIOSK_LANG_EN);
      en = kiosk_ui_format_open_state (hall, at);
      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
}

static void
test_card_keys (void)
{
  static const struct
  {
    const char *name;
    guint keys[40];
    const char *read; /* what the last key delivers */
    gboolean consumed;
  } cases[] = {
    { "digits then Enter", { GDK_KEY_1, GDK_KEY_2, GDK_KEY_3, GDK_KEY_Return }, "123", TRUE },
    { "keypad digits and keypad Enter", { GDK_KEY_KP_0, GDK_KEY_KP_7, GDK_KEY_KP_Enter }, "07", TRUE },
    { "Enter alone passes through", { GDK_KEY_Return }, NULL, FALSE },
    { "a letter breaks the run", { GDK_KEY_1, GDK_KEY_2, GDK_KEY_a, GDK_KEY_Return }, NULL, FALSE },
    { "a fresh run after a letter",
      { GDK_KEY_1, GDK_KEY_a, GDK_KEY_4, GDK_KEY_2, GDK_KEY_Return },
      "42",
      TRUE },
    { "Shift keeps the run", { GDK_KEY_9, GDK_KEY_Shift_L, GDK_KEY_8, GDK_KEY_Return }, "98", TRUE },
    { "a digit is swallowed", { GDK_KEY_5 }, NULL, TRUE },
    { "too long starts again",
      { GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1,     GDK_KEY_1, GDK_KEY_1,
        GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1,     GDK_KEY_1, GDK_KEY_1,
        GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1,     GDK_KEY_1, GDK_KEY_1,
        GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_1, GDK_KEY_2, GDK_KEY_Return },
      "2",
      TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KioskCardKeys keys = { { 0 }, 0 };
      g_autofree char *read = NULL;
      gboolean consumed = FALSE;

      g_test_message ("%s", cases[i].name);
      for (gsize k = 0; k < G_N_ELEMENTS (cases[i].keys) && cases[i].keys[k] != 0; k++)
        {
          g_free (read);
          read = kiosk_card_keys_feed (&keys, cases[i].keys[k], &consumed);
        }
      g_assert_cmpstr (read, ==, cases[i].read);
      g_assert_cmpint (consumed, ==, cases[i].consumed);
    }
}

static void
test_parse_size (void)
{
  static const struct
  {
    const char *text;
    gboolean ok;
    int width, height;
  } cases[] = {
    { "1080x1920", TRUE, 1080, 1920 },
    { "1920x1080", TRUE, 1920, 1080 },
    { "800x600", TRUE, 800, 600 },
    { "1080", FALSE },
    { "1080x", FALSE },
    { "x1920", FALSE },
    { "1080x1920x3", FALSE },
    { "-1080x1920", FALSE },
    { "10x10", FALSE },
    { "1080X1920", FALSE },
    { "", FALSE },
    { NULL, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int width = 0, height = 0;

      g_assert_cmpint (kiosk_parse_size (cases[i].text, &width, &height), ==, cases[i].ok);
      if (cases[i].ok)
        {
          g_assert_cmpint (width, ==, cases[i].width);
          g_assert_cmpint (height, ==, cases[i].height);
        }
    }
}

static void
test_has_cjk (void)
{
  g_assert_true (kiosk_ui_text_has_cjk ("取号"));
  g_assert_true (kiosk_ui_text_has_cjk ("Queue A · 综合"));
  g_assert_true (kiosk_ui_text_has_cjk ("今天：08:30"));
  g_assert_false (kiosk_ui_text_has_cjk ("Take a number"));
  g_assert_false (kiosk_ui_text_has_cjk ("08:30–12:00 · café"));
  g_assert_false (kiosk_ui_text_has_cjk (""));
}

/* Balanced wrapping: as many lines as at the full width, none left with a
 * lone character, and a text that fits one line keeps the full width. */
static void
test_balanced_width (void)
{
  static const struct
  {
    const char *text;
    int width;
    int lines;    /* at @width, and after balancing */
    int shortest; /* characters in the shortest line after balancing, at least */
  } cases[] = {
    { "邻里共享社区综合服务中心", 2000, 1, 12 },
    /* 11 of 12 characters fit: "…服务中" over a lone "心" unbalanced. */
    { "邻里共享社区综合服务中心", 0, 2, 6 },
    { "Linli Shared Community Service Centre", 700, 2, 12 },
  };
  PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Noto Sans CJK SC Bold 40px");

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (PangoLayout) layout = pango_layout_new (context);
      int width = cases[i].width, balanced, ink;
      guint shortest = G_MAXUINT;

      pango_layout_set_font_description (layout, font);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_text (layout, cases[i].text, -1);
      if (width == 0)
        {
          /* Just too narrow for the whole name: the last character wraps. */
          pango_layout_get_pixel_size (layout, &ink, NULL);
          width = ink - 1;
        }
      pango_layout_set_width (layout, width * PANGO_SCALE);
      g_assert_cmpint (pango_layout_get_line_count (layout), ==, cases[i].lines);

      balanced = kiosk_ui_balanced_width (layout, width);
      g_assert_cmpint (balanced, <=, width);
      if (cases[i].lines == 1)
        g_assert_cmpint (balanced, ==, width);
      pango_layout_set_width (layout, balanced * PANGO_SCALE);
      g_assert_cmpint (pango_layout_get_line_count (layout), ==, cases[i].lines);
      for (GSList *l = pango_layout_get_lines_readonly (layout); l != NULL; l = l->next)
        {
          PangoLayoutLine *line = l->data;
          g_autofree char *part = g_strndup (cases[i].text + line->start_index, (gsize)line->length);

          shortest = MIN (shortest, (guint)g_utf8_strlen (g_strstrip (part), -1));
        }
      g_assert_cmpuint (shortest, >=, (guint)cases[i].shortest);
    }
  g_object_unref (context);
}

int
main (int argc, char *argv[])
{
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  kiosk_ui_i18n_init (BUILD_LOCALEDIR);

  g_test_add_func ("/kiosk/ui/format-date", test_format_date);
  g_test_add_func ("/kiosk/ui/format-spans", test_format_spans);
  g_test_add_func ("/kiosk/ui/open-state", test_open_state);
  g_test_add_func ("/kiosk/ui/card-keys", test_card_keys);
  g_test_add_func ("/kiosk/ui/parse-size", test_parse_size);
  g_test_add_func ("/kiosk/ui/has-cjk", test_has_cjk);
  g_test_add_func ("/kiosk/ui/balanced-width", test_balanced_width);
  return g_test_run ();
}
