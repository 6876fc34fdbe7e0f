/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Who may go ahead. Stored by name ("normal", "elderly", …), so the order of
 * the enum may change without touching a database. */
typedef enum
{
  KIOSK_LANE_NORMAL,
  KIOSK_LANE_ELDERLY,     /* 老年人 */
  KIOSK_LANE_PREGNANT,    /* 孕妇 */
  KIOSK_LANE_DISABLED,    /* 残疾人 */
  KIOSK_LANE_APPOINTMENT, /* 预约: given by check-in only */
  KIOSK_N_LANES
} KioskLane;

/* "normal", "elderly", "pregnant", "disabled", "appointment". */
const char *kiosk_lane_to_string (KioskLane lane);
/* Name → lane; FALSE for anything else. */
gboolean kiosk_lane_from_string (const char *name, KioskLane *lane);
/* "老年人优先 / Senior", for screens and slips. @lang: "zh" or "en". */
const char *kiosk_lane_get_label (KioskLane lane, const char *lang);
gboolean kiosk_lane_is_priority (KioskLane lane);

/* The default of #KioskQueueSettings.max_priority_run. */
#define KIOSK_LANES_DEFAULT_MAX_PRIORITY_RUN 2

/* One ticket waiting to be called, as the interleave sees it. */
typedef struct
{
  KioskLane lane;
  gint64 issued_us;
  gpointer data; /* the caller's; not read */
} KioskWaiting;

/* The interleave: which waiting ticket is called next.
 *
 * @waiting lists the tickets not yet called, in arrival order (issue time,
 * then the order the caller gives ties). @priority_run is how many priority
 * tickets were called in a row since the last normal one (see
 * kiosk_lanes_run_after()). The rule:
 *
 *  - while fewer than @max_priority_run priority tickets have been called in a
 *    row, the oldest priority ticket goes first;
 *  - otherwise the oldest normal ticket goes, resetting the run;
 *  - when only one kind waits, its oldest ticket goes.
 *
 * So between two normal calls at most @max_priority_run priority tickets are
 * called while normal tickets wait: a normal ticket with p normal tickets
 * ahead of it is called within (p + 1) × (@max_priority_run + 1) calls. With
 * @max_priority_run = 0 the lanes are ignored (plain first come, first served).
 * Priority lanes share one line in arrival order.
 *
 * Pure and deterministic: the hub links the same rule. Returns the index into
 * @waiting, or -1 when @n_waiting is 0. */
int kiosk_lanes_pick (const KioskWaiting *waiting, guint n_waiting, guint priority_run,
                      guint max_priority_run);

/* The run of priority calls after calling a ticket of @called. */
guint kiosk_lanes_run_after (guint priority_run, KioskLane called);

/* How many tickets of @waiting are called before @waiting[@index], following
 * kiosk_lanes_pick() from @priority_run as if nobody else arrived. "People
 * ahead" is this from a fresh run: kiosk_lanes_people_ahead(). */
guint kiosk_lanes_position (const KioskWaiting *waiting, guint n_waiting, guint index, guint priority_run,
                            guint max_priority_run);

/* kiosk_lanes_position() for a ticket of @lane arriving now, behind
 * @normal_waiting normal and @priority_waiting priority tickets: the same
 * answer from two counts, in constant time, for the issue path. */
guint kiosk_lanes_position_of_newest (guint normal_waiting, guint priority_waiting, KioskLane lane,
                                      guint priority_run, guint max_priority_run);

/* "People ahead of you": the one count the slip, the kiosk's ticket screen,
 * the phone's ticket page and the hall display all show.
 *
 * The tickets of the same queue (one line of numbers: every "A" ticket,
 * whichever of the queue's services it is for, as the numbers called on the
 * display and the queue's counters work through them) and service day that
 * are still waiting and that the lane interleave (kiosk_lanes_pick()) calls
 * before @waiting[@index] if nobody else arrived, counted from a fresh run
 * of priority calls: each desk keeps its own run, so no one run belongs to
 * the line, and the count must not depend on which desk or kiosk asks.
 * @waiting: the queue's waiting tickets in arrival order. Pure. */
guint kiosk_lanes_people_ahead (const KioskWaiting *waiting, guint n_waiting, guint index,
                                guint max_priority_run);

/* kiosk_lanes_people_ahead() of a ticket of @lane joining the line now,
 * behind @normal_waiting normal and @priority_waiting priority tickets:
 * what a slip prints, and what the display shows for a normal ticket taken
 * now. Constant time. */
guint kiosk_lanes_people_ahead_of_newest (guint normal_waiting, guint priority_waiting, KioskLane lane,
                                          guint max_priority_run);

G_END_DECLS
