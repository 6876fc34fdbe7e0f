/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-entry"

#include "kiosk-entry.h"

/* Reasons and the decision record: plain data for the screens and the hub. */

static const struct
{
  const char *code;
  const char *zh;
  const char *en;
  const char *both;
} reasons[KIOSK_ENTRY_N_REASONS] = {
  [KIOSK_ENTRY_REASON_OK] = { "ok", "欢迎", "Welcome", "欢迎 / Welcome" },
  [KIOSK_ENTRY_REASON_BY_RULE] = { "rule", "欢迎", "Welcome", "欢迎 / Welcome" },
  [KIOSK_ENTRY_REASON_MANUAL]
  = { "manual", "工作人员已放行", "Let in by staff", "工作人员已放行 / Let in by staff" },
  [KIOSK_ENTRY_REASON_EXIT] = { "exit", "再见", "Goodbye", "再见 / Goodbye" },
  [KIOSK_ENTRY_REASON_BAD_READ] = { "bad-read", "读卡失败，请重刷", "Card not read, please tap again",
                                    "读卡失败，请重刷 / Card not read, please tap again" },
  [KIOSK_ENTRY_REASON_UNKNOWN]
  = { "unknown", "卡未登记", "Card not registered", "卡未登记 / Card not registered" },
  [KIOSK_ENTRY_REASON_SUSPENDED] = { "suspended", "卡已停用", "Card suspended", "卡已停用 / Card suspended" },
  [KIOSK_ENTRY_REASON_EXPIRED]
  = { "expired", "会员已过期", "Membership expired", "会员已过期 / Membership expired" },
  [KIOSK_ENTRY_REASON_NOT_YET_VALID] = { "not-yet-valid", "会员尚未生效", "Membership not started yet",
                                         "会员尚未生效 / Membership not started yet" },
  [KIOSK_ENTRY_REASON_NOT_OPEN]
  = { "not-open", "未到开放时间", "Not open yet", "未到开放时间 / Not open yet" },
  [KIOSK_ENTRY_REASON_CLOSED]
  = { "closed", "今日已闭馆", "Closed for today", "今日已闭馆 / Closed for today" },
  [KIOSK_ENTRY_REASON_NO_GROUP]
  = { "no-group", "无入场权限", "No access to the club", "无入场权限 / No access to the club" },
  [KIOSK_ENTRY_REASON_GROUP_HOURS]
  = { "group-hours", "不在您的入场时段", "Not your entry hours", "不在您的入场时段 / Not your entry hours" },
  [KIOSK_ENTRY_REASON_PASSBACK]
  = { "passback", "请勿重复刷卡", "Already entered", "请勿重复刷卡 / Already entered" },
  [KIOSK_ENTRY_REASON_FULL] = { "full", "已满员", "The club is full", "已满员 / The club is full" },
};

const char *
kiosk_entry_reason_to_code (KioskEntryReason reason)
{
  g_return_val_if_fail ((guint)reason < KIOSK_ENTRY_N_REASONS, NULL);
  return reasons[reason].code;
}

gboolean
kiosk_entry_reason_from_code (const char *code, KioskEntryReason *out)
{
  for (guint i = 0; i < KIOSK_ENTRY_N_REASONS; i++)
    if (g_strcmp0 (code, reasons[i].code) == 0)
      {
        *out = (KioskEntryReason)i;
        return TRUE;
      }
  return FALSE;
}

const char *
kiosk_entry_reason_text (KioskEntryReason reason, const char *lang)
{
  g_return_val_if_fail ((guint)reason < KIOSK_ENTRY_N_REASONS, NULL);
  return g_strcmp0 (lang, "en") == 0 ? reasons[reason].en : reasons[reason].zh;
}

const char *
kiosk_entry_reason_bilingual (KioskEntryReason reason)
{
  g_return_val_if_fail ((guint)reason < KIOSK_ENTRY_N_REASONS, NULL);
  return reasons[reason].both;
}

gboolean
kiosk_entry_reason_is_grant (KioskEntryReason reason)
{
  return reason <= KIOSK_ENTRY_REASON_EXIT;
}

KioskEntryDecision *
kiosk_entry_decision_copy (const KioskEntryDecision *decision)
{
  KioskEntryDecision *copy = g_memdup2 (decision, sizeof *decision);

  copy->uuid = g_strdup (decision->uuid);
  copy->masked_name = g_strdup (decision->masked_name);
  copy->group = g_strdup (decision->group);
  copy->valid_until = g_strdup (decision->valid_until);
  copy->note = g_strdup (decision->note);
  return copy;
}

void
kiosk_entry_decision_free (KioskEntryDecision *decision)
{
  if (decision == NULL)
    return;
  g_free (decision->uuid);
  g_free (decision->masked_name);
  g_free (decision->group);
  g_free (decision->valid_until);
  g_free (decision->note);
  g_free (decision);
}

G_DEFINE_BOXED_TYPE (KioskEntryDecision, kiosk_entry_decision, kiosk_entry_decision_copy,
                     kiosk_entry_decision_free)
