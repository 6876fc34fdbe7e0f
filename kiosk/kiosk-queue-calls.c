/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-queue"

/* The calling side of #KioskQueue: who is next, and the events that move
 * tickets along (from the counters or the hub). */

#include "kiosk-error.h"
#include "kiosk-numbering.h"
#include "kiosk-queue-private.h"

#define TICKET_COLUMNS                                                                                       \
  "uuid, hall_id, kiosk_id, kiosk_index, kiosks_in_hall, queue_id, service_id, service_day, seq, number, "   \
  "label, lane, issued_us, people_ahead, wait_low, wait_high, public_code, appointment_code"

static char *
column_text (sqlite3_stmt *stmt, int i)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, i));
}

/* A ticket from a row of TICKET_COLUMNS. */
static KioskTicket *
ticket_from_row (KioskQueue *self, sqlite3_stmt *stmt)
{
  KioskClock *clock = kiosk_store_get_clock (kiosk_queue_get_store (self));
  g_autoptr (GDateTime) utc = kiosk_date_time_new_from_usec (sqlite3_column_int64 (stmt, 12));
  KioskTicket *t = g_new0 (KioskTicket, 1);

  t->uuid = column_text (stmt, 0);
  t->hall_id = column_text (stmt, 1);
  t->kiosk_id = column_text (stmt, 2);
  t->kiosk_index = (guint)sqlite3_column_int (stmt, 3);
  t->kiosks_in_hall = (guint)sqlite3_column_int (stmt, 4);
  t->queue_id = column_text (stmt, 5);
  t->service_id = column_text (stmt, 6);
  t->service_day = column_text (stmt, 7);
  t->seq = (guint)sqlite3_column_int (stmt, 8);
  t->number = sqlite3_column_int (stmt, 9);
  t->label = column_text (stmt, 10);
  /* The schema's CHECK admits only known lanes. */
  if (!kiosk_lane_from_string ((const char *)sqlite3_column_text (stmt, 11), &t->lane))
    t->lane = KIOSK_LANE_NORMAL;
  t->issued = kiosk_clock_to_local (clock, utc);
  t->people_ahead = (guint)sqlite3_column_int (stmt, 13);
  t->wait_low = sqlite3_column_int (stmt, 14);
  t->wait_high = sqlite3_column_int (stmt, 15);
  t->public_code = column_text (stmt, 16);
  t->appointment_code = column_text (stmt, 17);
  return t;
}

KioskTicket *
kiosk_queue_lookup (KioskQueue *self, const char *uuid, GError **error)
{
  KioskStore *store;
  sqlite3_stmt *stmt;
  KioskTicket *ticket = NULL;
  int rc;

  g_return_val_if_fail (KIOSK_IS_QUEUE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  store = kiosk_queue_get_store (self);
  stmt = kiosk_store_prepare (store, "SELECT " TICKET_COLUMNS " FROM tickets WHERE uuid = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    ticket = ticket_from_row (self, stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "no ticket %s", uuid);
  else
    kiosk_store_set_error (store, rc, "read ticket", error);
  sqlite3_reset (stmt);
  return ticket;
}

static char *
today (KioskQueue *self)
{
  KioskClock *clock = kiosk_store_get_clock (kiosk_queue_get_store (self));
  g_autoptr (GDateTime) now = kiosk_clock_now (clock);

  return kiosk_numbering_service_day (now, kiosk_clock_get_time_zone (clock),
                                      kiosk_queue_get_settings (self)->reset_minutes);
}

GPtrArray *
kiosk_queue_list_waiting (KioskQueue *self, const char *queue_id, GError **error)
{
  g_autoptr (GPtrArray) tickets = NULL;
  g_autofree char *day = NULL;
  KioskStore *store;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KIOSK_IS_QUEUE (self), NULL);
  g_return_val_if_fail (queue_id != NULL, NULL);

  store = kiosk_queue_get_store (self);
  stmt = kiosk_store_prepare (store,
                              "SELECT " TICKET_COLUMNS " FROM tickets "
                              "WHERE queue_id = ?1 AND service_day = ?2 "
                              "AND called_us IS NULL AND no_show_us IS NULL "
                              "ORDER BY issued_us, rowid",
                              error);
  if (stmt == NULL)
    return NULL;
  day = today (self);
  sqlite3_bind_text (stmt, 1, queue_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, day, -1, SQLITE_TRANSIENT);
  tickets = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_ticket_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (tickets, ticket_from_row (self, stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kiosk_store_set_error (store, rc, "read waiting tickets", error);
      return NULL;
    }
  return g_steal_pointer (&tickets);
}

KioskTicket *
kiosk_queue_next (KioskQueue *self, const char *queue_id, GError **error)
{
  g_autoptr (GPtrArray) tickets = NULL;
  g_autoptr (GArray) waiting = NULL;
  g_autofree char *day = NULL;
  guint run;
  int pick;

  g_return_val_if_fail (KIOSK_IS_QUEUE (self), NULL);
  g_return_val_if_fail (queue_id != NULL, NULL);

  day = today (self);
  tickets = kiosk_queue_list_waiting (self, queue_id, error);
  if (tickets == NULL || !kiosk_queue_read_priority_run (self, queue_id, day, &run, error))
    return NULL;

  waiting = g_array_sized_new (FALSE, FALSE, sizeof (KioskWaiting), tickets->len);
  for (guint i = 0; i < tickets->len; i++)
    {
      const KioskTicket *t = tickets->pdata[i];
      KioskWaiting w = { t->lane, kiosk_date_time_to_usec (t->issued), NULL };
      g_array_append_val (waiting, w);
    }
  pick = kiosk_lanes_pick ((const KioskWaiting *)waiting->data, waiting->len, run,
                           kiosk_queue_get_settings (self)->max_priority_run);
  return pick < 0 ? NULL : g_steal_pointer (&tickets->pdata[pick]);
}

KioskTicket *
kiosk_queue_call_next (KioskQueue *self, const char *queue_id, GError **error)
{
  g_autoptr (KioskTicket) ticket = NULL;
  g_autoptr (GDateTime) now = NULL;

  g_return_val_if_fail (KIOSK_IS_QUEUE (self), NULL);

  ticket = kiosk_queue_next (self, queue_id, error);
  if (ticket == NULL)
    return NULL;
  now = kiosk_clock_now (kiosk_store_get_clock (kiosk_queue_get_store (self)));
  if (!kiosk_queue_record_event (self, ticket->uuid, KIOSK_QUEUE_EVENT_CALLED, now, error))
    return NULL;
  return g_steal_pointer (&ticket);
}

gboolean
kiosk_queue_record_event (KioskQueue *self, const char *ticket_uuid, KioskQueueEvent event, GDateTime *at,
                          GError **error)
{
  static const char *const updates[] = {
    [KIOSK_QUEUE_EVENT_CALLED]
    = "UPDATE tickets SET called_us = coalesce (called_us, ?2), "
      "call_seq = coalesce (call_seq, (SELECT coalesce (max (call_seq), 0) + 1 FROM tickets)) "
      "WHERE uuid = ?1 RETURNING queue_id",
    [KIOSK_QUEUE_EVENT_SERVED] = "UPDATE tickets SET served_us = ?2 WHERE uuid = ?1 RETURNING queue_id",
    [KIOSK_QUEUE_EVENT_NO_SHOW] = "UPDATE tickets SET no_show_us = ?2 WHERE uuid = ?1 RETURNING queue_id",
  };
  g_autofree char *queue_id = NULL;
  KioskStore *store;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KIOSK_IS_QUEUE (self), FALSE);
  g_return_val_if_fail (ticket_uuid != NULL && at != NULL, FALSE);

  if ((guint)event >= G_N_ELEMENTS (updates))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "unknown queue event %d", (int)event);
      return FALSE;
    }

  store = kiosk_queue_get_store (self);
  stmt = kiosk_store_prepare (store, updates[event], error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ticket_uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, kiosk_date_time_to_usec (at));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      queue_id = column_text (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kiosk_store_set_error (store, rc, "record queue event", error);
      return FALSE;
    }
  if (queue_id == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "no ticket %s", ticket_uuid);
      return FALSE;
    }

  kiosk_queue_emit_changed (self, queue_id);
  return TRUE;
}
