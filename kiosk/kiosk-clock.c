/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-clock"

#include "kiosk-clock.h"

struct _KioskClock
{
  GObject parent_instance;

  /* Owned */
  GTimeZone *tz;

  /* Fake clocks: the time they stand at */
  gboolean fake;
  gint64 fake_real_us;
  gint64 fake_mono_us;
};

G_DEFINE_FINAL_TYPE (KioskClock, kiosk_clock, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
kiosk_clock_finalize (GObject *object)
{
  KioskClock *self = KIOSK_CLOCK (object);

  g_clear_pointer (&self->tz, g_time_zone_unref);
  G_OBJECT_CLASS (kiosk_clock_parent_class)->finalize (object);
}

static void
kiosk_clock_class_init (KioskClockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_clock_finalize;

  /* Emitted when a fake clock is moved, so timers driven by it can re-check. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 0);
}

static void
kiosk_clock_init (KioskClock *self)
{
}

static GTimeZone *
time_zone_or_default (const char *tz_name)
{
  GTimeZone *tz = g_time_zone_new_identifier (tz_name ? tz_name : KIOSK_DEFAULT_TIME_ZONE);

  /* Without tzdata the zone cannot be loaded; China has had no DST since 1991,
   * so a fixed +08:00 is exact for the default zone. */
  if (tz == NULL)
    tz = g_time_zone_new_offset (8 * 3600);
  return tz;
}

/* GLib 2.74 has only whole-second conversions. */
gint64
kiosk_date_time_to_usec (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

GDateTime *
kiosk_date_time_new_from_usec (gint64 usec)
{
  g_autoptr (GDateTime) whole = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_add (whole, usec % G_USEC_PER_SEC);
}

KioskClock *
kiosk_clock_new_system (const char *tz_name)
{
  KioskClock *self = g_object_new (KIOSK_TYPE_CLOCK, NULL);

  self->tz = time_zone_or_default (tz_name);
  return self;
}

KioskClock *
kiosk_clock_new_fake (const char *tz_name, GDateTime *start)
{
  KioskClock *self;

  g_return_val_if_fail (start != NULL, NULL);

  self = g_object_new (KIOSK_TYPE_CLOCK, NULL);
  self->tz = time_zone_or_default (tz_name);
  self->fake = TRUE;
  self->fake_real_us = kiosk_date_time_to_usec (start);
  self->fake_mono_us = 1000000;
  return self;
}

gboolean
kiosk_clock_is_fake (KioskClock *self)
{
  g_return_val_if_fail (KIOSK_IS_CLOCK (self), FALSE);
  return self->fake;
}

GTimeZone *
kiosk_clock_get_time_zone (KioskClock *self)
{
  g_return_val_if_fail (KIOSK_IS_CLOCK (self), NULL);
  return self->tz;
}

gint64
kiosk_clock_get_real_time (KioskClock *self)
{
  g_return_val_if_fail (KIOSK_IS_CLOCK (self), 0);
  return self->fake ? self->fake_real_us : g_get_real_time ();
}

gint64
kiosk_clock_get_monotonic (KioskClock *self)
{
  g_return_val_if_fail (KIOSK_IS_CLOCK (self), 0);
  return self->fake ? self->fake_mono_us : g_get_monotonic_time ();
}

GDateTime *
kiosk_clock_now (KioskClock *self)
{
  g_autoptr (GDateTime) utc = NULL;

  g_return_val_if_fail (KIOSK_IS_CLOCK (self), NULL);

  utc = kiosk_date_time_new_from_usec (kiosk_clock_get_real_time (self));
  return g_date_time_to_timezone (utc, self->tz);
}

void
kiosk_clock_get_today (KioskClock *self, GDate *out)
{
  g_autoptr (GDateTime) now = NULL;
  int year, month, day;

  g_return_if_fail (KIOSK_IS_CLOCK (self));
  g_return_if_fail (out != NULL);

  now = kiosk_clock_now (self);
  g_date_time_get_ymd (now, &year, &month, &day);
  g_date_clear (out, 1);
  g_date_set_dmy (out, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
}

GDateTime *
kiosk_clock_to_local (KioskClock *self, GDateTime *dt)
{
  g_return_val_if_fail (KIOSK_IS_CLOCK (self), NULL);
  return g_date_time_to_timezone (dt, self->tz);
}

void
kiosk_clock_advance (KioskClock *self, GTimeSpan span)
{
  g_return_if_fail (KIOSK_IS_CLOCK (self));
  g_return_if_fail (self->fake);
  g_return_if_fail (span >= 0);

  self->fake_real_us += span;
  self->fake_mono_us += span;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

void
kiosk_clock_set_now (KioskClock *self, GDateTime *now)
{
  gint64 target;

  g_return_if_fail (KIOSK_IS_CLOCK (self));
  g_return_if_fail (self->fake);

  target = kiosk_date_time_to_usec (now);
  if (target > self->fake_real_us)
    self->fake_mono_us += target - self->fake_real_us;
  self->fake_real_us = target;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}
