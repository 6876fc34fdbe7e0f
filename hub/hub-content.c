/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-content"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub-content.h"
#include "kiosk-bundle.h"
#include "kiosk-release.h"

/* The newest release in force for kiosk $1: its own, its hall's, or everyone's. */
#define CONTENT_CHOICE                                                                                       \
  " WHERE (r.not_before IS NULL OR r.not_before <= now ())"                                                  \
  " AND (r.target = 'all' OR r.target = 'kiosk:' || $1::text"                                                \
  " OR r.target = 'hall:' || (SELECT hall FROM kiosk_halls WHERE kiosk_id = $1::text))"                      \
  " ORDER BY r.release DESC LIMIT 1"

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
write_file (const char *root, const char *path, const char *data, gsize length, GError **error)
{
  g_autofree char *full = g_build_filename (root, path, NULL);
  g_autofree char *parent = g_path_get_dirname (full);

  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", parent,
                   g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents (full, data, (gssize)length, error);
}

/* manifest.json with "release" set to @release; the rest as it was. */
static char *
renumber_manifest (const char *data, gsize length, gint64 release, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, (gssize)length, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_INVALID_JSON, "manifest.json is not an object");
      return NULL;
    }
  json_object_set_int_member (json_node_get_object (root), "release", release);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

static char *
public_key_b64 (const guint8 secret[crypto_sign_SECRETKEYBYTES])
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk (pk, secret);
  return g_base64_encode (pk, sizeof pk);
}

static gboolean
store_release (PGconn *conn, const char *dir, const KioskRelease *release, const char *target,
               GDateTime *not_before, gint64 rollback_of, GError **error)
{
  g_autofree char *json_path = g_build_filename (dir, KIOSK_RELEASE_JSON, NULL);
  g_autofree char *sig_path = g_build_filename (dir, KIOSK_RELEASE_SIG, NULL);
  g_autofree char *json = NULL, *sig = NULL, *etag = NULL, *hash = NULL, *number = NULL;
  g_autofree char *not_before_text = not_before ? g_date_time_format_iso8601 (not_before) : NULL;
  g_autofree char *rollback_text
      = rollback_of > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, rollback_of) : NULL;
  gsize json_length = 0;

  if (!g_file_get_contents (json_path, &json, &json_length, error)
      || !g_file_get_contents (sig_path, &sig, NULL, error))
    return FALSE;
  /* The ETag names the exact bytes: a new publish, even of the same files, is a new tag. */
  hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)json, json_length);
  etag = g_strdup_printf ("\"%s\"", hash);
  number = g_strdup_printf ("%" G_GINT64_FORMAT, release->release);
  {
    const char *params[]
        = { number, target ? target : "all", not_before_text, json, g_strstrip (sig), etag, rollback_text };
    const int lengths[] = { -1, -1, -1, (int)json_length, -1, -1, -1 };
    if (!hub_db_command_binary (
            conn,
            "INSERT INTO content_releases (release, target, not_before, release_json, release_sig, etag,"
            " rollback_of) VALUES ($1::bigint, $2, $3::timestamptz, $4, $5, $6, $7::bigint)",
            7, params, lengths, error))
      return FALSE;
  }

  for (guint i = 0; i < release->files->len; i++)
    {
      const KioskReleaseFile *file = g_ptr_array_index (release->files, i);
      g_autofree char *full = g_build_filename (dir, file->path, NULL);
      g_autofree char *data = NULL, *size = g_strdup_printf ("%" G_GINT64_FORMAT, file->size);
      gsize length = 0;

      if (!g_file_get_contents (full, &data, &length, error))
        return FALSE;
      {
        const char *params[] = { file->sha256, size, data };
        const int lengths[] = { -1, -1, (int)length };
        const char *link[] = { number, file->path, file->sha256 };
        if (!hub_db_command_binary (
                conn,
                "INSERT INTO content_files (sha256, size, data) VALUES ($1, $2::bigint, $3)"
                " ON CONFLICT (sha256) DO NOTHING",
                3, params, lengths, error)
            || !hub_db_command_binary (
                conn, "INSERT INTO content_release_files (release, path, sha256) VALUES ($1::bigint, $2, $3)",
                3, link, NULL, error))
          return FALSE;
      }
    }
  /* Every kiosk's next heartbeat says "sync now": the release is fetched
   * then, not at the next poll. */
  return hub_db_command_binary (conn, "UPDATE kiosks SET sync_requested = true WHERE revoked_at IS NULL", 0,
                                NULL, NULL, error);
}

/* Copies @src's files into @dst with manifest.json renumbered, signs @dst and
 * checks it exactly as a kiosk would. */
static KioskRelease *
sign_copy (const char *src, const char *dst, gint64 number, const char *target, GDateTime *not_before,
           const guint8 secret[crypto_sign_SECRETKEYBYTES], GError **error)
{
  g_autoptr (KioskRelease) listing = kiosk_release_scan (src, number, error);
  g_autoptr (KioskRelease) verified = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  g_autofree char *pk = public_key_b64 (secret);
  const char *keys[] = { pk, NULL };

  if (listing == NULL)
    return NULL;
  for (guint i = 0; i < listing->files->len; i++)
    {
      const KioskReleaseFile *file = g_ptr_array_index (listing->files, i);
      g_autofree char *full = g_build_filename (src, file->path, NULL);
      g_autofree char *data = NULL, *renumbered = NULL;
      gsize length = 0;

      if (!g_file_get_contents (full, &data, &length, error))
        return NULL;
      if (g_str_equal (file->path, "manifest.json"))
        {
          if ((renumbered = renumber_manifest (data, length, number, error)) == NULL)
            return NULL;
          g_free (data);
          data = g_steal_pointer (&renumbered);
          length = strlen (data);
        }
      if (!write_file (dst, file->path, data, length, error))
        return NULL;
    }

  /* A bundle that would not load on a kiosk is not published. */
  if ((bundle = kiosk_bundle_load (dst, error)) == NULL
      || !kiosk_release_sign_dir (dst, number, target, not_before, secret, error)
      || (verified = kiosk_release_verify_dir (dst, keys, 0, error)) == NULL)
    return NULL;
  return g_steal_pointer (&verified);
}

typedef struct
{
  /* Borrowed */
  const char *dir;
  const guint8 *secret;
  const char *target;
  GDateTime *not_before;
  KioskBundle *bundle;

  gint64 rollback_of;
  gint64 number; /* out */
} Publish;

/* Under the publish lock: two publishes at once would pick the same number. */
static gboolean
publish_work (PGconn *conn, gpointer user_data, GError **error)
{
  Publish *p = user_data;
  g_autoptr (PGresult) newest = NULL;
  g_autoptr (KioskRelease) release = NULL;
  g_autofree char *tmp = NULL;
  gboolean ok;

  newest = hub_db_query (conn, "SELECT coalesce (max (release), 0) AS newest FROM content_releases", 0, NULL,
                         error);
  if (newest == NULL)
    return FALSE;
  /* Kiosks take only newer releases: never hand out a number already used. */
  p->number = MAX (kiosk_bundle_get_release (p->bundle), hub_db_get_int (newest, 0, "newest", 0) + 1);
  if ((tmp = g_dir_make_tmp ("linli-hub-publish-XXXXXX", error)) == NULL)
    return FALSE;
  release = sign_copy (p->dir, tmp, p->number, p->target, p->not_before, p->secret, error);
  ok = release != NULL && store_release (conn, tmp, release, p->target, p->not_before, p->rollback_of, error);
  remove_tree (tmp);
  return ok;
}

gboolean
hub_content_publish_dir (PGconn *conn, const char *dir, const guint8 secret[crypto_sign_SECRETKEYBYTES],
                         const char *target, GDateTime *not_before, gint64 rollback_of, gint64 *release_out,
                         GError **error)
{
  g_autoptr (KioskBundle) bundle = NULL;
  Publish p = { dir, secret, target, not_before, NULL, rollback_of, 0 };

  if (target != NULL && !g_str_equal (target, "all") && !g_str_has_prefix (target, "hall:")
      && !g_str_has_prefix (target, "kiosk:"))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                   "目标无效 / Bad target %s: all, hall:ID or kiosk:ID", target);
      return FALSE;
    }
  if ((bundle = kiosk_bundle_load (dir, error)) == NULL)
    return FALSE;
  p.bundle = bundle;
  if (!hub_db_transaction (conn, HUB_DB_LOCK_PUBLISH, publish_work, &p, error))
    return FALSE;
  if (release_out != NULL)
    *release_out = p.number;
  return TRUE;
}

char *
hub_content_extract (PGconn *conn, gint64 release, char **target, GError **error)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, release), *tmp = NULL;
  const char *params[] = { number };
  g_autoptr (PGresult) head = NULL, files = NULL;

  head = hub_db_query (conn, "SELECT target FROM content_releases WHERE release = $1::bigint", 1, params,
                       error);
  if (head == NULL)
    return NULL;
  if (PQntuples (head) == 0)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此版本 / No release %s", number);
      return NULL;
    }
  files = hub_db_query_binary (
      conn,
      "SELECT f.path, c.data FROM content_release_files f JOIN content_files c USING (sha256)"
      " WHERE f.release = $1::bigint ORDER BY f.path",
      1, params, NULL, TRUE, error);
  if (files == NULL || (tmp = g_dir_make_tmp ("linli-hub-release-XXXXXX", error)) == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (files); i++)
    {
      g_autofree char *path = g_strndup (hub_db_get (files, i, "path"), hub_db_get_length (files, i, "path"));

      if (!kiosk_release_check_path (path, error)
          || !write_file (tmp, path, hub_db_get (files, i, "data"), hub_db_get_length (files, i, "data"),
                          error))
        {
          remove_tree (tmp);
          return NULL;
        }
    }
  if (target != NULL)
    *target = g_strdup (hub_db_get (head, 0, "target"));
  return g_steal_pointer (&tmp);
}

void
hub_content_remove_tree (const char *dir)
{
  remove_tree (dir);
}

gboolean
hub_content_rollback (PGconn *conn, gint64 release, const guint8 secret[crypto_sign_SECRETKEYBYTES],
                      const char *target, gint64 *release_out, GError **error)
{
  g_autofree char *old_target = NULL;
  g_autofree char *tmp = hub_content_extract (conn, release, &old_target, error);
  gboolean ok;

  if (tmp == NULL)
    return FALSE;
  ok = hub_content_publish_dir (conn, tmp, secret, target ? target : old_target, NULL, release, release_out,
                                error);
  remove_tree (tmp);
  return ok;
}

char *
hub_content_list (PGconn *conn, GError **error)
{
  g_autoptr (PGresult) res = NULL;
  GString *out = g_string_new ("release\ttarget\tnot_before\tfiles\tbytes\tpublished\trollback_of\n");

  res = hub_db_query (
      conn,
      "SELECT r.release, r.target, coalesce (to_char (r.not_before, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '-'),"
      " count (f.path), coalesce (sum (c.size), 0),"
      " to_char (r.published_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), coalesce (r.rollback_of::text, '-')"
      " FROM content_releases r LEFT JOIN content_release_files f USING (release)"
      " LEFT JOIN content_files c ON c.sha256 = f.sha256"
      " GROUP BY r.release ORDER BY r.release DESC",
      0, NULL, error);
  if (res == NULL)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  for (int i = 0; i < PQntuples (res); i++)
    {
      /* Every column in the header's order: a table, printed whole. */
      for (int c = 0; c < PQnfields (res); c++)
        g_string_append_printf (out, "%s%s", c ? "\t" : "", PQgetvalue (res, i, c));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

gboolean
hub_content_set_hall (PGconn *conn, const char *kiosk_id, const char *hall, GError **error)
{
  const char *params[] = { kiosk_id, hall };
  g_autoptr (PGresult) res
      = hub_db_query (conn,
                      "INSERT INTO kiosk_halls (kiosk_id, hall) SELECT id, $2 FROM kiosks WHERE id = $1"
                      " ON CONFLICT (kiosk_id) DO UPDATE SET hall = excluded.hall",
                      2, params, error);
  if (res == NULL)
    return FALSE;
  if (g_strcmp0 (PQcmdTuples (res), "1") != 0)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_UNKNOWN_KIOSK, "未登记的终端 / Unknown kiosk %s", kiosk_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_sha256 (const char *text)
{
  if (strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

gboolean
hub_content_lookup (PGconn *conn, const char *kiosk_id, const char *name, GBytes **body, char **etag,
                    GError **error)
{
  g_autoptr (PGresult) res = NULL;
  gboolean asked = FALSE;

  if (g_str_has_prefix (name, "files/") && is_sha256 (name + 6))
    {
      const char *params[] = { name + 6 };
      asked = TRUE;
      res = hub_db_query_binary (conn, "SELECT data FROM content_files WHERE sha256 = $1", 1, params, NULL,
                                 TRUE, error);
      if (res != NULL && PQntuples (res) == 1)
        {
          *body = g_bytes_new (hub_db_get (res, 0, "data"), hub_db_get_length (res, 0, "data"));
          *etag = g_strdup_printf ("\"%s\"", name + 6);
          return TRUE;
        }
    }
  else if (g_str_equal (name, KIOSK_RELEASE_JSON) || g_str_equal (name, KIOSK_RELEASE_SIG))
    {
      const char *params[] = { kiosk_id };
      gboolean sig = g_str_equal (name, KIOSK_RELEASE_SIG);

      asked = TRUE;
      /* The newest release in force for this kiosk; it checks target and
       * not_before again itself. */
      res = hub_db_query_binary (
          conn,
          sig ? "SELECT release_sig AS data, etag FROM content_releases r" CONTENT_CHOICE
              : "SELECT release_json AS data, etag FROM content_releases r" CONTENT_CHOICE,
          1, params, NULL, TRUE, error);
      if (res != NULL && PQntuples (res) == 1)
        {
          const char *data = hub_db_get (res, 0, "data");
          gsize length = hub_db_get_length (res, 0, "data");
          g_autofree char *line = sig ? g_strdup_printf ("%.*s\n", (int)length, data) : NULL;

          *body = sig ? g_bytes_new (line, strlen (line)) : g_bytes_new (data, length);
          /* Both files of one release share the ETag of its release.json. */
          *etag = g_strndup (hub_db_get (res, 0, "etag"), hub_db_get_length (res, 0, "etag"));
          return TRUE;
        }
    }
  if (asked && res == NULL)
    return FALSE;
  g_set_error (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有内容 / No content: %s", name);
  return FALSE;
}
