/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "kiosk-clock.h"
#include "kiosk-feedback.h"

G_DEFINE_BOXED_TYPE (KioskFeedback, kiosk_feedback, kiosk_feedback_copy, kiosk_feedback_free)

KioskFeedback *
kiosk_feedback_new (gboolean granted, const char *title_zh, const char *title_en, const char *hint_zh,
                    const char *hint_en)
{
  KioskFeedback *feedback = g_new0 (KioskFeedback, 1);

  feedback->granted = granted;
  feedback->name = g_strdup ("");
  feedback->title_zh = g_strdup (title_zh);
  feedback->title_en = g_strdup (title_en);
  feedback->hint_zh = g_strdup (hint_zh);
  feedback->hint_en = g_strdup (hint_en);
  return feedback;
}

KioskFeedback *
kiosk_feedback_copy (const KioskFeedback *feedback)
{
  KioskFeedback *copy;

  g_return_val_if_fail (feedback != NULL, NULL);

  copy = kiosk_feedback_new (feedback->granted, feedback->title_zh, feedback->title_en, feedback->hint_zh,
                             feedback->hint_en);
  g_free (copy->name);
  copy->name = g_strdup (feedback->name);
  return copy;
}

void
kiosk_feedback_free (KioskFeedback *feedback)
{
  if (feedback == NULL)
    return;
  g_free (feedback->name);
  g_free (feedback->title_zh);
  g_free (feedback->title_en);
  g_free (feedback->hint_zh);
  g_free (feedback->hint_en);
  g_free (feedback);
}

/* What a refused person can do about it, by reason. */
static const struct
{
  KioskEntryReason reason;
  const char *zh;
  const char *en;
} hints[] = {
  { KIOSK_ENTRY_REASON_UNKNOWN, "请到服务台登记", "Please register at the service desk" },
  { KIOSK_ENTRY_REASON_SUSPENDED, "请联系工作人员", "Please see a member of staff" },
  { KIOSK_ENTRY_REASON_EXPIRED, "请到服务台续期", "Please renew at the service desk" },
  { KIOSK_ENTRY_REASON_NOT_YET_VALID, "请到服务台询问", "Please ask at the service desk" },
  { KIOSK_ENTRY_REASON_CLOSED, "明天再来", "Please come back tomorrow" },
  { KIOSK_ENTRY_REASON_NO_GROUP, "请联系工作人员", "Please see a member of staff" },
  { KIOSK_ENTRY_REASON_PASSBACK, "您刚刚已经入场", "You were let in a moment ago" },
  { KIOSK_ENTRY_REASON_FULL, "请稍后再来", "Please come back a little later" },
};

KioskFeedback *
kiosk_feedback_new_for_decision (const KioskEntryDecision *decision, GTimeZone *tz)
{
  KioskFeedback *feedback;

  g_return_val_if_fail (decision != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  feedback = kiosk_feedback_new (decision->granted, kiosk_entry_reason_text (decision->reason, "zh"),
                                 kiosk_entry_reason_text (decision->reason, "en"), NULL, NULL);
  g_free (feedback->name);
  feedback->name = g_strdup (decision->masked_name != NULL ? decision->masked_name : "");

  if (decision->opens_at_us > 0
      && (decision->reason == KIOSK_ENTRY_REASON_NOT_OPEN
          || decision->reason == KIOSK_ENTRY_REASON_GROUP_HOURS))
    {
      g_autoptr (GDateTime) utc = kiosk_date_time_new_from_usec (decision->opens_at_us);
      g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
      g_autofree char *hhmm = g_date_time_format (local, "%H:%M");

      feedback->hint_zh = g_strdup_printf ("%s 开始入场", hhmm);
      feedback->hint_en = g_strdup_printf ("Entry from %s", hhmm);
      return feedback;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (hints); i++)
    if (hints[i].reason == decision->reason)
      {
        feedback->hint_zh = g_strdup (hints[i].zh);
        feedback->hint_en = g_strdup (hints[i].en);
      }
  return feedback;
}

/* A chip ID card on the reader away from check-in: greet by a masked name,
 * or say the card has expired and where to go. */
static KioskFeedback *
id_card_feedback (const KioskIdCard *card, const char *today)
{
  g_autofree char *name = kiosk_id_card_mask_name (card->name);
  g_autofree char *hello_zh = g_strdup_printf ("%s，您好", name);
  g_autofree char *hello_en = g_strdup_printf ("Hello, %s", name);

  if (today != NULL && kiosk_id_card_is_expired (card, today))
    {
      g_autofree char *until = kiosk_id_card_format_valid_until (card);
      g_autofree char *hint_zh = g_strdup_printf ("身份证已于 %s 到期，请到窗口办理", until);
      g_autofree char *hint_en = g_strdup_printf ("Your ID card expired on %s; please go to the desk", until);

      return kiosk_feedback_new (FALSE, hello_zh, hello_en, hint_zh, hint_en);
    }
  /* Green: the card was read and is valid (no door opens for an ID card). */
  return kiosk_feedback_new (TRUE, hello_zh, hello_en, "预约签到请先点「取号」",
                             "For appointment check-in, press Take a number first");
}

KioskFeedback *
kiosk_feedback_new_for_read (const KioskCardRead *read, const char *today)
{
  g_return_val_if_fail (read != NULL, NULL);

  switch (read->kind)
    {
      case KIOSK_CARD_KIND_CARD_UID:
        return NULL;
      case KIOSK_CARD_KIND_RESIDENT_ID:
        if (read->id_card != NULL)
          return id_card_feedback (read->id_card, today);
        G_GNUC_FALLTHROUGH;
      case KIOSK_CARD_KIND_QR:
        return kiosk_feedback_new (FALSE, "此码不能开门", "This code does not open the door",
                                   "预约签到请先点「取号」",
                                   "For appointment check-in, press Take a number first");
      case KIOSK_CARD_KIND_REJECTED:
      default:
        break;
    }
  switch (read->reject)
    {
      case KIOSK_CARD_REJECT_TOO_SLOW: /* a person typing on a keyboard */
      case KIOSK_CARD_REJECT_DUPLICATE:
      case KIOSK_CARD_REJECT_NONE:
        return NULL;
      case KIOSK_CARD_REJECT_CHECK_DIGIT:
        return kiosk_feedback_new (FALSE, "身份证号读取有误", "ID number not read correctly",
                                   "请重新放置身份证", "Please place the ID card again");
      case KIOSK_CARD_REJECT_BIRTH_DATE: /* the check digit held: not a misread */
        return kiosk_feedback_new (FALSE, "身份证号无效", "ID number not valid", "请到服务窗口办理",
                                   "Please go to a service desk");
      case KIOSK_CARD_REJECT_UNSUPPORTED:
        return kiosk_feedback_new (FALSE, "此类证件本机暂不支持", "This kind of card is not taken here",
                                   "请到窗口办理", "Please go to the desk");
      case KIOSK_CARD_REJECT_UNVERIFIED:
        return kiosk_feedback_new (FALSE, "证件无法读取或验证", "The card cannot be read or verified",
                                   "请重新放置；仍不行请到窗口办理",
                                   "Place it again; if it still fails, please go to the desk");
      default:
        return kiosk_feedback_new (FALSE, kiosk_entry_reason_text (KIOSK_ENTRY_REASON_BAD_READ, "zh"),
                                   kiosk_entry_reason_text (KIOSK_ENTRY_REASON_BAD_READ, "en"), NULL, NULL);
    }
}

KioskFeedback *
kiosk_feedback_new_out_of_service (void)
{
  return kiosk_feedback_new (FALSE, "暂停服务", "Out of service", "请到服务窗口办理",
                             "Please go to a service desk");
}

KioskFeedback *
kiosk_feedback_new_no_club (void)
{
  return kiosk_feedback_new (FALSE, "本机不办理健身入场", "This kiosk does not open the club",
                             "请到服务台询问", "Please ask at the service desk");
}
