/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-hours.h"
#include "kiosk-ticket.h"

G_BEGIN_DECLS

/* Everything that decides whether a ticket may be issued now; plain values,
 * gathered by #KioskQueue, so the rule is a pure function. */
typedef struct
{
  const KioskHours *hours; /* the service's hours */
  GDateTime *now;          /* local time */
  GDateTime *next_day;     /* start of the next service day */
  gboolean cap_reached;    /* the queue's or the service's daily cap (this kiosk's share) */
  gboolean range_exhausted;
  int wait_low_minutes; /* the low end of the wait this ticket would get; -1: unknown */
  gboolean booked;      /* an appointment: only checks 1 and 4 apply */
} KioskAdmission;

/* NULL when a ticket may be issued; else why not, with the next opening.
 * The checks, in order:
 *
 *  1. closed all day on a day whose weekday opens a week before or after:
 *     HOLIDAY; otherwise outside the hours (lunch break included): CLOSED_NOW.
 *     Next opening: the next span that opens.
 *  2. within the hours' cut-off before the end of the current span: CUTOFF.
 *     Next opening: the next span after this one (after lunch, or tomorrow).
 *  3. a daily cap: CAP_REACHED; 4. no number left: RANGE_EXHAUSTED.
 *     Next opening: the first span of the next service day.
 *  5. predictive cut-off: even the low end of the estimated wait reaches past
 *     the open minutes left today (spans after now; the lunch break does not
 *     count): CANNOT_SERVE_BEFORE_CLOSING. Refusing on the low end means a
 *     ticket is refused only when it almost surely cannot be served today.
 *     Next opening: the first span of the next service day. */
KioskRefusal *kiosk_admission_check (const KioskAdmission *admission);

/* Open minutes left on @now's local date, counting from @now. */
int kiosk_admission_minutes_left (const KioskHours *hours, GDateTime *now);

G_END_DECLS
