/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-card.h"
#include "kiosk-entry.h"

G_BEGIN_DECLS

/* What the full-screen answer to a card says: green or red, the masked name,
 * a title and a hint, each in Chinese and English (both are shown at once:
 * nobody switches language while tapping a badge). Plain data made by pure
 * functions, tested from tables. */
typedef struct
{
  gboolean granted;
  char *name;     /* masked (张*明), "" when none */
  char *title_zh; /* 欢迎, 卡未登记 … */
  char *title_en;
  char *hint_zh; /* what to do next; NULL when nothing to add */
  char *hint_en;
} KioskFeedback;

#define KIOSK_TYPE_FEEDBACK (kiosk_feedback_get_type ())
GType kiosk_feedback_get_type (void) G_GNUC_CONST;

KioskFeedback *kiosk_feedback_new (gboolean granted, const char *title_zh, const char *title_en,
                                   const char *hint_zh, const char *hint_en);
KioskFeedback *kiosk_feedback_copy (const KioskFeedback *feedback);
void kiosk_feedback_free (KioskFeedback *feedback);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskFeedback, kiosk_feedback_free)

/* The answer to an entry decision; times (opens at) in @tz. */
KioskFeedback *kiosk_feedback_new_for_decision (const KioskEntryDecision *decision, GTimeZone *tz);
/* The answer to a read nobody took: a rejected read (读卡失败), or a booking
 * code or ID number away from the check-in. NULL for reads that deserve no
 * answer (a person typing, a repeat) and for card UIDs (they get a decision). */
/* @today: YYYYMMDD on the kiosk's clock, for a chip ID card's validity. */
KioskFeedback *kiosk_feedback_new_for_read (const KioskCardRead *read, const char *today);
/* A decision could not be recorded (disk full): the door stays shut. */
KioskFeedback *kiosk_feedback_new_out_of_service (void);
/* A card tapped on a kiosk without the fitness club. */
KioskFeedback *kiosk_feedback_new_no_club (void);

G_END_DECLS
