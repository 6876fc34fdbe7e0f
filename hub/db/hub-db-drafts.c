/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-db"

#include "hub-db-drafts.h"

#include "hub-db-query.h"

gint64
hub_db_live_release (PGconn *conn, const char *target, GError **error)
{
  const char *params[] = { target };
  g_autoptr (PGresult) res
      = hub_db_query (conn,
                      "SELECT coalesce (max (release), 0) AS release FROM content_releases "
                      "WHERE (target = 'all' OR target = $1) AND (not_before IS NULL OR not_before <= now())",
                      1, params, error);

  return res != NULL ? hub_db_get_int (res, 0, "release", -1) : -1;
}

GBytes *
hub_db_release_file (PGconn *conn, gint64 release, const char *path, GError **error)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, release);
  const char *params[] = { number, path };
  g_autoptr (PGresult) res
      = hub_db_query_binary (conn,
                             "SELECT c.data FROM content_release_files f JOIN content_files c USING (sha256) "
                             "WHERE f.release = $1::bigint AND f.path = $2",
                             2, params, NULL, TRUE, error);

  if (res == NULL || PQntuples (res) != 1)
    return NULL;
  return g_bytes_new (hub_db_get (res, 0, "data"), hub_db_get_length (res, 0, "data"));
}

char *
hub_db_draft_get (PGconn *conn, const char *target, GError **error)
{
  const char *params[] = { target };
  g_autoptr (PGresult) res
      = hub_db_query (conn,
                      "SELECT json_build_object ('version', version, 'announcements', announcements, "
                      "'updated_by', updated_by, "
                      "'updated_at', updated_at) AS draft FROM content_drafts WHERE target = $1",
                      1, params, error);

  return res != NULL && PQntuples (res) == 1 ? g_strdup (hub_db_get (res, 0, "draft")) : NULL;
}

int
hub_db_draft_save (PGconn *conn, const char *target, int version, const char *announcements,
                   const char *actor, GError **error)
{
  g_autofree char *v = g_strdup_printf ("%d", version);
  const char *params[] = { target, v, announcements, actor };
  g_autoptr (PGresult) res = NULL;

  /* Version 0 inserts (a second "first" save conflicts on the key and
   * changes nothing); any other updates only the version it names. */
  if (version == 0)
    res = hub_db_query (conn,
                        "INSERT INTO content_drafts (target, announcements, updated_by) "
                        "SELECT $1, $3::jsonb, $4 WHERE $2::int = 0 "
                        "ON CONFLICT (target) DO NOTHING RETURNING version",
                        4, params, error);
  else
    res = hub_db_query (conn,
                        "UPDATE content_drafts SET announcements = $3::jsonb, updated_by = $4, "
                        "updated_at = now(), version = version + 1 "
                        "WHERE target = $1 AND version = $2::int RETURNING version",
                        4, params, error);
  if (res == NULL || PQntuples (res) != 1)
    return 0;
  return (int)hub_db_get_int (res, 0, "version", 0);
}

gboolean
hub_db_draft_take (PGconn *conn, const char *target, int version, char **announcements, GError **error)
{
  g_autofree char *v = g_strdup_printf ("%d", version);
  const char *params[] = { target, v };
  g_autoptr (PGresult) res
      = hub_db_query (conn,
                      "DELETE FROM content_drafts WHERE target = $1 AND version = $2::int "
                      "RETURNING announcements::text AS announcements",
                      2, params, error);

  if (res == NULL || PQntuples (res) != 1)
    return FALSE;
  *announcements = g_strdup (hub_db_get (res, 0, "announcements"));
  return TRUE;
}
