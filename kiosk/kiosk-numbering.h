/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Numbering of a queue, as pure arithmetic.
 *
 * A counter runs per queue and local "service day". The service day of an
 * instant is the local date of (instant − reset time): with the default reset
 * at 00:00 it is the calendar date; with 03:00, 01:30 still belongs to the
 * day before. Nothing is deleted when a day ends; the day is part of the key.
 *
 * Kiosk i of n in one hall issues, on each service day, the numbers
 *   first + i, first + i + n, first + i + 2n, … ≤ last
 * so two kiosks never issue the same number, even offline. The k-th ticket
 * of the day (k from 0) of kiosk i gets first + i + k × n. When that passes
 * `last` the kiosk refuses with KIOSK_REFUSAL_RANGE_EXHAUSTED until the next
 * service day: numbers never wrap around, so a number is unique per queue
 * and day and a ticket can always be found by its label. */

/* The service day of @instant in @tz, "YYYY-MM-DD". @reset_minutes: local
 * minutes after midnight, 0 … 1439. */
char *kiosk_numbering_service_day (GDateTime *instant, GTimeZone *tz, int reset_minutes);
/* When the service day @day ("YYYY-MM-DD") begins; NULL when @day is malformed. */
GDateTime *kiosk_numbering_day_start (const char *day, GTimeZone *tz, int reset_minutes);

/* first + index + seq × n, or -1 when that is past @last. */
int kiosk_numbering_number (int first, int last, guint index, guint n, guint seq);
/* How many numbers of [first, last] kiosk @index of @n owns a day. */
guint kiosk_numbering_capacity (int first, int last, guint index, guint n);

/* This kiosk's part of a hall-wide daily cap: the cap is split like the
 * numbers (kiosk i gets ⌊cap / n⌋, plus one while i < cap mod n), so the
 * kiosks together never issue more than @cap while they cannot reach the
 * hub. @cap 0 means no cap: G_MAXUINT. */
guint kiosk_numbering_cap_share (int cap, guint index, guint n);

G_END_DECLS
