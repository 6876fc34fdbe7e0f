/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-queue"

#include "kiosk-admission.h"
#include "kiosk-error.h"
#include "kiosk-numbering.h"
#include "kiosk-queue-private.h"

#define MIN_SECRET_BYTES 16

struct _KioskQueue
{
  GObject parent_instance;

  /* Owned */
  KioskStore *store;
  KioskBundle *bundle;
  KioskQueueSettings settings; /* hall_id, kiosk_id, secret and id_key owned */
  GHashTable *counters_open;   /* queue id → GUINT_TO_POINTER (desks) */
};

G_DEFINE_FINAL_TYPE (KioskQueue, kiosk_queue, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

/* What the rules need to know about one queue at one moment. */
typedef struct
{
  GDateTime *now; /* local */
  gint64 now_us;
  char *day;
  GDateTime *next_day;
  guint issued_queue; /* by this kiosk (its index of n) today; counted only under a cap */
  guint issued_service;
  guint seq;
  int number; /* -1: the range is used up */
  guint normal_waiting;
  guint priority_waiting;
  guint counters;
  KioskServiceTime service_time;
} Snapshot;

static void
snapshot_clear (Snapshot *snap)
{
  g_clear_pointer (&snap->now, g_date_time_unref);
  g_clear_pointer (&snap->day, g_free);
  g_clear_pointer (&snap->next_day, g_date_time_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Snapshot, snapshot_clear)

void
kiosk_queue_settings_init (KioskQueueSettings *settings)
{
  g_return_if_fail (settings != NULL);

  *settings = (KioskQueueSettings){
    .kiosk_index = 0,
    .kiosks_in_hall = 1,
    .reset_minutes = 0,
    .estimate_samples = 20,
    .estimate_min_samples = 5,
    .estimate_window_hours = 2,
    .max_priority_run = KIOSK_LANES_DEFAULT_MAX_PRIORITY_RUN,
    .appointment_early_minutes = 30,
    .appointment_late_minutes = 15,
  };
}

static void
kiosk_queue_finalize (GObject *object)
{
  KioskQueue *self = KIOSK_QUEUE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->bundle);
  g_free ((char *)self->settings.hall_id);
  g_free ((char *)self->settings.kiosk_id);
  g_clear_pointer (&self->settings.secret, g_bytes_unref);
  g_clear_pointer (&self->settings.id_key, g_bytes_unref);
  g_clear_pointer (&self->counters_open, g_hash_table_unref);
  G_OBJECT_CLASS (kiosk_queue_parent_class)->finalize (object);
}

static void
kiosk_queue_class_init (KioskQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_queue_finalize;

  signals[SIGNAL_CHANGED]
      = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kiosk_queue_init (KioskQueue *self)
{
  self->counters_open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static gboolean
settings_valid (const KioskQueueSettings *s, GError **error)
{
  const char *bad = NULL;

  if (s->hall_id == NULL || s->hall_id[0] == '\0')
    bad = "[kiosk] hall: must be set";
  else if (s->kiosk_id == NULL || s->kiosk_id[0] == '\0')
    bad = "[kiosk] id: must be set";
  else if (s->kiosks_in_hall < 1 || s->kiosks_in_hall > 99)
    bad = "[queue] kiosks_in_hall: must be 1 … 99";
  else if (s->kiosk_index >= s->kiosks_in_hall)
    bad = "[queue] kiosk_index: must be below kiosks_in_hall (counting from 0)";
  else if (s->reset_minutes < 0 || s->reset_minutes >= 24 * 60)
    bad = "[queue] reset_time: must be 00:00 … 23:59";
  else if (s->estimate_samples < 1 || s->estimate_window_hours < 1)
    bad = "[queue] estimate_samples and estimate_window_hours: must be at least 1";
  else if (s->estimate_min_samples > s->estimate_samples)
    bad = "[queue] estimate_min_samples: must not exceed estimate_samples";
  else if (s->appointment_early_minutes < 0 || s->appointment_late_minutes < 0)
    bad = "[queue] appointment_early_minutes and appointment_late_minutes: must not be negative";
  else if (s->secret == NULL || g_bytes_get_size (s->secret) < MIN_SECRET_BYTES)
    bad = "the kiosk secret: must be at least 16 bytes";
  else if (s->id_key != NULL && g_bytes_get_size (s->id_key) < MIN_SECRET_BYTES)
    bad = "the card key: must be at least 16 bytes";

  if (bad != NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "queue settings: %s", bad);
      return FALSE;
    }
  return TRUE;
}

KioskQueue *
kiosk_queue_new (KioskStore *store, KioskBundle *bundle, const KioskQueueSettings *settings, GError **error)
{
  KioskQueue *self;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);
  g_return_val_if_fail (KIOSK_IS_BUNDLE (bundle), NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  if (!settings_valid (settings, error))
    return NULL;

  self = g_object_new (KIOSK_TYPE_QUEUE, NULL);
  self->store = g_object_ref (store);
  self->bundle = g_object_ref (bundle);
  self->settings = *settings;
  self->settings.hall_id = g_strdup (settings->hall_id);
  self->settings.kiosk_id = g_strdup (settings->kiosk_id);
  self->settings.secret = g_bytes_ref (settings->secret);
  self->settings.id_key = settings->id_key ? g_bytes_ref (settings->id_key) : NULL;
  return self;
}

void
kiosk_queue_set_bundle (KioskQueue *self, KioskBundle *bundle)
{
  g_return_if_fail (KIOSK_IS_QUEUE (self));
  g_return_if_fail (KIOSK_IS_BUNDLE (bundle));

  g_set_object (&self->bundle, bundle);
}

KioskBundle *
kiosk_queue_get_bundle (KioskQueue *self)
{
  g_return_val_if_fail (KIOSK_IS_QUEUE (self), NULL);
  return self->bundle;
}

KioskStore *
kiosk_queue_get_store (KioskQueue *self)
{
  g_return_val_if_fail (KIOSK_IS_QUEUE (self), NULL);
  return self->store;
}

const KioskQueueSettings *
kiosk_queue_get_settings (KioskQueue *self)
{
  return &self->settings;
}

void
kiosk_queue_emit_changed (KioskQueue *self, const char *queue_id)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], g_quark_from_string (queue_id), queue_id);
}

/* Reading */

/* Steps @stmt once and returns its columns 0 and 1 as integers. */
static gboolean
step_row (KioskQueue *self, sqlite3_stmt *stmt, gint64 *a, gint64 *b, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      kiosk_store_set_error (self->store, rc, "read tickets", error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *a = sqlite3_column_int64 (stmt, 0);
  if (b != NULL)
    *b = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

static void
bind_day_kiosk (KioskQueue *self, sqlite3_stmt *stmt, const char *id, const char *day)
{
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int)self->settings.kiosk_index);
  sqlite3_bind_int (stmt, 4, (int)self->settings.kiosks_in_hall);
}

static gboolean
read_service_time (KioskQueue *self, const KioskQueueDef *def, gint64 now_us, KioskServiceTime *out,
                   GError **error)
{
  g_autoptr (GArray) minutes = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3_stmt *stmt;
  int rc;

  stmt = kiosk_store_prepare (
      self->store,
      "SELECT served_us - called_us FROM tickets "
      "WHERE queue_id = ?1 AND served_us >= ?2 AND called_us IS NOT NULL AND transferred_us IS NULL "
      "ORDER BY served_us DESC LIMIT ?3",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, def->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, now_us - (gint64)self->settings.estimate_window_hours * G_TIME_SPAN_HOUR);
  sqlite3_bind_int (stmt, 3, (int)self->settings.estimate_samples);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      double m = sqlite3_column_int64 (stmt, 0) / (double)G_TIME_SPAN_MINUTE;
      g_array_append_val (minutes, m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kiosk_store_set_error (self->store, rc, "read service times", error);
      return FALSE;
    }
  kiosk_wait_service_time ((const double *)minutes->data, minutes->len, self->settings.estimate_min_samples,
                           def->default_service_minutes, out);
  return TRUE;
}

gboolean
kiosk_queue_read_priority_run (KioskQueue *self, const char *queue_id, const char *day, guint *run,
                               GError **error)
{
  sqlite3_stmt *stmt;
  gboolean counting = TRUE;
  int rc;

  stmt = kiosk_store_prepare (self->store,
                              "SELECT lane FROM tickets "
                              "WHERE queue_id = ?1 AND service_day = ?2 AND called_us IS NOT NULL "
                              "ORDER BY called_us DESC, call_seq DESC LIMIT ?3",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, queue_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 3, (int)self->settings.max_priority_run + 1);
  *run = 0;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (counting && g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "normal") != 0)
        (*run)++;
      else
        counting = FALSE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kiosk_store_set_error (self->store, rc, "read calls", error);
      return FALSE;
    }
  return TRUE;
}

static guint
counters_open (KioskQueue *self, const KioskQueueDef *def)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->counters_open, def->id));
  return n > 0 ? n : (guint)MAX (def->counters, 0);
}

/* The queue's side of a snapshot: day, waiting line, calls, service time. */
static gboolean
snapshot_queue (KioskQueue *self, const KioskQueueDef *def, gboolean count_issued, Snapshot *snap,
                GError **error)
{
  KioskClock *clock = kiosk_store_get_clock (self->store);
  GTimeZone *tz = kiosk_clock_get_time_zone (clock);
  g_autoptr (GDateTime) day_start = NULL;
  sqlite3_stmt *stmt;
  gint64 a, b;

  snap->now = kiosk_clock_now (clock);
  snap->now_us = kiosk_date_time_to_usec (snap->now);
  snap->day = kiosk_numbering_service_day (snap->now, tz, self->settings.reset_minutes);
  day_start = kiosk_numbering_day_start (snap->day, tz, self->settings.reset_minutes);
  snap->next_day = g_date_time_add_days (day_start, 1);
  snap->counters = counters_open (self, def);

  /* max() is one step down the index; count() walks the day's tickets, so
   * it runs only where a cap or the status needs it. */
  stmt = kiosk_store_prepare (self->store,
                              "SELECT coalesce (max (seq), -1) FROM tickets "
                              "WHERE queue_id = ?1 AND service_day = ?2 AND kiosk_index = ?3 "
                              "AND kiosks_in_hall = ?4",
                              error);
  if (stmt == NULL)
    return FALSE;
  bind_day_kiosk (self, stmt, def->id, snap->day);
  if (!step_row (self, stmt, &a, NULL, error))
    return FALSE;
  snap->seq = (guint)(a + 1);

  if (count_issued)
    {
      stmt = kiosk_store_prepare (self->store,
                                  "SELECT count(*) FROM tickets "
                                  "WHERE queue_id = ?1 AND service_day = ?2 AND kiosk_index = ?3 "
                                  "AND kiosks_in_hall = ?4",
                                  error);
      if (stmt == NULL)
        return FALSE;
      bind_day_kiosk (self, stmt, def->id, snap->day);
      if (!step_row (self, stmt, &a, NULL, error))
        return FALSE;
      snap->issued_queue = (guint)a;
    }

  stmt = kiosk_store_prepare (
      self->store,
      "SELECT coalesce (sum (lane = 'normal'), 0), coalesce (sum (lane <> 'normal'), 0) "
      "FROM tickets WHERE queue_id = ?1 AND service_day = ?2 "
      "AND called_us IS NULL AND no_show_us IS NULL",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, def->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, snap->day, -1, SQLITE_TRANSIENT);
  if (!step_row (self, stmt, &a, &b, error))
    return FALSE;
  snap->normal_waiting = (guint)a;
  snap->priority_waiting = (guint)b;

  /* People ahead count from a fresh run of priority calls (kiosk-lanes.h),
   * so the queue's own run is read only to call the next ticket. */
  return read_service_time (self, def, snap->now_us, &snap->service_time, error);
}

/* The service's side: its own cap count and the next free number. */
static gboolean
snapshot_service (KioskQueue *self, const KioskService *service, Snapshot *snap, GError **error)
{
  const KioskQueueDef *def = service->queue;
  sqlite3_stmt *stmt;
  gint64 n;

  if (!snapshot_queue (self, def, def->daily_cap > 0, snap, error))
    return FALSE;

  if (service->daily_cap > 0)
    {
      stmt = kiosk_store_prepare (self->store,
                                  "SELECT count(*) FROM tickets WHERE service_id = ?1 AND service_day = ?2 "
                                  "AND kiosk_index = ?3 AND kiosks_in_hall = ?4",
                                  error);
      if (stmt == NULL)
        return FALSE;
      bind_day_kiosk (self, stmt, service->id, snap->day);
      if (!step_row (self, stmt, &n, NULL, error))
        return FALSE;
      snap->issued_service = (guint)n;
    }

  /* A number is taken only if kiosk_index or kiosks_in_hall changed during
   * the day; step over those rather than fail. */
  stmt = kiosk_store_prepare (
      self->store, "SELECT count(*) FROM tickets WHERE queue_id = ?1 AND service_day = ?2 AND number = ?3",
      error);
  if (stmt == NULL)
    return FALSE;
  for (;;)
    {
      snap->number = kiosk_numbering_number (def->first, def->last, self->settings.kiosk_index,
                                             self->settings.kiosks_in_hall, snap->seq);
      if (snap->number < 0)
        return TRUE;
      sqlite3_bind_text (stmt, 1, def->id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, snap->day, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (stmt, 3, snap->number);
      if (!step_row (self, stmt, &n, NULL, error))
        return FALSE;
      if (n == 0)
        return TRUE;
      snap->seq++;
    }
}

static gboolean
find_service (KioskQueue *self, const char *service_id, const KioskService **out, GError **error)
{
  const KioskService *service = kiosk_bundle_find_service (self->bundle, service_id);

  if (service == NULL || service->queue == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "service \"%s\" does not exist", service_id);
      return FALSE;
    }
  if (service->hours == NULL && service->queue->hours == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "service \"%s\" has no opening hours",
                   service_id);
      return FALSE;
    }
  *out = service;
  return TRUE;
}

static gboolean
lane_allowed (const KioskService *service, KioskLane lane, gboolean booked, GError **error)
{
  if (lane >= KIOSK_N_LANES || (lane == KIOSK_LANE_APPOINTMENT) != booked
      || (kiosk_lane_is_priority (lane) && !booked && !service->priority_lanes))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "service \"%s\" takes no tickets in lane %d",
                   service->id, (int)lane);
      return FALSE;
    }
  return TRUE;
}

/* Applies the rules to @snap; fills the estimate of a ticket in @lane. */
static KioskRefusal *
admit (KioskQueue *self, const KioskService *service, KioskLane lane, gboolean booked, const Snapshot *snap,
       guint *ahead, int *low, int *high)
{
  KioskAdmission admission = { 0 };
  const KioskQueueDef *def = service->queue;
  guint n = self->settings.kiosks_in_hall, i = self->settings.kiosk_index;

  *ahead = kiosk_lanes_people_ahead_of_newest (snap->normal_waiting, snap->priority_waiting, lane,
                                               self->settings.max_priority_run);
  kiosk_wait_estimate (&snap->service_time, *ahead, snap->counters, low, high);

  admission.hours = service->hours ? service->hours : def->hours;
  admission.now = snap->now;
  admission.next_day = snap->next_day;
  admission.cap_reached = snap->issued_queue >= kiosk_numbering_cap_share (def->daily_cap, i, n)
                          || snap->issued_service >= kiosk_numbering_cap_share (service->daily_cap, i, n);
  admission.range_exhausted = snap->number < 0;
  admission.wait_low_minutes = *low;
  admission.booked = booked;
  return kiosk_admission_check (&admission);
}

gboolean
kiosk_queue_check (KioskQueue *self, const char *service_id, KioskLane lane, KioskRefusal **refusal,
                   GError **error)
{
  g_auto (Snapshot) snap = { 0 };
  g_autoptr (KioskRefusal) refused = NULL;
  const KioskService *service;
  guint ahead;
  int low, high;

  g_return_val_if_fail (KIOSK_IS_QUEUE (self), FALSE);
  g_return_val_if_fail (service_id != NULL, FALSE);

  if (!find_service (self, service_id, &service, error) || !lane_allowed (service, lane, FALSE, error)
      || !snapshot_service (self, service, &snap, error))
    return FALSE;
  refused = admit (self, service, lane, FALSE, &snap, &ahead, &low, &high);
  if (refused == NULL)
    return TRUE;
  if (refusal != NULL)
    *refusal = g_steal_pointer (&refused);
  return FALSE;
}

static gboolean
insert_ticket (KioskQueue *self, const KioskTicket *t, GError **error)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (
      self->store,
      "INSERT INTO tickets (uuid, hall_id, kiosk_id, kiosk_index, kiosks_in_hall, queue_id, service_id, "
      "service_day, seq, number, label, lane, issued_us, people_ahead, wait_low, wait_high, public_code, "
      "appointment_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
      "?18)",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, t->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, t->hall_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, t->kiosk_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 4, (int)t->kiosk_index);
  sqlite3_bind_int (stmt, 5, (int)t->kiosks_in_hall);
  sqlite3_bind_text (stmt, 6, t->queue_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, t->service_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, t->service_day, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 9, (int)t->seq);
  sqlite3_bind_int (stmt, 10, t->number);
  sqlite3_bind_text (stmt, 11, t->label, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, kiosk_lane_to_string (t->lane), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 13, kiosk_date_time_to_usec (t->issued));
  sqlite3_bind_int (stmt, 14, (int)t->people_ahead);
  sqlite3_bind_int (stmt, 15, t->wait_low);
  sqlite3_bind_int (stmt, 16, t->wait_high);
  sqlite3_bind_text (stmt, 17, t->public_code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 18, t->appointment_code, -1, SQLITE_STATIC);
  return kiosk_store_step_done (self->store, stmt, error);
}

KioskTicket *
kiosk_queue_issue_locked (KioskQueue *self, const KioskService *service, KioskLane lane,
                          const char *appointment_code, KioskRefusal **refusal, GError **error)
{
  g_auto (Snapshot) snap = { 0 };
  g_autoptr (KioskRefusal) refused = NULL;
  g_autoptr (KioskTicket) t = NULL;
  g_autofree char *payload = NULL;
  gboolean booked = appointment_code != NULL;

  if (!lane_allowed (service, lane, booked, error) || !snapshot_service (self, service, &snap, error))
    return NULL;

  t = g_new0 (KioskTicket, 1);
  refused = admit (self, service, lane, booked, &snap, &t->people_ahead, &t->wait_low, &t->wait_high);
  if (refused != NULL)
    {
      kiosk_refusal_set_error (refused, error);
      if (refusal != NULL)
        *refusal = g_steal_pointer (&refused);
      return NULL;
    }

  t->uuid = kiosk_uuid_new ();
  t->hall_id = g_strdup (self->settings.hall_id);
  t->kiosk_id = g_strdup (self->settings.kiosk_id);
  t->queue_id = g_strdup (service->queue->id);
  t->service_id = g_strdup (service->id);
  t->service_day = g_strdup (snap.day);
  t->kiosk_index = self->settings.kiosk_index;
  t->kiosks_in_hall = self->settings.kiosks_in_hall;
  t->seq = snap.seq;
  t->number = snap.number;
  t->label = kiosk_ticket_format_label (service->queue->prefix, snap.number, service->queue->last);
  t->lane = lane;
  t->issued = g_date_time_ref (snap.now);
  t->public_code = kiosk_ticket_public_code (self->settings.secret, t->uuid);
  t->appointment_code = g_strdup (appointment_code);

  payload = kiosk_ticket_to_json_with_service (t, &service->name);
  if (!insert_ticket (self, t, error)
      || !kiosk_store_outbox_add (self->store, t->uuid, "ticket", payload, error))
    return NULL;
  return g_steal_pointer (&t);
}

KioskTicket *
kiosk_queue_issue_full (KioskQueue *self, const char *service_id, KioskLane lane, KioskRefusal **refusal,
                        GError **error)
{
  g_autoptr (KioskTicket) ticket = NULL;
  const KioskService *service;

  g_return_val_if_fail (KIOSK_IS_QUEUE (self), NULL);
  g_return_val_if_fail (service_id != NULL, NULL);
  g_return_val_if_fail (refusal == NULL || *refusal == NULL, NULL);

  if (!find_service (self, service_id, &service, error) || !kiosk_store_begin (self->store, error))
    return NULL;
  ticket = kiosk_queue_issue_locked (self, service, lane, NULL, refusal, error);
  if (ticket == NULL)
    {
      kiosk_store_rollback (self->store);
      return NULL;
    }
  if (!kiosk_store_commit (self->store, error))
    return NULL;

  kiosk_queue_emit_changed (self, ticket->queue_id);
  return g_steal_pointer (&ticket);
}

KioskTicket *
kiosk_queue_issue (KioskQueue *self, const char *service_id, KioskLane lane, GError **error)
{
  return kiosk_queue_issue_full (self, service_id, lane, NULL, error);
}

void
kiosk_queue_set_counters_open (KioskQueue *self, const char *queue_id, guint counters)
{
  g_return_if_fail (KIOSK_IS_QUEUE (self));
  g_return_if_fail (queue_id != NULL);

  if (counters == 0)
    g_hash_table_remove (self->counters_open, queue_id);
  else
    g_hash_table_insert (self->counters_open, g_strdup (queue_id), GUINT_TO_POINTER (counters));
  kiosk_queue_emit_changed (self, queue_id);
}

gboolean
kiosk_queue_get_status (KioskQueue *self, const char *queue_id, KioskQueueStatus *status, GError **error)
{
  g_auto (Snapshot) snap = { 0 };
  const KioskQueueDef *def;
  guint ahead;

  g_return_val_if_fail (KIOSK_IS_QUEUE (self), FALSE);
  g_return_val_if_fail (queue_id != NULL && status != NULL, FALSE);

  def = kiosk_bundle_find_queue (self->bundle, queue_id);
  if (def == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "queue \"%s\" does not exist", queue_id);
      return FALSE;
    }
  if (!snapshot_queue (self, def, TRUE, &snap, error))
    return FALSE;

  ahead = kiosk_lanes_people_ahead_of_newest (snap.normal_waiting, snap.priority_waiting, KIOSK_LANE_NORMAL,
                                              self->settings.max_priority_run);
  status->waiting = snap.normal_waiting + snap.priority_waiting;
  status->issued_today = snap.issued_queue;
  status->counters_open = snap.counters;
  status->service_time = snap.service_time;
  kiosk_wait_estimate (&snap.service_time, ahead, snap.counters, &status->wait_low, &status->wait_high);
  return TRUE;
}
