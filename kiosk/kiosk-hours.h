/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Local minutes since midnight, [start, end). A lunch break is the gap
 * between two spans of one day. */
typedef struct
{
  int start;
  int end;
} KioskSpan;

/* Opening hours: a week of spans, holidays closed all day, and make-up
 * working days (调休) that open with the spans of another weekday. */
typedef struct _KioskHours KioskHours;

KioskHours *kiosk_hours_new_from_json (const char *id, JsonObject *object, GError **error);
void kiosk_hours_free (KioskHours *hours);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskHours, kiosk_hours_free)

const char *kiosk_hours_get_id (const KioskHours *hours);
/* Minutes before closing after which no new ticket is issued. */
int kiosk_hours_get_cutoff_minutes (const KioskHours *hours);

/* The spans of a weekday (1 Monday … 7 Sunday), as the week repeats; borrowed. */
const GArray *kiosk_hours_get_weekly (const KioskHours *hours, int weekday);
/* The spans that apply on the local date of @local (holidays: none); borrowed. */
const GArray *kiosk_hours_spans_on (const KioskHours *hours, GDateTime *local);
gboolean kiosk_hours_is_open (const KioskHours *hours, GDateTime *local);
/* End of the span @local is in, or NULL when closed. */
GDateTime *kiosk_hours_closing_time (const KioskHours *hours, GDateTime *local);
/* The first moment at or after @after (strictly after when @strictly) that is
 * open; NULL when nothing opens within a year. In @after's zone. */
GDateTime *kiosk_hours_next_opening (const KioskHours *hours, GDateTime *after, gboolean strictly);

/* "HH:MM" → minutes; -1 when malformed. "24:00" is allowed as an end. */
int kiosk_hours_parse_time (const char *text);

G_END_DECLS
