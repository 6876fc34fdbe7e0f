/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-entry-crash"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk-entry.h"
#include "kiosk-test-util.h"

/* A decision and its records under a crash: a child decides in a loop and is
 * killed with SIGKILL at a random moment, again and again; afterwards every
 * entry has exactly one outbox record and every entry outbox record its
 * entry. Writing them in two transactions fails this within a few rounds. */

#define ROUNDS 150
#define N_MEMBERS 50

typedef struct
{
  char *dir;
  char *db_path;
  char *content;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = kiosk_test_make_tmpdir ("entry-crash");
  f->db_path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->content = kiosk_test_asset_path ("content/default");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->content);
}

static void
test_key (guint8 key[KIOSK_CARD_KEY_BYTES])
{
  memset (key, 0x42, KIOSK_CARD_KEY_BYTES);
}

static KioskClock *
clock_at_ten (int round)
{
  g_autoptr (GDateTime) ten = g_date_time_new_utc (2026, 11, 25, 2, 0, 0); /* 10:00 in Shanghai */
  g_autoptr (GDateTime) start = g_date_time_add_seconds (ten, round);

  return kiosk_clock_new_fake (NULL, start);
}

static void
enrol (Fixture *f)
{
  g_autoptr (KioskClock) clock = clock_at_ten (0);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = kiosk_store_open (f->db_path, clock, &error);
  g_autoptr (KioskCredentials) credentials = NULL;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_member_free);
  guint8 key[KIOSK_CARD_KEY_BYTES];

  g_assert_no_error (error);
  test_key (key);
  credentials = kiosk_credentials_new (store, key);
  for (int i = 0; i < N_MEMBERS; i++)
    {
      KioskMember *m = kiosk_member_new ();
      g_autofree char *card = g_strdup_printf ("M%03d", i);

      g_assert_true (kiosk_credentials_hash_card (credentials, card, m->card_hash));
      m->kind = KIOSK_MEMBER_WORKER;
      m->name = g_strdup ("王小明");
      m->status = i % 10 == 0 ? KIOSK_MEMBER_SUSPENDED : KIOSK_MEMBER_ACTIVE;
      m->group = g_strdup ("worker");
      g_ptr_array_add (list, m);
    }
  g_assert_true (kiosk_credentials_apply (credentials, list, TRUE, &error));
  g_assert_no_error (error);
}

/* The child: decide until killed. Exit codes other than death by SIGKILL
 * tell the parent something went wrong. */
G_GNUC_NORETURN static void
child_loop (Fixture *f, int round, int ready_fd)
{
  g_autoptr (KioskClock) clock = clock_at_ten (round);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = kiosk_store_open (f->db_path, clock, &error);
  g_autoptr (KioskBundle) bundle = kiosk_bundle_load (f->content, &error);
  g_autoptr (KioskCredentials) credentials = NULL;
  g_autoptr (KioskEntry) entry = NULL;
  static const char *const prefixes[] = { "88", NULL };
  GRand *rand = g_rand_new_with_seed ((guint32)getpid ());
  guint8 key[KIOSK_CARD_KEY_BYTES];

  if (store == NULL || bundle == NULL)
    _exit (3);
  test_key (key);
  credentials = kiosk_credentials_new (store, key);
  entry = kiosk_entry_new (credentials, bundle, kiosk_badge_rules_new (prefixes, NULL, 0, "worker", NULL),
                           &error);
  if (entry == NULL)
    _exit (4);

  for (gboolean told = FALSE;; told = TRUE)
    {
      g_autoptr (KioskEntryDecision) d = NULL;
      g_autofree char *card = NULL;
      int pick = g_rand_int_range (rand, 0, 100);

      if (pick < 60)
        card = g_strdup_printf ("M%03d", g_rand_int_range (rand, 0, N_MEMBERS));
      else if (pick < 85)
        card = g_strdup_printf ("88%06d", g_rand_int_range (rand, 0, 1000000));
      else
        card = g_strdup_printf ("77%06d", g_rand_int_range (rand, 0, 1000000));

      if (pick % 17 == 0)
        d = kiosk_entry_admit_manual (entry, NULL, "测试放行", &error);
      else if (pick % 13 == 0)
        d = kiosk_entry_record_exit (entry, card, &error);
      else
        d = kiosk_entry_decide (entry, card, &error);
      if (d == NULL)
        {
          g_printerr ("child: %s\n", error->message);
          _exit (6);
        }
      /* Ready once one decision is on disk: however slow the build
       * (valgrind), every round then kills a child that has decided. */
      if (!told && write (ready_fd, "r", 1) != 1)
        _exit (5);
      kiosk_clock_advance (clock, 20 * G_TIME_SPAN_SECOND);
    }
}

static gint64
count_rows (KioskStore *store, const char *sql)
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
test_atomic_under_kill (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskClock) clock = NULL;
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (GError) error = NULL;
  gint64 entries, outbox;

  enrol (f);

  for (int round = 0; round < ROUNDS; round++)
    {
      int fds[2];
      char byte;
      pid_t pid;
      int status = 0;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          child_loop (f, round, fds[1]);
        }
      close (fds[1]);
      /* Kill only once the child has decided, at a random point of its loop. */
      g_assert_cmpint (read (fds[0], &byte, 1), ==, 1);
      close (fds[0]);
      g_usleep (g_test_rand_int_range (0, 15000));
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (!WIFSIGNALED (status) || WTERMSIG (status) != SIGKILL)
        g_error ("round %d: the child ended by itself (status %d)", round, status);
    }

  clock = clock_at_ten (0);
  store = kiosk_store_open (f->db_path, clock, &error);
  g_assert_no_error (error);
  g_assert_null (kiosk_store_get_recovered_from (store));

  entries = count_rows (store, "SELECT count(*) FROM entries");
  outbox = count_rows (store, "SELECT count(*) FROM outbox WHERE kind = 'entry'");
  g_test_message ("%d kills, %" G_GINT64_FORMAT " decisions survived", ROUNDS, entries);
  /* Each child decided at least once before its kill: decisions survived.
   * How many depends on speed (far fewer under the sanitizers), not on
   * correctness. */
  g_assert_cmpint (entries, >, 0);
  g_assert_cmpint (entries, ==, outbox);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM entries e "
                                      "WHERE (SELECT count(*) FROM outbox o WHERE o.uuid = e.uuid) != 1"),
                   ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM outbox o WHERE o.kind = 'entry' "
                                      "AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.uuid = o.uuid)"),
                   ==, 0);
  /* Each record carries its own entry's identity. */
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM outbox WHERE kind = 'entry' "
                                      "AND json_extract (payload, '$.uuid') != uuid"),
                   ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/entry/atomic-under-kill", Fixture, NULL, fixture_setup, test_atomic_under_kill,
              fixture_teardown);
  return g_test_run ();
}
