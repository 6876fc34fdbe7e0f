/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-feedback"

#include "kiosk-clock.h"
#include "kiosk-feedback.h"

#include <string.h>

/* What the full-screen answer says, from tables: no display needed. */

static const struct
{
  KioskEntryReason reason;
  const char *masked_name;
  gint64 opens_at_us;
  gboolean granted;
  const char *title_zh;
  const char *title_en;
  const char *hint_zh; /* NULL: none */
  const char *hint_en;
} decision_cases[] = {
  { KIOSK_ENTRY_REASON_OK, "张*明", 0, TRUE, "欢迎", "Welcome", NULL, NULL },
  { KIOSK_ENTRY_REASON_BY_RULE, "", 0, TRUE, "欢迎", "Welcome", NULL, NULL },
  { KIOSK_ENTRY_REASON_MANUAL, "", 0, TRUE, "工作人员已放行", "Let in by staff", NULL, NULL },
  { KIOSK_ENTRY_REASON_UNKNOWN, "", 0, FALSE, "卡未登记", "Card not registered", "请到服务台登记",
    "Please register at the service desk" },
  { KIOSK_ENTRY_REASON_EXPIRED, "王*国", 0, FALSE, "会员已过期", "Membership expired", "请到服务台续期",
    "Please renew at the service desk" },
  { KIOSK_ENTRY_REASON_PASSBACK, "张*明", 0, FALSE, "请勿重复刷卡", "Already entered", "您刚刚已经入场",
    "You were let in a moment ago" },
  { KIOSK_ENTRY_REASON_FULL, "", 0, FALSE, "已满员", "The club is full", "请稍后再来",
    "Please come back a little later" },
  /* 2026-11-24 06:30 in Shanghai is 2026-11-23 22:30 UTC. */
  { KIOSK_ENTRY_REASON_NOT_OPEN, "", G_GINT64_CONSTANT (1795473000) * G_USEC_PER_SEC, FALSE, "未到开放时间",
    "Not open yet", "06:30 开始入场", "Entry from 06:30" },
  { KIOSK_ENTRY_REASON_GROUP_HOURS, "李*英", G_GINT64_CONSTANT (1795478400) * G_USEC_PER_SEC, FALSE,
    "不在您的入场时段", "Not your entry hours", "08:00 开始入场", "Entry from 08:00" },
  { KIOSK_ENTRY_REASON_BAD_READ, "", 0, FALSE, "读卡失败，请重刷", "Card not read, please tap again", NULL,
    NULL },
};

static void
test_decisions (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");

  g_assert_nonnull (tz);
  for (gsize i = 0; i < G_N_ELEMENTS (decision_cases); i++)
    {
      KioskEntryDecision decision = { 0 };
      g_autoptr (KioskFeedback) feedback = NULL;
      g_autoptr (KioskFeedback) copy = NULL;

      decision.reason = decision_cases[i].reason;
      decision.granted = kiosk_entry_reason_is_grant (decision.reason);
      decision.masked_name = (char *)decision_cases[i].masked_name;
      decision.opens_at_us = decision_cases[i].opens_at_us;
      feedback = kiosk_feedback_new_for_decision (&decision, tz);
      g_assert_cmpint (feedback->granted, ==, decision_cases[i].granted);
      g_assert_cmpstr (feedback->name, ==, decision_cases[i].masked_name);
      g_assert_cmpstr (feedback->title_zh, ==, decision_cases[i].title_zh);
      g_assert_cmpstr (feedback->title_en, ==, decision_cases[i].title_en);
      g_assert_cmpstr (feedback->hint_zh, ==, decision_cases[i].hint_zh);
      g_assert_cmpstr (feedback->hint_en, ==, decision_cases[i].hint_en);
      copy = kiosk_feedback_copy (feedback);
      g_assert_cmpstr (copy->name, ==, feedback->name);
      g_assert_cmpstr (copy->hint_en, ==, feedback->hint_en);
    }
}

static const struct
{
  const char *text;
  KioskCardReject reject; /* for a rejected read; NONE: classify @text */
  gboolean answered;
  const char *title_zh;
} read_cases[] = {
  { "0012345678", KIOSK_CARD_REJECT_NONE, FALSE, NULL }, /* a card UID gets a decision instead */
  { "LINLI:APPT:1", KIOSK_CARD_REJECT_NONE, TRUE, "此码不能开门" },
  { "11010519491231002X", KIOSK_CARD_REJECT_NONE, TRUE, "此码不能开门" },
  { "0012", KIOSK_CARD_REJECT_TIMEOUT, TRUE, "读卡失败，请重刷" },
  { "", KIOSK_CARD_REJECT_LOST, TRUE, "读卡失败，请重刷" },
  { "110105194912310021", KIOSK_CARD_REJECT_CHECK_DIGIT, TRUE, "身份证号读取有误" },
  { "110105199013010026", KIOSK_CARD_REJECT_NONE, TRUE, "身份证号无效" }, /* month 13, check digit right */
  { "12", KIOSK_CARD_REJECT_TOO_SLOW, FALSE, NULL },
  { "0012345678", KIOSK_CARD_REJECT_DUPLICATE, FALSE, NULL },
  { "", KIOSK_CARD_REJECT_UNSUPPORTED, TRUE, "此类证件本机暂不支持" },
  { "", KIOSK_CARD_REJECT_UNVERIFIED, TRUE, "证件无法读取或验证" },
};

static void
test_reads (void)
{
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 23, G_DATE_NOVEMBER, 2026);
  for (gsize i = 0; i < G_N_ELEMENTS (read_cases); i++)
    {
      g_autoptr (KioskCardRead) read
          = read_cases[i].reject == KIOSK_CARD_REJECT_NONE
                ? kiosk_card_classify (read_cases[i].text, KIOSK_CARD_UID_AUTO, &today, 0)
                : kiosk_card_read_new_rejected (read_cases[i].reject, read_cases[i].text, 0);
      g_autoptr (KioskFeedback) feedback = kiosk_feedback_new_for_read (read, "20261203");

      g_assert_cmpint (feedback != NULL, ==, read_cases[i].answered);
      if (feedback == NULL)
        continue;
      g_assert_false (feedback->granted);
      g_assert_cmpstr (feedback->title_zh, ==, read_cases[i].title_zh);
      g_assert_nonnull (feedback->title_en);
      /* Never the number itself. */
      g_assert_null (strstr (feedback->title_zh, read_cases[i].text[0] ? read_cases[i].text : "\x01"));
    }
}

static void
test_fixed (void)
{
  g_autoptr (KioskFeedback) oos = kiosk_feedback_new_out_of_service ();
  g_autoptr (KioskFeedback) no_club = kiosk_feedback_new_no_club ();

  g_assert_false (oos->granted);
  g_assert_cmpstr (oos->title_zh, ==, "暂停服务");
  g_assert_cmpstr (oos->title_en, ==, "Out of service");
  g_assert_false (no_club->granted);
  g_assert_cmpstr (no_club->name, ==, "");
}

/* A chip ID card away from check-in: greeted by a masked name, or told the
 * card has expired and where to go; never the number or the whole name. */
static void
test_id_card (void)
{
  static const struct
  {
    const char *valid_until;
    const char *today;
    const char *hint_zh;
  } cases[] = {
    { "20301231", "20261203", "预约签到请先点「取号」" },
    { "20261203", "20261203", "预约签到请先点「取号」" },
    { "20261202", "20261203", "身份证已于 2026-12-02 到期，请到窗口办理" },
    { "", "20991231", "预约签到请先点「取号」" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KioskIdCard *card = g_new0 (KioskIdCard, 1);
      g_autoptr (KioskCardRead) read = NULL;
      g_autoptr (KioskFeedback) feedback = NULL;

      card->name = g_strdup ("张小三");
      g_strlcpy (card->number, "11010519491231002X", sizeof card->number);
      g_strlcpy (card->valid_until, cases[i].valid_until, sizeof card->valid_until);
      read = kiosk_card_read_new_id_card (card, 0);
      feedback = kiosk_feedback_new_for_read (read, cases[i].today);
      g_assert_nonnull (feedback);
      /* Green for a good card, red for an expired one. */
      g_assert_cmpint (feedback->granted, ==, strstr (cases[i].hint_zh, "到期") == NULL);
      g_assert_cmpstr (feedback->title_zh, ==, "张*三，您好");
      g_assert_cmpstr (feedback->title_en, ==, "Hello, 张*三");
      g_assert_cmpstr (feedback->hint_zh, ==, cases[i].hint_zh);
      g_assert_null (strstr (feedback->hint_zh, "1101"));
      g_assert_null (strstr (feedback->hint_en, "1101"));
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/ui/feedback/decisions", test_decisions);
  g_test_add_func ("/kiosk/ui/feedback/reads", test_reads);
  g_test_add_func ("/kiosk/ui/feedback/id-card", test_id_card);
  g_test_add_func ("/kiosk/ui/feedback/fixed", test_fixed);
  return g_test_run ();
}
