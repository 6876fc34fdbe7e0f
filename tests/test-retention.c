/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-retention"

#include "kiosk-autocleanups.h"
#include "kiosk-error.h"
#include "kiosk-queue.h"
#include "kiosk-retention.h"
#include "kiosk-test-util.h"
#include "queue-test-manifest.h"

#define DAY G_TIME_SPAN_DAY

typedef struct
{
  char *dir;
  char *path;
  KioskClock *clock;
  KioskStore *store;
  guint serial; /* for unique ticket numbers and ids */
  guint finished;
  gint64 finished_removed;
  GError *finished_error;
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
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) start = local_time (2026, 11, 23, 10, 0); /* Monday */
  g_autoptr (GError) error = NULL;

  f->dir = kiosk_test_make_tmpdir ("retention");
  f->path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_fake ("Asia/Shanghai", start);
  f->store = kiosk_store_open (f->path, f->clock, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->store);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_clear_error (&f->finished_error);
  g_assert_finalize_object (f->clock);
}

static gint64
now_us (Fixture *f)
{
  return kiosk_clock_get_real_time (f->clock);
}

static gint64
count (Fixture *f, const char *sql)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (f->store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
exec (Fixture *f, const char *sql)
{
  g_autoptr (GError) error = NULL;

  kiosk_store_exec (f->store, sql, &error);
  g_assert_no_error (error);
}

G_GNUC_PRINTF (2, 3)
static void
execf (Fixture *f, const char *format, ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  exec (f, sql);
}

/* An outbox row for @uuid; @sent_us 0: the hub has not confirmed it. */
static void
add_outbox (Fixture *f, const char *uuid, const char *kind, gint64 created_us, gint64 sent_us)
{
  g_autofree char *sent = sent_us ? g_strdup_printf ("%" G_GINT64_FORMAT, sent_us) : g_strdup ("NULL");

  execf (f,
         "INSERT INTO outbox (uuid, kind, payload, created_us, sent_us) "
         "VALUES ('%s', '%s', '{}', %" G_GINT64_FORMAT ", %s)",
         uuid, kind, created_us, sent);
}

/* A ticket of queue N issued at @issued_us, served at @served_us (0: not
 * yet), with its outbox row (confirmed when @sent); returns its id. */
static char *
add_ticket (Fixture *f, gint64 issued_us, gint64 served_us, gboolean sent)
{
  g_autoptr (GDateTime) utc = kiosk_date_time_new_from_usec (issued_us);
  g_autoptr (GDateTime) local = kiosk_clock_to_local (f->clock, utc);
  g_autofree char *day = g_date_time_format (local, "%Y-%m-%d");
  char *uuid = g_strdup_printf ("00000000-0000-4000-8000-%012u", ++f->serial);
  g_autofree char *served = NULL, *called = NULL;

  served = served_us ? g_strdup_printf ("%" G_GINT64_FORMAT, served_us) : g_strdup ("NULL");
  called = served_us ? g_strdup_printf ("%" G_GINT64_FORMAT, served_us - 3 * G_TIME_SPAN_MINUTE)
                     : g_strdup ("NULL");
  execf (f,
         "INSERT INTO tickets (uuid, hall_id, kiosk_id, kiosk_index, kiosks_in_hall, queue_id, service_id, "
         "service_day, seq, number, label, lane, issued_us, people_ahead, wait_low, wait_high, public_code, "
         "called_us, served_us) VALUES ('%s', 'hall-1', 'kiosk-0', 0, 1, 'N', 'night-desk', '%s', %u, %u, "
         "'N%u', 'normal', %" G_GINT64_FORMAT ", 0, 0, 5, 'code', %s, %s)",
         uuid, day, f->serial, f->serial, f->serial, issued_us, called, served);
  add_outbox (f, uuid, "ticket", issued_us, sent ? issued_us + 1 : 0);
  return uuid;
}

/* An entry decision at @at_us with its outbox row; returns its id. */
static char *
add_entry (Fixture *f, gint64 at_us, gboolean sent)
{
  char *uuid = g_strdup_printf ("00000000-0000-4000-9000-%012u", ++f->serial);

  execf (f,
         "INSERT INTO entries (uuid, at_us, card_hash, result, reason, masked_name) "
         "VALUES ('%s', %" G_GINT64_FORMAT ", NULL, 'granted', 'ok', '张*')",
         uuid, at_us);
  add_outbox (f, uuid, "entry", at_us, sent ? at_us + 1 : 0);
  return uuid;
}

static void
add_event (Fixture *f, gint64 at_us)
{
  execf (f, "INSERT INTO events (at_us, kind, detail) VALUES (%" G_GINT64_FORMAT ", 'test', 'x')", at_us);
}

static gboolean
has (Fixture *f, const char *table, const char *uuid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE uuid = '%s'", table, uuid);
  return count (f, sql) == 1;
}

static void
on_finished (KioskRetention *retention, gint64 removed, const GError *error, Fixture *f)
{
  f->finished++;
  f->finished_removed = removed;
  g_clear_error (&f->finished_error);
  if (error != NULL)
    f->finished_error = g_error_copy (error);
}

static KioskRetention *
make_retention (Fixture *f, guint keep_days)
{
  KioskRetention *retention = kiosk_retention_new (f->store, keep_days);

  g_signal_connect (retention, "finished", G_CALLBACK (on_finished), f);
  return retention;
}

static gint64
run (Fixture *f, KioskRetention *retention)
{
  g_autoptr (GError) error = NULL;
  gint64 removed = -1;

  g_assert_true (kiosk_retention_run (retention, &removed, &error));
  g_assert_no_error (error);
  return removed;
}

static void
test_old_rows_go (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskRetention) retention = make_retention (f, 90);
  gint64 now = now_us (f), old = now - 100 * DAY, recent = now - 80 * DAY;
  g_autofree char *old_ticket = add_ticket (f, old, old + G_TIME_SPAN_HOUR, TRUE);
  g_autofree char *booked_ticket = add_ticket (f, old, 0, TRUE);
  g_autofree char *recent_ticket = add_ticket (f, recent, recent + G_TIME_SPAN_HOUR, TRUE);
  g_autofree char *rebooked_ticket = add_ticket (f, old, 0, TRUE);
  g_autofree char *old_entry = add_entry (f, old, TRUE);
  g_autofree char *recent_entry = add_entry (f, recent, TRUE);

  add_event (f, old);
  add_event (f, recent);
  add_outbox (f, "00000000-0000-4000-a000-000000000001", "status", old, old + 1);
  /* Rejected once, confirmed later: its rejection row goes with it. */
  exec (f,
        "INSERT INTO outbox_rejected (seq, at_us, status, reason) "
        "SELECT seq, created_us, 400, 'bad' FROM outbox WHERE uuid = '00000000-0000-4000-a000-000000000001'");
  execf (f,
         "INSERT INTO hub_calls (id, ticket_uuid, label, desk_zh, desk_en, at_us) VALUES "
         "(1, '%s', 'N1', '1号', 'Desk 1', %" G_GINT64_FORMAT
         "), (2, '%s', 'N3', '1号', 'Desk 1', %" G_GINT64_FORMAT ")",
         old_ticket, old, recent_ticket, recent);
  /* An old booking checked in with a ticket, one booked for next month, and
   * an old one checked in that the hub sent again last week. */
  execf (f,
         "INSERT INTO appointments (code, service_id, slot_us, imported_us, used_us, ticket_uuid) VALUES "
         "('B1', 'night-desk', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '%s'), "
         "('B2', 'night-desk', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", NULL, NULL), "
         "('B3', 'night-desk', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '%s')",
         old, old - DAY, old, booked_ticket, now + 30 * DAY, old, old, now - 7 * DAY, old, rebooked_ticket);
  g_free (add_ticket (f, now, 0, TRUE)); /* today's, the newest record */

  /* 5 outbox rows and a rejection, a booking, a call, 2 tickets, an entry, an event. */
  g_assert_cmpint (run (f, retention), ==, 12);

  g_assert_false (has (f, "tickets", old_ticket));
  g_assert_false (has (f, "tickets", booked_ticket));
  g_assert_false (has (f, "entries", old_entry));
  g_assert_true (has (f, "tickets", recent_ticket));
  g_assert_true (has (f, "tickets", rebooked_ticket)); /* its booking is kept */
  g_assert_true (has (f, "entries", recent_entry));
  g_assert_cmpint (count (f, "SELECT count(*) FROM appointments"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM appointments WHERE code IN ('B2', 'B3')"), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM hub_calls"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox_rejected"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM events WHERE kind = 'test'"), ==, 1);
  /* Each remaining record still has its outbox row and the other way round. */
  g_assert_true (has (f, "outbox", recent_ticket));
  g_assert_true (has (f, "outbox", recent_entry));
  g_assert_false (has (f, "outbox", old_ticket));
  g_assert_cmpint (count (f, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  /* Staff and the hub see what went: an event and its status record. */
  g_assert_cmpint (f->finished, ==, 1);
  g_assert_cmpint (f->finished_removed, ==, 12);
  g_assert_null (f->finished_error);
  g_assert_cmpint (count (f, "SELECT count(*) FROM events WHERE kind = 'retention' AND detail LIKE "
                             "'removed 12 rows older than 90 days:%tickets 2,%entries 1,%'"),
                   ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE kind = 'status' AND sent_us IS NULL "
                             "AND json_extract (payload, '$.event') = 'retention'"),
                   ==, 1);

  /* A second run finds nothing more and reports nothing. */
  g_assert_cmpint (run (f, retention), ==, 0);
  g_assert_cmpint (f->finished, ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM events WHERE kind = 'retention'"), ==, 1);
  g_assert_cmpuint (kiosk_retention_get_keep_days (retention), ==, 90);
}

static void
test_unsent_outbox_stays (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskRetention) retention = make_retention (f, 30);
  gint64 ancient = now_us (f) - 1000 * DAY;
  g_autofree char *ticket = add_ticket (f, ancient, ancient + G_TIME_SPAN_HOUR, FALSE);
  g_autofree char *entry = add_entry (f, ancient, FALSE);
  g_autofree char *rejected = add_entry (f, ancient, FALSE);

  exec (
      f,
      "INSERT INTO outbox_rejected (seq, at_us, status, reason) "
      "SELECT seq, created_us, 422, 'malformed' FROM outbox WHERE kind = 'entry' ORDER BY seq DESC LIMIT 1");
  add_event (f, ancient);
  g_free (add_ticket (f, now_us (f), 0, FALSE)); /* today's */

  /* Only the event goes: every other row is a record the hub does not have. */
  g_assert_cmpint (run (f, retention), ==, 1);
  g_assert_true (has (f, "outbox", ticket));
  g_assert_true (has (f, "outbox", entry));
  g_assert_true (has (f, "outbox", rejected));
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox_rejected"), ==, 1);
  /* Nor the records themselves, while the hub lacks them. */
  g_assert_true (has (f, "tickets", ticket));
  g_assert_true (has (f, "entries", entry));
  g_assert_true (has (f, "entries", rejected));
  g_assert_cmpint (count (f, "SELECT count(*) FROM events WHERE kind = 'test'"), ==, 0);

  /* Once the hub confirms the ticket and the entry, they go together. */
  execf (f, "UPDATE outbox SET sent_us = %" G_GINT64_FORMAT " WHERE uuid IN ('%s', '%s')", now_us (f), ticket,
         entry);
  g_assert_cmpint (run (f, retention), ==, 4);
  g_assert_false (has (f, "tickets", ticket));
  g_assert_false (has (f, "outbox", ticket));
  g_assert_false (has (f, "entries", entry));
  g_assert_true (has (f, "outbox", rejected));
  g_assert_true (has (f, "entries", rejected));
  g_assert_cmpint (count (f, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

/* What today's rules read survives the smallest keep_days: the day's
 * tickets (numbering), the wait estimate's samples, who is inside. */
static void
test_today_kept (Fixture *f, gconstpointer data)
{
  const QueueTestManifest spec = QUEUE_TEST_MANIFEST_DEFAULTS;
  g_autoptr (KioskRetention) retention = make_retention (f, 1);
  g_autoptr (KioskBundle) bundle = queue_test_bundle (f->dir, &spec);
  g_autoptr (KioskQueue) queue = NULL;
  g_autoptr (KioskTicket) next = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *late_sample = NULL, *inside = NULL, *last_night = NULL, *three_days = NULL;
  g_autofree char *two_days = NULL;
  KioskQueueSettings settings;
  KioskQueueStatus before, after;
  gint64 today_tickets;

  queue_test_settings (&settings, 0, 1);
  queue = kiosk_queue_new (f->store, bundle, &settings, &error);
  g_bytes_unref (settings.secret);
  g_assert_no_error (error);

  /* Five days ago: a day of tickets, all served. */
  set_now (f, 2026, 11, 18, 9, 0);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr (KioskTicket) t = kiosk_queue_issue (queue, "night-desk", KIOSK_LANE_NORMAL, &error);
      g_autoptr (KioskTicket) called = NULL;
      g_autoptr (GDateTime) served = NULL;

      g_assert_no_error (error);
      called = kiosk_queue_call_next (queue, "N", &error);
      g_assert_no_error (error);
      kiosk_clock_advance (f->clock, 4 * G_TIME_SPAN_MINUTE);
      served = kiosk_clock_now (f->clock);
      g_assert_true (
          kiosk_queue_record_event (queue, called->uuid, KIOSK_QUEUE_EVENT_SERVED, served, &error));
    }

  /* Today from 08:00: six served (the estimate's samples), two waiting. */
  set_now (f, 2026, 11, 23, 8, 0);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr (KioskTicket) t = kiosk_queue_issue (queue, "night-desk", KIOSK_LANE_NORMAL, &error);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr (KioskTicket) called = kiosk_queue_call_next (queue, "N", &error);
      g_autoptr (GDateTime) served = NULL;

      g_assert_no_error (error);
      kiosk_clock_advance (f->clock, (3 + i) * G_TIME_SPAN_MINUTE);
      served = kiosk_clock_now (f->clock);
      g_assert_true (
          kiosk_queue_record_event (queue, called->uuid, KIOSK_QUEUE_EVENT_SERVED, served, &error));
    }
  /* A ticket kept over from days ago, served just now: a sample too. */
  late_sample = add_ticket (f, now_us (f) - 4 * DAY, now_us (f) - G_TIME_SPAN_MINUTE, TRUE);
  /* At the club: one inside since this morning, one from last night, one three days ago. */
  three_days = add_entry (f, now_us (f) - 3 * DAY, TRUE);
  two_days = add_entry (f, now_us (f) - 36 * G_TIME_SPAN_HOUR, TRUE);
  last_night = add_entry (f, now_us (f) - 20 * G_TIME_SPAN_HOUR, TRUE);
  inside = add_entry (f, now_us (f) - G_TIME_SPAN_HOUR, TRUE);

  /* The hub has everything. */
  exec (f, "UPDATE outbox SET sent_us = created_us + 1");
  g_assert_true (kiosk_queue_get_status (queue, "N", &before, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (before.service_time.n_samples, ==, 7);
  today_tickets = count (f, "SELECT count(*) FROM tickets WHERE service_day = '2026-11-23'");
  g_assert_cmpint (today_tickets, ==, 8);

  /* 4 tickets and their outbox rows, the entry of three days ago and its,
   * and the outbox row of the kept-over ticket: the hub has it. */
  g_assert_cmpint (run (f, retention), ==, 11);

  g_assert_cmpint (count (f, "SELECT count(*) FROM tickets WHERE service_day = '2026-11-18'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM tickets WHERE service_day = '2026-11-23'"), ==,
                   today_tickets);
  g_assert_true (has (f, "tickets", late_sample));
  g_assert_true (has (f, "entries", inside));
  g_assert_true (has (f, "entries", last_night));
  g_assert_false (has (f, "entries", three_days));
  g_assert_true (has (f, "entries", two_days)); /* the last two days stay, whatever keep_days */

  g_assert_true (kiosk_queue_get_status (queue, "N", &after, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (after.service_time.n_samples, ==, before.service_time.n_samples);
  g_assert_cmpfloat (after.service_time.mean_minutes, ==, before.service_time.mean_minutes);
  g_assert_cmpuint (after.waiting, ==, 2);
  g_assert_cmpuint (after.issued_today, ==, before.issued_today);

  /* The day's numbering goes on where it was. */
  next = kiosk_queue_issue (queue, "night-desk", KIOSK_LANE_NORMAL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (next->number, ==, 9);
}

static void
test_keep_zero (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskRetention) retention = make_retention (f, 0);
  g_autofree char *ticket = add_ticket (f, now_us (f) - 5000 * DAY, 0, TRUE);

  add_event (f, now_us (f) - 5000 * DAY);
  g_assert_cmpint (run (f, retention), ==, 0);
  g_assert_true (has (f, "tickets", ticket));
  g_assert_cmpint (count (f, "SELECT count(*) FROM events"), ==, 1);

  /* Nothing is scheduled either. */
  kiosk_retention_start (retention);
  g_assert_cmpint (kiosk_retention_get_next_run_monotonic (retention), ==, 0);
  g_assert_false (kiosk_retention_get_running (retention));
  kiosk_clock_advance (f->clock, 3 * DAY);
  g_assert_true (has (f, "tickets", ticket));
  g_assert_cmpint (f->finished, ==, 0);
}

static gint64
total_rows (Fixture *f)
{
  return count (f, "SELECT (SELECT count(*) FROM tickets) + (SELECT count(*) FROM entries) + "
                   "(SELECT count(*) FROM events) + (SELECT count(*) FROM outbox)");
}

/* 5,000 old entries (and their outbox rows) and 5,000 old events. */
static void
add_many (Fixture *f, gint64 at_us, const char *padding)
{
  exec (f, "BEGIN");
  execf (f,
         "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
         "INSERT INTO entries (uuid, at_us, result, reason, masked_name, note) "
         "SELECT printf ('00000000-0000-4000-b000-%%012d', i), %" G_GINT64_FORMAT
         " + i, 'denied', 'unknown', "
         "'', '%s' FROM n",
         at_us, padding);
  execf (f,
         "INSERT INTO outbox (uuid, kind, payload, created_us, sent_us) "
         "SELECT uuid, 'entry', '{}', at_us, at_us + 1 FROM entries WHERE uuid LIKE '%%-b000-%%' "
         "AND at_us < %" G_GINT64_FORMAT,
         at_us + DAY);
  execf (f,
         "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
         "INSERT INTO events (at_us, kind, detail) SELECT %" G_GINT64_FORMAT " + i, 'test', '%s' FROM n",
         at_us, padding);
  exec (f, "COMMIT");
}

static void
test_batches (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskRetention) retention = make_retention (f, 90);
  g_autoptr (GError) error = NULL;
  g_autofree char *today = NULL;
  gint64 before, rows;
  gboolean more = TRUE;
  guint steps = 0;

  add_many (f, now_us (f) - 200 * DAY, "");
  today = add_entry (f, now_us (f), TRUE);
  rows = total_rows (f);
  g_assert_cmpint (rows, ==, 15002);

  /* No transaction deletes more than a batch of rows from one table. */
  while (more)
    {
      before = total_rows (f);
      g_assert_true (kiosk_retention_step (retention, &more, &error));
      g_assert_no_error (error);
      g_assert_cmpint (before - total_rows (f), <=, KIOSK_RETENTION_BATCH_ROWS + 2 /* the report */);
      if (more)
        g_assert_true (kiosk_retention_get_running (retention));
      steps++;
    }
  g_assert_false (kiosk_retention_get_running (retention));
  g_assert_cmpuint (steps, >=, 15);
  g_assert_cmpint (f->finished, ==, 1);
  g_assert_cmpint (f->finished_removed, ==, 15000);
  g_assert_true (has (f, "entries", today));
  g_assert_cmpint (count (f, "SELECT count(*) FROM events WHERE kind = 'test'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM entries"), ==, 1);

  /* A smaller batch, the same end. */
  add_many (f, now_us (f) - 200 * DAY, "");
  g_free (add_entry (f, now_us (f), TRUE));
  kiosk_retention_set_batch_rows (retention, 700);
  steps = 0;
  for (more = TRUE; more; steps++)
    {
      before = total_rows (f);
      g_assert_true (kiosk_retention_step (retention, &more, &error));
      g_assert_no_error (error);
      g_assert_cmpint (before - total_rows (f), <=, 700 + 2);
    }
  g_assert_cmpuint (steps, >=, 22);
  g_assert_cmpint (f->finished_removed, ==, 15000);
}

/* A new database hands the freed pages back to the file system. */
static void
test_vacuum (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskRetention) retention = make_retention (f, 90);
  g_autofree char *padding = g_strnfill (1000, 'p');
  gint64 pages;

  g_assert_cmpint (count (f, "PRAGMA auto_vacuum"), ==, 2); /* incremental */
  add_many (f, now_us (f) - 200 * DAY, padding);
  g_free (add_entry (f, now_us (f), TRUE));
  pages = count (f, "PRAGMA page_count");
  g_assert_cmpint (pages, >, 2000);

  g_assert_cmpint (run (f, retention), ==, 15000);
  g_assert_cmpint (count (f, "PRAGMA freelist_count"), ==, 0);
  g_assert_cmpint (count (f, "PRAGMA page_count"), <, pages / 4);
}

static void
test_clock_ahead (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskRetention) retention = make_retention (f, 30);
  g_autofree char *yesterday = add_ticket (f, now_us (f) - DAY, now_us (f) - DAY + 600, TRUE);
  g_autofree char *old = add_ticket (f, now_us (f) - 40 * DAY, 0, TRUE);
  g_autofree char *today = add_entry (f, now_us (f), TRUE);

  /* The kiosk starts with its clock ten years fast: it keeps counting from
   * its newest record. */
  kiosk_clock_advance (f->clock, 3650 * DAY);
  g_assert_cmpint (run (f, retention), ==, 2);
  g_assert_false (has (f, "tickets", old));
  g_assert_true (has (f, "tickets", yesterday));
  g_assert_true (has (f, "entries", today));
}

static void
iterate_until_finished (Fixture *f, guint n)
{
  while (f->finished < n)
    g_main_context_iteration (NULL, TRUE);
}

/* Once at start, then daily at 03:00, driven by the fake clock. */
static void
test_daily (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskRetention) retention = make_retention (f, 90);
  g_autoptr (GError) error = NULL;
  gint64 start_mono = kiosk_clock_get_monotonic (f->clock);
  g_autofree char *old = NULL, *tomorrow = NULL, *later = NULL;

  add_many (f, now_us (f) - 95 * DAY, "");
  old = add_ticket (f, now_us (f) - 91 * DAY, 0, TRUE);
  /* 89 days and 20 hours old now: old enough only after tomorrow's 03:00. */
  tomorrow = add_ticket (f, now_us (f) - 90 * DAY + 4 * G_TIME_SPAN_HOUR, 0, TRUE);
  later = add_ticket (f, now_us (f) - 85 * DAY, 0, TRUE);
  g_free (add_entry (f, now_us (f), TRUE));
  kiosk_retention_start (retention);
  g_assert_true (kiosk_retention_get_running (retention)); /* in batches on the main loop */
  iterate_until_finished (f, 1);
  g_assert_null (f->finished_error);
  g_assert_cmpint (f->finished_removed, ==, 15002);
  g_assert_false (has (f, "tickets", old));
  g_assert_true (has (f, "tickets", tomorrow));
  /* Next: 03:00 tomorrow, 17 hours on. */
  g_assert_cmpint (kiosk_retention_get_next_run_monotonic (retention) - start_mono, ==,
                   17 * G_TIME_SPAN_HOUR);

  /* The evening: no run. */
  set_now (f, 2026, 11, 23, 22, 0);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (f->finished, ==, 1);
  g_assert_true (has (f, "tickets", tomorrow));

  /* The night: a record as the kiosk writes every day, then 03:00. */
  set_now (f, 2026, 11, 24, 2, 59);
  g_assert_true (kiosk_store_report (f->store, "test", "night", &error));
  g_assert_no_error (error);
  g_assert_cmpint (f->finished, ==, 1);
  set_now (f, 2026, 11, 24, 3, 0);
  g_assert_true (kiosk_retention_get_running (retention)); /* at once, not at the next minute's check */
  iterate_until_finished (f, 2);
  g_assert_cmpint (f->finished_removed, ==, 2); /* the ticket and its outbox row */
  g_assert_false (has (f, "tickets", tomorrow));
  g_assert_true (has (f, "tickets", later));
  g_assert_cmpint (kiosk_retention_get_next_run_monotonic (retention) - start_mono, ==,
                   41 * G_TIME_SPAN_HOUR);

  /* Stopped: the clock moves on, nothing runs. */
  kiosk_retention_stop (retention);
  g_assert_cmpint (kiosk_retention_get_next_run_monotonic (retention), ==, 0);
  set_now (f, 2026, 12, 30, 3, 0);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (f->finished, ==, 2);
  g_assert_true (has (f, "tickets", later));
}

/* A full disk in the middle of a run: that batch rolls back whole, what
 * earlier batches deleted stays deleted, nothing else is lost, and the next
 * run finishes the work. */
static void
test_disk_full (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskRetention) retention = make_retention (f, 90);
  g_autoptr (GError) error = NULL;
  g_autofree char *unsent = add_entry (f, now_us (f) - 300 * DAY, FALSE);
  g_autofree char *cap = NULL;
  gint64 removed = -1;

  add_many (f, now_us (f) - 200 * DAY, "");
  g_free (add_entry (f, now_us (f), TRUE));
  /* Refused once, confirmed later: in the second batch of outbox rows. */
  exec (f, "INSERT INTO outbox_rejected (seq, at_us, status, reason) VALUES (1600, 0, 400, 'bad')");

  /* From the second batch on, every deleted outbox row needs new pages (a
   * note in meta), and the file may not grow. */
  exec (f, "CREATE TEMP TRIGGER fill BEFORE DELETE ON main.outbox WHEN old.seq > 1500 BEGIN "
           "INSERT INTO meta (key, value) VALUES ('fill-' || old.seq, hex (randomblob (4000))); END");
  cap = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, count (f, "PRAGMA page_count"));
  exec (f, cap);

  g_assert_false (kiosk_retention_run (retention, &removed, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_STORAGE_FULL);
  g_assert_false (kiosk_retention_get_running (retention));
  g_assert_cmpint (f->finished, ==, 1);
  g_assert_error (f->finished_error, KIOSK_ERROR, KIOSK_ERROR_STORAGE_FULL);
  g_assert_cmpint (f->finished_removed, ==, 999); /* the first batch */
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE seq <= 1000"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox WHERE seq > 1000 AND kind = 'entry'"), ==, 4002);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox_rejected"), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM meta WHERE key LIKE 'fill-%'"), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM entries"), ==, 5002);
  g_assert_cmpint (count (f, "SELECT count(*) FROM events WHERE kind = 'test'"), ==, 5000);
  g_assert_true (has (f, "outbox", unsent));
  /* A small note still fits in the pages the first batch freed: staff see why. */
  g_assert_cmpint (count (f, "SELECT count(*) FROM events WHERE kind = 'retention-failed' AND detail LIKE "
                             "'removed 999 rows, then stopped: %full%'"),
                   ==, 1);

  /* Room again. */
  g_clear_error (&error);
  exec (f, "DROP TRIGGER temp.fill");
  exec (f, "PRAGMA max_page_count = 1000000");
  g_assert_cmpint (run (f, retention), ==, 4001 + 1 + 5000 + 5000);
  g_assert_true (kiosk_store_get_healthy (f->store));
  g_assert_cmpint (count (f, "SELECT count(*) FROM events WHERE kind = 'test'"), ==, 0);
  g_assert_true (has (f, "outbox", unsent));
  g_assert_true (has (f, "entries", unsent));
}

/* Another writer holds the database: a clear error, nothing lost. */
static void
test_locked (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskRetention) retention = make_retention (f, 90);
  g_autoptr (GError) error = NULL;
  g_autoptr (sqlite3) other = NULL;
  gint64 removed = -1;

  add_many (f, now_us (f) - 200 * DAY, "");
  g_free (add_entry (f, now_us (f), TRUE));
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (kiosk_store_get_db (f->store), 10);

  g_assert_false (kiosk_retention_run (retention, &removed, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_STORAGE);
  g_assert_cmpint (f->finished, ==, 1);
  g_assert_cmpint (f->finished_removed, ==, 0);
  g_assert_cmpint (total_rows (f), ==, 15002);

  g_assert_cmpint (sqlite3_exec (other, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (run (f, retention), ==, 15000);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/retention/old-rows-go", test_old_rows_go);
  ADD ("/kiosk/retention/unsent-outbox-stays", test_unsent_outbox_stays);
  ADD ("/kiosk/retention/today-kept", test_today_kept);
  ADD ("/kiosk/retention/keep-zero", test_keep_zero);
  ADD ("/kiosk/retention/batches", test_batches);
  ADD ("/kiosk/retention/vacuum", test_vacuum);
  ADD ("/kiosk/retention/clock-ahead", test_clock_ahead);
  ADD ("/kiosk/retention/daily", test_daily);
  ADD ("/kiosk/retention/disk-full", test_disk_full);
  ADD ("/kiosk/retention/locked", test_locked);
#undef ADD

  return g_test_run ();
}
