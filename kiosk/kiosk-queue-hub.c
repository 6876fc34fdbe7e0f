/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-queue"

/* The hub's side of #KioskQueue: counter actions pulled by the sync (who was
 * called, served, sent away), and the hall's calls for "now serving". */

#include "kiosk-error.h"
#include "kiosk-numbering.h"
#include "kiosk-queue-private.h"

/* The hall's calls are kept this long (the home screen shows today's). */
#define KEEP_CALLS_US (2 * G_TIME_SPAN_DAY)

void
kiosk_now_serving_free (KioskNowServing *call)
{
  if (call == NULL)
    return;
  g_free (call->label);
  g_free (call->desk_zh);
  g_free (call->desk_en);
  g_free (call);
}

KioskQueue *
kiosk_queue_new_sibling (KioskQueue *self, KioskStore *store, KioskBundle *bundle)
{
  g_return_val_if_fail (KIOSK_IS_QUEUE (self), NULL);
  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);
  g_return_val_if_fail (KIOSK_IS_BUNDLE (bundle), NULL);

  /* The settings were checked when @self was made. */
  return kiosk_queue_new (store, bundle, kiosk_queue_get_settings (self), NULL);
}

void
kiosk_queue_notify_changed (KioskQueue *self, const char *queue_id)
{
  GPtrArray *queues;

  g_return_if_fail (KIOSK_IS_QUEUE (self));

  if (queue_id != NULL)
    {
      kiosk_queue_emit_changed (self, queue_id);
      return;
    }
  queues = kiosk_bundle_get_queues (kiosk_queue_get_bundle (self));
  for (guint i = 0; queues != NULL && i < queues->len; i++)
    kiosk_queue_emit_changed (self, ((const KioskQueueDef *)g_ptr_array_index (queues, i))->id);
}

/* The ticket's queue and the last hub action applied to it; *@queue_id
 * stays NULL when the store does not know the ticket. */
static gboolean
read_ticket (KioskStore *store, const char *uuid, char **queue_id, gint64 *hub_action, GError **error)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (
      store, "SELECT queue_id, coalesce (hub_action, 0) FROM tickets WHERE uuid = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *queue_id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      *hub_action = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      kiosk_store_set_error (store, rc, "read ticket", error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
remember_call (KioskStore *store, const KioskSyncCall *call, GError **error)
{
  sqlite3_stmt *stmt
      = kiosk_store_prepare (store,
                             "INSERT OR IGNORE INTO hub_calls (id, ticket_uuid, label, desk_zh, "
                             "desk_en, at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, call->id);
  sqlite3_bind_text (stmt, 2, call->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, call->label, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, call->desk_zh, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, call->desk_en, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, call->at_us);
  return kiosk_store_step_done (store, stmt, error);
}

/* The ticket waits again: in its own queue if the new service is one of
 * that queue's (its number stays valid there), else it leaves this line. */
static gboolean
transfer (KioskQueue *self, const KioskSyncCall *call, const char *queue_id, GError **error)
{
  const KioskService *service = kiosk_bundle_find_service (kiosk_queue_get_bundle (self), call->to_service);
  gboolean same_queue
      = service != NULL && service->queue != NULL && g_str_equal (service->queue->id, queue_id);
  KioskStore *store = kiosk_queue_get_store (self);
  sqlite3_stmt *stmt;

  stmt = kiosk_store_prepare (store,
                              same_queue
                                  ? "UPDATE tickets SET service_id = ?3, called_us = NULL, call_seq = NULL, "
                                    "served_us = NULL, no_show_us = NULL WHERE uuid = ?1"
                                  : "UPDATE tickets SET transferred_us = coalesce (transferred_us, ?2) "
                                    "WHERE uuid = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, call->uuid, -1, SQLITE_TRANSIENT);
  if (same_queue)
    sqlite3_bind_text (stmt, 3, call->to_service, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, 2, call->at_us);
  if (!kiosk_store_step_done (store, stmt, error))
    return FALSE;
  kiosk_queue_emit_changed (self, queue_id);
  return TRUE;
}

/* One action; *@skip when the caller should hear about it. */
static gboolean
apply_one (KioskQueue *self, const KioskSyncCall *call, gboolean *applied, gboolean *skip, GError **error)
{
  KioskStore *store = kiosk_queue_get_store (self);
  g_autofree char *queue_id = NULL;
  g_autoptr (GDateTime) at = NULL;
  gint64 last = 0;
  sqlite3_stmt *stmt;
  gboolean ok;

  *applied = *skip = FALSE;
  if (call->action == KIOSK_SYNC_CALL_UNKNOWN)
    {
      *skip = TRUE;
      return TRUE;
    }
  if ((call->action == KIOSK_SYNC_CALL_CALLED || call->action == KIOSK_SYNC_CALL_RECALLED)
      && !remember_call (store, call, error))
    return FALSE;
  if (!read_ticket (store, call->uuid, &queue_id, &last, error))
    return FALSE;
  if (queue_id == NULL)
    {
      /* Another kiosk's ticket is expected; one of ours is worth a word. */
      *skip = call->mine;
      return TRUE;
    }
  if (last >= call->id)
    return TRUE; /* applied before */

  at = kiosk_date_time_new_from_usec (call->at_us);
  switch (call->action)
    {
      case KIOSK_SYNC_CALL_CALLED:
      case KIOSK_SYNC_CALL_RECALLED:
        ok = kiosk_queue_record_event (self, call->uuid, KIOSK_QUEUE_EVENT_CALLED, at, error);
        break;
      case KIOSK_SYNC_CALL_SERVED:
        ok = kiosk_queue_record_event (self, call->uuid, KIOSK_QUEUE_EVENT_SERVED, at, error);
        break;
      case KIOSK_SYNC_CALL_NO_SHOW:
        ok = kiosk_queue_record_event (self, call->uuid, KIOSK_QUEUE_EVENT_NO_SHOW, at, error);
        break;
      case KIOSK_SYNC_CALL_TRANSFERRED:
        ok = transfer (self, call, queue_id, error);
        break;
      case KIOSK_SYNC_CALL_UNKNOWN:
      default:
        g_assert_not_reached ();
    }
  if (!ok)
    return FALSE;

  stmt = kiosk_store_prepare (store, "UPDATE tickets SET hub_action = ?2 WHERE uuid = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, call->uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, call->id);
  if (!kiosk_store_step_done (store, stmt, error))
    return FALSE;
  *applied = TRUE;
  return TRUE;
}

gboolean
kiosk_queue_apply_hub_calls (KioskQueue *self, GPtrArray *calls, guint *n_applied, GPtrArray *skipped,
                             GError **error)
{
  KioskStore *store;
  sqlite3_stmt *stmt;
  guint applied = 0;

  g_return_val_if_fail (KIOSK_IS_QUEUE (self), FALSE);
  g_return_val_if_fail (calls != NULL, FALSE);

  store = kiosk_queue_get_store (self);
  for (guint i = 0; i < calls->len; i++)
    {
      KioskSyncCall *call = g_ptr_array_index (calls, i);
      gboolean one = FALSE, skip = FALSE;

      if (!apply_one (self, call, &one, &skip, error))
        return FALSE;
      applied += one ? 1 : 0;
      if (skip && skipped != NULL)
        g_ptr_array_add (skipped, call);
    }

  stmt = kiosk_store_prepare (store, "DELETE FROM hub_calls WHERE at_us < ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, kiosk_clock_get_real_time (kiosk_store_get_clock (store)) - KEEP_CALLS_US);
  if (!kiosk_store_step_done (store, stmt, error))
    return FALSE;
  if (n_applied != NULL)
    *n_applied = applied;
  return TRUE;
}

GPtrArray *
kiosk_queue_list_now_serving (KioskQueue *self, guint max, GError **error)
{
  g_autoptr (GPtrArray) calls = NULL;
  g_autoptr (GDateTime) now = NULL, start = NULL;
  g_autofree char *day = NULL;
  KioskStore *store;
  KioskClock *clock;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KIOSK_IS_QUEUE (self), NULL);

  store = kiosk_queue_get_store (self);
  clock = kiosk_store_get_clock (store);
  now = kiosk_clock_now (clock);
  day = kiosk_numbering_service_day (now, kiosk_clock_get_time_zone (clock),
                                     kiosk_queue_get_settings (self)->reset_minutes);
  start = kiosk_numbering_day_start (day, kiosk_clock_get_time_zone (clock),
                                     kiosk_queue_get_settings (self)->reset_minutes);

  /* Each number once, at the desk that called it last. */
  stmt = kiosk_store_prepare (
      store,
      "SELECT label, desk_zh, desk_en, at_us FROM hub_calls h WHERE at_us >= ?1 "
      "AND id = (SELECT max (id) FROM hub_calls WHERE label = h.label AND at_us >= ?1) "
      "ORDER BY id DESC LIMIT ?2",
      error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, kiosk_date_time_to_usec (start));
  sqlite3_bind_int (stmt, 2, (int)MIN (max, G_MAXINT));
  calls = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_now_serving_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KioskNowServing *call = g_new0 (KioskNowServing, 1);

      call->label = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      call->desk_zh = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      call->desk_en = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      call->at_us = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (calls, call);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kiosk_store_set_error (store, rc, "read calls", error);
      return NULL;
    }
  return g_steal_pointer (&calls);
}
