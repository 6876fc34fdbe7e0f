/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-updater"

#include <errno.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kiosk-error.h"
#include "kiosk-release.h"
#include "kiosk-store.h"
#include "kiosk-test-util.h"
#include "kiosk-updater.h"

/* The kiosk side against a stand-in hub: a SoupServer on 127.0.0.1 that
 * serves /v1/content/release.json (with ETag and 304), release.sig and
 * files/<sha256> from a folder, as the real hub will. */

static gboolean can_mount; /* this process has its own mount namespace */

typedef struct
{
  char *tmp;
  char *hub;          /* release.json, release.sig, files/<sha256> */
  char *releases_dir; /* the kiosk's */
  char *tmpfs;        /* mounted tiny tmpfs, or NULL */
  char *url;
  char *public_b64;
  guint8 secret[crypto_sign_SECRETKEYBYTES];
  const char *keys[2];
  gint64 max_bytes;
  SoupServer *server;
  KioskClock *clock;
  KioskStore *store;
  KioskUpdater *updater;
  guint json_200, json_304, files_served;
} Fixture;

static char *
etag_of (const char *data, gsize length)
{
  g_autofree char *sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, length);

  return g_strdup_printf ("\"%.16s\"", sum);
}

static void
serve (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer user_data)
{
  Fixture *f = user_data;
  const char *name = path + strlen ("/v1/content/");
  g_autofree char *file = NULL;
  g_autofree char *data = NULL;
  gsize length;

  if (g_str_has_prefix (name, "files/") && strchr (name + 6, '/') == NULL)
    file = g_build_filename (f->hub, "files", name + 6, NULL);
  else if (g_str_equal (name, KIOSK_RELEASE_JSON) || g_str_equal (name, KIOSK_RELEASE_SIG))
    file = g_build_filename (f->hub, name, NULL);
  if (file == NULL || !g_file_get_contents (file, &data, &length, NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (g_str_equal (name, KIOSK_RELEASE_JSON))
    {
      g_autofree char *etag = etag_of (data, length);
      const char *match
          = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "If-None-Match");

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "ETag", etag);
      if (g_strcmp0 (match, etag) == 0)
        {
          f->json_304++;
          soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
          return;
        }
      f->json_200++;
    }
  else if (g_str_has_prefix (name, "files/"))
    f->files_served++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY, data, length);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 ("2026-12-01T09:00:00+08:00", NULL);
  g_autofree char *db = NULL;
  g_autofree char *secret_b64 = NULL;
  g_autofree char *files = NULL;
  g_autoptr (GError) error = NULL;
  GSList *uris;

  f->tmp = kiosk_test_make_tmpdir ("updater");
  f->hub = g_build_filename (f->tmp, "hub", NULL);
  files = g_build_filename (f->hub, "files", NULL);
  g_assert_cmpint (g_mkdir_with_parents (files, 0755), ==, 0);
  f->releases_dir = g_build_filename (f->tmp, "kiosk", NULL);
  f->max_bytes = 4 * 1024 * 1024;

  kiosk_release_keygen (&f->public_b64, &secret_b64);
  {
    g_autofree char *key = g_build_filename (f->tmp, "publish.key", NULL);

    g_assert_true (g_file_set_contents (key, secret_b64, -1, NULL));
    g_assert_true (kiosk_release_load_secret_key (key, f->secret, &error));
  }
  f->keys[0] = f->public_b64;

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, "/v1/content/", serve, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  f->clock = kiosk_clock_new_fake (NULL, start);
  db = g_build_filename (f->tmp, "kiosk.db", NULL);
  f->store = kiosk_store_open (db, f->clock, &error);
  g_assert_no_error (error);
}

/* Lets the worker thread drop its last reference before the leak check. */
static void
drop_updater (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  if (f->updater == NULL)
    return;
  kiosk_updater_stop (f->updater);
  while ((kiosk_updater_get_busy (f->updater) || G_OBJECT (f->updater)->ref_count > 1)
         && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_finalize_object (g_steal_pointer (&f->updater));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  drop_updater (f);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->clock);
  soup_server_disconnect (f->server);
  g_assert_finalize_object (f->server);
  if (f->tmpfs != NULL)
    umount2 (f->tmpfs, MNT_DETACH);
  kiosk_test_remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->tmpfs);
  g_free (f->hub);
  g_free (f->releases_dir);
  g_free (f->url);
  g_free (f->public_b64);
}

static void
make_updater (Fixture *f, guint poll_seconds)
{
  g_autofree char *fallback = kiosk_test_asset_path ("content/default");
  g_autoptr (GError) error = NULL;
  KioskUpdaterOptions options = {
    .hub_url = f->url,
    .kiosk_id = "k1",
    .hall = "east",
    .releases_dir = f->releases_dir,
    .fallback_dir = fallback,
    .public_keys = f->keys,
    .poll_seconds = poll_seconds,
    .crash_window_minutes = 10,
    .max_bytes = f->max_bytes,
    .connect_timeout_seconds = 5,
    .timeout_seconds = 10,
  };

  drop_updater (f);
  f->updater = kiosk_updater_new (f->store, &options, &error);
  g_assert_no_error (error);
}

static void
write_file (const char *dir, const char *rel, const void *data, gsize length)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, data, length, NULL));
}

/* A bundle folder for release @n: the default manifest renumbered, a news
 * file that changes every release, a logo that never does, and optionally
 * a big file. */
static char *
build_release (Fixture *f, gint64 n, const char *manifest_override, gsize big_bytes)
{
  g_autofree char *name = g_strdup_printf ("src-%" G_GINT64_FORMAT "-%u", n, g_random_int ());
  char *dir = g_build_filename (f->tmp, name, NULL);
  g_autofree char *manifest_path = kiosk_test_asset_path ("content/default/manifest.json");
  g_autofree char *manifest = NULL;
  g_autofree char *news
      = g_strdup_printf ("第 %" G_GINT64_FORMAT " 版 / Release %" G_GINT64_FORMAT "\n", n, n);
  g_autoptr (GString) text = NULL;
  g_autofree guint8 *logo = g_malloc (64 * 1024);

  g_assert_true (g_file_get_contents (manifest_path, &manifest, NULL, NULL));
  text = g_string_new (manifest);
  g_assert_cmpuint (g_string_replace (text, "\"release\": 1,", "\"release\": 0000000,", 1), ==, 1);
  {
    g_autofree char *number = g_strdup_printf ("\"release\": %" G_GINT64_FORMAT ",", n);

    g_string_replace (text, "\"release\": 0000000,", number, 1);
  }
  write_file (dir, "manifest.json", manifest_override ? manifest_override : text->str, -1);
  write_file (dir, "notes/news.txt", news, -1);
  for (guint i = 0; i < 64 * 1024; i++)
    logo[i] = (guint8)(i * 7);
  write_file (dir, "images/logo.bin", logo, 64 * 1024);
  if (big_bytes > 0)
    {
      g_autofree char *big = g_malloc0 (big_bytes);

      write_file (dir, "big.bin", big, big_bytes);
    }
  return dir;
}

/* What the hub does on publish: store each file by hash, then swap the
 * release.json and release.sig it serves. */
static void
hub_serve (Fixture *f, const char *dir)
{
  g_autofree char *json_path = g_build_filename (dir, KIOSK_RELEASE_JSON, NULL);
  g_autofree char *sig_path = g_build_filename (dir, KIOSK_RELEASE_SIG, NULL);
  g_autofree char *json = NULL;
  g_autofree char *sig = NULL;
  g_autoptr (KioskRelease) release = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (json_path, &json, &length, NULL));
  g_assert_true (g_file_get_contents (sig_path, &sig, NULL, NULL));
  release = kiosk_release_parse (json, length, NULL);
  for (guint i = 0; release != NULL && i < release->files->len; i++)
    {
      const KioskReleaseFile *file = release->files->pdata[i];
      g_autofree char *src = g_build_filename (dir, file->path, NULL);
      g_autofree char *dest = g_build_filename (f->hub, "files", file->sha256, NULL);
      g_autofree char *data = NULL;
      gsize size;

      if (g_file_get_contents (src, &data, &size, NULL))
        g_assert_true (g_file_set_contents (dest, data, size, NULL));
    }
  write_file (f->hub, KIOSK_RELEASE_JSON, json, length);
  write_file (f->hub, KIOSK_RELEASE_SIG, sig, -1);
}

static void
publish_full (Fixture *f, gint64 n, const char *target, GDateTime *not_before, const guint8 *secret,
              const char *manifest_override, gsize big_bytes)
{
  g_autofree char *dir = build_release (f, n, manifest_override, big_bytes);
  g_autoptr (GError) error = NULL;

  g_assert_true (kiosk_release_sign_dir (dir, n, target, not_before, secret ? secret : f->secret, &error));
  g_assert_no_error (error);
  hub_serve (f, dir);
}

static void
publish (Fixture *f, gint64 n)
{
  publish_full (f, n, NULL, NULL, NULL, NULL, 0);
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

static void
check_ok (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (check (f, &error));
  g_assert_no_error (error);
}

static gint64
bundle_release (Fixture *f)
{
  return kiosk_bundle_get_release (kiosk_content_get_bundle (kiosk_updater_get_content (f->updater)));
}

static gint64
link_release (Fixture *f, const char *name)
{
  g_autofree char *path = g_build_filename (f->releases_dir, name, NULL);
  g_autofree char *target = g_file_read_link (path, NULL);

  return target ? g_ascii_strtoll (target + strlen ("releases/"), NULL, 10) : 0;
}

static gboolean
release_on_disk (Fixture *f, gint64 n)
{
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  g_autofree char *path = g_build_filename (f->releases_dir, "releases", name, NULL);

  return g_file_test (path, G_FILE_TEST_IS_DIR);
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
assert_no_leftovers (Fixture *f)
{
  g_autoptr (GDir) dir = g_dir_open (f->releases_dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_false (g_str_has_prefix (name, "staging-"));
      g_assert_null (strstr (name, ".tmp-"));
    }
}

static void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *)user_data)++;
}

static void
test_first_start (Fixture *f, gconstpointer data)
{
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 1);
  g_assert_cmpint (kiosk_updater_get_current_release (f->updater), ==, 1);
  g_assert_null (kiosk_updater_get_last_error (f->updater));
  g_assert_null (kiosk_updater_get_last_check (f->updater));
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* A publish reaches the screen through polling alone; the time from the
 * hub's swap of release.json to notify::bundle is printed, not asserted. */
static void
test_publish_to_swap (Fixture *f, gconstpointer data)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  KioskContent *content;
  guint notified = 0;
  guint release_notified = 0;
  guint files_before;

  make_updater (f, 1);
  content = kiosk_updater_get_content (f->updater);
  g_signal_connect (content, "notify::bundle", G_CALLBACK (count_notify), &notified);
  g_signal_connect (f->updater, "notify::current-release", G_CALLBACK (count_notify), &release_notified);
  kiosk_updater_start (f->updater);

  for (gint64 n = 2; n <= 6; n++)
    {
      gint64 t0 = g_get_monotonic_time ();
      gint64 deadline = t0 + 10 * G_USEC_PER_SEC;
      double ms;

      files_before = f->files_served;
      publish (f, n);
      while (bundle_release (f) != n && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_assert_cmpint (bundle_release (f), ==, n);
      g_assert_cmpint (kiosk_updater_get_current_release (f->updater), ==, n);
      g_assert_cmpuint (notified, ==, n - 1);
      g_assert_cmpuint (release_notified, ==, n - 1);
      /* The logo is the same in every release: fetched once, then linked. */
      g_assert_cmpuint (f->files_served - files_before, ==, n == 2 ? 3 : 2);
      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_doubles);
  g_test_message ("publish → swap, poll_seconds=1, %u releases: median %.0f ms, max %.0f ms", times->len,
                  g_array_index (times, double, times->len / 2),
                  g_array_index (times, double, times->len - 1));

  g_assert_null (kiosk_updater_get_last_error (f->updater));
  g_assert_nonnull (kiosk_updater_get_last_check (f->updater));
  g_assert_cmpint (count_events (f, "content-activated", "release %"), ==, 5);
  g_assert_cmpint (link_release (f, "current"), ==, 6);
  g_assert_cmpint (link_release (f, "previous"), ==, 5);
  assert_no_leftovers (f);
}

/* The heartbeat's nudge: publish → sync_now → swap, without waiting for a poll. */
static void
test_sync_now (Fixture *f, gconstpointer data)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  make_updater (f, 3600);
  kiosk_updater_start (f->updater);
  while (kiosk_updater_get_busy (f->updater))
    g_main_context_iteration (NULL, TRUE);

  for (gint64 n = 2; n <= 12; n++)
    {
      gint64 t0 = g_get_monotonic_time ();
      gint64 deadline = t0 + 10 * G_USEC_PER_SEC;
      double ms;

      publish (f, n);
      kiosk_updater_sync_now (f->updater);
      kiosk_updater_sync_now (f->updater); /* while busy: runs once more after */
      while (bundle_release (f) != n && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_assert_cmpint (bundle_release (f), ==, n);
      g_array_append_val (times, ms);
      while (kiosk_updater_get_busy (f->updater))
        g_main_context_iteration (NULL, TRUE);
    }
  g_array_sort (times, compare_doubles);
  g_test_message ("publish → swap, sync now, %u releases: median %.1f ms, max %.1f ms", times->len,
                  g_array_index (times, double, times->len / 2),
                  g_array_index (times, double, times->len - 1));
  /* Each second sync_now found nothing new: a 304. */
  g_assert_cmpuint (f->json_304, >=, 11);
}

/* The previous release stays on disk for a rollback; older ones go. */
static void
test_previous_kept (Fixture *f, gconstpointer data)
{
  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  g_assert_true (release_on_disk (f, 2));
  g_assert_cmpint (link_release (f, "previous"), ==, 0);

  publish (f, 3);
  check_ok (f);
  g_assert_true (release_on_disk (f, 2));
  g_assert_true (release_on_disk (f, 3));
  g_assert_cmpint (link_release (f, "current"), ==, 3);
  g_assert_cmpint (link_release (f, "previous"), ==, 2);

  publish (f, 4);
  check_ok (f);
  g_assert_false (release_on_disk (f, 2));
  g_assert_true (release_on_disk (f, 3));
  g_assert_true (release_on_disk (f, 4));
  g_assert_cmpint (link_release (f, "previous"), ==, 3);

  /* A restart picks the release in force up from disk. */
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 4);
}

static void
test_not_modified (Fixture *f, gconstpointer data)
{
  guint files;

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  files = f->files_served;
  check_ok (f);
  check_ok (f);
  g_assert_cmpuint (f->json_200, ==, 1);
  g_assert_cmpuint (f->json_304, ==, 2);
  g_assert_cmpuint (f->files_served, ==, files);
  g_assert_cmpint (bundle_release (f), ==, 2);
}

/* Ways a release 3 on the hub can be bad. Each must leave release 2 in force. */

static void
spoil_file (Fixture *f, gint64 n, const char *contents)
{
  g_autofree char *news
      = g_strdup_printf ("第 %" G_GINT64_FORMAT " 版 / Release %" G_GINT64_FORMAT "\n", n, n);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, news, -1);
  g_autofree char *path = g_build_filename (f->hub, "files", sha, NULL);

  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static void
spoil_tampered (Fixture *f)
{
  publish (f, 3);
  spoil_file (f, 3, "第 9 版 / Release 9\n"); /* same length, other bytes */
}

static void
spoil_truncated (Fixture *f)
{
  publish (f, 3);
  spoil_file (f, 3, "第 3 版");
}

static void
spoil_unknown_key (Fixture *f)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];

  crypto_sign_keypair (pk, sk);
  publish_full (f, 3, NULL, NULL, sk, NULL, 0);
}

/* Signed by the trusted key, but naming a file outside the release folder. */
static void
spoil_path (Fixture *f)
{
  g_autofree char *dir = build_release (f, 3, NULL, 0);
  g_autoptr (KioskRelease) release = kiosk_release_scan (dir, 3, NULL);
  KioskReleaseFile *evil = g_new0 (KioskReleaseFile, 1);
  g_autofree char *json = NULL;
  g_autofree char *sig = NULL;
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, "owned\n", -1);

  evil->path = g_strdup ("../../escape.txt");
  evil->size = 6;
  evil->sha256 = g_strdup (sha);
  g_ptr_array_add (release->files, evil);
  json = kiosk_release_to_json (release);
  sig = kiosk_release_sign_bytes (json, strlen (json), f->secret);
  {
    g_autofree char *rel = g_strconcat ("files/", sha, NULL);

    write_file (f->hub, rel, "owned\n", 6);
  }
  write_file (f->hub, KIOSK_RELEASE_JSON, json, -1);
  write_file (f->hub, KIOSK_RELEASE_SIG, sig, -1);
}

static void
spoil_replay (Fixture *f)
{
  publish (f, 1);
}

static void
spoil_bad_bundle (Fixture *f)
{
  publish_full (f, 3, NULL, NULL, NULL, "{\"format\": 1, \"release\": 3, \"hours\": {}}", 0);
}

static void
spoil_not_for_us (Fixture *f)
{
  publish_full (f, 3, "kiosk:k2", NULL, NULL, NULL, 0);
}

static void
spoil_too_large (Fixture *f)
{
  publish_full (f, 3, NULL, NULL, NULL, NULL, f->max_bytes);
}

typedef struct
{
  void (*spoil) (Fixture *f);
  int code;
} Rejection;

static const Rejection rejections[] = {
  { spoil_tampered, KIOSK_RELEASE_ERROR_TAMPERED },     { spoil_truncated, KIOSK_RELEASE_ERROR_TRUNCATED },
  { spoil_unknown_key, KIOSK_RELEASE_ERROR_SIGNATURE }, { spoil_path, KIOSK_RELEASE_ERROR_PATH },
  { spoil_replay, KIOSK_RELEASE_ERROR_REPLAY },         { spoil_bad_bundle, KIOSK_RELEASE_ERROR_BAD_BUNDLE },
  { spoil_not_for_us, KIOSK_RELEASE_ERROR_NOT_FOR_US }, { spoil_too_large, KIOSK_RELEASE_ERROR_TOO_LARGE },
};

static void
test_rejected (Fixture *f, gconstpointer data)
{
  const Rejection *r = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *like = g_strdup_printf ("%s: %%", kiosk_release_error_code (r->code));
  KioskBundle *before;
  guint notified = 0;

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  before = kiosk_content_get_bundle (kiosk_updater_get_content (f->updater));
  g_signal_connect (kiosk_updater_get_content (f->updater), "notify::bundle", G_CALLBACK (count_notify),
                    &notified);

  r->spoil (f);
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, r->code);
  g_test_message ("%s: %s", kiosk_release_error_code (r->code), error->message);

  /* The last good release stays in force, on screen and on disk. */
  g_assert_true (kiosk_content_get_bundle (kiosk_updater_get_content (f->updater)) == before);
  g_assert_cmpuint (notified, ==, 0);
  g_assert_cmpint (kiosk_updater_get_current_release (f->updater), ==, 2);
  g_assert_cmpint (link_release (f, "current"), ==, 2);
  g_assert_false (release_on_disk (f, 3));
  assert_no_leftovers (f);
  g_assert_cmpint (kiosk_updater_get_last_error_code (f->updater), ==, r->code);
  g_assert_true (
      g_str_has_prefix (kiosk_updater_get_last_error (f->updater), kiosk_release_error_title (r->code)));
  g_assert_cmpint (count_events (f, "content-rejected", like), ==, 1);

  /* Asked again: reported once, not at every poll. */
  g_clear_error (&error);
  check (f, &error);
  g_assert_cmpint (count_events (f, "content-rejected", like), ==, 1);
  g_assert_cmpint (bundle_release (f), ==, 2);

  /* A good release afterwards goes through and clears the error. */
  g_clear_error (&error);
  publish (f, 4);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 4);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_null (kiosk_updater_get_last_error (f->updater));
}

/* The releases folder on a 512 KiB tmpfs; release 3 carries 900 KiB. */
static void
test_disk_full (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRelease) kept = NULL;
  g_autofree char *dir2 = NULL;

  if (!can_mount)
    {
      g_test_skip ("no mount namespace for a tmpfs (needs root or user namespaces)");
      return;
    }
  f->tmpfs = g_build_filename (f->tmp, "small", NULL);
  g_assert_cmpint (g_mkdir (f->tmpfs, 0755), ==, 0);
  if (mount ("tmpfs", f->tmpfs, "tmpfs", 0, "size=512k") < 0)
    {
      g_test_skip_printf ("mount tmpfs: %s", g_strerror (errno));
      g_clear_pointer (&f->tmpfs, g_free);
      return;
    }
  g_test_message ("full disk: a real 512 KiB tmpfs at %s", f->tmpfs);
  g_free (f->releases_dir);
  f->releases_dir = g_build_filename (f->tmpfs, "kiosk", NULL);

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  publish_full (f, 3, NULL, NULL, NULL, NULL, 900 * 1024);
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_DISK_FULL);
  g_test_message ("%s", error->message);
  g_assert_cmpint (bundle_release (f), ==, 2);
  g_assert_cmpint (link_release (f, "current"), ==, 2);
  assert_no_leftovers (f);
  g_assert_cmpint (count_events (f, "content-rejected", "disk-full: %"), ==, 1);

  /* Release 2 is whole on disk, and the space of the failed staging is back. */
  g_clear_error (&error);
  dir2 = g_build_filename (f->releases_dir, "releases", "2", NULL);
  kept = kiosk_release_verify_dir (dir2, f->keys, 0, &error);
  g_assert_no_error (error);
  publish (f, 4);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 4);
}

/* A release that makes the kiosk crash twice within the window is rolled
 * back at the second start, reported, and not taken again. */
static void
test_crash_loop (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  publish (f, 3);
  check_ok (f);
  g_assert_cmpint (link_release (f, "previous"), ==, 2);

  kiosk_clock_advance (f->clock, G_TIME_SPAN_MINUTE);
  make_updater (f, 30); /* crash 1 */
  g_assert_cmpint (bundle_release (f), ==, 3);
  g_assert_null (kiosk_updater_get_last_error (f->updater));

  kiosk_clock_advance (f->clock, G_TIME_SPAN_MINUTE);
  make_updater (f, 30); /* crash 2 */
  g_assert_cmpint (bundle_release (f), ==, 2);
  g_assert_cmpint (kiosk_updater_get_current_release (f->updater), ==, 2);
  g_assert_cmpint (link_release (f, "current"), ==, 2);
  g_assert_cmpint (link_release (f, "previous"), ==, 0);
  g_assert_nonnull (strstr (kiosk_updater_get_last_error (f->updater), "Content rolled back"));
  g_assert_cmpint (count_events (f, "content-rolled-back", "release 3 → 2: started 2 times%"), ==, 1);

  /* The hub still offers 3: refused without fetching a file. */
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_REPLAY);
  g_assert_cmpint (bundle_release (f), ==, 2);

  /* Later starts stay on 2; a fixed release 4 is taken. */
  kiosk_clock_advance (f->clock, G_TIME_SPAN_MINUTE);
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 2);
  publish (f, 4);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 4);
}

/* Starts spread beyond the window are not a crash loop. */
static void
test_crash_window (Fixture *f, gconstpointer data)
{
  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  publish (f, 3);
  check_ok (f);
  kiosk_clock_advance (f->clock, 5 * G_TIME_SPAN_MINUTE);
  make_updater (f, 30);
  kiosk_clock_advance (f->clock, 6 * G_TIME_SPAN_MINUTE);
  make_updater (f, 30);
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 3);
  g_assert_cmpint (count_events (f, "content-rolled-back", "%"), ==, 0);
}

/* The release in force broke on disk while the kiosk was off. */
static void
test_broken_at_start (Fixture *f, gconstpointer data)
{
  g_autofree char *manifest = NULL;

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  publish (f, 3);
  check_ok (f);
  drop_updater (f);
  manifest = g_build_filename (f->releases_dir, "releases", "3", "manifest.json", NULL);
  g_assert_true (g_file_set_contents (manifest, "{", -1, NULL));

  kiosk_clock_advance (f->clock, G_TIME_SPAN_HOUR);
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 2);
  g_assert_cmpint (count_events (f, "content-rolled-back", "release 3 → 2: does not load%"), ==, 1);

  /* Both broken: the packaged bundle. */
  drop_updater (f);
  g_free (manifest);
  manifest = g_build_filename (f->releases_dir, "releases", "2", "manifest.json", NULL);
  g_assert_true (g_file_set_contents (manifest, "{", -1, NULL));
  make_updater (f, 30);
  g_assert_cmpint (bundle_release (f), ==, 1);
  g_assert_cmpint (link_release (f, "current"), ==, 0);
}

static void
test_not_before (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) now = kiosk_clock_now (f->clock);
  g_autoptr (GDateTime) later = g_date_time_add_hours (now, 1);

  make_updater (f, 30);
  publish (f, 2);
  check_ok (f);
  publish_full (f, 3, "hall:east", later, NULL, NULL, 0);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 2);
  kiosk_clock_advance (f->clock, 2 * G_TIME_SPAN_HOUR);
  check_ok (f);
  g_assert_cmpint (bundle_release (f), ==, 3);
}

static void
test_hub_down (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_free (f->url);
  f->url = g_strdup ("http://127.0.0.1:1");
  make_updater (f, 30);
  g_assert_false (check (f, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK);
  g_assert_true (g_str_has_prefix (kiosk_updater_get_last_error (f->updater), "无法获取内容更新"));
  g_assert_nonnull (kiosk_updater_get_last_check (f->updater));
  g_assert_cmpint (bundle_release (f), ==, 1);
  g_assert_cmpint (count_events (f, "content-rejected", "%"), ==, 0);
}

/* The full-disk case wants a tmpfs of its own: enter a private mount
 * namespace while the process still has one thread. */
static void
enter_mount_namespace (void)
{
  if (unshare (geteuid () == 0 ? CLONE_NEWNS : CLONE_NEWNS | CLONE_NEWUSER) < 0)
    return;
  if (geteuid () != 0)
    {
      g_autofree char *map = g_strdup_printf ("0 %u 1", (guint)getuid ());

      if (!g_file_set_contents ("/proc/self/setgroups", "deny", -1, NULL)
          || !g_file_set_contents ("/proc/self/uid_map", map, -1, NULL))
        return;
    }
  can_mount = mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
}

int
main (int argc, char **argv)
{
  enter_mount_namespace ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, data) g_test_add (path, Fixture, data, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/updater/first-start", test_first_start, NULL);
  ADD ("/kiosk/updater/publish-to-swap", test_publish_to_swap, NULL);
  ADD ("/kiosk/updater/sync-now", test_sync_now, NULL);
  ADD ("/kiosk/updater/previous-kept", test_previous_kept, NULL);
  ADD ("/kiosk/updater/not-modified", test_not_modified, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rejections); i++)
    {
      g_autofree char *path
          = g_strdup_printf ("/kiosk/updater/rejected/%s", kiosk_release_error_code (rejections[i].code));

      ADD (path, test_rejected, &rejections[i]);
    }
  ADD ("/kiosk/updater/disk-full", test_disk_full, NULL);
  ADD ("/kiosk/updater/crash-loop", test_crash_loop, NULL);
  ADD ("/kiosk/updater/crash-window", test_crash_window, NULL);
  ADD ("/kiosk/updater/broken-at-start", test_broken_at_start, NULL);
  ADD ("/kiosk/updater/not-before", test_not_before, NULL);
  ADD ("/kiosk/updater/hub-down", test_hub_down, NULL);
#undef ADD
  return g_test_run ();
}
