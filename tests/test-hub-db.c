/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hub-db"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "hub-calling.h"
#include "hub-content.h"
#include "hub-db.h"
#include "hub-harness.h"
#include "hub-resources.h"
#include "kiosk-autocleanups.h"
#include "kiosk-release.h"
#include "kiosk-test-util.h"

/* The hub's database layer (hub/db/): every module of the hub, driven into a
 * constraint violation, a lost connection and a full database on the real
 * PostgreSQL, answers the same status for the same failure. */

static HubHarness *harness;

/* ---- Pure ---- */

static void
test_sqlstate_status (void)
{
  static const struct
  {
    const char *sqlstate;
    guint status;
  } cases[] = {
    { NULL, 503 },    /* no answer at all */
    { "08006", 503 }, /* connection failure */
    { "57P01", 503 }, /* admin shutdown, pg_terminate_backend */
    { "57P03", 503 }, /* cannot connect now (starting up) */
    { "53100", 503 }, /* disk full */
    { "53200", 503 }, /* out of memory */
    { "53300", 503 }, /* too many connections */
    { "40001", 503 }, /* serialization failure: try again */
    { "40P01", 503 }, /* deadlock detected: try again */
    { "23505", 409 }, /* unique violation */
    { "23503", 409 }, /* foreign key violation */
    { "23P01", 409 }, /* exclusion violation */
    { "23514", 400 }, /* check violation */
    { "23502", 400 }, /* not null violation */
    { "22P02", 400 }, /* invalid text representation */
    { "22001", 400 }, /* string too long */
    { "42P01", 500 }, /* undefined table: the hub's own bug */
    { "P0001", 500 }, /* a plain RAISE */
    { "XX000", 500 }, /* internal error */
    { "", 503 },      /* not a SQLSTATE: treated as no answer */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      HubErrorCode code;
      guint status = 500;

      if (hub_db_error_from_sqlstate (cases[i].sqlstate, &code))
        {
          g_autoptr (GError) error = g_error_new_literal (HUB_ERROR, (int)code, "x");
          status = hub_error_http_status (error);
        }
      g_test_message ("%s → %u", cases[i].sqlstate ? cases[i].sqlstate : "(none)", status);
      g_assert_cmpuint (status, ==, cases[i].status);
    }
}

/* The members and appointments locks are taken in SQL (003-members.sql,
 * 010-appointments.sql, shipped, never edited): the named list must say the
 * same numbers, and no two keys may be equal. */
static void
test_lock_keys (void)
{
  static const HubDbLock locks[] = { HUB_DB_LOCK_MIGRATION, HUB_DB_LOCK_MEMBERS, HUB_DB_LOCK_APPOINTMENTS,
                                     HUB_DB_LOCK_PUBLISH, HUB_DB_LOCK_CALLING };
  static const struct
  {
    const char *file;
    HubDbLock lock;
  } in_sql[] = { { "/org/linli/hub/sql/003-members.sql", HUB_DB_LOCK_MEMBERS },
                 { "/org/linli/hub/sql/010-appointments.sql", HUB_DB_LOCK_APPOINTMENTS } };

  for (guint i = 0; i < G_N_ELEMENTS (in_sql); i++)
    {
      g_autoptr (GBytes) sql
          = g_resource_lookup_data (hub_get_resource (), in_sql[i].file, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      g_autofree char *text = g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));
      g_autofree char *call = g_strdup_printf ("pg_advisory_xact_lock (%d)", (int)in_sql[i].lock);

      g_assert_nonnull (strstr (text, call));
    }
  for (guint i = 0; i < G_N_ELEMENTS (locks); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (locks); j++)
      g_assert_cmpint (locks[i], !=, locks[j]);
}

/* Imports flow one way: the layer includes no handler or domain module. */
static void
test_layer_includes (void)
{
  static const char *const forbidden[]
      = { "hub-api.h", "hub-web.h", "hub-calling.h", "hub-content.h", "libsoup/soup.h" };
  const char *root = g_getenv ("KIOSK_SOURCE_ROOT");
  g_autofree char *dir = g_build_filename (root ? root : ".", "hub", "db", NULL);
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  guint files = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL), *text = NULL;

      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h"))
        continue;
      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      for (guint i = 0; i < G_N_ELEMENTS (forbidden); i++)
        {
          g_autofree char *include = g_strdup_printf ("#include \"%s\"", forbidden[i]);
          g_autofree char *system = g_strdup_printf ("#include <%s>", forbidden[i]);
          if (strstr (text, include) || strstr (text, system))
            g_error ("hub/db/%s includes %s", name, forbidden[i]);
        }
      files++;
    }
  g_assert_cmpuint (files, >=, 6);
}

/* ---- Each module against the real database ---- */

typedef enum
{
  FAIL_CONSTRAINT,
  FAIL_LOST,
  FAIL_FULL,
} Failure;

typedef struct
{
  PGconn *conn;
  char *content_dir;
  guint8 secret[64];
  guint n;
} Fixture;

static void exec_printf (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
exec_printf (const char *format, ...)
{
  va_list args;
  g_autofree char *sql = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  hub_harness_exec (harness, sql);
}

static char *
records_body (const char *label)
{
  g_autofree char *uuid = g_uuid_string_random ();
  return g_strdup_printf ("{\"records\":[{\"uuid\":\"%s\",\"kind\":\"ticket\",\"payload\":{\"label\":\"%s\","
                          "\"service\":\"db-svc\",\"service_day\":\"2026-12-03\",\"issued_us\":1}}]}",
                          uuid, label);
}

static gboolean
run_records (Fixture *f, Failure failure, GError **error)
{
  HubLimits limits = { HUB_DEFAULT_MAX_RECORDS, HUB_DEFAULT_MAX_BYTES };
  g_autofree char *body = records_body ("R001");
  g_autoptr (HubRecordBatch) batch = hub_record_batch_parse (body, strlen (body), &limits, NULL);

  /* A kiosk that is not enrolled: the foreign key to kiosks refuses it. */
  return hub_db_insert_records (f->conn, failure == FAIL_CONSTRAINT ? "db-not-enrolled" : "db-kiosk", batch,
                                error);
}

static gboolean
run_heartbeat (Fixture *f, Failure failure, GError **error)
{
  HubLimits limits = { HUB_DEFAULT_MAX_RECORDS, HUB_DEFAULT_MAX_BYTES };
  static const char body[] = "{\"software_version\":\"1.0 with a long build tag\",\"uptime_s\":3}";
  g_autoptr (HubHeartbeat) hb = hub_heartbeat_parse (body, strlen (body), &limits, NULL);
  gboolean sync_now;

  /* FAIL_CONSTRAINT: a CHECK on the stored heartbeat's size (below). */
  return hub_db_heartbeat (f->conn, "db-kiosk", hb, &sync_now, error);
}

static gboolean
run_members (Fixture *f, Failure failure, GError **error)
{
  g_autofree char *json = hub_db_members_since (f->conn, 0, 10, error);
  return json != NULL;
}

static gboolean
run_calling (Fixture *f, Failure failure, GError **error)
{
  g_autofree char *event = NULL;

  /* FAIL_CONSTRAINT: a unique index allows one recall per ticket (below),
   * and assert_works() has recalled it once already. */
  event = hub_calling_act (f->conn, "db-desk", HUB_CALL_RECALL, NULL, "2026-12-03", error);
  return event != NULL;
}

static gboolean
run_content (Fixture *f, Failure failure, GError **error)
{
  /* A rollback_of naming no release: the foreign key refuses it. */
  return hub_content_publish_dir (f->conn, f->content_dir, f->secret, NULL, NULL,
                                  failure == FAIL_CONSTRAINT ? 999999 : 0, NULL, error);
}

/* A disk-full error exactly as PostgreSQL reports ENOSPC when it extends a
 * table ('could not extend file', SQLSTATE 53100 disk_full). A real full
 * filesystem under the cluster needs a root mount (a tiny tmpfs or loop
 * device) that a test cannot make; the hub sees nothing but the SQLSTATE and
 * the message, so a trigger raising them is what the hub would see. */
#define DISK_FULL_FUNCTION                                                                                   \
  "CREATE OR REPLACE FUNCTION test_disk_full () RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"                \
  " RAISE EXCEPTION 'could not extend file \"base/5/16384\": No space left on device'"                       \
  " USING ERRCODE = 'disk_full', HINT = 'Check free disk space.'; END $$;"                                   \
  "CREATE OR REPLACE FUNCTION test_disk_full_read () RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN"           \
  " RAISE EXCEPTION 'could not write to file \"base/pgsql_tmp/pgsql_tmp1.0\": No space left on device'"      \
  " USING ERRCODE = 'disk_full'; END $$"

typedef struct
{
  const char *name;
  gboolean (*run) (Fixture *f, Failure failure, GError **error);
  /* A real constraint of the schema the run breaks, or one added as a
   * newer schema or a DBA would (and taken away after); NULL: the module
   * only reads, and a read breaks no constraint. */
  const char *constraint_sql;
  const char *constraint_undo;
  guint constraint_status;
  /* What fills the disk for this module's statement. */
  const char *full_sql;
  const char *full_undo;
} Module;

static const Module modules[] = {
  { "records", run_records, "", "", 409,
    "CREATE TRIGGER test_disk_full BEFORE INSERT ON records FOR EACH STATEMENT EXECUTE FUNCTION "
    "test_disk_full ()",
    "DROP TRIGGER test_disk_full ON records" },
  { "heartbeats", run_heartbeat,
    "ALTER TABLE kiosks ADD CONSTRAINT test_heartbeat_small CHECK (octet_length (heartbeat::text) < 40) NOT "
    "VALID",
    "ALTER TABLE kiosks DROP CONSTRAINT test_heartbeat_small", 400,
    "CREATE TRIGGER test_disk_full BEFORE UPDATE ON kiosks FOR EACH STATEMENT EXECUTE FUNCTION "
    "test_disk_full ()",
    "DROP TRIGGER test_disk_full ON kiosks" },
  /* A read fills the disk only with its temporary files: the table is
   * read through a view whose condition meets that error. */
  { "members", run_members, NULL, NULL, 0,
    "ALTER TABLE members RENAME TO test_members;"
    "CREATE VIEW members AS SELECT * FROM test_members WHERE test_disk_full_read ()",
    "DROP VIEW members; ALTER TABLE test_members RENAME TO members" },
  { "calling", run_calling,
    "CREATE UNIQUE INDEX test_one_recall ON counter_actions (desk_id, label) WHERE action = 'recall'",
    "DROP INDEX test_one_recall", 409,
    "CREATE TRIGGER test_disk_full BEFORE INSERT ON counter_actions FOR EACH STATEMENT"
    " EXECUTE FUNCTION test_disk_full ()",
    "DROP TRIGGER test_disk_full ON counter_actions" },
  { "content", run_content, "", "", 409,
    "CREATE TRIGGER test_disk_full BEFORE INSERT ON content_releases FOR EACH STATEMENT"
    " EXECUTE FUNCTION test_disk_full ()",
    "DROP TRIGGER test_disk_full ON content_releases" },
};

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *public_b64 = NULL, *secret_b64 = NULL, *key_path = NULL, *keys = NULL;
  g_autofree char *uuid = g_uuid_string_random (), *body = NULL, *event = NULL;
  HubLimits limits = { HUB_DEFAULT_MAX_RECORDS, HUB_DEFAULT_MAX_BYTES };

  f->conn = hub_db_connect (harness->conninfo, &error);
  g_assert_no_error (error);
  g_assert_true (hub_db_migrate (f->conn, &error));
  g_assert_no_error (error);
  f->content_dir = kiosk_test_asset_path ("content/default");
  keys = hub_harness_mkdir (harness, "db-key");
  key_path = g_build_filename (keys, "publish.key", NULL);
  kiosk_release_keygen (&public_b64, &secret_b64);
  g_assert_true (g_file_set_contents (key_path, secret_b64, -1, NULL));
  g_assert_true (kiosk_release_load_secret_key (key_path, f->secret, &error));

  /* One kiosk, one desk, and a ticket called at it (for the recall). */
  hub_harness_exec (harness, "TRUNCATE ticket_states, counter_actions, counters, records, kiosk_halls,"
                             " content_release_files, content_releases, content_files, kiosk_certs, kiosks,"
                             " members");
  /* A member, so a read of the list reaches its rows. */
  hub_harness_exec (harness, "INSERT INTO members (card_hash, kind) VALUES ('db-card', 'badge')");
  hub_harness_exec (harness, "INSERT INTO kiosks (id) VALUES ('db-kiosk')");
  hub_harness_exec (harness, "INSERT INTO counters (id, name_zh, name_en, services)"
                             " VALUES ('db-desk', '1号窗口', 'Counter 1', ARRAY['db-svc'])");
  body = records_body ("A001");
  {
    g_autoptr (HubRecordBatch) batch = hub_record_batch_parse (body, strlen (body), &limits, &error);
    g_assert_no_error (error);
    g_assert_true (hub_db_insert_records (f->conn, "db-kiosk", batch, &error));
    g_assert_no_error (error);
  }
  event = hub_calling_act (f->conn, "db-desk", HUB_CALL_NEXT, NULL, "2026-12-03", &error);
  g_assert_no_error (error);
  g_assert_true (strstr (event, "A001") != NULL);
  hub_harness_exec (harness, DISK_FULL_FUNCTION);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->conn, PQfinish);
  g_free (f->content_dir);
}

/* The module answers normally before and after the failure: the failure
 * was the cause, and it left nothing behind. */
static void
assert_works (Fixture *f, const Module *m)
{
  g_autoptr (GError) error = NULL;

  if (PQstatus (f->conn) != CONNECTION_OK)
    PQreset (f->conn);
  g_assert_true (m->run (f, FAIL_LOST, &error));
  g_assert_no_error (error);
}

static void
assert_status (const GError *error, guint status, const char *words)
{
  g_assert_nonnull (error);
  g_test_message ("%u: %s", hub_error_http_status (error), error->message);
  g_assert_cmpuint (hub_error_http_status (error), ==, status);
  g_assert_nonnull (strstr (error->message, words));
}

static void
test_module (Fixture *f, gconstpointer data)
{
  const Module *m = data;

  /* Constraint violation: 400 or 409, never 500. */
  assert_works (f, m);
  if (m->constraint_sql == NULL)
    g_test_message ("%s only reads: no constraint to break", m->name);
  else
    {
      g_autoptr (GError) error = NULL;
      if (*m->constraint_sql)
        hub_harness_exec (harness, m->constraint_sql);
      g_assert_false (m->run (f, FAIL_CONSTRAINT, &error));
      if (*m->constraint_undo)
        hub_harness_exec (harness, m->constraint_undo);
      assert_status (error, m->constraint_status, m->constraint_status == 409 ? "冲突" : "数据无效");
      g_assert_cmpint (PQtransactionStatus (f->conn), ==, PQTRANS_IDLE);
    }

  /* Lost connection: the server ends this backend, as a restart would. */
  assert_works (f, m);
  {
    g_autoptr (GError) error = NULL;
    exec_printf ("SELECT pg_terminate_backend (%d, 10000)", PQbackendPID (f->conn));
    g_assert_false (m->run (f, FAIL_LOST, &error));
    assert_status (error, 503, "数据库不可用");
  }

  /* Full database. */
  assert_works (f, m);
  {
    g_autoptr (GError) error = NULL;
    hub_harness_exec (harness, m->full_sql);
    g_assert_false (m->run (f, FAIL_FULL, &error));
    hub_harness_exec (harness, m->full_undo);
    assert_status (error, 503, "磁盘已满");
  }
  assert_works (f, m);
}

/* ---- Migration 007: the display's announcements table goes, its rows stay ---- */

/* A database at schema 6, as a hub of before 007 left it. */
static PGconn *
database_at_6 (const char *name)
{
  g_autofree char *conninfo = g_strdup_printf ("%s dbname=%s", harness->conninfo, name);
  g_auto (GStrv) steps = NULL;
  g_autoptr (GError) error = NULL;
  PGconn *conn;

  exec_printf ("DROP DATABASE IF EXISTS %s", name);
  exec_printf ("CREATE DATABASE %s", name);
  conn = hub_db_connect (conninfo, &error);
  g_assert_no_error (error);
  g_assert_true (
      hub_db_command (conn,
                      "CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL,"
                      " applied_at timestamptz NOT NULL DEFAULT now())",
                      0, NULL, &error));
  steps = g_resource_enumerate_children (hub_get_resource (), "/org/linli/hub/sql/", 0, &error);
  g_assert_no_error (error);
  for (int version = 1; version <= 6; version++)
    for (guint i = 0; steps[i] != NULL; i++)
      if (atoi (steps[i]) == version)
        {
          g_autofree char *path = g_strconcat ("/org/linli/hub/sql/", steps[i], NULL);
          g_autoptr (GBytes) sql = g_resource_lookup_data (hub_get_resource (), path, 0, &error);
          g_autofree char *text = g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));
          g_autofree char *number = g_strdup_printf ("%d", version);
          const char *params[] = { number, steps[i] };

          g_assert_true (hub_db_exec_script (conn, text, steps[i], &error));
          g_assert_true (hub_db_command (
              conn, "INSERT INTO schema_migrations (version, name) VALUES ($1::int, $2)", 2, params, &error));
          g_assert_no_error (error);
        }
  g_assert_cmpint (hub_db_schema_version (conn, NULL), ==, 6);
  return conn;
}

static gint64
count (PGconn *conn, const char *sql)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (PGresult) res = hub_db_query (conn, sql, 0, NULL, &error);

  g_assert_no_error (error);
  return hub_db_get_int (res, 0, "n", -1);
}

static void
test_migration_007 (void)
{
  for (guint with_rows = 0; with_rows < 2; with_rows++)
    {
      g_autoptr (GError) error = NULL;
      PGconn *conn = database_at_6 ("test_migration_007");

      if (with_rows)
        g_assert_true (hub_db_command (conn,
                                       "INSERT INTO announcements (text_zh, text_en) VALUES"
                                       " ('午休时间 12:00–13:30', 'Lunch break 12:00–13:30')",
                                       0, NULL, &error));
      g_assert_true (hub_db_migrate (conn, &error));
      g_assert_no_error (error);
      g_assert_cmpint (hub_db_schema_version (conn, NULL), >=, 7);
      g_assert_cmpint (count (conn, "SELECT count (*) AS n FROM pg_tables WHERE tablename = 'announcements'"),
                       ==, 0);
      if (with_rows)
        /* What staff wrote is still there, under a name that says it is retired. */
        g_assert_cmpint (count (conn, "SELECT count (*) AS n FROM announcements_retired"
                                      " WHERE text_zh = '午休时间 12:00–13:30'"),
                         ==, 1);
      else
        g_assert_cmpint (
            count (conn, "SELECT count (*) AS n FROM pg_tables WHERE tablename = 'announcements_retired'"),
            ==, 0);
      PQfinish (conn);
      hub_harness_exec (harness, "DROP DATABASE test_migration_007");
    }
}

/* ---- Over HTTP: a 503 says when to come back ---- */

static size_t
collect_header (char *data, size_t size, size_t n, void *user_data)
{
  GString *headers = user_data;
  g_string_append_len (headers, data, (gssize)(size * n));
  return size * n;
}

static size_t
discard (char *data, size_t size, size_t n, void *user_data)
{
  return size * n;
}

/* GET @url (with a client certificate for the kiosks' API); the status, and
 * the Retry-After value in *@retry_after (NULL: none). */
static long
get (const char *url, const char *cert, const char *key, char **retry_after)
{
  g_autoptr (CURL) curl = curl_easy_init ();
  g_autoptr (GString) headers = g_string_new (NULL);
  g_auto (GStrv) lines = NULL;
  long status = 0;

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CAINFO, harness->ca_cert);
  curl_easy_setopt (curl, CURLOPT_CAPATH, NULL);
  if (cert != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_SSLCERT, cert);
      curl_easy_setopt (curl, CURLOPT_SSLKEY, key);
    }
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, headers);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, discard);
  g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  *retry_after = NULL;
  lines = g_strsplit (headers->str, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Retry-After:", 12) == 0)
      *retry_after = g_strstrip (g_strdup (lines[i] + 12));
  return status;
}

static void
test_http_retry_after (void)
{
  g_autofree char *cert = NULL, *key = NULL, *members = NULL, *content = NULL, *display = NULL;

  hub_harness_enrol (harness, "db-http", &cert, &key);
  if (harness->hub == NULL)
    hub_harness_start_hub (harness);
  members = g_strdup_printf ("%s/v1/members", harness->url);
  content = g_strdup_printf ("%s/v1/content/release.json", harness->url);
  display = g_strdup_printf ("%s/api/display", harness->web_url);
  const struct
  {
    const char *url;
    gboolean kiosk;
  } urls[] = { { members, TRUE }, { content, TRUE }, { display, FALSE } };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autofree char *retry = NULL;
      long status = get (urls[i].url, urls[i].kiosk ? cert : NULL, key, &retry);
      /* No content published yet is a 404; the database answered. */
      g_assert_true (status == 200 || status == 404);
      g_assert_null (retry);
    }

  /* The server goes away for the hub: its connections are ended and new
   * ones refused, as while PostgreSQL restarts (the test's own connection
   * stays, to bring it back). */
  hub_harness_exec (harness, "ALTER ROLE postgres NOLOGIN");
  hub_harness_exec (harness, "SELECT pg_terminate_backend (pid, 10000) FROM pg_stat_activity"
                             " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid ()");
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autofree char *retry = NULL;
      g_assert_cmpint (get (urls[i].url, urls[i].kiosk ? cert : NULL, key, &retry), ==, 503);
      g_assert_cmpstr (retry, ==, G_STRINGIFY (HUB_RETRY_AFTER_SECONDS));
    }

  /* Back: the hub reconnects by itself. */
  hub_harness_exec (harness, "ALTER ROLE postgres LOGIN");
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autofree char *retry = NULL;
      long status = get (urls[i].url, urls[i].kiosk ? cert : NULL, key, &retry);
      g_assert_true (status == 200 || status == 404);
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *why = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hub/db/sqlstate-to-status", test_sqlstate_status);
  g_test_add_func ("/hub/db/lock-keys-one-list", test_lock_keys);
  g_test_add_func ("/hub/db/layer-includes-no-handler", test_layer_includes);

  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      g_print ("1..0 # SKIP %s\n", why);
      return 77;
    }
  for (guint i = 0; i < G_N_ELEMENTS (modules); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hub/db/%s/constraint-lost-full", modules[i].name);
      g_test_add (path, Fixture, &modules[i], fixture_setup, test_module, fixture_teardown);
    }
  g_test_add_func ("/hub/db/migration/007-retires-announcements-keeping-rows", test_migration_007);
  g_test_add_func ("/hub/db/http/503-has-retry-after", test_http_retry_after);
  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
