/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-db"

#include "hub-db-published.h"

/* A release in force whose manifest.json is in the database, as jsonb. */
#define MANIFESTS                                                                                            \
  " FROM content_releases r"                                                                                 \
  " JOIN content_release_files f ON f.release = r.release AND f.path = 'manifest.json'"                      \
  " JOIN content_files c ON c.sha256 = f.sha256"                                                             \
  " WHERE (r.not_before IS NULL OR r.not_before <= now ()) AND r.target NOT LIKE 'kiosk:%'"

PGresult *
hub_db_service_names (PGconn *conn, GError **error)
{
  return hub_db_query (conn,
                       "WITH m AS (SELECT DISTINCT ON (r.target) r.release,"
                       "    convert_from (c.data, 'UTF8')::jsonb AS manifest" MANIFESTS
                       "  ORDER BY r.target, r.release DESC)"
                       " SELECT DISTINCT ON (s->>'id') s->>'id' AS id, s->'name'->>'zh' AS name_zh,"
                       "   s->'name'->>'en' AS name_en"
                       " FROM m, jsonb_array_elements (m.manifest->'services') s"
                       " ORDER BY s->>'id', m.release DESC",
                       0, NULL, error);
}

PGresult *
hub_db_announcements (PGconn *conn, const char *hall, GError **error)
{
  const char *params[] = { hall };

  /* Valid now as kiosk_bundle_active_announcements() decides: from
   * valid_from (inclusive) to valid_until (exclusive), either may be absent. */
  return hub_db_query (conn,
                       "WITH m AS (SELECT convert_from (c.data, 'UTF8')::jsonb AS manifest" MANIFESTS
                       "  AND ($1::text IS NULL OR r.target IN ('all', 'hall:' || $1::text))"
                       "  ORDER BY r.release DESC LIMIT 1)"
                       " SELECT a->>'id' AS id, a->'title'->>'zh' AS title_zh, a->'title'->>'en' AS title_en,"
                       "   a->'body'->>'zh' AS body_zh, a->'body'->>'en' AS body_en"
                       " FROM m, jsonb_array_elements (coalesce (m.manifest->'announcements', '[]'))"
                       "   WITH ORDINALITY AS x (a, n)"
                       " WHERE (a->>'valid_from' IS NULL OR content_time (a->>'valid_from') <= now ())"
                       "   AND (a->>'valid_until' IS NULL OR content_time (a->>'valid_until') > now ())"
                       " ORDER BY n",
                       1, params, error);
}
