/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-bundle-check"

#include <string.h>

#include "kiosk-bundle-check.h"
#include "kiosk-test-util.h"

/* The consistency check: the packaged content passes it, and each thing a
 * centre could get wrong is found, as an error or a warning. */

static GDateTime *
now (void)
{
  return g_date_time_new_from_iso8601 ("2026-12-01T10:00:00+08:00", NULL);
}

static char *
describe (GPtrArray *findings)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < findings->len; i++)
    {
      g_autofree char *line = kiosk_check_finding_to_string (findings->pdata[i]);
      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (out, FALSE);
}

/* issue #17 item 10: today's packaged bundle has an announcement of
 * residence permits in the evening, and residence permits are never open in
 * the evening. */
static void
test_default_content (void)
{
  g_autofree char *dir = kiosk_test_asset_path ("content/default");
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBundle) bundle = kiosk_bundle_load (dir, &error);
  g_autoptr (GDateTime) at = now ();
  g_autoptr (GPtrArray) findings = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  findings = kiosk_bundle_check_consistency (bundle, at);
  text = describe (findings);
  g_test_message ("%s", text);
  g_assert_cmpstr (text, ==, "");
}

static const struct
{
  const char *text;
  const char *claims;
} claim_cases[] = {
  { "每周二、周四 18:30–20:30 延时办理", "24 18:30-20:30\n" },
  { "值班律师每周一、三、五下午及周六上午", "135 12:00-18:00\n6 00:00-12:00\n" },
  { "共享俱乐部每天 6:30–22:00 开放", "1234567 06:30-22:00\n" },
  { "周一至周五 9：00-17：00", "12345 09:00-17:00\n" },
  { "居住证夜间办理", "* 18:00-24:00\n" },
  { "11月15日起开放", "" },
  { "Tuesdays and Thursdays 18:30–20:30", "24 18:30-20:30\n" },
  { "Monday, Wednesday and Friday afternoons and Saturday mornings", "135 12:00-18:00\n6 00:00-12:00\n" },
  { "open daily 6:30–22:00", "1234567 06:30-22:00\n" },
  { "Monday to Friday, 8:30 to 17:30", "12345 08:30-17:30\n" },
  { "Residence permits in the evening", "* 18:00-24:00\n" },
  { "valid from 2026-11-01T00:00:00+08:00", "" },
  { "weekends 9:00-12:00; eveningwear", "67 09:00-12:00\n" },
};

static void
test_claims (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (claim_cases); i++)
    {
      g_autofree char *got = kiosk_check_describe_claims (claim_cases[i].text);

      g_test_message ("%s", claim_cases[i].text);
      g_assert_cmpstr (got, ==, claim_cases[i].claims);
    }
}

/* A small bundle: a hall open weekdays 08:30–12:00 (Mondays 13:30–17:30 too)
 * and a desk on Tuesday evenings, each with its queue and service, one
 * category, and a club open Mondays and Saturdays. */
static const char base[]
    = "{ \"format\": 1, \"release\": 1,"
      "  \"centre\": { \"name\": { \"zh\": \"中心\", \"en\": \"Centre\" } },"
      "  \"hours\": {"
      "    \"hall\": { \"weekly\": { \"mon\": [\"08:30-12:00\", \"13:30-17:30\"], \"tue\": [\"08:30-12:00\"],"
      "                \"wed\": [\"08:30-12:00\"], \"thu\": [\"08:30-12:00\"], \"fri\": [\"08:30-12:00\"] },"
      "                \"cutoff_minutes\": 20 },"
      "    \"evening\": { \"weekly\": { \"tue\": [\"18:30-20:30\"] } },"
      "    \"room\": { \"weekly\": { \"mon\": [\"06:30-22:00\"], \"sat\": [\"06:30-22:00\"] } },"
      "    \"room-late\": { \"weekly\": { \"mon\": [\"06:30-23:00\"] } },"
      "    \"short\": { \"weekly\": { \"mon\": [\"08:30-08:40\"] }, \"cutoff_minutes\": 10 },"
      "    \"never\": { \"weekly\": {} } },"
      "  \"categories\": [ { \"id\": \"res\", \"name\": { \"zh\": \"居住\", \"en\": \"Residence\" } }"
      "                    /*CATEGORY*/ ],"
      "  \"queues\": [ { \"id\": \"A\", \"prefix\": \"A\", \"name\": { \"zh\": \"综合\", \"en\": \"General\" "
      "},"
      "                  \"hours\": \"hall\" },"
      "              { \"id\": \"B\", \"prefix\": \"B\", \"name\": { \"zh\": \"延时窗口\", \"en\": \"Late "
      "desk\" },"
      "                \"hours\": \"evening\" } /*QUEUE*/ ],"
      "  \"services\": [ { \"id\": \"permit\", \"category\": \"res\", \"queue\": \"A\" /*HOURS*/,"
      "                    \"name\": { \"zh\": \"居住证申领\", \"en\": \"Residence permit application\" } },"
      "                  { \"id\": \"evening\", \"category\": \"res\", \"queue\": \"B\","
      "                    \"name\": { \"zh\": \"就业咨询\", \"en\": \"Job advice\" } } ],"
      "  \"fitness\": { \"name\": { \"zh\": \"共享俱乐部\", \"en\": \"Club\" }, \"hours\": \"room\","
      "                 \"capacity\": 10,"
      "                 \"groups\": [ { \"id\": \"worker\", \"name\": { \"zh\": \"职工\", \"en\": "
      "\"Workers\" } }"
      "                             /*GROUP*/ ] },"
      "  \"announcements\": [ /*ANNOUNCEMENT*/ ] }";

typedef struct
{
  const char *name;
  const char *marker; /* replaced in base[] by @insert */
  const char *insert;
  KioskCheckLevel level;
  const char *found; /* a part of the finding; NULL: none */
} Case;

#define NOTICE(id, zh, en)                                                                                   \
  "{ \"id\": \"" id "\", \"title\": { \"zh\": \"通知\", \"en\": \"Notice\" }, \"body\": { \"zh\": \"" zh     \
  "\", \"en\": \"" en "\" } }"

static const Case cases[] = {
  { "consistent", NULL, NULL, KIOSK_CHECK_WARNING, NULL },
  { "category-empty", "/*CATEGORY*/",
    ", { \"id\": \"empty\", \"name\": { \"zh\": \"空\", \"en\": \"Empty\" } }", KIOSK_CHECK_ERROR,
    "categories[1] (empty): 没有服务" },
  { "queue-unused", "/*QUEUE*/",
    ", { \"id\": \"C\", \"prefix\": \"C\", \"name\": { \"zh\": \"丙\", \"en\": \"C\" }, \"hours\": \"hall\" "
    "}",
    KIOSK_CHECK_WARNING, "queues[2] (C): 没有服务使用此队列" },
  { "service-never-open", "/*HOURS*/", ", \"hours\": \"never\"", KIOSK_CHECK_ERROR,
    "services[0] (permit): 一周中没有可取号的时间" },
  { "service-open-only-inside-cutoff", "/*HOURS*/", ", \"hours\": \"short\"", KIOSK_CHECK_ERROR,
    "services[0] (permit): 一周中没有可取号的时间" },
  { "service-open-when-queue-is-not", "/*HOURS*/", ", \"hours\": \"room\"", KIOSK_CHECK_WARNING,
    "services[0] (permit): 周一开放，但队列 \"A\" 不开放" },
  { "group-outside-room", "/*GROUP*/",
    ", { \"id\": \"late\", \"name\": { \"zh\": \"夜班\", \"en\": \"Night\" }, \"hours\": \"room-late\" }",
    KIOSK_CHECK_WARNING, "fitness.groups[1] (late): 周一可入场时健身室不开放" },
  { "group-never", "/*GROUP*/",
    ", { \"id\": \"none\", \"name\": { \"zh\": \"无\", \"en\": \"None\" }, \"hours\": \"never\" }",
    KIOSK_CHECK_WARNING, "fitness.groups[1] (none): 永远不能入场" },
  { "duplicate-announcement", "/*ANNOUNCEMENT*/",
    NOTICE ("n", "内容", "Text") ", " NOTICE ("n", "内容", "Text"), KIOSK_CHECK_ERROR,
    "announcements[1] (n): id 重复" },
  { "announcement-ended", "/*ANNOUNCEMENT*/",
    "{ \"id\": \"old\", \"title\": { \"zh\": \"旧\", \"en\": \"Old\" }, \"body\": { \"zh\": \"旧\", \"en\": "
    "\"Old\" }, \"valid_until\": \"2026-11-01T00:00:00+08:00\" }",
    KIOSK_CHECK_WARNING, "announcements[0] (old): 已过期" },
  /* The packaged bundle's mistake: a service named, a time it is closed. */
  { "announcement-evening-service", "/*ANNOUNCEMENT*/", NOTICE ("eve", "居住证夜间办理", "x"),
    KIOSK_CHECK_WARNING, "announcements[0] (eve): 说 \"夜间\"（zh），但居住证申领 (permit) 此时不开放" },
  { "announcement-evening-service-en", "/*ANNOUNCEMENT*/",
    NOTICE ("eve", "通知", "Residence permits in the evening"), KIOSK_CHECK_WARNING,
    "says \"evening\" (en), but Residence permit application (permit) is not open then (hours \"hall\")" },
  { "announcement-range-on-a-day", "/*ANNOUNCEMENT*/", NOTICE ("pm", "居住证申领周二 14:00-16:00 办理", "x"),
    KIOSK_CHECK_WARNING, "说 \"14:00-16:00\"周二（zh），但居住证申领 (permit) 此时不开放" },
  { "announcement-agrees", "/*ANNOUNCEMENT*/",
    NOTICE ("ok", "居住证申领周一至周五上午 8:30-12:00；就业咨询周二 18:30–20:30；共享俱乐部周六 7:00-21:00",
            "Residence permits weekdays 8:30-12:00; Job advice Tuesdays 18:30–20:30"),
    KIOSK_CHECK_WARNING, NULL },
  { "announcement-club", "/*ANNOUNCEMENT*/", NOTICE ("club", "健身俱乐部每天 6:30–22:00 开放", "x"),
    KIOSK_CHECK_WARNING,
    "说 \"6:30–22:00\"周二（zh），但共享俱乐部 此时不开放 / says \"6:30–22:00\" on Tuesday" },
  { "announcement-names-nothing", "/*ANNOUNCEMENT*/", NOTICE ("sun", "周日 10:00-11:00 有活动", "x"),
    KIOSK_CHECK_WARNING, "但中心此时不开放" },
  { "hours-unused", "\"hours\": {", "\"hours\": { \"spare\": { \"weekly\": {} },", KIOSK_CHECK_WARNING,
    "hours.spare: 没有地方使用这组开放时间" },
};

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *dir = kiosk_test_make_tmpdir ("bundle-check");
  g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr (GString) text = g_string_new (base);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  g_autoptr (GPtrArray) findings = NULL;
  g_autoptr (GDateTime) at = now ();
  g_autofree char *found = NULL;
  const char *unused[] = { "/*CATEGORY*/", "/*QUEUE*/", "/*HOURS*/", "/*GROUP*/", "/*ANNOUNCEMENT*/" };

  if (c->marker != NULL)
    g_assert_cmpuint (g_string_replace (text, c->marker, c->insert, 1), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (unused); i++)
    g_string_replace (text, unused[i], "", 0);
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  bundle = kiosk_bundle_load (dir, &error);
  g_assert_no_error (error);
  findings = kiosk_bundle_check_consistency (bundle, at);
  found = describe (findings);
  g_test_message ("%s", found);
  kiosk_test_remove_tree (dir);

  /* The base bundle's "short", "never", "room-late" hours are used by no
   * one in it: those warnings are expected in every case. */
  {
    g_auto (GStrv) lines = g_strsplit (found, "\n", -1);
    guint n = 0;

    for (guint i = 0; lines[i] != NULL; i++)
      {
        if (*lines[i] == '\0' || (strstr (lines[i], "hours.") != NULL && strstr (lines[i], "spare") == NULL))
          continue;
        n++;
        g_assert_nonnull (c->found);
        g_assert_nonnull (strstr (lines[i], c->found));
        g_assert_true (
            g_str_has_prefix (lines[i], c->level == KIOSK_CHECK_ERROR ? "错误 / error" : "警告 / warning"));
      }
    g_assert_cmpuint (n, ==, c->found != NULL ? 1 : 0);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/bundle-check/default-content", test_default_content);
  g_test_add_func ("/kiosk/bundle-check/claims", test_claims);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/kiosk/bundle-check/%s", cases[i].name);
      g_test_add_data_func (name, &cases[i], test_case);
    }
  return g_test_run ();
}
