/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-queue-crash"

/* A power cut at any moment of an issue: a child issues tickets in a loop
 * and is killed with SIGKILL at random points, again and again; the
 * database must then hold no duplicate number, exactly one outbox record
 * per ticket (and no record without its ticket), and each kiosk sequence of
 * a day dense from 0. */

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk-store.h"
#include "kiosk-test-util.h"
#include "queue-test-manifest.h"

#define KILLS 220
#define KIOSK_INDEX 1
#define KIOSKS_IN_HALL 3

typedef struct
{
  char *dir;
  char *db;
  KioskClock *clock;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const QueueTestManifest spec = QUEUE_TEST_MANIFEST_DEFAULTS;
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 11, 23, 2, 0, 0);
  g_autoptr (KioskBundle) bundle = NULL;

  f->dir = kiosk_test_make_tmpdir ("queue-crash");
  f->db = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_fake (NULL, start);
  /* Written and checked once here; each child loads it again. */
  bundle = queue_test_bundle (f->dir, &spec);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->clock);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static gint64
scalar (KioskStore *store, const char *sql)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
run_and_kill (Fixture *f, guint round, guint *killed_running)
{
  g_autofree char *child = g_test_build_filename (G_TEST_BUILT, "queue-child", NULL);
  g_autofree char *index = g_strdup_printf ("%d", KIOSK_INDEX);
  g_autofree char *n = g_strdup_printf ("%d", KIOSKS_IN_HALL);
  g_autofree char *day = g_strdup_printf ("%u", round / 25);
  const char *argv[] = { child, f->db, f->dir, index, n, day, NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;
  int status, out;
  char ready;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                           &pid, NULL, &out, NULL, &error));
  g_assert_no_error (error);

  /* One round in eight strikes anywhere, start-up and migrations included;
   * the others strike once the child issues, so slow builds (sanitizers)
   * still kill it inside the loop. */
  if (round % 8 != 0 && read (out, &ready, 1) != 1)
    g_test_message ("round %u: the child ended before it was ready", round);
  g_usleep ((gulong)g_test_rand_int_range (0, 30000));
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  close (out);

  /* It must have been killed, not have given up on an error. */
  if (!WIFSIGNALED (status))
    g_error ("queue-child exited by itself (status %d) in round %u", WEXITSTATUS (status), round);
  (*killed_running)++;
}

static void
test_crash_loop (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = NULL;
  guint killed = 0;
  gint64 tickets, prev = 0, rounds_with_new = 0;

  for (guint round = 0; round < KILLS; round++)
    {
      run_and_kill (f, round, &killed);
      if (round % 20 == 19 && g_file_test (f->db, G_FILE_TEST_EXISTS))
        {
          /* Progress: the kills land while tickets are being issued. */
          g_autoptr (KioskStore) peek = kiosk_store_open (f->db, f->clock, &error);
          g_assert_no_error (error);
          tickets = scalar (peek, "SELECT count(*) FROM tickets");
          rounds_with_new += tickets > prev;
          prev = tickets;
        }
    }
  g_assert_cmpuint (killed, >=, 200);

  store = kiosk_store_open (f->db, f->clock, &error);
  g_assert_no_error (error);
  g_assert_null (kiosk_store_get_recovered_from (store));
  g_assert_cmpint (
      scalar (store, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), ==, 0);

  tickets = scalar (store, "SELECT count(*) FROM tickets");
  g_test_message ("%" G_GINT64_FORMAT " tickets over %u kills", tickets, killed);
  g_assert_cmpint (tickets, >=, 100);
  g_assert_cmpint (rounds_with_new, >=, 8);

  /* No number twice in a queue's day. */
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM (SELECT 1 FROM tickets "
                                  "GROUP BY queue_id, service_day, number HAVING count(*) > 1)"),
                   ==, 0);
  /* Every ticket has exactly one outbox record, and every ticket record its ticket. */
  g_assert_cmpint (
      scalar (store, "SELECT count(*) FROM tickets t WHERE "
                     "(SELECT count(*) FROM outbox o WHERE o.uuid = t.uuid AND o.kind = 'ticket') <> 1"),
      ==, 0);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM outbox o WHERE o.kind = 'ticket' AND "
                                  "NOT EXISTS (SELECT 1 FROM tickets t WHERE t.uuid = o.uuid)"),
                   ==, 0);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM outbox WHERE kind = 'ticket'"), ==, tickets);
  /* The record says what the ticket says. */
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM tickets t JOIN outbox o ON o.uuid = t.uuid WHERE "
                                  "json_extract (o.payload, '$.number') <> t.number OR "
                                  "json_extract (o.payload, '$.label') <> t.label"),
                   ==, 0);
  /* Dense: each day's sequence of this kiosk is 0 … count − 1, and the
   * numbers are first + i + seq × n. */
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM (SELECT service_day FROM tickets "
                                  "GROUP BY queue_id, service_day, kiosk_index, kiosks_in_hall "
                                  "HAVING min (seq) <> 0 OR max (seq) <> count(*) - 1)"),
                   ==, 0);
  g_assert_cmpint (scalar (store, "SELECT count(*) FROM tickets WHERE number <> 1 + 1 + seq * 3"), ==, 0);
  g_assert_cmpint (scalar (store, "SELECT count(DISTINCT service_day) FROM tickets"), >=, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/queue/crash-loop", Fixture, NULL, fixture_setup, test_crash_loop, fixture_teardown);
  return g_test_run ();
}
