/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-bundle.h"
#include "kiosk-lanes.h"
#include "kiosk-store.h"
#include "kiosk-sync-proto.h"
#include "kiosk-ticket.h"
#include "kiosk-wait.h"

G_BEGIN_DECLS

/* The service-hall queue engine: numbers, lanes, opening hours, caps, the
 * predictive cut-off and wait estimates, over the kiosk's #KioskStore.
 * No GTK: the hub links the same rules.
 *
 * Typical use by the take-a-number screens:
 *
 *   g_autoptr (KioskRefusal) refusal = NULL;
 *   g_autoptr (GError) error = NULL;
 *   g_autoptr (KioskTicket) ticket
 *       = kiosk_queue_issue_full (queue, service->id, lane, &refusal, &error);
 *   if (ticket)        → confirmation: ticket->label, ->people_ahead,
 *                        kiosk_wait_format_range (ticket->wait_low, ticket->wait_high, lang),
 *                        kiosk_ticket_qr_text (ticket, public url) (kiosk-ticket-slip.h)
 *   else if (refusal)  → kiosk_text_get (&refusal->text, lang), refusal->next_opening
 *   else               → error->message (storage trouble: 暂停服务 / Out of service)
 *
 * Tiles can be greyed out beforehand with kiosk_queue_check(); the home
 * screen shows kiosk_queue_get_status() and refreshes on ::changed. */

/* Settings from kiosk.conf; the lead's config code fills them. */
typedef struct
{
  const char *hall_id;           /* [kiosk] hall */
  const char *kiosk_id;          /* [kiosk] id */
  guint kiosk_index;             /* [queue] kiosk_index: 0 … kiosks_in_hall − 1 */
  guint kiosks_in_hall;          /* [queue] kiosks_in_hall: ≥ 1 */
  int reset_minutes;             /* [queue] reset_time "HH:MM" as minutes; 00:00 */
  guint estimate_samples;        /* [queue] estimate_samples: last K services; 20 */
  guint estimate_min_samples;    /* [queue] estimate_min_samples: fewer → default minutes; 5 */
  guint estimate_window_hours;   /* [queue] estimate_window_hours: only services of the last H hours; 2 */
  guint max_priority_run;        /* [queue] max_priority_run: priority calls between two normal; 2 */
  int appointment_early_minutes; /* [queue] appointment_early_minutes: check-in opens before the slot; 30 */
  int appointment_late_minutes;  /* [queue] appointment_late_minutes: and closes after it; 15 */
  GBytes *secret;                /* the kiosk's key (ticket public codes); ≥ 16 bytes */
  /* The deployment's card key ([fitness] card_key_file), shared with the hub:
   * the key of booking code and ID number hashes, so bookings imported on the
   * hub match here. NULL: the kiosk's secret (a kiosk without a hub). */
  GBytes *id_key;
} KioskQueueSettings;

/* The defaults above; hall_id, kiosk_id, secret and id_key stay NULL. */
void kiosk_queue_settings_init (KioskQueueSettings *settings);

/* What happened to a ticket, from this kiosk, a counter or the hub. */
typedef enum
{
  KIOSK_QUEUE_EVENT_CALLED,  /* the first call counts; a repeated call changes nothing */
  KIOSK_QUEUE_EVENT_SERVED,  /* served − called is one service-time sample */
  KIOSK_QUEUE_EVENT_NO_SHOW, /* called and did not come: leaves the line */
} KioskQueueEvent;

/* The state of one queue today, for the home screen and the hub. */
typedef struct
{
  guint waiting;       /* issued today, not yet called (tickets this kiosk knows) */
  guint issued_today;  /* by this kiosk */
  guint counters_open; /* kiosk_queue_set_counters_open(), else the bundle's counters */
  KioskServiceTime service_time;
  int wait_low; /* for a normal ticket taken now; -1: no estimate */
  int wait_high;
} KioskQueueStatus;

#define KIOSK_TYPE_QUEUE (kiosk_queue_get_type ())
G_DECLARE_FINAL_TYPE (KioskQueue, kiosk_queue, KIOSK, QUEUE, GObject)

/* @settings is copied (strings duplicated, secret referenced). Fails with
 * KIOSK_ERROR_INVALID naming the bad setting (index ≥ kiosks, short secret …). */
KioskQueue *kiosk_queue_new (KioskStore *store, KioskBundle *bundle, const KioskQueueSettings *settings,
                             GError **error);
/* A new bundle from #KioskContent: later issues use its services and hours.
 * Tickets already issued keep their numbers. */
void kiosk_queue_set_bundle (KioskQueue *self, KioskBundle *bundle);
KioskBundle *kiosk_queue_get_bundle (KioskQueue *self);
KioskStore *kiosk_queue_get_store (KioskQueue *self);

/* Whether kiosk_queue_issue() would give a ticket now. FALSE with @refusal
 * set when the rules refuse, FALSE with @error when the service is unknown or
 * the store fails. Nothing is written. */
gboolean kiosk_queue_check (KioskQueue *self, const char *service_id, KioskLane lane, KioskRefusal **refusal,
                            GError **error);

/* Issues the next number of @service_id's queue. In one transaction it
 * writes the ticket and its outbox record (kind "ticket", payload
 * kiosk_ticket_to_json(), same uuid), so a crash at any point leaves both or
 * neither, and a number is never issued twice (the database enforces one
 * number per queue and service day).
 *
 * Refusals (nothing written) come as KIOSK_ERROR_CLOSED whose message is the
 * refusal's "中文 / English" text; kiosk_queue_issue_full() also gives the
 * #KioskRefusal with its reason and next opening. See kiosk-admission.h for
 * the order of the checks and kiosk-numbering.h for numbers and the end of
 * the range (RANGE_EXHAUSTED until the next service day; never wraps).
 *
 * @lane: NORMAL, or ELDERLY / PREGNANT / DISABLED on a service with
 * priority_lanes; anything else is KIOSK_ERROR_INVALID (APPOINTMENT comes
 * from kiosk_appointment_check_in() only). Emits ::changed. */
KioskTicket *kiosk_queue_issue (KioskQueue *self, const char *service_id, KioskLane lane, GError **error);
KioskTicket *kiosk_queue_issue_full (KioskQueue *self, const char *service_id, KioskLane lane,
                                     KioskRefusal **refusal, GError **error);

/* The ticket to call next in @queue_id today by the lane interleave
 * (kiosk_lanes_pick() over the waiting tickets and the run of priority calls
 * since the last normal one). NULL without error when nobody waits. Reads
 * only; the caller records KIOSK_QUEUE_EVENT_CALLED. */
KioskTicket *kiosk_queue_next (KioskQueue *self, const char *queue_id, GError **error);
/* kiosk_queue_next() and the CALLED event at the clock's now, in one step. */
KioskTicket *kiosk_queue_call_next (KioskQueue *self, const char *queue_id, GError **error);

/* Records an event for a ticket in the store (KIOSK_ERROR_NOT_FOUND for an
 * unknown uuid), then emits ::changed for its queue, so estimates are
 * recomputed on every event. Not sent to the outbox: events come from the
 * counters or the hub, which already have them. */
gboolean kiosk_queue_record_event (KioskQueue *self, const char *ticket_uuid, KioskQueueEvent event,
                                   GDateTime *at, GError **error);

/* Desks open now (the hub or staff may close one); 0: the bundle's counters
 * again. Emits ::changed. */
void kiosk_queue_set_counters_open (KioskQueue *self, const char *queue_id, guint counters);

gboolean kiosk_queue_get_status (KioskQueue *self, const char *queue_id, KioskQueueStatus *status,
                                 GError **error);
/* A ticket by uuid; NULL with KIOSK_ERROR_NOT_FOUND when unknown. */
KioskTicket *kiosk_queue_lookup (KioskQueue *self, const char *uuid, GError **error);
/* Tickets of @queue_id waiting today, in arrival order; KioskTicket*. */
GPtrArray *kiosk_queue_list_waiting (KioskQueue *self, const char *queue_id, GError **error);

/* Counter actions from the hub (kiosk-queue-hub.c) */

/* A queue with @self's settings over another connection to the same
 * database: the sync thread's @store, with @bundle. The settings never
 * change, so this may be called from that thread. */
KioskQueue *kiosk_queue_new_sibling (KioskQueue *self, KioskStore *store, KioskBundle *bundle);

/* Applies a page of the hub's counter actions (KioskSyncCall *, by id)
 * inside a transaction the caller began on the queue's store: next, call and
 * recall are KIOSK_QUEUE_EVENT_CALLED, served and no-show their events
 * (kiosk_queue_record_event()); a transfer puts the ticket back in the line
 * of the new service's queue when that is its own queue, and otherwise takes
 * it out of this one. Calls and recalls of the whole hall are kept for
 * kiosk_queue_list_now_serving().
 *
 * Idempotent: each ticket remembers the last action applied to it and a call
 * is kept once, so a page applied again changes nothing. Actions this kiosk
 * cannot apply are skipped, not errors: an unknown action, or one on a ticket
 * the hub says is ours that the store does not have, goes into @skipped
 * (borrowed from @calls; may be NULL) for the caller to log; one on another
 * kiosk's ticket is only a call for the hall. */
gboolean kiosk_queue_apply_hub_calls (KioskQueue *self, GPtrArray *calls, guint *n_applied,
                                      GPtrArray *skipped, GError **error);

/* One line of the home screen's "now serving". */
typedef struct
{
  char *label;   /* "A023" */
  char *desk_zh; /* "3号窗口" */
  char *desk_en; /* "Counter 3" */
  gint64 at_us;
} KioskNowServing;

void kiosk_now_serving_free (KioskNowServing *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskNowServing, kiosk_now_serving_free)

/* The hall's latest calls of today's service day, newest first, each number
 * once (at the desk that called it last), at most @max. Empty when nobody
 * was called today. */
GPtrArray *kiosk_queue_list_now_serving (KioskQueue *self, guint max, GError **error);

/* Emits ::changed for @queue_id, or for every queue of the bundle when NULL:
 * for changes written by another connection (the sync thread's). */
void kiosk_queue_notify_changed (KioskQueue *self, const char *queue_id);

/* Signals
 *
 * ::changed (KioskQueue *queue, const char *queue_id): detailed by the
 * queue id, after every issue, check-in, event and counter change. */

G_END_DECLS
