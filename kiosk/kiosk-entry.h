/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-badge-rules.h"
#include "kiosk-bundle.h"
#include "kiosk-credentials.h"

G_BEGIN_DECLS

/* The fitness club door: one decision per card read, each one recorded.
 *
 * How the UI uses it:
 *   reader delivers a normalised card → kiosk_entry_decide()
 *     → a KioskEntryDecision (also emitted as the "decided" signal, so a
 *       full-screen feedback can be shown from any screen);
 *     granted → pulse the door, show the green ✓ with decision->masked_name
 *       and kiosk_entry_reason_text (reason, lang) (欢迎 / Welcome);
 *     denied → red ✗ with kiosk_entry_reason_text (reason, lang);
 *       decision->opens_at_us, when not 0, is when this card could enter
 *       (for 未到开放时间 / Not open yet and 不在您的入场时段);
 *     NULL with an error → the record could not be written (disk full or
 *       broken): nothing was decided, keep the door shut and show
 *       暂停服务 / Out of service (KioskStore:healthy is then FALSE).
 *   staff panel → "occupancy", "entries-today", "denied-today" properties,
 *     kiosk_entry_list_today(), kiosk_entry_admit_manual().
 *
 * Checks, in this order (the first that fails is the reason):
 *   card readable → in the member list, or a badge admitted by the badge
 *   rules (group [fitness] badge_group) → status active → valid today
 *   (valid_from ≤ today ≤ valid_until, local dates) → the room is open →
 *   the member's group exists in the bundle and its hours are open →
 *   not granted to the same card within anti_passback_minutes (unless it
 *   left through the exit reader since) → fewer than capacity inside
 *   (staff cards are exempt).
 * Hours are [start, end): a read at opening time exactly is admitted, one at
 * closing time exactly is refused.
 *
 * Occupancy: granted entries of the last stay_hours that have not left. A
 * card's earlier entry stops counting when it enters again or taps the exit
 * reader (kiosk_entry_record_exit()).
 *
 * Every decision (granted, denied, manual, exit) is one row of the entries
 * table and one outbox record (kind "entry", the same UUID) written in one
 * transaction; the card appears in both only as its keyed hash and the name
 * only masked. */

typedef enum
{
  /* granted */
  KIOSK_ENTRY_REASON_OK,
  KIOSK_ENTRY_REASON_BY_RULE, /* not in the list, admitted by the badge rules */
  KIOSK_ENTRY_REASON_MANUAL,  /* let in by staff */
  KIOSK_ENTRY_REASON_EXIT,    /* left through the exit reader */
  /* denied */
  KIOSK_ENTRY_REASON_BAD_READ,
  KIOSK_ENTRY_REASON_UNKNOWN,
  KIOSK_ENTRY_REASON_SUSPENDED,
  KIOSK_ENTRY_REASON_EXPIRED,
  KIOSK_ENTRY_REASON_NOT_YET_VALID,
  KIOSK_ENTRY_REASON_NOT_OPEN, /* the room opens later today */
  KIOSK_ENTRY_REASON_CLOSED,   /* the room does not open again today */
  KIOSK_ENTRY_REASON_NO_GROUP, /* the member's group is not in the bundle */
  KIOSK_ENTRY_REASON_GROUP_HOURS,
  KIOSK_ENTRY_REASON_PASSBACK,
  KIOSK_ENTRY_REASON_FULL,
} KioskEntryReason;

#define KIOSK_ENTRY_N_REASONS (KIOSK_ENTRY_REASON_FULL + 1)

/* The code stored in records and sent to the hub, e.g. "expired". */
const char *kiosk_entry_reason_to_code (KioskEntryReason reason);
gboolean kiosk_entry_reason_from_code (const char *code, KioskEntryReason *out);
/* Plain words for the screen: @lang "en" gives English (The club is full),
 * anything else Chinese (已满员). Static strings. */
const char *kiosk_entry_reason_text (KioskEntryReason reason, const char *lang);
/* Both, "已满员 / The club is full". Static. */
const char *kiosk_entry_reason_bilingual (KioskEntryReason reason);
gboolean kiosk_entry_reason_is_grant (KioskEntryReason reason);

typedef struct
{
  char *uuid; /* of the entry record and its outbox record */
  gboolean granted;
  KioskEntryReason reason;
  gint64 at_us;
  char card_hash[KIOSK_CARD_HASH_LEN + 1]; /* "" without a readable card */
  char *masked_name;                       /* "" when not known */
  char *group;                             /* NULL when not known */
  gboolean known;                          /* in the member list */
  KioskMemberKind kind;                    /* when known or admitted by rule */
  char *valid_until;                       /* the member's, or NULL */
  char *note;                              /* the staff's reason for a manual admit */
  gint64 opens_at_us;                      /* see above; 0: none */
  int occupancy;                           /* inside after this decision */
} KioskEntryDecision;

#define KIOSK_TYPE_ENTRY_DECISION (kiosk_entry_decision_get_type ())
GType kiosk_entry_decision_get_type (void) G_GNUC_CONST;
KioskEntryDecision *kiosk_entry_decision_copy (const KioskEntryDecision *decision);
void kiosk_entry_decision_free (KioskEntryDecision *decision);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskEntryDecision, kiosk_entry_decision_free)

#define KIOSK_TYPE_ENTRY (kiosk_entry_get_type ())
G_DECLARE_FINAL_TYPE (KioskEntry, kiosk_entry, KIOSK, ENTRY, GObject)

/* The door of @bundle's fitness club (KIOSK_ERROR_NOT_FOUND when the bundle
 * has none). @badge_rules (transfer full, may be NULL) admit unlisted work
 * badges. Time comes from the store's clock. */
KioskEntry *kiosk_entry_new (KioskCredentials *credentials, KioskBundle *bundle, KioskBadgeRules *badge_rules,
                             GError **error);
/* A new content release: rules, groups and hours from @bundle from now on. */
gboolean kiosk_entry_set_bundle (KioskEntry *self, KioskBundle *bundle, GError **error);

KioskCredentials *kiosk_entry_get_credentials (KioskEntry *self);
const KioskFitnessRules *kiosk_entry_get_rules (KioskEntry *self);

/* Decides on a read of @card (a normalised identifier, never stored) and
 * records it. Transfer full; NULL only when the record could not be written. */
KioskEntryDecision *kiosk_entry_decide (KioskEntry *self, const char *card, GError **error);
/* Staff let someone in. @card_hash: of the card just refused (from its
 * decision) or NULL; @note: why, required (at most 200 characters). Counts in
 * the occupancy like any entry; no rule is checked. */
KioskEntryDecision *kiosk_entry_admit_manual (KioskEntry *self, const char *card_hash, const char *note,
                                              GError **error);
/* A read on the exit reader: the card's entry stops counting as inside. */
KioskEntryDecision *kiosk_entry_record_exit (KioskEntry *self, const char *card, GError **error);

/* Statistics, also GObject properties ("occupancy", "entries-today",
 * "denied-today") notified when they change. They follow every decision;
 * since stays run out and days end with no read, call kiosk_entry_refresh()
 * now and then (once a minute). */
int kiosk_entry_get_occupancy (KioskEntry *self);
int kiosk_entry_get_entries_today (KioskEntry *self); /* granted since local midnight */
int kiosk_entry_get_denied_today (KioskEntry *self);
gboolean kiosk_entry_refresh (KioskEntry *self, GError **error);

/* Today's decisions, newest first, at most @limit (KioskEntryDecision*, with
 * known/kind/valid_until/opens_at_us/occupancy not filled). Transfer full. */
GPtrArray *kiosk_entry_list_today (KioskEntry *self, guint limit, GError **error);

G_END_DECLS
