/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-updater"

/* The stand-in hub, the fixture and the release helpers of the KioskUpdater
 * tests (updater-test-hub.h). */

#include <glib/gstdio.h>
#include <string.h>
#include <sys/mount.h>

#include "kiosk-test-util.h"
#include "updater-test-hub.h"

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

void
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
void
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

void
fixture_teardown (Fixture *f, gconstpointer data)
{
  drop_updater (f);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->clock);
  /* Let the server see curl's closed connections before it goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
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

void
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
    .healthy_seconds = f->healthy_seconds,
    .max_bytes = f->max_bytes,
    .connect_timeout_seconds = 5,
    .timeout_seconds = 10,
  };

  drop_updater (f);
  f->updater = kiosk_updater_new (f->store, &options, &error);
  g_assert_no_error (error);
}

void
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
char *
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

void
publish_full (Fixture *f, gint64 n, const char *target, GDateTime *not_before, const guint8 *secret,
              const char *manifest_override, gsize big_bytes)
{
  g_autofree char *dir = build_release (f, n, manifest_override, big_bytes);
  g_autoptr (GError) error = NULL;

  g_assert_true (kiosk_release_sign_dir (dir, n, target, not_before, secret ? secret : f->secret, &error));
  g_assert_no_error (error);
  hub_serve (f, dir);
}

void
publish (Fixture *f, gint64 n)
{
  publish_full (f, n, NULL, NULL, NULL, NULL, 0);
}

static void
on_checked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

gboolean
check (Fixture *f, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  kiosk_updater_check_async (f->updater, NULL, on_checked, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return kiosk_updater_check_finish (f->updater, result, error);
}

void
check_ok (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  gboolean ok = check (f, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

gint64
bundle_release (Fixture *f)
{
  return kiosk_bundle_get_release (kiosk_content_get_bundle (kiosk_updater_get_content (f->updater)));
}

gint64
link_release (Fixture *f, const char *name)
{
  g_autofree char *path = g_build_filename (f->releases_dir, name, NULL);
  g_autofree char *target = g_file_read_link (path, NULL);

  return target ? g_ascii_strtoll (target + strlen ("releases/"), NULL, 10) : 0;
}

gboolean
release_on_disk (Fixture *f, gint64 n)
{
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  g_autofree char *path = g_build_filename (f->releases_dir, "releases", name, NULL);

  return g_file_test (path, G_FILE_TEST_IS_DIR);
}

gint64
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

gint64
count_outbox_status (Fixture *f, const char *like)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (
      f->store, "SELECT count(*) FROM outbox WHERE kind = 'status' AND payload LIKE ?1", NULL);
  gint64 n;

  sqlite3_bind_text (stmt, 1, like, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

void
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

void
count_notify (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *)user_data)++;
}
