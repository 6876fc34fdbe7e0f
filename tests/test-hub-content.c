/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hub-content"

#include <sqlite3.h>
#include <string.h>

#include "hub-harness.h"
#include "kiosk-bundle.h"
#include "kiosk-release.h"
#include "kiosk-store.h"
#include "kiosk-sync.h"
#include "kiosk-test-util.h"
#include "kiosk-updater.h"

/* Content releases end to end: linli-hub content publish / rollback against
 * the real hub and PostgreSQL, fetched by a KioskUpdater with the kiosk's
 * client certificate. */
static HubHarness *harness;

typedef struct
{
  char *kiosk_id;
  char *cert;
  char *key;
  char *dir;
  char *key_path;
  char *public_b64;
  const char *keys[2];
  KioskClock *clock;
  KioskStore *store;
  KioskUpdater *updater;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static guint counter;
  g_autoptr (GError) error = NULL;
  g_autofree char *secret_b64 = NULL, *db_path = NULL;

  f->kiosk_id = g_strdup_printf ("content-%u", ++counter);
  hub_harness_enrol (harness, f->kiosk_id, &f->cert, &f->key);
  f->dir = hub_harness_mkdir (harness, "content-kiosk");
  f->key_path = g_build_filename (f->dir, "publish.key", NULL);
  kiosk_release_keygen (&f->public_b64, &secret_b64);
  g_assert_true (g_file_set_contents (f->key_path, secret_b64, -1, NULL));
  f->keys[0] = f->public_b64;
  /* Each test starts from an empty release history. */
  hub_harness_exec (harness, "TRUNCATE content_release_files, content_releases, content_files");
  db_path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_system (NULL);
  f->store = kiosk_store_open (db_path, f->clock, &error);
  g_assert_no_error (error);
  if (harness->hub == NULL)
    hub_harness_start_hub (harness);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->updater != NULL)
    {
      kiosk_updater_stop (f->updater);
      while (kiosk_updater_get_busy (f->updater))
        g_main_context_iteration (NULL, TRUE);
      /* A worker thread may still hold its task's reference for a moment. */
      gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
      while (G_OBJECT (f->updater)->ref_count > 1 && g_get_monotonic_time () < deadline)
        {
          while (g_main_context_iteration (NULL, FALSE))
            ;
          g_usleep (1000);
        }
      g_assert_finalize_object (f->updater);
    }
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->clock);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->key_path);
  g_free (f->public_b64);
  g_free (f->kiosk_id);
  g_free (f->cert);
  g_free (f->key);
}

static void
make_updater (Fixture *f, guint poll_seconds)
{
  g_autofree char *fallback = kiosk_test_asset_path ("content/default");
  g_autofree char *releases = g_build_filename (f->dir, "releases", NULL);
  g_autoptr (GError) error = NULL;
  KioskUpdaterOptions options = {
    .hub_url = harness->url,
    .ca_file = harness->ca_cert,
    .cert_file = f->cert,
    .key_file = f->key,
    .kiosk_id = f->kiosk_id,
    .hall = "east",
    .releases_dir = releases,
    .fallback_dir = fallback,
    .public_keys = f->keys,
    .poll_seconds = poll_seconds,
    .max_bytes = 8 * 1024 * 1024,
    .connect_timeout_seconds = 5,
    .timeout_seconds = 10,
  };

  f->updater = kiosk_updater_new (f->store, &options, &error);
  g_assert_no_error (error);
}

/* A bundle folder: the packaged manifest and a news file saying @news. */
static char *
make_bundle (Fixture *f, const char *news)
{
  g_autofree char *manifest_path = kiosk_test_asset_path ("content/default/manifest.json");
  g_autofree char *manifest = NULL, *name = g_strdup_printf ("src-%08x", g_random_int ());
  char *dir = g_build_filename (f->dir, name, NULL);
  g_autofree char *notes = g_build_filename (dir, "notes", NULL);
  g_autofree char *news_path = g_build_filename (notes, "news.txt", NULL);
  g_autofree char *manifest_out = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr (GString) text = NULL;

  g_assert_true (g_file_get_contents (manifest_path, &manifest, NULL, NULL));
  g_assert_cmpint (g_mkdir_with_parents (notes, 0755), ==, 0);
  /* Above the packaged bundle's release 1; the hub numbers on from here. */
  text = g_string_new (manifest);
  g_assert_cmpuint (g_string_replace (text, "\"release\": 1,", "\"release\": 100,", 1), ==, 1);
  g_assert_true (g_file_set_contents (manifest_out, text->str, -1, NULL));
  g_assert_true (g_file_set_contents (news_path, news, -1, NULL));
  return dir;
}

/* linli-hub content …; its stdout. */
static char *
hub_content (Fixture *f, const char *verb, const char *arg, const char *target)
{
  const char *argv[]
      = { harness->hub_bin,           "content", verb, arg, "--db", harness->conninfo, "--key", f->key_path,
          target ? "--target" : NULL, target,    NULL };
  return hub_harness_run (argv, FALSE);
}

static gint64
publish (Fixture *f, const char *news, const char *target)
{
  g_autofree char *dir = make_bundle (f, news);
  g_autofree char *out = hub_content (f, "publish", dir, target);
  g_assert_true (g_str_has_prefix (out, "published release "));
  kiosk_test_remove_tree (dir);
  return g_ascii_strtoll (out + strlen ("published release "), NULL, 10);
}

static gint64
bundle_release (Fixture *f)
{
  return kiosk_bundle_get_release (kiosk_content_get_bundle (kiosk_updater_get_content (f->updater)));
}

/* The news file of the release in force, as the kiosk has it. */
static char *
kiosk_news (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "releases", "current", "notes", "news.txt", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
on_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
check (Fixture *f, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  kiosk_updater_check_async (f->updater, NULL, on_checked, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kiosk_updater_check_finish (f->updater, result, error);
}

static gboolean
wait_release (Fixture *f, gint64 n, guint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  while (bundle_release (f) != n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  return bundle_release (f) == n;
}

static gint64
count_events (Fixture *f, const char *kind, const char *like)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (
      f->store, "SELECT count(*) FROM events WHERE kind = ?1 AND detail LIKE ?2", NULL);
  gint64 n;

  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, like, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *)user_data)++;
}

/* Publish → poll (1 s) → swap, three times; the figure is printed, not asserted. */
static void
test_publish_poll (Fixture *f, gconstpointer data)
{
  guint swaps = 0;

  make_updater (f, 1);
  g_signal_connect (kiosk_updater_get_content (f->updater), "notify::bundle", G_CALLBACK (count_notify),
                    &swaps);
  kiosk_updater_start (f->updater);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *news = g_strdup_printf ("第 %u 条通知 / Notice %u\n", i, i);
      g_autofree char *seen = NULL;
      gint64 t0 = g_get_monotonic_time (), n = publish (f, news, NULL);

      g_assert_true (wait_release (f, n, 20));
      g_test_message ("publish → swap over the hub, poll_seconds=1: %.0f ms (release %" G_GINT64_FORMAT ")",
                      (g_get_monotonic_time () - t0) / 1000.0, n);
      g_assert_cmpuint (swaps, ==, i + 1);
      seen = kiosk_news (f);
      g_assert_cmpstr (seen, ==, news);
    }
  g_assert_null (kiosk_updater_get_last_error (f->updater));
}

static void
on_sync_now (KioskSync *sync, gpointer user_data)
{
  kiosk_updater_sync_now (user_data);
}

/* Publish sets every kiosk's sync_requested: the heartbeat's sync_now
 * triggers the updater long before its hourly poll. */
static void
test_publish_heartbeat (Fixture *f, gconstpointer data)
{
  g_auto (KioskSyncConfig) config = { 0 };
  g_autofree char *db_path = g_build_filename (f->dir, "kiosk.db", NULL);
  KioskSync *sync;
  gint64 t0, n;

  make_updater (f, 3600);
  kiosk_updater_start (f->updater);
  while (kiosk_updater_get_busy (f->updater))
    g_main_context_iteration (NULL, TRUE);

  hub_harness_sync_config (harness, f->cert, f->key, &config);
  config.heartbeat_interval_ms = 250;
  sync = kiosk_sync_new (db_path, f->clock, &config);
  g_signal_connect (sync, "sync-now", G_CALLBACK (on_sync_now), f->updater);
  kiosk_sync_start (sync);

  t0 = g_get_monotonic_time ();
  n = publish (f, "心跳通知 / Heartbeat notice\n", NULL);
  g_assert_true (wait_release (f, n, 20));
  g_test_message ("publish → swap via heartbeat sync_now (heartbeat 250 ms, poll 3600 s): %.0f ms",
                  (g_get_monotonic_time () - t0) / 1000.0);
  kiosk_sync_stop (sync);
  g_assert_finalize_object (sync);
}

/* rollback N publishes N's content under a new, higher number, and the kiosk takes it. */
static void
test_rollback (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *number = NULL, *list = NULL, *seen = NULL;
  gint64 good, bad, back;

  make_updater (f, 3600);
  good = publish (f, "好的版本 / Good release\n", NULL);
  g_assert_true (check (f, NULL));
  bad = publish (f, "错误的版本 / Bad release\n", NULL);
  g_assert_true (check (f, NULL));
  g_assert_cmpint (bundle_release (f), ==, bad);

  number = g_strdup_printf ("%" G_GINT64_FORMAT, good);
  out = hub_content (f, "rollback", number, NULL);
  back = g_ascii_strtoll (out + strlen ("published release "), NULL, 10);
  g_assert_cmpint (back, >, bad);
  g_assert_true (check (f, NULL));
  g_assert_cmpint (bundle_release (f), ==, back);
  seen = kiosk_news (f);
  g_assert_cmpstr (seen, ==, "好的版本 / Good release\n");

  {
    const char *argv[] = { harness->hub_bin, "content", "list", "--db", harness->conninfo, NULL };
    list = hub_harness_run (argv, FALSE);
  }
  g_test_message ("%s", list);
  g_assert_nonnull (strstr (list, "rollback_of"));
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count(*) FROM content_releases"), ==, 3);
}

/* A kiosk start after a run that died: the updater goes without a clean stop. */
static void
restart_after_crash (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  kiosk_updater_stop (f->updater);
  while ((kiosk_updater_get_busy (f->updater) || G_OBJECT (f->updater)->ref_count > 1)
         && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_finalize_object (g_steal_pointer (&f->updater));
  make_updater (f, 3600);
}

/* Issue #17 item 2 through the real hub: a release that dies three times
 * before it is healthy is rolled back on the kiosk, the rollback reaches the
 * hub's records as a status record, the hub's same release is refused, and
 * the next publish is taken. */
static void
test_kiosk_rollback_reported (Fixture *f, gconstpointer data)
{
  g_auto (KioskSyncConfig) config = { 0 };
  g_autofree char *db_path = g_build_filename (f->dir, "kiosk.db", NULL);
  g_autofree char *sql = NULL;
  g_autoptr (GError) error = NULL;
  KioskSync *sync;
  gint64 good, bad, next, deadline;

  make_updater (f, 3600);
  good = publish (f, "好的版本 / Good release\n", NULL);
  g_assert_true (check (f, NULL));
  kiosk_updater_mark_healthy (f->updater);
  bad = publish (f, "错误的版本 / Bad release\n", NULL);
  g_assert_true (check (f, NULL));
  for (guint i = 0; i < 3; i++)
    restart_after_crash (f);
  g_assert_cmpint (bundle_release (f), ==, good);
  g_assert_cmpint (count_events (f, "content-rolled-back", "%"), ==, 1);

  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_REPLAY);

  hub_harness_sync_config (harness, f->cert, f->key, &config);
  sync = kiosk_sync_new (db_path, f->clock, &config);
  kiosk_sync_start (sync);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (kiosk_sync_get_pending (sync) != 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  kiosk_sync_stop (sync);
  g_assert_finalize_object (sync);
  sql = g_strdup_printf ("SELECT count(*) FROM records WHERE kiosk_id = '%s' AND kind = 'status'"
                         " AND payload->>'event' = 'content-rolled-back'"
                         " AND payload->>'detail' LIKE 'release %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT
                         ": stopped 3 times%%'",
                         f->kiosk_id, bad, good);
  g_assert_cmpint (hub_harness_query_int (harness, sql), ==, 1);

  next = publish (f, "修好的版本 / Fixed release\n", NULL);
  g_assert_cmpint (next, >, bad);
  g_assert_true (check (f, NULL));
  g_assert_cmpint (bundle_release (f), ==, next);
}

/* A file changed in the hub's store (same size) is refused as tampered and reported. */
static void
test_tampered_store (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 first, second;

  make_updater (f, 3600);
  first = publish (f, "第一版 / First\n", NULL);
  g_assert_true (check (f, NULL));
  second = publish (f, "第二版 / Second\n", NULL);
  /* Only the news file is new to the kiosk: flip its first byte on the hub. */
  hub_harness_exec (harness,
                    "UPDATE content_files SET data = overlay (data PLACING '\\x58'::bytea FROM 1 FOR 1)"
                    " WHERE sha256 = (SELECT sha256 FROM content_release_files"
                    "                 WHERE path = 'notes/news.txt' ORDER BY release DESC LIMIT 1)");
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_TAMPERED);
  g_assert_cmpint (bundle_release (f), ==, first);
  g_assert_cmpint (kiosk_updater_get_last_error_code (f->updater), ==, KIOSK_RELEASE_ERROR_TAMPERED);
  g_assert_cmpint (count_events (f, "content-rejected", "tampered%"), ==, 1);
  g_assert_cmpint (second, >, first);
}

/* kiosk:OTHER never reaches this kiosk; hall:east (its hall, set on the hub) does. */
static void
test_targets (Fixture *f, gconstpointer data)
{
  g_autofree char *other = NULL, *mine = NULL, *hall = NULL;
  g_autofree char *status = NULL;
  gint64 base, n;

  make_updater (f, 3600);
  base = publish (f, "大家 / Everyone\n", NULL);
  g_assert_true (check (f, NULL));

  other = g_strdup_printf ("kiosk:%s-other", f->kiosk_id);
  publish (f, "别的终端 / Another kiosk\n", other);
  g_assert_true (check (f, NULL));
  g_assert_cmpint (bundle_release (f), ==, base);

  publish (f, "西厅 / West hall\n", "hall:west");
  g_assert_true (check (f, NULL));
  g_assert_cmpint (bundle_release (f), ==, base);

  {
    const char *argv[]
        = { harness->hub_bin, "content", "hall", f->kiosk_id, "east", "--db", harness->conninfo, NULL };
    g_free (hub_harness_run (argv, FALSE));
  }
  n = publish (f, "东厅 / East hall\n", "hall:east");
  g_assert_true (check (f, NULL));
  g_assert_cmpint (bundle_release (f), ==, n);

  mine = g_strdup_printf ("kiosk:%s", f->kiosk_id);
  n = publish (f, "本终端 / This kiosk\n", mine);
  g_assert_true (check (f, NULL));
  g_assert_cmpint (bundle_release (f), ==, n);
  g_assert_null (kiosk_updater_get_last_error (f->updater));
}

/* ETag and If-None-Match straight on the wire, and a client without content gets 404. */
static void
test_etag (Fixture *f, gconstpointer data)
{
  g_autofree char *reply = NULL;

  g_assert_cmpint (
      hub_harness_request (harness, f->cert, f->key, "/v1/content/release.json", NULL, 0, &reply), ==, 404);
  g_clear_pointer (&reply, g_free);
  publish (f, "标签 / Tag\n", NULL);
  g_assert_cmpint (
      hub_harness_request (harness, f->cert, f->key, "/v1/content/release.json", NULL, 0, &reply), ==, 200);
  g_assert_nonnull (strstr (reply, "\"files\""));
  g_clear_pointer (&reply, g_free);
  g_assert_cmpint (
      hub_harness_request (harness, f->cert, f->key, "/v1/content/files/nothex", NULL, 0, &reply), ==, 404);
  /* The updater's second check is answered 304: nothing changes. */
  make_updater (f, 3600);
  g_assert_true (check (f, NULL));
  g_assert_true (check (f, NULL));
  g_assert_null (kiosk_updater_get_last_error (f->updater));
}

/* The packaged manifest of @dir with its first announcement's Chinese title
 * set to @n copies of "长". */
static void
set_title (const char *dir, gsize n)
{
  g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GString) manifest = NULL;
  g_autoptr (GString) title = g_string_sized_new (n * 3 + 2);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  manifest = g_string_new (text);
  g_string_append_c (title, '"');
  for (gsize i = 0; i < n; i++)
    g_string_append (title, "长");
  g_string_append_c (title, '"');
  g_assert_cmpuint (g_string_replace (manifest, "\"健身俱乐部冬季开放时间\"", title->str, 1), ==, 1);
  g_assert_true (g_file_set_contents (path, manifest->str, (gssize)manifest->len, NULL));
}

/* `content publish` of @dir, expected to be refused; its stderr. */
static char *
publish_refused (Fixture *f, const char *dir)
{
  const char *argv[] = { harness->hub_bin,  "content", "publish",   dir, "--db",
                         harness->conninfo, "--key",   f->key_path, NULL };
  g_autoptr (GSubprocess) child
      = hub_harness_spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, 0, NULL);
  g_autoptr (GError) error = NULL;
  char *out = NULL, *err = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("content publish: %s%s", out, err);
  g_free (out);
  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), !=, 0);
  return err;
}

/* #18: a 60 MB manifest (a 20-million-character title) is refused before
 * anything is stored, and a title one character past its limit is named. */
static void
test_publish_limits (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = make_bundle (f, "上限 / Limits\n");
  g_autofree char *small = make_bundle (f, "上限 / Limits\n");
  g_autofree char *err = NULL;

  set_title (dir, 20 * 1000 * 1000);
  err = publish_refused (f, dir);
  g_assert_nonnull (strstr (err, "manifest.json: 超出上限 / over the limit: "));
  g_assert_nonnull (strstr (err, "at most 1048576 (manifest file)"));
  g_clear_pointer (&err, g_free);

  set_title (small, 101);
  err = publish_refused (f, small);
  g_assert_nonnull (strstr (err, "announcements[0].title.zh: 超出上限 / over the limit: 101 characters"));

  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count(*) FROM content_releases"), ==, 0);
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count(*) FROM content_files"), ==, 0);
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count(*) FROM content_release_files"), ==, 0);
  kiosk_test_remove_tree (dir);
  kiosk_test_remove_tree (small);
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

  g_test_add ("/hub/content/publish-reaches-kiosk-by-poll", Fixture, NULL, fixture_setup, test_publish_poll,
              fixture_teardown);
  g_test_add ("/hub/content/publish-reaches-kiosk-by-heartbeat", Fixture, NULL, fixture_setup,
              test_publish_heartbeat, fixture_teardown);
  g_test_add ("/hub/content/rollback-republishes-newer", Fixture, NULL, fixture_setup, test_rollback,
              fixture_teardown);
  g_test_add ("/hub/content/kiosk-rollback-reported", Fixture, NULL, fixture_setup,
              test_kiosk_rollback_reported, fixture_teardown);
  g_test_add ("/hub/content/tampered-store-refused", Fixture, NULL, fixture_setup, test_tampered_store,
              fixture_teardown);
  g_test_add ("/hub/content/targets", Fixture, NULL, fixture_setup, test_targets, fixture_teardown);
  g_test_add ("/hub/content/etag-and-404", Fixture, NULL, fixture_setup, test_etag, fixture_teardown);
  g_test_add ("/hub/content/publish-refuses-over-limits", Fixture, NULL, fixture_setup, test_publish_limits,
              fixture_teardown);

  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
