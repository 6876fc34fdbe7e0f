/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-queue-hub"

#include "kiosk-error.h"
#include "kiosk-queue.h"
#include "kiosk-test-util.h"
#include "queue-test-manifest.h"

/* Counter actions from the hub applied to the kiosk's queue: idempotent,
 * skipping what the kiosk does not know, feeding the wait estimates and the
 * home screen's "now serving". */

typedef struct
{
  char *dir;
  KioskClock *clock;
  KioskStore *store;
  KioskBundle *bundle;
  KioskQueue *queue;
  GPtrArray *calls; /* the page being built */
  gint64 next_id;
} Fixture;

static GDateTime *
local_time (int y, int mo, int d, int h, int mi)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  return g_date_time_new (tz, y, mo, d, h, mi, 0);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const QueueTestManifest defaults = QUEUE_TEST_MANIFEST_DEFAULTS;
  g_autoptr (GDateTime) start = local_time (2026, 11, 23, 9, 0); /* Monday */
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  KioskQueueSettings settings;

  f->dir = kiosk_test_make_tmpdir ("queue-hub");
  db = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_fake ("Asia/Shanghai", start);
  f->store = kiosk_store_open (db, f->clock, &error);
  g_assert_no_error (error);
  f->bundle = queue_test_bundle (f->dir, &defaults);
  queue_test_settings (&settings, 0, 1);
  f->queue = kiosk_queue_new (f->store, f->bundle, &settings, &error);
  g_bytes_unref (settings.secret);
  g_assert_no_error (error);
  f->calls = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_sync_call_free);
  f->next_id = 100;
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_ptr_array_unref (f->calls);
  g_assert_finalize_object (f->queue);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->bundle);
  g_assert_finalize_object (f->clock);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
advance (Fixture *f, int minutes)
{
  kiosk_clock_advance (f->clock, (gint64)minutes * G_TIME_SPAN_MINUTE);
}

/* Adds an action at the clock's now to the page being built. */
static void
add (Fixture *f, KioskSyncCallAction action, const KioskTicket *t, const char *uuid, const char *label,
     gboolean mine, const char *to)
{
  KioskSyncCall *call = g_new0 (KioskSyncCall, 1);
  static const char *const names[] = { "dance", "next", "recall", "served", "no_show", "transfer" };

  call->id = f->next_id++;
  call->action = action;
  call->action_name = g_strdup (names[action]);
  call->uuid = g_strdup (t ? t->uuid : uuid);
  call->label = g_strdup (t ? t->label : label);
  call->mine = mine;
  call->desk = g_strdup ("3");
  call->desk_zh = g_strdup ("3号窗口");
  call->desk_en = g_strdup ("Counter 3");
  call->to_service = g_strdup (to);
  call->at_us = kiosk_clock_get_real_time (f->clock);
  g_ptr_array_add (f->calls, call);
}

/* Applies the page in one transaction, as the sync does; the number applied. */
static guint
apply (Fixture *f, GPtrArray *skipped)
{
  g_autoptr (GError) error = NULL;
  guint n = 0;

  g_assert_true (kiosk_store_begin (f->store, &error));
  g_assert_true (kiosk_queue_apply_hub_calls (f->queue, f->calls, &n, skipped, &error));
  g_assert_no_error (error);
  g_assert_true (kiosk_store_commit (f->store, &error));
  return n;
}

static KioskTicket *
issue (Fixture *f, const char *service)
{
  g_autoptr (GError) error = NULL;
  KioskTicket *t = kiosk_queue_issue (f->queue, service, KIOSK_LANE_NORMAL, &error);

  g_assert_no_error (error);
  return t;
}

static gint64
query_int (Fixture *f, const char *sql, const char *uuid)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (f->store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  if (uuid != NULL)
    sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_type (stmt, 0) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static guint
waiting (Fixture *f, const char *queue_id)
{
  g_autoptr (GError) error = NULL;
  KioskQueueStatus status;

  g_assert_true (kiosk_queue_get_status (f->queue, queue_id, &status, &error));
  g_assert_no_error (error);
  return status.waiting;
}

static void
test_applied_once (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskTicket) a = issue (f, "residence-permit");
  g_autoptr (KioskTicket) b = issue (f, "residence-permit");
  g_autoptr (GPtrArray) skipped = g_ptr_array_new ();
  gint64 called, seq, served;

  g_assert_cmpuint (waiting (f, "A"), ==, 2);
  advance (f, 1);
  add (f, KIOSK_SYNC_CALL_CALLED, a, NULL, NULL, TRUE, NULL);
  advance (f, 3);
  add (f, KIOSK_SYNC_CALL_RECALLED, a, NULL, NULL, TRUE, NULL);
  advance (f, 2);
  add (f, KIOSK_SYNC_CALL_SERVED, a, NULL, NULL, TRUE, NULL);
  add (f, KIOSK_SYNC_CALL_CALLED, b, NULL, NULL, TRUE, NULL);
  g_assert_cmpuint (apply (f, skipped), ==, 4);
  g_assert_cmpuint (skipped->len, ==, 0);
  g_assert_cmpuint (waiting (f, "A"), ==, 0);

  /* The first call counts: a recall does not move called_us. */
  called = query_int (f, "SELECT called_us FROM tickets WHERE uuid = ?1", a->uuid);
  served = query_int (f, "SELECT served_us FROM tickets WHERE uuid = ?1", a->uuid);
  seq = query_int (f, "SELECT call_seq FROM tickets WHERE uuid = ?1", b->uuid);
  g_assert_cmpint (served - called, ==, 5 * G_TIME_SPAN_MINUTE);

  /* The same page again, later (a reply lost after the commit): nothing moves. */
  advance (f, 10);
  g_assert_cmpuint (apply (f, skipped), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT called_us FROM tickets WHERE uuid = ?1", a->uuid), ==, called);
  g_assert_cmpint (query_int (f, "SELECT served_us FROM tickets WHERE uuid = ?1", a->uuid), ==, served);
  g_assert_cmpint (query_int (f, "SELECT call_seq FROM tickets WHERE uuid = ?1", b->uuid), ==, seq);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM hub_calls", NULL), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT max (call_seq) FROM tickets", NULL), ==, 2);
}

static void
test_unknown_skipped (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskTicket) a = issue (f, "residence-permit");
  g_autoptr (GPtrArray) skipped = g_ptr_array_new ();
  g_autoptr (GPtrArray) now_serving = NULL;
  g_autoptr (GError) error = NULL;

  /* Ours but unknown here (a store restored from a backup), another kiosk's,
   * an action from a newer hub, then one that applies. */
  add (f, KIOSK_SYNC_CALL_CALLED, NULL, "7f1d3c1a-0000-4000-8000-000000000001", "A900", TRUE, NULL);
  add (f, KIOSK_SYNC_CALL_CALLED, NULL, "7f1d3c1a-0000-4000-8000-000000000002", "A500", FALSE, NULL);
  add (f, KIOSK_SYNC_CALL_UNKNOWN, a, NULL, NULL, TRUE, NULL);
  advance (f, 1);
  add (f, KIOSK_SYNC_CALL_CALLED, a, NULL, NULL, TRUE, NULL);
  g_assert_cmpuint (apply (f, skipped), ==, 1);
  g_assert_cmpuint (skipped->len, ==, 2);
  g_assert_cmpstr (((KioskSyncCall *)g_ptr_array_index (skipped, 0))->label, ==, "A900");
  g_assert_cmpstr (((KioskSyncCall *)g_ptr_array_index (skipped, 1))->action_name, ==, "dance");
  g_assert_cmpuint (waiting (f, "A"), ==, 0);

  /* The hall's calls, newest first, whoever issued the ticket. */
  now_serving = kiosk_queue_list_now_serving (f->queue, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (now_serving->len, ==, 3);
  g_assert_cmpstr (((KioskNowServing *)g_ptr_array_index (now_serving, 0))->label, ==, a->label);
  g_assert_cmpstr (((KioskNowServing *)g_ptr_array_index (now_serving, 1))->label, ==, "A500");
  g_assert_cmpstr (((KioskNowServing *)g_ptr_array_index (now_serving, 2))->label, ==, "A900");
}

static void
test_service_time (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_ticket_free);
  g_autoptr (GError) error = NULL;
  KioskQueueStatus before, after;

  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (tickets, issue (f, "residence-permit"));
  g_assert_true (kiosk_queue_get_status (f->queue, "A", &before, &error));
  g_assert_true (before.service_time.from_default);
  g_assert_cmpfloat (before.service_time.mean_minutes, ==, 10.0);

  /* Five people served in 2 to 4 minutes each (the minimum sample count). */
  for (guint i = 0; i < 5; i++)
    {
      add (f, KIOSK_SYNC_CALL_CALLED, g_ptr_array_index (tickets, i), NULL, NULL, TRUE, NULL);
      advance (f, 2 + (int)(i % 3));
      add (f, KIOSK_SYNC_CALL_SERVED, g_ptr_array_index (tickets, i), NULL, NULL, TRUE, NULL);
    }
  g_assert_cmpuint (apply (f, NULL), ==, 10);
  g_assert_true (kiosk_queue_get_status (f->queue, "A", &after, &error));
  g_assert_no_error (error);
  g_test_message ("before: %.1f min (%u samples), wait %d–%d; after: %.1f min (%u samples), wait %d–%d",
                  before.service_time.mean_minutes, before.service_time.n_samples, before.wait_low,
                  before.wait_high, after.service_time.mean_minutes, after.service_time.n_samples,
                  after.wait_low, after.wait_high);
  g_assert_false (after.service_time.from_default);
  g_assert_cmpuint (after.service_time.n_samples, ==, 5);
  g_assert_cmpfloat_with_epsilon (after.service_time.mean_minutes, (2 + 3 + 4 + 2 + 3) / 5.0, 1e-9);
  g_assert_cmpuint (after.waiting, ==, 5);
  /* Five waiting at 2.8 minutes each instead of ten at 10. */
  g_assert_cmpint (after.wait_high, <, before.wait_low);
}

static void
test_transfer (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskTicket) a = issue (f, "residence-permit");
  g_autoptr (KioskTicket) b = issue (f, "residence-permit");
  g_autoptr (GError) error = NULL;
  KioskQueueStatus status;

  /* a goes to another service of its own queue: it waits there again, and its
   * service time counts from the second call. */
  add (f, KIOSK_SYNC_CALL_CALLED, a, NULL, NULL, TRUE, NULL);
  advance (f, 30);
  add (f, KIOSK_SYNC_CALL_TRANSFERRED, a, NULL, NULL, TRUE, "social-insurance");
  /* b goes to the night desk's queue: it leaves this line for good. */
  add (f, KIOSK_SYNC_CALL_CALLED, b, NULL, NULL, TRUE, NULL);
  advance (f, 1);
  add (f, KIOSK_SYNC_CALL_TRANSFERRED, b, NULL, NULL, TRUE, "night-desk");
  g_assert_cmpuint (apply (f, NULL), ==, 4);
  g_assert_cmpuint (waiting (f, "A"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT called_us FROM tickets WHERE uuid = ?1", a->uuid), ==, -1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tickets WHERE service_id = 'social-insurance'", NULL),
                   ==, 1);

  g_ptr_array_set_size (f->calls, 0);
  add (f, KIOSK_SYNC_CALL_CALLED, a, NULL, NULL, TRUE, NULL);
  add (f, KIOSK_SYNC_CALL_CALLED, b, NULL, NULL, TRUE, NULL);
  advance (f, 4);
  add (f, KIOSK_SYNC_CALL_SERVED, a, NULL, NULL, TRUE, NULL);
  add (f, KIOSK_SYNC_CALL_SERVED, b, NULL, NULL, TRUE, NULL);
  g_assert_cmpuint (apply (f, NULL), ==, 4);
  g_assert_cmpuint (waiting (f, "A"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT served_us - called_us FROM tickets WHERE uuid = ?1", a->uuid), ==,
                   4 * G_TIME_SPAN_MINUTE);
  /* b's 35 minutes since its first call are no service time at this queue. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM tickets WHERE transferred_us IS NOT NULL", NULL), ==,
                   1);
  g_assert_true (kiosk_queue_get_status (f->queue, "A", &status, &error));
  g_assert_cmpuint (status.service_time.n_samples, ==, 0); /* one real sample: below the minimum */
}

static void
test_now_serving (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskTicket) a = issue (f, "residence-permit");
  g_autoptr (KioskTicket) b = issue (f, "residence-permit");
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GError) error = NULL;
  KioskNowServing *first;

  list = kiosk_queue_list_now_serving (f->queue, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  add (f, KIOSK_SYNC_CALL_CALLED, a, NULL, NULL, TRUE, NULL);
  advance (f, 1);
  add (f, KIOSK_SYNC_CALL_CALLED, b, NULL, NULL, TRUE, NULL);
  advance (f, 1);
  add (f, KIOSK_SYNC_CALL_RECALLED, a, NULL, NULL, TRUE, NULL);
  add (f, KIOSK_SYNC_CALL_SERVED, b, NULL, NULL, TRUE, NULL);
  apply (f, NULL);
  list = kiosk_queue_list_now_serving (f->queue, 3, &error);
  g_assert_no_error (error);
  /* a once (its recall is the latest), then b. */
  g_assert_cmpuint (list->len, ==, 2);
  first = g_ptr_array_index (list, 0);
  g_assert_cmpstr (first->label, ==, a->label);
  g_assert_cmpstr (first->desk_zh, ==, "3号窗口");
  g_assert_cmpstr (first->desk_en, ==, "Counter 3");
  g_assert_cmpstr (((KioskNowServing *)g_ptr_array_index (list, 1))->label, ==, b->label);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* The next service day starts empty. */
  advance (f, 24 * 60);
  list = kiosk_queue_list_now_serving (f->queue, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/queue-hub/applied-once", Fixture, NULL, fixture_setup, test_applied_once,
              fixture_teardown);
  g_test_add ("/kiosk/queue-hub/unknown-skipped", Fixture, NULL, fixture_setup, test_unknown_skipped,
              fixture_teardown);
  g_test_add ("/kiosk/queue-hub/service-time", Fixture, NULL, fixture_setup, test_service_time,
              fixture_teardown);
  g_test_add ("/kiosk/queue-hub/transfer", Fixture, NULL, fixture_setup, test_transfer, fixture_teardown);
  g_test_add ("/kiosk/queue-hub/now-serving", Fixture, NULL, fixture_setup, test_now_serving,
              fixture_teardown);
  return g_test_run ();
}
