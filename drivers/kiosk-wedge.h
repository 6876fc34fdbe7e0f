/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <linux/input.h>

#include "kiosk-card.h"

G_BEGIN_DECLS

/* Decoding of a keyboard-wedge reader: a USB reader that "types" the card
 * number and presses Enter. A pure state machine over struct input_event; it
 * reads the events' own timestamps and never the clock, so tables of events
 * test it without a device. */

typedef enum
{
  KIOSK_WEDGE_TERMINATOR_ENTER = 1 << 0, /* KEY_ENTER and KEY_KPENTER */
  KIOSK_WEDGE_TERMINATOR_TAB = 1 << 1,
} KioskWedgeTerminator;

typedef struct
{
  KioskWedgeTerminator terminators;
  /* Longest pause between two keys of one read. Readers type a key every few
   * milliseconds; a person needs 100 ms or more. */
  gint64 max_gap_us;
  /* A partial read silent this long is rejected (TIMEOUT). */
  gint64 timeout_us;
  /* Longest read in characters (at most KIOSK_CARD_MAX_LENGTH). */
  guint max_length;
  /* The same card again within this time is dropped (counted as DUPLICATE);
   * the window slides, so a card left on a reader that repeats it is read once. */
  gint64 debounce_us;
  KioskCardUidFormat uid_format;
  /* The kiosk's clock, for the date an ID number's birth date must not pass;
   * borrowed here, referenced by what copies the config. NULL: the system
   * clock. */
  KioskClock *clock;
} KioskWedgeConfig;

typedef struct _KioskWedge KioskWedge;

/* Enter, 80 ms gap, 500 ms timeout, 64 characters, 3 s debounce, AUTO, no clock. */
void kiosk_wedge_config_init (KioskWedgeConfig *config);

KioskWedge *kiosk_wedge_new (const KioskWedgeConfig *config);
void kiosk_wedge_free (KioskWedge *self);

/* Feeds one event. Returns the read it completes (transfer full), or NULL.
 * An event arriving after a partial read's timeout first ends that read as
 * rejected; no event completes more than one read. */
KioskCardRead *kiosk_wedge_feed (KioskWedge *self, const struct input_event *event);
/* Time passed without events: returns the TIMEOUT rejection of a partial read
 * silent since before @now_us - timeout, else NULL. */
KioskCardRead *kiosk_wedge_check_timeout (KioskWedge *self, gint64 now_us);
/* When kiosk_wedge_check_timeout() should next be called, or -1 when no read
 * is in progress. Same clock as the events' timestamps. */
gint64 kiosk_wedge_get_deadline (KioskWedge *self);
/* The device dropped events (SYN_DROPPED) or went away: forgets the keys
 * held and ends a read in progress as LOST (returned), else NULL. */
KioskCardRead *kiosk_wedge_abort (KioskWedge *self, gint64 now_us);

/* Feeds @n_events and collects the reads; transfer full, KioskCardRead items. */
GPtrArray *kiosk_wedge_decode (KioskWedge *self, const struct input_event *events, gsize n_events);

guint kiosk_wedge_get_n_reads (KioskWedge *self);
guint kiosk_wedge_get_n_rejected (KioskWedge *self, KioskCardReject reason);

/* Microseconds of an event's timestamp. */
gint64 kiosk_input_event_time_us (const struct input_event *event);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskWedge, kiosk_wedge_free)

G_END_DECLS
