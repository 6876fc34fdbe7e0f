/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hub"

#include <signal.h>

#include "hub-harness.h"
#include "kiosk-error.h"
#include "kiosk-store.h"
#include "kiosk-sync.h"
#include "kiosk-test-util.h"

/* One PostgreSQL and one hub for the whole file: initdb is the slow part. */
static HubHarness *harness;

typedef struct
{
  char *kiosk_id;
  char *cert;
  char *key;
  char *dir;
  char *db_path;
  KioskClock *clock;
  KioskStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static guint counter;
  g_autoptr (GError) error = NULL;

  f->kiosk_id = g_strdup_printf ("kiosk-%u", ++counter);
  hub_harness_enrol (harness, f->kiosk_id, &f->cert, &f->key);
  f->dir = hub_harness_mkdir (harness, "kiosk");
  f->db_path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_system (NULL);
  f->store = kiosk_store_open (f->db_path, f->clock, &error);
  g_assert_no_error (error);
  if (harness->hub == NULL)
    hub_harness_start_hub (harness);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->clock);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->kiosk_id);
  g_free (f->cert);
  g_free (f->key);
}

/* @n records in the outbox, in transactions of 100, as the queue module writes them. */
static void
issue_records (Fixture *f, guint n)
{
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_autofree char *payload
          = g_strdup_printf ("{\"ticket\":\"A%03u\",\"service\":\"社保\",\"n\":%u}", i % 1000, i);

      if (i % 100 == 0)
        g_assert_true (kiosk_store_begin (f->store, &error));
      g_assert_true (kiosk_store_outbox_add (f->store, uuid, i % 2 ? "ticket" : "entry", payload, &error));
      if (i % 100 == 99 || i == n - 1)
        g_assert_true (kiosk_store_commit (f->store, &error));
      g_assert_no_error (error);
    }
}

static gint64
hub_count (Fixture *f, const char *what)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM records WHERE kiosk_id = '%s'", what, f->kiosk_id);
  return hub_harness_query_int (harness, sql);
}

static void
on_pending (GObject *object, GParamSpec *pspec, gpointer done)
{
  if (kiosk_sync_get_pending (KIOSK_SYNC (object)) == 0)
    *(gboolean *)done = TRUE;
}

static void
on_last_error (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  g_test_message ("last-error: %s", kiosk_sync_get_last_error (KIOSK_SYNC (object)));
}

static KioskSync *
make_sync (Fixture *f, guint batch, gboolean *drained)
{
  g_auto (KioskSyncConfig) config = { 0 };
  KioskSync *sync;

  hub_harness_sync_config (harness, f->cert, f->key, &config);
  config.batch_size = batch;
  sync = kiosk_sync_new (f->db_path, f->clock, &config);
  if (drained != NULL)
    g_signal_connect (sync, "notify::pending", G_CALLBACK (on_pending), drained);
  g_signal_connect (sync, "notify::last-error", G_CALLBACK (on_last_error), NULL);
  return sync;
}

static void
test_offline_backlog (Fixture *f, gconstpointer data)
{
  gboolean drained = FALSE;
  KioskSync *sync;

  /* Made while the centre's network was down. */
  hub_harness_stop_hub (harness);
  issue_records (f, 10000);
  g_assert_cmpint (kiosk_store_outbox_pending (f->store), ==, 10000);

  sync = make_sync (f, 500, &drained);
  kiosk_sync_start (sync);
  /* The hub is down: nothing leaves, the error says why. */
  while (kiosk_sync_get_last_error (sync) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("hub down: %s", kiosk_sync_get_last_error (sync));
  g_assert_nonnull (strstr (kiosk_sync_get_last_error (sync), "Cannot reach the hub"));
  g_assert_cmpint (hub_count (f, "count (*)"), ==, 0);

  hub_harness_start_hub (harness);
  kiosk_sync_wake (sync);
  g_assert_true (hub_harness_wait (&drained, 120));
  g_assert_cmpint (hub_count (f, "count (*)"), ==, 10000);
  g_assert_cmpint (hub_count (f, "count (DISTINCT uuid)"), ==, 10000);
  g_assert_cmpint (kiosk_store_outbox_pending (f->store), ==, 0);
  g_assert_null (kiosk_sync_get_last_error (sync));
  g_assert_cmpint (kiosk_sync_get_last_success (sync), >, 0);
  kiosk_sync_stop (sync);
  g_assert_finalize_object (sync);
}

static GSubprocess *
spawn_child (Fixture *f, guint batch)
{
  g_autofree char *child = g_build_filename (g_getenv ("KIOSK_BUILD_ROOT"), "tests", "sync-child", NULL);
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u", harness->port);
  g_autofree char *batch_text = g_strdup_printf ("%u", batch);
  const char *argv[] = { child, f->db_path, url, harness->ca_cert, f->cert, f->key, batch_text, NULL };

  return hub_harness_spawn (argv, G_SUBPROCESS_FLAGS_NONE, SIGKILL, NULL);
}

static void
kill_child (GSubprocess *proc)
{
  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, NULL);
  g_object_unref (proc);
}

static void
test_kill_cycles (Fixture *f, gconstpointer data)
{
  const guint cycles = 24, per_cycle = 400;
  guint issued = 0, hub_kills = 0, child_kills = 0, hub_down = 0;
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261123);
  g_autoptr (GError) error = NULL;
  GSubprocess *proc;

  for (guint cycle = 0; cycle < cycles; cycle++)
    {
      issue_records (f, per_cycle);
      issued += per_cycle;

      switch (cycle % 3)
        {
          case 0: /* the uploader dies mid-batch */
            proc = spawn_child (f, 50);
            g_usleep ((gulong)g_rand_int_range (rand, 30, 200) * 1000);
            kill_child (proc);
            child_kills++;
            break;
          case 1: /* the hub dies mid-batch, then the uploader too */
            proc = spawn_child (f, 50);
            g_usleep ((gulong)g_rand_int_range (rand, 30, 200) * 1000);
            hub_harness_kill_hub (harness);
            hub_kills++;
            g_usleep ((gulong)g_rand_int_range (rand, 10, 100) * 1000);
            kill_child (proc);
            child_kills++;
            hub_harness_start_hub (harness);
            break;
          default: /* the network is down: the hub is not there at all */
            hub_harness_stop_hub (harness);
            proc = spawn_child (f, 50);
            g_usleep (150 * 1000);
            kill_child (proc);
            child_kills++;
            hub_down++;
            hub_harness_start_hub (harness);
            break;
        }
    }

  /* Calm returns: one last uploader drains the rest. */
  proc = spawn_child (f, 500);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (proc);

  g_test_message ("%u cycles: %u uploader kills, %u hub kills, %u with the hub down", cycles, child_kills,
                  hub_kills, hub_down);
  g_assert_cmpint (kiosk_store_outbox_pending (f->store), ==, 0);
  g_assert_cmpint (hub_count (f, "count (*)"), ==, issued);
  g_assert_cmpint (hub_count (f, "count (DISTINCT uuid)"), ==, issued);
}

static void
test_server_from_other_ca (Fixture *f, gconstpointer data)
{
  g_autofree char *other_cert = NULL, *other_key = NULL;
  g_auto (KioskSyncConfig) config = { 0 };
  KioskSync *sync;
  const char *message;

  issue_records (f, 5);
  /* The kiosk trusts another CA than the one that signed the hub's certificate. */
  hub_harness_make_ca (harness, "impostor", &other_cert, &other_key);
  hub_harness_sync_config (harness, f->cert, f->key, &config);
  g_free (config.ca_file);
  config.ca_file = g_strdup (other_cert);
  sync = kiosk_sync_new (f->db_path, f->clock, &config);
  kiosk_sync_start (sync);
  while (kiosk_sync_get_last_error (sync) == NULL)
    g_main_context_iteration (NULL, TRUE);
  kiosk_sync_stop (sync);

  message = kiosk_sync_get_last_error (sync);
  g_test_message ("last-error: %s", message);
  g_assert_nonnull (strstr (message, "Hub certificate not trusted"));
  g_assert_cmpint (kiosk_store_outbox_pending (f->store), ==, 5);
  g_assert_cmpint (hub_count (f, "count (*)"), ==, 0);
  g_assert_finalize_object (sync);
}

static void
test_revoked_kiosk_keeps_data (Fixture *f, gconstpointer data)
{
  KioskSync *sync;

  issue_records (f, 3);
  hub_harness_kiosk_command (harness, "revoke", f->kiosk_id);
  sync = make_sync (f, 100, NULL);
  kiosk_sync_start (sync);
  while (kiosk_sync_get_last_error (sync) == NULL)
    g_main_context_iteration (NULL, TRUE);
  kiosk_sync_stop (sync);
  g_assert_nonnull (strstr (kiosk_sync_get_last_error (sync), "403"));
  g_assert_nonnull (strstr (kiosk_sync_get_last_error (sync), "revoked"));
  g_assert_cmpint (kiosk_store_outbox_pending (f->store), ==, 3);
  g_assert_finalize_object (sync);
}

typedef struct
{
  guint calls;
  guint members;
} MembersSeen;

static gboolean
apply_members (KioskStore *store, GPtrArray *members, gpointer user_data, GError **error)
{
  MembersSeen *seen = user_data;

  seen->calls++;
  seen->members += members->len;
  for (guint i = 0; i < members->len; i++)
    {
      KioskSyncMember *m = g_ptr_array_index (members, i);
      g_autofree char *sql = g_strdup_printf (
          "INSERT OR REPLACE INTO meta (key, value) VALUES ('member.%s', '%s')", m->card_hash, m->status);
      if (!kiosk_store_exec (store, sql, error))
        return FALSE;
    }
  return TRUE;
}

static char *
meta_value (Fixture *f, const char *key)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (f->store, "SELECT value FROM meta WHERE key = ?1", NULL);
  char *value = NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
test_members_incremental (Fixture *f, gconstpointer data)
{
  MembersSeen seen = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskSyncClient) client = NULL;
  g_autofree char *status = NULL, *cursor = NULL;
  g_auto (KioskSyncConfig) config = { 0 };
  gint64 newest;
  guint n = 0;

  hub_harness_exec (harness, "INSERT INTO members (card_hash, kind, name, valid_until, member_group)"
                             " SELECT 'card' || i, 'worker', '工人' || i, now () + interval '1 year', 'A'"
                             " FROM generate_series (1, 2500) i"
                             " ON CONFLICT (card_hash) DO NOTHING");
  hub_harness_sync_config (harness, f->cert, f->key, &config);
  client = kiosk_sync_client_new (f->db_path, f->clock, &config, NULL, &error);
  g_assert_no_error (error);

  /* First pull: everything, in pages of 1000, the cursor kept in meta. */
  g_assert_true (kiosk_sync_client_pull_members (client, apply_members, &seen, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2500);
  g_assert_cmpuint (seen.calls, ==, 3);
  newest = hub_harness_query_int (harness, "SELECT max (change_seq) FROM members");
  cursor = meta_value (f, KIOSK_SYNC_MEMBERS_CURSOR_KEY);
  g_assert_cmpint (g_ascii_strtoll (cursor, NULL, 10), ==, newest);

  /* Second pull: only what changed since. */
  hub_harness_exec (harness, "UPDATE members SET status = 'suspended' WHERE card_hash = 'card7'");
  g_assert_true (kiosk_sync_client_pull_members (client, apply_members, &seen, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  status = meta_value (f, "member.card7");
  g_assert_cmpstr (status, ==, "suspended");

  /* Nothing new: nothing applied. */
  g_assert_true (kiosk_sync_client_pull_members (client, apply_members, &seen, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_clear_pointer (&client, kiosk_sync_client_free);
}

static void
test_heartbeat_nudge (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskSyncClient) client = NULL;
  g_autofree char *body = NULL;
  g_auto (KioskSyncConfig) config = { 0 };
  gboolean sync_now = TRUE;
  gint64 offset = G_MAXINT64, newest;

  hub_harness_exec (harness, "INSERT INTO members (card_hash, kind) VALUES ('hb-card', 'resident')");
  newest = hub_harness_query_int (harness, "SELECT max (change_seq) FROM members");
  hub_harness_sync_config (harness, f->cert, f->key, &config);
  client = kiosk_sync_client_new (f->db_path, f->clock, &config, NULL, &error);
  g_assert_no_error (error);

  body = kiosk_sync_heartbeat_json ("0.1.0", "2026-11-23.1", 42, 12345, "{\"ok\":true,\"detail\":\"\"}",
                                    "{\"ok\":false,\"detail\":\"unplugged\"}", 1, newest);
  g_assert_true (kiosk_sync_client_heartbeat (client, body, &sync_now, &error));
  g_assert_no_error (error);
  g_assert_false (sync_now);

  /* Staff asked for a sync: said once. */
  hub_harness_kiosk_command (harness, "nudge", f->kiosk_id);
  g_assert_true (kiosk_sync_client_heartbeat (client, body, &sync_now, &error));
  g_assert_true (sync_now);
  g_assert_true (kiosk_sync_client_heartbeat (client, body, &sync_now, &error));
  g_assert_false (sync_now);

  /* A member changed after the kiosk's cursor. */
  hub_harness_exec (harness, "UPDATE members SET name = '居民' WHERE card_hash = 'hb-card'");
  g_assert_true (kiosk_sync_client_heartbeat (client, body, &sync_now, &error));
  g_assert_true (sync_now);

  {
    g_autofree char *sql = g_strdup_printf (
        "SELECT (heartbeat->'reader'->>'ok' = 'false' AND heartbeat->>'software_version' = '0.1.0')::int"
        " FROM kiosks WHERE id = '%s'",
        f->kiosk_id);
    g_assert_cmpint (hub_harness_query_int (harness, sql), ==, 1);
  }

  /* Same machine, same clock: the offset is the round trip at most. */
  g_assert_true (kiosk_sync_client_clock_offset (client, &offset, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ABS (offset), <, 2 * G_USEC_PER_SEC);
  g_clear_pointer (&client, kiosk_sync_client_free);
}

int
main (int argc, char **argv)
{
  g_autofree char *why = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      g_test_skip (why);
      g_print ("1..0 # SKIP %s\n", why);
      return 77;
    }
  hub_harness_start_hub (harness);

  g_test_add ("/hub/sync/offline-backlog-arrives-once", Fixture, NULL, fixture_setup, test_offline_backlog,
              fixture_teardown);
  g_test_add ("/hub/sync/kill-cycles-no-loss-no-duplicates", Fixture, NULL, fixture_setup, test_kill_cycles,
              fixture_teardown);
  g_test_add ("/hub/sync/server-from-other-ca-refused", Fixture, NULL, fixture_setup,
              test_server_from_other_ca, fixture_teardown);
  g_test_add ("/hub/sync/revoked-kiosk-keeps-data", Fixture, NULL, fixture_setup,
              test_revoked_kiosk_keeps_data, fixture_teardown);
  g_test_add ("/hub/members/incremental-cursor", Fixture, NULL, fixture_setup, test_members_incremental,
              fixture_teardown);
  g_test_add ("/hub/heartbeat/nudge-and-clock", Fixture, NULL, fixture_setup, test_heartbeat_nudge,
              fixture_teardown);

  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
