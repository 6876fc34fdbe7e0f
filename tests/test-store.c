/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-store"

#include <glib/gstdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kiosk-autocleanups.h"
#include "kiosk-error.h"
#include "kiosk-store-private.h"
#include "kiosk-test-util.h"

typedef struct
{
  char *dir;
  char *path;
  KioskClock *clock;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 11, 23, 1, 0, 0);

  f->dir = kiosk_test_make_tmpdir ("store");
  f->path = g_build_filename (f->dir, "state", "kiosk.db", NULL);
  f->clock = kiosk_clock_new_fake (NULL, start);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_assert_finalize_object (f->clock);
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
test_fresh (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  KioskStore *store = kiosk_store_open (f->path, f->clock, &error);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_no_error (error);
  /* The missing "state" directory was made. */
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (kiosk_store_get_schema_version (store), ==,
                   kiosk_store_migrations[kiosk_store_n_migrations - 1].version);
  g_assert_null (kiosk_store_get_recovered_from (store));
  g_assert_true (kiosk_store_get_healthy (store));

  g_assert_cmpint (sqlite3_prepare_v2 (kiosk_store_get_db (store), "PRAGMA journal_mode", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "wal");
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_assert_cmpint (sqlite3_prepare_v2 (kiosk_store_get_db (store), "PRAGMA synchronous", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 2); /* FULL */
  g_clear_pointer (&stmt, sqlite3_finalize);

  g_assert_finalize_object (store);
}

static void
test_migrate_from_older (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  KioskStore *store;

  /* A kiosk that shipped with schema 1 and recorded an event … */
  store = kiosk_store_open_at_version (f->path, f->clock, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_store_get_schema_version (store), ==, 1);
  g_assert_true (kiosk_store_exec (
      store, "INSERT INTO events (at_us, kind, detail) VALUES (1, 'boot', 'first')", &error));
  g_assert_no_error (error);
  g_assert_finalize_object (store);

  /* … is upgraded by the next release, keeping what it stored. */
  store = kiosk_store_open (f->path, f->clock, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_store_get_schema_version (store), ==,
                   kiosk_store_migrations[kiosk_store_n_migrations - 1].version);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM events WHERE detail = 'first'"), ==, 1);
  g_assert_cmpint (kiosk_store_outbox_pending (store), ==, 0);
  g_assert_finalize_object (store);
}

static void
test_newer_schema_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  KioskStore *store = kiosk_store_open (f->path, f->clock, &error);
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u", kiosk_store_n_migrations + 5);

  g_assert_no_error (error);
  g_assert_true (kiosk_store_exec (store, bump, &error));
  g_assert_finalize_object (store);

  /* A downgrade must not touch a database it does not understand. */
  store = kiosk_store_open (f->path, f->clock, &error);
  g_assert_null (store);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "newer"));
}

static void
test_corrupt_recovered (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *kept = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  const char *garbage = "this is not a database, it is what a power cut left behind ......";
  KioskStore *store;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, garbage, -1, NULL));

  store = kiosk_store_open (f->path, f->clock, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);

  /* The bad file is kept, named with the time, byte for byte. */
  kept = g_strdup (kiosk_store_get_recovered_from (store));
  g_assert_nonnull (kept);
  g_assert_true (g_str_has_prefix (kept, f->path));
  g_assert_nonnull (strstr (kept, ".corrupt-20261123T090000"));
  g_assert_true (g_file_get_contents (kept, &contents, &len, NULL));
  g_assert_cmpstr (contents, ==, garbage);

  /* The fresh store works and has reported the recovery. */
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM events WHERE kind = 'store-recovered'"), ==, 1);
  g_assert_cmpint (kiosk_store_outbox_pending (store), ==, 1);
  g_assert_finalize_object (store);
}

static void
test_unwritable_directory (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *blocker = g_build_filename (f->dir, "file", NULL);
  g_autofree char *path = g_build_filename (blocker, "kiosk.db", NULL);
  KioskStore *store;

  /* A state "directory" that is really a file cannot be made (as root too). */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  store = kiosk_store_open (path, f->clock, &error);
  g_assert_null (store);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, blocker));
}

static void
test_disk_full_rolls_back (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  KioskStore *store = kiosk_store_open (f->path, f->clock, &error);
  g_autofree char *big = NULL;
  gint64 before;
  gboolean ok = TRUE;
  guint i;

  g_assert_no_error (error);
  g_assert_true (kiosk_store_report (store, "boot", "kept", &error));
  before = count_rows (store, "SELECT count(*) FROM events");

  /* Cap the file at its current size: the next page it needs is "disk full". */
  {
    g_autofree char *cap = g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT,
                                            count_rows (store, "PRAGMA page_count"));
    g_assert_true (kiosk_store_exec (store, cap, &error));
  }

  big = g_strnfill (64 * 1024, 'x');
  for (i = 0; i < 50 && ok; i++)
    ok = kiosk_store_report (store, "fill", big, &error);
  g_assert_false (ok);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_STORAGE_FULL);
  g_assert_false (kiosk_store_get_healthy (store));
  g_assert_nonnull (kiosk_store_get_last_error (store));

  /* Nothing half-written, nothing stored before lost. */
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM events WHERE kind = 'fill'"), ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM events"), ==, before);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM events WHERE detail = 'kept'"), ==, 1);

  /* Room again: the next write succeeds and the store is healthy. */
  g_clear_error (&error);
  g_assert_true (kiosk_store_exec (store, "PRAGMA max_page_count = 1000000", &error));
  g_assert_true (kiosk_store_report (store, "after", "room again", &error));
  g_assert_no_error (error);
  g_assert_true (kiosk_store_get_healthy (store));
  g_assert_finalize_object (store);
}

static void
test_outbox_rejects_bad_json (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  KioskStore *store = kiosk_store_open (f->path, f->clock, &error);

  g_assert_no_error (error);
  g_assert_true (kiosk_store_begin (store, &error));
  g_assert_false (kiosk_store_outbox_add (store, "u1", "ticket", "{not json", &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  kiosk_store_rollback (store);
  g_assert_true (kiosk_store_get_healthy (store));
  g_assert_cmpint (kiosk_store_outbox_pending (store), ==, 0);
  g_assert_finalize_object (store);
}

/* Two processes forked from one parent must never hand out the same record
 * id (GLib's g_uuid_string_random() does: its PRNG state is inherited). */
static void
test_uuid_fork_safe (Fixture *f, gconstpointer data)
{
  g_autofree char *first = kiosk_uuid_new ();
  g_autofree char *mine = NULL;
  char theirs[37] = { 0 };
  int fds[2];
  pid_t pid;
  int status = 0;

  g_assert_cmpuint (strlen (first), ==, 36);
  g_assert_cmpint (first[14], ==, '4');
  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  if (pid == 0)
    {
      g_autofree char *id = kiosk_uuid_new ();
      _exit (write (fds[1], id, 36) == 36 ? 0 : 1);
    }
  mine = kiosk_uuid_new ();
  g_assert_cmpint (read (fds[0], theirs, 36), ==, 36);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  close (fds[0]);
  close (fds[1]);
  g_assert_cmpstr (mine, !=, theirs);
  g_assert_cmpstr (mine, !=, first);
}

/* The hub's public address survives a restart (the slip's QR works
 * offline), a bad one never replaces it, and NULL forgets it. */
static void
test_public_url (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskStore) store = kiosk_store_open (f->path, f->clock, &error);
  g_autofree char *url = NULL;

  g_assert_no_error (error);
  g_assert_null (kiosk_store_get_public_url (store));
  g_assert_true (kiosk_store_set_public_url (store, "https://linli.example.cn/hall-1", &error));
  g_assert_no_error (error);
  g_assert_false (kiosk_store_set_public_url (store, "https://linli.example.cn/\n<b>", &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_finalize_object (g_steal_pointer (&store));

  store = kiosk_store_open (f->path, f->clock, &error);
  g_assert_no_error (error);
  url = kiosk_store_get_public_url (store);
  g_assert_cmpstr (url, ==, "https://linli.example.cn/hall-1");

  /* A value written by hand that no longer passes is not handed out. */
  g_assert_true (kiosk_store_exec (
      store, "UPDATE meta SET value = 'http://plain.example.cn' WHERE key = 'hub.public_url'", &error));
  g_assert_null (kiosk_store_get_public_url (store));

  g_assert_true (kiosk_store_set_public_url (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (kiosk_store_get_public_url (store));
  g_assert_finalize_object (g_steal_pointer (&store));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/store/fresh", test_fresh);
  ADD ("/kiosk/store/migrate-from-older", test_migrate_from_older);
  ADD ("/kiosk/store/newer-schema-refused", test_newer_schema_refused);
  ADD ("/kiosk/store/corrupt-recovered", test_corrupt_recovered);
  ADD ("/kiosk/store/unwritable-directory", test_unwritable_directory);
  ADD ("/kiosk/store/disk-full-rolls-back", test_disk_full_rolls_back);
  ADD ("/kiosk/store/outbox-rejects-bad-json", test_outbox_rejects_bad_json);
  ADD ("/kiosk/store/uuid-fork-safe", test_uuid_fork_safe);
  ADD ("/kiosk/store/public-url", test_public_url);
#undef ADD
  return g_test_run ();
}
