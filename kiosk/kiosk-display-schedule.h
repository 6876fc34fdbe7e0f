/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-bundle.h"
#include "kiosk-hours.h"

G_BEGIN_DECLS

/* When the kiosk's screen is on: while any of a set of opening hours is open,
 * from @on_before_minutes before an opening to @off_after_minutes after a
 * closing. A closed gap shorter than @min_off_minutes (a lunch break) keeps
 * the screen on, so a monitor is not switched off and on for half an hour. */
typedef struct
{
  int on_before_minutes;
  int off_after_minutes;
  int min_off_minutes;
} KioskDisplayMargins;

/* Whether the screen is on at @local by @hours (const KioskHours *; borrowed).
 * @next_change (optional, transfer full) is the next moment that answer
 * changes, in @local's zone, or NULL when it does not change within a year.
 * An empty @hours means no hours are known: always on. */
gboolean kiosk_display_schedule_is_on (GPtrArray *hours, const KioskDisplayMargins *margins, GDateTime *local,
                                       GDateTime **next_change);

/* The hours the screen follows (const KioskHours *, borrowed from @bundle):
 * those named in @ids, or when @ids is empty every set of hours the bundle
 * uses (queues, services, the club and its groups), so the screen is on while
 * anything at this kiosk is open. An unknown id is an error. */
GPtrArray *kiosk_display_schedule_hours_from_bundle (KioskBundle *bundle, const char *const *ids,
                                                     GError **error);

G_END_DECLS
