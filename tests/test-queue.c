/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-queue"

#include <json-glib/json-glib.h>

#include "kiosk-error.h"
#include "kiosk-queue.h"
#include "kiosk-test-util.h"
#include "queue-test-manifest.h"

typedef struct
{
  char *dir;
  KioskClock *clock;
  KioskStore *store;
  KioskBundle *bundle;
  KioskQueue *queue;
  guint changed;
  char *changed_queue;
} Fixture;

static GTimeZone *
shanghai (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Shanghai");
  return tz ? tz : g_time_zone_new_offset (8 * 3600);
}

static GDateTime *
local_time (int y, int mo, int d, int h, int mi)
{
  g_autoptr (GTimeZone) tz = shanghai ();
  return g_date_time_new (tz, y, mo, d, h, mi, 0);
}

static void
set_now (Fixture *f, int y, int mo, int d, int h, int mi)
{
  g_autoptr (GDateTime) at = local_time (y, mo, d, h, mi);
  kiosk_clock_set_now (f->clock, at);
}

static void
on_changed (KioskQueue *queue, const char *queue_id, Fixture *f)
{
  f->changed++;
  g_free (f->changed_queue);
  f->changed_queue = g_strdup (queue_id);
}

static KioskQueue *
make_queue (Fixture *f, KioskStore *store, guint index, guint n, int reset_minutes)
{
  KioskQueueSettings settings;
  g_autoptr (GError) error = NULL;
  KioskQueue *queue;

  queue_test_settings (&settings, index, n);
  settings.reset_minutes = reset_minutes;
  queue = kiosk_queue_new (store, f->bundle, &settings, &error);
  g_bytes_unref (settings.secret);
  g_assert_no_error (error);
  return queue;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const QueueTestManifest defaults = QUEUE_TEST_MANIFEST_DEFAULTS;
  g_autoptr (GDateTime) start = local_time (2026, 11, 23, 9, 0); /* Monday */
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;

  f->dir = kiosk_test_make_tmpdir ("queue");
  db = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_fake ("Asia/Shanghai", start);
  f->store = kiosk_store_open (db, f->clock, &error);
  g_assert_no_error (error);
  f->bundle = queue_test_bundle (f->dir, data ? data : &defaults);
  f->queue = make_queue (f, f->store, 0, 1, 0);
  g_signal_connect (f->queue, "changed", G_CALLBACK (on_changed), f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->queue);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->bundle);
  g_assert_finalize_object (f->clock);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->changed_queue);
}

static gint64
count (KioskStore *store, const char *sql)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static KioskTicket *
issue (KioskQueue *queue, const char *service, KioskLane lane)
{
  g_autoptr (GError) error = NULL;
  KioskTicket *ticket = kiosk_queue_issue (queue, service, lane, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ticket);
  return ticket;
}

static char *
issue_label (KioskQueue *queue, const char *service)
{
  g_autoptr (KioskTicket) t = issue (queue, service, KIOSK_LANE_NORMAL);
  return g_strdup (t->label);
}

/* Expects a refusal that writes nothing; @next: "YYYY-MM-DD HH:MM" local or NULL. */
static void
expect_refusal (Fixture *f, KioskQueue *queue, const char *service, KioskLane lane, KioskRefusalReason reason,
                const char *next)
{
  g_autoptr (KioskRefusal) refusal = NULL;
  g_autoptr (KioskRefusal) checked = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskTicket) ticket = NULL;
  KioskStore *store = kiosk_queue_get_store (queue);
  gint64 tickets = count (store, "SELECT count(*) FROM tickets");
  gint64 outbox = count (store, "SELECT count(*) FROM outbox");

  /* The check and the issue agree. */
  g_assert_false (kiosk_queue_check (queue, service, lane, &checked, &error));
  g_assert_no_error (error);
  g_assert_nonnull (checked);
  g_assert_cmpint (checked->reason, ==, reason);

  ticket = kiosk_queue_issue_full (queue, service, lane, &refusal, &error);
  g_assert_null (ticket);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_CLOSED);
  g_assert_nonnull (refusal);
  g_test_message ("%s", error->message);
  g_assert_cmpstr (kiosk_refusal_reason_to_string (refusal->reason), ==,
                   kiosk_refusal_reason_to_string (reason));
  g_assert_nonnull (strstr (error->message, refusal->text.zh));
  if (next == NULL)
    g_assert_null (refusal->next_opening);
  else
    {
      g_autofree char *got = NULL;
      g_assert_nonnull (refusal->next_opening);
      got = g_date_time_format (refusal->next_opening, "%Y-%m-%d %H:%M");
      g_assert_cmpstr (got, ==, next);
    }
  g_assert_cmpint (count (store, "SELECT count(*) FROM tickets"), ==, tickets);
  g_assert_cmpint (count (store, "SELECT count(*) FROM outbox"), ==, outbox);
}

static void
test_issue_records (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskTicket) t = issue (f->queue, "residence-permit", KIOSK_LANE_NORMAL);
  g_autoptr (KioskTicket) again = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;
  JsonObject *payload;

  g_assert_cmpstr (t->label, ==, "A001");
  g_assert_cmpint (t->number, ==, 1);
  g_assert_cmpuint (t->seq, ==, 0);
  g_assert_cmpstr (t->service_day, ==, "2026-11-23");
  g_assert_cmpstr (t->hall_id, ==, "hall-1");
  g_assert_cmpstr (t->kiosk_id, ==, "kiosk-0");
  g_assert_cmpstr (t->queue_id, ==, "A");
  g_assert_cmpuint (t->people_ahead, ==, 0);
  g_assert_cmpint (t->wait_low, ==, 0);
  g_assert_cmpint (t->wait_high, ==, 10);
  g_assert_true (g_uuid_string_is_valid (t->uuid));
  g_assert_cmpuint (strlen (t->public_code), ==, 16);
  g_assert_cmpuint (f->changed, ==, 1);
  g_assert_cmpstr (f->changed_queue, ==, "A");

  /* Exactly one outbox record, same uuid, the ticket as JSON. */
  stmt = kiosk_store_prepare (f->store, "SELECT uuid, kind, payload FROM outbox", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, t->uuid);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 1), ==, "ticket");
  g_assert_true (json_parser_load_from_data (parser, (const char *)sqlite3_column_text (stmt, 2), -1, NULL));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
  payload = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (payload, "label"), ==, "A001");
  g_assert_cmpstr (json_object_get_string_member (payload, "public_code"), ==, t->public_code);

  /* Stored as issued. */
  again = kiosk_queue_lookup (f->queue, t->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->label, ==, t->label);
  g_assert_cmpstr (again->public_code, ==, t->public_code);
  g_assert_true (g_date_time_equal (again->issued, t->issued));
  g_assert_cmpint (again->lane, ==, KIOSK_LANE_NORMAL);
  g_clear_pointer (&again, kiosk_ticket_free);
  again = kiosk_queue_lookup (f->queue, "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b", &error);
  g_assert_null (again);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
}

static void
test_daily_reset (Fixture *f, gconstpointer data)
{
  g_autofree char *a = issue_label (f->queue, "residence-permit");
  g_autofree char *b = issue_label (f->queue, "social-insurance"); /* same queue, same counter */
  g_autofree char *c = issue_label (f->queue, "residence-permit");
  g_autofree char *next_day = NULL;
  g_autofree char *third_day = NULL;

  g_assert_cmpstr (a, ==, "A001");
  g_assert_cmpstr (b, ==, "A002");
  g_assert_cmpstr (c, ==, "A003");

  set_now (f, 2026, 11, 24, 8, 31);
  next_day = issue_label (f->queue, "residence-permit");
  g_assert_cmpstr (next_day, ==, "A001");
  set_now (f, 2026, 11, 26, 9, 0); /* the 25th is a holiday */
  third_day = issue_label (f->queue, "residence-permit");
  g_assert_cmpstr (third_day, ==, "A001");

  /* History is kept: every day's tickets, each day counted from 1. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM tickets"), ==, 5);
  g_assert_cmpint (count (f->store, "SELECT count(DISTINCT service_day) FROM tickets"), ==, 3);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM tickets WHERE number = 1"), ==, 3);
}

static void
test_reset_time (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskQueue) queue = make_queue (f, f->store, 0, 1, 3 * 60);
  g_autofree char *late = NULL;
  g_autofree char *after_reset = NULL;
  g_autoptr (KioskTicket) t = NULL;

  /* Reset at 03:00: 01:00 still belongs to the day before. */
  set_now (f, 2026, 11, 23, 23, 0);
  late = issue_label (queue, "night-desk");
  set_now (f, 2026, 11, 24, 1, 0);
  t = issue (queue, "night-desk", KIOSK_LANE_NORMAL);
  g_assert_cmpstr (t->label, ==, "N002");
  g_assert_cmpstr (t->service_day, ==, "2026-11-23");
  set_now (f, 2026, 11, 24, 3, 0);
  after_reset = issue_label (queue, "night-desk");
  g_assert_cmpstr (late, ==, "N001");
  g_assert_cmpstr (after_reset, ==, "N001");
}

static void
test_range_end (Fixture *f, gconstpointer data)
{
  g_autofree char *one = issue_label (f->queue, "short");
  g_autofree char *two = issue_label (f->queue, "short");
  g_autofree char *three = issue_label (f->queue, "short");
  g_autofree char *tomorrow = NULL;

  g_assert_cmpstr (one, ==, "R001");
  g_assert_cmpstr (three, ==, "R003");
  /* No wrap-around: refused until the next service day, which opens at 00:00. */
  expect_refusal (f, f->queue, "short", KIOSK_LANE_NORMAL, KIOSK_REFUSAL_RANGE_EXHAUSTED, "2026-11-24 00:00");
  set_now (f, 2026, 11, 23, 23, 59);
  expect_refusal (f, f->queue, "short", KIOSK_LANE_NORMAL, KIOSK_REFUSAL_RANGE_EXHAUSTED, "2026-11-24 00:00");
  set_now (f, 2026, 11, 24, 0, 0);
  tomorrow = issue_label (f->queue, "short");
  g_assert_cmpstr (tomorrow, ==, "R001");
}

static void
test_two_kiosks_disjoint (Fixture *f, gconstpointer data)
{
  g_autofree char *db = g_build_filename (f->dir, "second.db", NULL);
  g_autoptr (GError) error = NULL;
  KioskStore *second_store = kiosk_store_open (db, f->clock, &error);
  KioskQueue *k0, *k1;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);

  g_assert_no_error (error);
  /* Two kiosks, two databases, no network between them. */
  k0 = make_queue (f, f->store, 0, 2, 0);
  k1 = make_queue (f, second_store, 1, 2, 0);

  for (guint i = 0; i < 40; i++)
    {
      g_autoptr (KioskTicket) t = issue (i % 3 ? k0 : k1, "night-desk", KIOSK_LANE_NORMAL);

      g_assert_false (g_hash_table_contains (seen, GINT_TO_POINTER (t->number)));
      g_hash_table_add (seen, GINT_TO_POINTER (t->number));
      g_assert_cmpint (t->number % 2, ==, t->kiosk_index == 0 ? 1 : 0);
      g_assert_cmpint (t->number, ==, 1 + (int)t->kiosk_index + 2 * (int)t->seq);
    }

  /* The short range 1–3: kiosk 0 owns 1 and 3, kiosk 1 owns 2. */
  {
    g_autoptr (KioskTicket) a = issue (k0, "short", KIOSK_LANE_NORMAL);
    g_autoptr (KioskTicket) b = issue (k1, "short", KIOSK_LANE_NORMAL);
    g_autoptr (KioskTicket) c = issue (k0, "short", KIOSK_LANE_NORMAL);

    g_assert_cmpstr (a->label, ==, "R001");
    g_assert_cmpstr (b->label, ==, "R002");
    g_assert_cmpstr (c->label, ==, "R003");
    expect_refusal (f, k1, "short", KIOSK_LANE_NORMAL, KIOSK_REFUSAL_RANGE_EXHAUSTED, "2026-11-24 00:00");
    expect_refusal (f, k0, "short", KIOSK_LANE_NORMAL, KIOSK_REFUSAL_RANGE_EXHAUSTED, "2026-11-24 00:00");
  }

  g_assert_finalize_object (k0);
  g_assert_finalize_object (k1);
  g_assert_finalize_object (second_store);
}

static void
test_hours (Fixture *f, gconstpointer data)
{
  static const struct
  {
    int mo, d, h, mi;
    int reason; /* -1: issued */
    const char *next;
  } cases[] = {
    { 11, 23, 8, 0, KIOSK_REFUSAL_CLOSED_NOW, "2026-11-23 08:30" }, /* before opening */
    { 11, 23, 8, 30, -1, NULL },
    { 11, 23, 11, 39, -1, NULL },
    { 11, 23, 11, 40, KIOSK_REFUSAL_CUTOFF, "2026-11-23 13:30" },     /* 20 minutes before lunch */
    { 11, 23, 12, 30, KIOSK_REFUSAL_CLOSED_NOW, "2026-11-23 13:30" }, /* lunch break */
    { 11, 23, 13, 30, -1, NULL },
    { 11, 23, 16, 45, KIOSK_REFUSAL_CUTOFF, "2026-11-24 08:30" },
    { 11, 23, 17, 30, KIOSK_REFUSAL_CLOSED_NOW, "2026-11-24 08:30" },
    { 11, 25, 10, 0, KIOSK_REFUSAL_HOLIDAY, "2026-11-26 08:30" },    /* a Wednesday holiday */
    { 11, 24, 18, 0, KIOSK_REFUSAL_CLOSED_NOW, "2026-11-26 08:30" }, /* evening before it */
    { 11, 28, 10, 0, -1, NULL },                                     /* Saturday morning */
    { 11, 28, 13, 0, KIOSK_REFUSAL_CLOSED_NOW, "2026-11-30 08:30" },
    { 11, 29, 10, 0, KIOSK_REFUSAL_CLOSED_NOW, "2026-11-30 08:30" }, /* Sundays never open */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("11-%02d %02d:%02d", cases[i].d, cases[i].h, cases[i].mi);
      set_now (f, 2026, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi);
      if (cases[i].reason < 0)
        {
          g_autoptr (KioskTicket) t = issue (f->queue, "residence-permit", KIOSK_LANE_NORMAL);
          g_autoptr (GError) error = NULL;

          g_assert_true (kiosk_queue_check (f->queue, "residence-permit", KIOSK_LANE_ELDERLY, NULL, &error));
          g_assert_no_error (error);
        }
      else
        expect_refusal (f, f->queue, "residence-permit", KIOSK_LANE_NORMAL, cases[i].reason, cases[i].next);
    }
}

static const QueueTestManifest capped = { 5, 2, 999 };

static void
test_daily_cap (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskTicket) a = issue (f->queue, "social-insurance", KIOSK_LANE_NORMAL);
  g_autoptr (KioskTicket) b = issue (f->queue, "social-insurance", KIOSK_LANE_NORMAL);

  /* The service's cap of 2 … */
  expect_refusal (f, f->queue, "social-insurance", KIOSK_LANE_NORMAL, KIOSK_REFUSAL_CAP_REACHED,
                  "2026-11-24 08:30");
  /* … leaves the queue's cap of 5 to the other service. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (KioskTicket) t = issue (f->queue, "residence-permit", KIOSK_LANE_NORMAL);
    }
  expect_refusal (f, f->queue, "residence-permit", KIOSK_LANE_ELDERLY, KIOSK_REFUSAL_CAP_REACHED,
                  "2026-11-24 08:30");

  /* A new day, a new count. */
  set_now (f, 2026, 11, 24, 9, 0);
  {
    g_autoptr (KioskTicket) t = issue (f->queue, "social-insurance", KIOSK_LANE_NORMAL);
    g_assert_cmpstr (t->label, ==, "A001");
  }
}

static void
test_cap_shared_between_kiosks (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskQueue) k1 = make_queue (f, f->store, 1, 2, 0);

  /* Kiosk 1 of 2 owns one of the service's two tickets a day. */
  g_autoptr (KioskTicket) t = issue (k1, "social-insurance", KIOSK_LANE_NORMAL);
  expect_refusal (f, k1, "social-insurance", KIOSK_LANE_NORMAL, KIOSK_REFUSAL_CAP_REACHED,
                  "2026-11-24 08:30");
}

static void
test_predictive_cutoff (Fixture *f, gconstpointer data)
{
  guint issued = 0;

  /* 16:00, closing 17:00: 60 open minutes left, one counter, 10 minutes
   * each (the default, spread 5). Ticket k (k ahead) has a low end of
   * ⌊((k + ½) × 10 − 5 √(k + 1)) / 5⌋ × 5: 50 for k = 6, 60 for k = 7. */
  set_now (f, 2026, 11, 23, 16, 0);
  for (;;)
    {
      g_autoptr (KioskRefusal) refusal = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskTicket) t
          = kiosk_queue_issue_full (f->queue, "residence-permit", KIOSK_LANE_NORMAL, &refusal, &error);
      if (t == NULL)
        {
          g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_CLOSED);
          break;
        }
      g_assert_cmpint (t->wait_low, <, 60);
      issued++;
      g_assert_cmpuint (issued, <, 50);
    }
  g_assert_cmpuint (issued, ==, 7);
  expect_refusal (f, f->queue, "residence-permit", KIOSK_LANE_NORMAL,
                  KIOSK_REFUSAL_CANNOT_SERVE_BEFORE_CLOSING, "2026-11-24 08:30");

  /* A priority ticket goes ahead of most of them and still fits. */
  {
    g_autoptr (KioskTicket) t = issue (f->queue, "residence-permit", KIOSK_LANE_ELDERLY);
    g_assert_cmpuint (t->people_ahead, ==, 0);
  }

  /* A second desk opens: the line moves twice as fast. */
  kiosk_queue_set_counters_open (f->queue, "A", 2);
  {
    g_autoptr (KioskTicket) t = issue (f->queue, "residence-permit", KIOSK_LANE_NORMAL);
    g_assert_cmpuint (t->people_ahead, ==, 8);
  }

  /* In the morning the lunch break does not count as open time: at 11:00
   * there are 60 + 210 minutes left (not 360), so ticket k = 29 (low end
   * 265) is issued and k = 30 (275) is not. */
  kiosk_queue_set_counters_open (f->queue, "A", 0);
  set_now (f, 2026, 11, 24, 11, 0);
  for (issued = 0; issued < 30; issued++)
    {
      g_autoptr (KioskTicket) t = issue (f->queue, "residence-permit", KIOSK_LANE_NORMAL);
    }
  expect_refusal (f, f->queue, "residence-permit", KIOSK_LANE_NORMAL,
                  KIOSK_REFUSAL_CANNOT_SERVE_BEFORE_CLOSING, "2026-11-26 08:30" /* the 25th is a holiday */);
}

static void
test_estimator_from_events (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_ticket_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = NULL;
  KioskQueueStatus status;
  guint changed;

  for (guint i = 0; i < 8; i++)
    g_ptr_array_add (tickets, issue (f->queue, "residence-permit", KIOSK_LANE_NORMAL));
  g_assert_true (kiosk_queue_get_status (f->queue, "A", &status, &error));
  g_assert_true (status.service_time.from_default);
  g_assert_cmpuint (status.waiting, ==, 8);
  g_assert_cmpuint (status.issued_today, ==, 8);
  g_assert_cmpuint (status.counters_open, ==, 1);
  /* 8.5 × 10 ± 5 × 3 → 70–100 */
  g_assert_cmpint (status.wait_low, ==, 70);
  g_assert_cmpint (status.wait_high, ==, 100);

  /* Five people served in four minutes each, events as the hub sends them. */
  changed = f->changed;
  for (guint i = 0; i < 5; i++)
    {
      const KioskTicket *t = tickets->pdata[i];
      g_autoptr (GDateTime) called = kiosk_clock_now (f->clock);
      g_autoptr (GDateTime) served = NULL;

      g_assert_true (kiosk_queue_record_event (f->queue, t->uuid, KIOSK_QUEUE_EVENT_CALLED, called, &error));
      kiosk_clock_advance (f->clock, 4 * G_TIME_SPAN_MINUTE);
      served = kiosk_clock_now (f->clock);
      g_assert_true (kiosk_queue_record_event (f->queue, t->uuid, KIOSK_QUEUE_EVENT_SERVED, served, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (f->changed - changed, ==, 10);

  g_assert_true (kiosk_queue_get_status (f->queue, "A", &status, &error));
  g_assert_false (status.service_time.from_default);
  g_assert_cmpuint (status.service_time.n_samples, ==, 5);
  g_assert_cmpfloat_with_epsilon (status.service_time.mean_minutes, 4, 1e-9);
  g_assert_cmpuint (status.waiting, ==, 3);
  /* 3.5 × 4 ± 0 → 10–15 */
  g_assert_cmpint (status.wait_low, ==, 10);
  g_assert_cmpint (status.wait_high, ==, 15);
  {
    g_autoptr (KioskTicket) t = issue (f->queue, "residence-permit", KIOSK_LANE_NORMAL);
    g_autofree char *zh = kiosk_wait_format_range (t->wait_low, t->wait_high, "zh");
    g_assert_cmpuint (t->people_ahead, ==, 3);
    g_assert_cmpstr (zh, ==, "约 10–15 分钟");
  }

  /* A no-show leaves the line. */
  now = kiosk_clock_now (f->clock);
  g_assert_true (kiosk_queue_record_event (f->queue, ((KioskTicket *)tickets->pdata[5])->uuid,
                                           KIOSK_QUEUE_EVENT_NO_SHOW, now, &error));
  g_assert_true (kiosk_queue_get_status (f->queue, "A", &status, &error));
  g_assert_cmpuint (status.waiting, ==, 3);

  /* Three hours later the samples are stale: the default again. */
  kiosk_clock_advance (f->clock, 3 * G_TIME_SPAN_HOUR + G_TIME_SPAN_MINUTE);
  g_assert_true (kiosk_queue_get_status (f->queue, "A", &status, &error));
  g_assert_true (status.service_time.from_default);

  g_assert_false (kiosk_queue_record_event (f->queue, "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b",
                                            KIOSK_QUEUE_EVENT_SERVED, now, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
}

static void
test_priority_calls (Fixture *f, gconstpointer data)
{
  static const KioskLane arrivals[] = { KIOSK_LANE_NORMAL,  KIOSK_LANE_NORMAL,   KIOSK_LANE_NORMAL,
                                        KIOSK_LANE_ELDERLY, KIOSK_LANE_PREGNANT, KIOSK_LANE_DISABLED };
  static const char *const order[] = { "A004", "A005", "A001", "A006", "A002", "A003" };
  static const guint ahead[] = { 0, 1, 2, 0, 1, 3 };
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (arrivals); i++)
    {
      g_autoptr (KioskTicket) t = issue (f->queue, "residence-permit", arrivals[i]);
      g_assert_cmpuint (t->people_ahead, ==, ahead[i]);
      g_assert_cmpint (t->lane, ==, arrivals[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr (KioskTicket) peek = kiosk_queue_next (f->queue, "A", &error);
      g_autoptr (KioskTicket) called = kiosk_queue_call_next (f->queue, "A", &error);

      g_assert_no_error (error);
      g_assert_cmpstr (peek->label, ==, order[i]);
      g_assert_cmpstr (called->uuid, ==, peek->uuid);
    }
  g_assert_null (kiosk_queue_next (f->queue, "A", &error));
  g_assert_no_error (error);

  /* Lanes a service does not offer, and the appointment lane, are refused. */
  g_assert_null (kiosk_queue_issue (f->queue, "social-insurance", KIOSK_LANE_ELDERLY, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kiosk_queue_issue (f->queue, "residence-permit", KIOSK_LANE_APPOINTMENT, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kiosk_queue_issue (f->queue, "no-such-service", KIOSK_LANE_NORMAL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM tickets"), ==, 6);
}

static void
test_bad_settings (Fixture *f, gconstpointer data)
{
  static const struct
  {
    guint index, n;
    int reset;
    gsize secret_len;
    const char *mention;
  } cases[] = {
    { 2, 2, 0, 32, "kiosk_index" },
    { 0, 0, 0, 32, "kiosks_in_hall" },
    { 0, 1, 1440, 32, "reset_time" },
    { 0, 1, 0, 8, "secret" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KioskQueueSettings settings;
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskQueue) queue = NULL;

      queue_test_settings (&settings, 0, 1);
      settings.kiosk_index = cases[i].index;
      settings.kiosks_in_hall = cases[i].n;
      settings.reset_minutes = cases[i].reset;
      g_bytes_unref (settings.secret);
      settings.secret = g_bytes_new_static ("0123456789abcdef0123456789abcdef", cases[i].secret_len);
      queue = kiosk_queue_new (f->store, f->bundle, &settings, &error);
      g_bytes_unref (settings.secret);
      g_assert_null (queue);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].mention));
    }
}

/* The shipped bundle works with the engine: every service gives a ticket
 * on a Monday afternoon, numbered in its queue. */
static void
test_default_bundle (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = kiosk_test_asset_path ("content/default");
  g_autoptr (GError) error = NULL;
  KioskBundle *bundle = kiosk_bundle_load (dir, &error);
  KioskQueueSettings settings;
  KioskQueue *queue;
  GPtrArray *services;

  g_assert_no_error (error);
  queue_test_settings (&settings, 0, 1);
  queue = kiosk_queue_new (f->store, bundle, &settings, &error);
  g_bytes_unref (settings.secret);
  g_assert_no_error (error);

  set_now (f, 2026, 11, 23, 14, 30);
  services = kiosk_bundle_get_services (bundle);
  g_assert_cmpuint (services->len, >, 0);
  for (guint i = 0; i < services->len; i++)
    {
      const KioskService *service = services->pdata[i];
      g_autoptr (KioskTicket) t = issue (queue, service->id, KIOSK_LANE_NORMAL);

      g_assert_cmpint (t->label[0], ==, service->queue->prefix);
      g_assert_cmpstr (t->queue_id, ==, service->queue->id);
      g_assert_cmpint (t->wait_low, >=, 0);
    }

  /* Sunday: the hall is closed and says when it opens. */
  set_now (f, 2026, 11, 29, 10, 0);
  expect_refusal (f, queue, ((KioskService *)services->pdata[0])->id, KIOSK_LANE_NORMAL,
                  KIOSK_REFUSAL_CLOSED_NOW, "2026-11-30 08:30");

  g_assert_finalize_object (queue);
  g_assert_finalize_object (bundle);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, data, fn) g_test_add (path, Fixture, data, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/queue/issue-records", NULL, test_issue_records);
  ADD ("/kiosk/queue/daily-reset", NULL, test_daily_reset);
  ADD ("/kiosk/queue/reset-time", NULL, test_reset_time);
  ADD ("/kiosk/queue/range-end", NULL, test_range_end);
  ADD ("/kiosk/queue/two-kiosks-disjoint", NULL, test_two_kiosks_disjoint);
  ADD ("/kiosk/queue/hours", NULL, test_hours);
  ADD ("/kiosk/queue/daily-cap", &capped, test_daily_cap);
  ADD ("/kiosk/queue/cap-shared-between-kiosks", &capped, test_cap_shared_between_kiosks);
  ADD ("/kiosk/queue/predictive-cutoff", NULL, test_predictive_cutoff);
  ADD ("/kiosk/queue/estimator-from-events", NULL, test_estimator_from_events);
  ADD ("/kiosk/queue/priority-calls", NULL, test_priority_calls);
  ADD ("/kiosk/queue/bad-settings", NULL, test_bad_settings);
  ADD ("/kiosk/queue/default-bundle", NULL, test_default_bundle);
#undef ADD
  return g_test_run ();
}
