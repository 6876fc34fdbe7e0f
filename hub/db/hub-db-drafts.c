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

const char *
hub_draft_section_name (HubDraftSection section)
{
  return section == HUB_DRAFT_HOURS ? "hours" : "announcements";
}

char *
hub_db_draft_get (PGconn *conn, const char *target, GError **error)
{
  const char *params[] = { target };
  g_autoptr (PGresult) res = hub_db_query (
      conn,
      "SELECT json_build_object ('version', version, 'announcements', announcements, 'hours', hours, "
      "'updated_by', updated_by, 'updated_at', updated_at) AS draft FROM content_drafts WHERE target = $1",
      1, params, error);

  return res != NULL && PQntuples (res) == 1 ? g_strdup (hub_db_get (res, 0, "draft")) : NULL;
}

int
hub_db_draft_save (PGconn *conn, const char *target, int version, HubDraftSection section, const char *value,
                   const char *actor, GError **error)
{
  g_autofree char *v = g_strdup_printf ("%d", version);
  const char *params[] = { target, v, value, actor };
  g_autofree char *sql = NULL;
  g_autoptr (PGresult) res = NULL;
  /* The column is one of two names from this file, never from input. */
  const char *column = hub_draft_section_name (section);

  /* Version 0 inserts (a second "first" save conflicts on the key and
   * changes nothing); any other updates only the version it names. */
  if (version == 0)
    sql = g_strdup_printf ("INSERT INTO content_drafts (target, %s, updated_by) "
                           "SELECT $1, $3::jsonb, $4 WHERE $2::int = 0 "
                           "ON CONFLICT (target) DO NOTHING RETURNING version",
                           column);
  else
    sql = g_strdup_printf ("UPDATE content_drafts SET %s = $3::jsonb, updated_by = $4, "
                           "updated_at = now(), version = version + 1 "
                           "WHERE target = $1 AND version = $2::int RETURNING version",
                           column);
  res = hub_db_query (conn, sql, 4, params, error);
  if (res == NULL || PQntuples (res) != 1)
    return 0;
  return (int)hub_db_get_int (res, 0, "version", 0);
}

gboolean
hub_db_draft_take (PGconn *conn, const char *target, int version, GError **error)
{
  g_autofree char *v = g_strdup_printf ("%d", version);
  const char *params[] = { target, v };
  g_autoptr (PGresult) res = hub_db_query (
      conn, "DELETE FROM content_drafts WHERE target = $1 AND version = $2::int", 2, params, error);

  return res != NULL && g_strcmp0 (PQcmdTuples (res), "1") == 0;
}

char *
hub_db_releases_json (PGconn *conn, const char *target, guint limit, GError **error)
{
  g_autofree char *n = g_strdup_printf ("%u", limit);
  const char *params[] = { target, n };
  g_autoptr (PGresult) res = hub_db_query (
      conn,
      "SELECT coalesce (json_agg (json_build_object ('release', release, 'target', target, 'published_at', "
      "published_at, 'rollback_of', rollback_of) ORDER BY release DESC), '[]') AS list "
      "FROM (SELECT * FROM content_releases WHERE $1::text IS NULL OR target = 'all' OR target = $1 "
      "ORDER BY release DESC LIMIT $2::int) AS recent",
      2, params, error);

  return res != NULL ? g_strdup (hub_db_get (res, 0, "list")) : NULL;
}

char *
hub_db_release_target (PGconn *conn, gint64 release, GError **error)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, release);
  const char *params[] = { number };
  g_autoptr (PGresult) res = hub_db_query (
      conn, "SELECT target FROM content_releases WHERE release = $1::bigint", 1, params, error);

  return res != NULL && PQntuples (res) == 1 ? g_strdup (hub_db_get (res, 0, "target")) : NULL;
}

char *
hub_db_kiosk_releases_json (PGconn *conn, const char *hall, GError **error)
{
  const char *params[] = { hall };
  g_autoptr (PGresult) res = hub_db_query (
      conn,
      "SELECT coalesce (json_agg (json_build_object ('kiosk', k.id, 'hall', h.hall, 'content_release', "
      "k.heartbeat->>'content_release', 'last_heartbeat_at', k.last_heartbeat_at) ORDER BY k.id), '[]') AS "
      "list "
      "FROM kiosks k LEFT JOIN kiosk_halls h ON h.kiosk_id = k.id "
      "WHERE k.revoked_at IS NULL AND ($1::text IS NULL OR h.hall = $1)",
      1, params, error);

  return res != NULL ? g_strdup (hub_db_get (res, 0, "list")) : NULL;
}
