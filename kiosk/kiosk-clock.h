/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KIOSK_TYPE_CLOCK (kiosk_clock_get_type ())
G_DECLARE_FINAL_TYPE (KioskClock, kiosk_clock, KIOSK, CLOCK, GObject)

#define KIOSK_DEFAULT_TIME_ZONE "Asia/Shanghai"

/* The real clock, in @tz_name (NULL: Asia/Shanghai). */
KioskClock *kiosk_clock_new_system (const char *tz_name);
/* A clock that stands still at @start until told to move; for tests and the
 * simulations that run a whole day in milliseconds. */
KioskClock *kiosk_clock_new_fake (const char *tz_name, GDateTime *start);

gboolean kiosk_clock_is_fake (KioskClock *self);
GTimeZone *kiosk_clock_get_time_zone (KioskClock *self);
/* Wall time in the clock's zone; transfer full. */
GDateTime *kiosk_clock_now (KioskClock *self);
/* Microseconds since the epoch. */
gint64 kiosk_clock_get_real_time (KioskClock *self);
/* Microseconds of monotonic time: never jumps when the wall clock is set. */
gint64 kiosk_clock_get_monotonic (KioskClock *self);
/* The local date of now, into @out. */
void kiosk_clock_get_today (KioskClock *self, GDate *out);
/* Converts @dt into the clock's zone; transfer full. */
GDateTime *kiosk_clock_to_local (KioskClock *self, GDateTime *dt);

/* Fake clocks only: move both wall and monotonic time forward. */
void kiosk_clock_advance (KioskClock *self, GTimeSpan span);
/* Fake clocks only: set the wall time (monotonic time does not go back). */
void kiosk_clock_set_now (KioskClock *self, GDateTime *now);

/* Microseconds since the epoch, and back (UTC). */
gint64 kiosk_date_time_to_usec (GDateTime *dt);
GDateTime *kiosk_date_time_new_from_usec (gint64 usec);

G_END_DECLS
