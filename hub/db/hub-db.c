/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-db"

#include <gio/gio.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "hub-db.h"
#include "hub-resources.h"

#define SQL_RESOURCE_DIR "/org/linli/hub/sql/"

struct _HubDb
{
  GObject parent_instance;

  /* Owned */
  char *conninfo;
  GAsyncQueue *idle; /* PGconn *, free for a request */
  GPtrArray *all;    /* PGconn *, every connection (owns them) */
};

G_DEFINE_FINAL_TYPE (HubDb, hub_db, G_TYPE_OBJECT)

static void
hub_db_finalize (GObject *object)
{
  HubDb *self = HUB_DB (object);

  g_clear_pointer (&self->idle, g_async_queue_unref);
  g_clear_pointer (&self->all, g_ptr_array_unref);
  g_clear_pointer (&self->conninfo, g_free);
  G_OBJECT_CLASS (hub_db_parent_class)->finalize (object);
}

static void
hub_db_class_init (HubDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hub_db_finalize;
}

static void
hub_db_init (HubDb *self)
{
  self->idle = g_async_queue_new ();
  self->all = g_ptr_array_new_with_free_func ((GDestroyNotify)PQfinish);
}

static void
ignore_notice (void *arg, const char *message)
{
  /* "relation already exists, skipping" and the like: not for the log. */
}

PGconn *
hub_db_connect (const char *conninfo, GError **error)
{
  g_autoptr (PGconn) conn = PQconnectdb (conninfo);

  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      hub_db_set_error (error, conn, NULL, "connect");
      return NULL;
    }
  /* Every time crosses the wire as UTC microseconds or ISO text in UTC. */
  if (!hub_db_command (conn, "SET TIME ZONE 'UTC'", 0, NULL, error))
    return NULL;
  return g_steal_pointer (&conn);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

int
hub_db_schema_version (PGconn *conn, GError **error)
{
  g_autoptr (PGresult) res = hub_db_query (
      conn, "SELECT coalesce (max (version), 0) AS version FROM schema_migrations", 0, NULL, error);
  return res ? (int)hub_db_get_int (res, 0, "version", -1) : -1;
}

typedef struct
{
  int version;
  const char *name;
  const char *sql;
} Step;

static gboolean
apply_step (PGconn *conn, gpointer user_data, GError **error)
{
  const Step *step = user_data;
  g_autofree char *version_text = g_strdup_printf ("%d", step->version);
  const char *params[] = { version_text, step->name };

  /* A file holds several statements, which only the simple protocol takes. */
  return hub_db_exec_script (conn, step->sql, step->name, error)
         && hub_db_command (conn, "INSERT INTO schema_migrations (version, name) VALUES ($1::int, $2)", 2,
                            params, error);
}

static gboolean
apply_one (PGconn *conn, int version, const char *name, GError **error)
{
  g_autofree char *path = g_strconcat (SQL_RESOURCE_DIR, name, NULL);
  g_autoptr (GBytes) sql
      = g_resource_lookup_data (hub_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autofree char *text = NULL;
  Step step = { version, name, NULL };

  if (sql == NULL)
    return FALSE;
  step.sql = text = g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));
  return hub_db_transaction (conn, HUB_DB_LOCK_NONE, apply_step, &step, error);
}

static gboolean
migrate_locked (PGconn *conn, GError **error)
{
  g_auto (GStrv) names = NULL;
  int current, newest = 0;

  if (!hub_db_command (conn,
                       "CREATE TABLE IF NOT EXISTS schema_migrations ("
                       "  version int PRIMARY KEY, name text NOT NULL,"
                       "  applied_at timestamptz NOT NULL DEFAULT now())",
                       0, NULL, error))
    return FALSE;
  if ((current = hub_db_schema_version (conn, error)) < 0)
    return FALSE;

  names = g_resource_enumerate_children (hub_get_resource (), SQL_RESOURCE_DIR, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                         error);
  if (names == NULL)
    return FALSE;
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);

  for (guint i = 0; names[i] != NULL; i++)
    {
      int version = atoi (names[i]);

      if (version <= 0 || !g_str_has_suffix (names[i], ".sql"))
        continue;
      /* Two branches that each added a step may both have taken the next
       * number: refuse rather than apply one and skip the other for good. */
      if (version == newest)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                       "two migration steps have the number %d: %s and %s", version, names[i - 1], names[i]);
          return FALSE;
        }
      newest = MAX (newest, version);
      if (version <= current)
        continue;
      if (!apply_one (conn, version, names[i], error))
        {
          g_prefix_error (error, "migration %s: ", names[i]);
          return FALSE;
        }
    }
  if (current > newest)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_UNAVAILABLE,
                   "database schema %d is newer than this hub knows (%d)", current, newest);
      return FALSE;
    }
  return TRUE;
}

gboolean
hub_db_migrate (PGconn *conn, GError **error)
{
  g_autofree char *key = g_strdup_printf ("%d", (int)HUB_DB_LOCK_MIGRATION);
  const char *params[] = { key };
  gboolean ok;

  /* A session lock: each step is its own transaction, and two hubs starting
   * at once must not both apply one. */
  if (!hub_db_command (conn, "SELECT pg_advisory_lock ($1::bigint)", 1, params, error))
    return FALSE;
  ok = migrate_locked (conn, error);
  hub_db_command (conn, "SELECT pg_advisory_unlock ($1::bigint)", 1, params, NULL);
  return ok;
}

HubDb *
hub_db_open (const char *conninfo, guint pool_size, GError **error)
{
  g_autoptr (HubDb) self = g_object_new (HUB_TYPE_DB, NULL);

  g_return_val_if_fail (conninfo != NULL, NULL);

  self->conninfo = g_strdup (conninfo);
  for (guint i = 0; i < MAX (pool_size, 1); i++)
    {
      PGconn *conn = hub_db_connect (conninfo, error);

      if (conn == NULL)
        return NULL;
      g_ptr_array_add (self->all, conn);
      if (i == 0 && !hub_db_migrate (conn, error))
        return NULL;
      g_async_queue_push (self->idle, conn);
    }
  return g_steal_pointer (&self);
}

/* An idle connection has nothing to read unless the server said goodbye
 * (a restart, pg_terminate_backend): its last message, then the end of the
 * stream. Reading both marks the connection bad, so it is reset before the
 * request instead of failing it. */
static void
notice_goodbye (PGconn *conn)
{
  for (int i = 0; i < 2 && PQstatus (conn) == CONNECTION_OK; i++)
    {
      struct pollfd pfd = { PQsocket (conn), POLLIN, 0 };
      if (poll (&pfd, 1, 0) <= 0 || !PQconsumeInput (conn))
        break;
    }
}

PGconn *
hub_db_acquire (HubDb *self, GError **error)
{
  PGconn *conn;

  g_return_val_if_fail (HUB_IS_DB (self), NULL);

  conn = g_async_queue_timeout_pop (self->idle, 10 * G_USEC_PER_SEC);
  if (conn == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_UNAVAILABLE,
                           "服务器繁忙 / Hub busy: no free connection");
      return NULL;
    }
  notice_goodbye (conn);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      PQreset (conn);
      if (PQstatus (conn) != CONNECTION_OK || !hub_db_command (conn, "SET TIME ZONE 'UTC'", 0, NULL, NULL))
        {
          hub_db_set_error (error, conn, NULL, "reconnect");
          g_async_queue_push (self->idle, conn);
          return NULL;
        }
    }
  return conn;
}

void
hub_db_release (HubDb *self, PGconn *conn)
{
  g_return_if_fail (HUB_IS_DB (self));

  /* A request that failed half-way must not leave its transaction open. */
  hub_db_rollback (conn);
  g_async_queue_push (self->idle, conn);
}

char *
hub_db_authorize (PGconn *conn, const HubCertInfo *cert, GError **error)
{
  const char *params[] = { cert->fingerprint };
  g_autoptr (PGresult) res = hub_db_query (conn,
                                           "SELECT c.kiosk_id, c.revoked_at IS NOT NULL AS cert_revoked,"
                                           "  k.revoked_at IS NOT NULL AS kiosk_revoked"
                                           "  FROM kiosk_certs c JOIN kiosks k ON k.id = c.kiosk_id"
                                           "  WHERE c.fingerprint = $1",
                                           1, params, error);

  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_UNKNOWN_KIOSK,
                   "终端未登记 / Unknown kiosk: the certificate for %s is not enrolled", cert->common_name);
      return NULL;
    }
  if (g_strcmp0 (hub_db_get (res, 0, "kiosk_id"), cert->common_name) != 0)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_UNKNOWN_KIOSK,
                   "终端未登记 / Unknown kiosk: certificate CN %s does not match its enrolment",
                   cert->common_name);
      return NULL;
    }
  if (hub_db_get_bool (res, 0, "cert_revoked"))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_REVOKED, "证书已吊销 / Certificate revoked for kiosk %s",
                   cert->common_name);
      return NULL;
    }
  if (hub_db_get_bool (res, 0, "kiosk_revoked"))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_REVOKED, "终端已停用 / Kiosk %s revoked", cert->common_name);
      return NULL;
    }
  return g_strdup (hub_db_get (res, 0, "kiosk_id"));
}

gboolean
hub_db_insert_records (PGconn *conn, const char *kiosk_id, const HubRecordBatch *batch, GError **error)
{
  const char *params[] = { kiosk_id, batch->records_json };

  if (batch->n_records == 0)
    return TRUE;
  /* One statement is one transaction: the whole batch or nothing. */
  return hub_db_command (conn,
                         "INSERT INTO records (kiosk_id, uuid, kind, payload)"
                         "  SELECT $1, r.uuid, r.kind, r.payload"
                         "  FROM jsonb_to_recordset ($2::jsonb) AS r (uuid uuid, kind text, payload jsonb)"
                         "  ON CONFLICT DO NOTHING",
                         2, params, error);
}

char *
hub_db_members_since (PGconn *conn, gint64 cursor, guint limit, GError **error)
{
  g_autofree char *cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  const char *params[] = { cursor_text, limit_text };
  g_autoptr (PGresult) res = NULL;

  res = hub_db_query (conn,
                      "SELECT coalesce (json_agg (json_build_object ("
                      "    'card_hash', card_hash, 'kind', kind, 'name', name,"
                      "    'valid_from', (extract (epoch FROM valid_from) * 1000000)::bigint,"
                      "    'valid_until', (extract (epoch FROM valid_until) * 1000000)::bigint,"
                      "    'status', status, 'group', member_group, 'seq', change_seq) ORDER BY change_seq), "
                      "'[]') AS members,"
                      "  coalesce (max (change_seq), $1::bigint) AS cursor, count (*) AS n"
                      "  FROM (SELECT * FROM members WHERE change_seq > $1::bigint"
                      "        ORDER BY change_seq LIMIT $2::int) m",
                      2, params, error);
  if (res == NULL)
    return NULL;
  return g_strdup_printf ("{\"members\":%s,\"cursor\":%s,\"more\":%s}", hub_db_get (res, 0, "members"),
                          hub_db_get (res, 0, "cursor"),
                          hub_db_get_int (res, 0, "n", 0) >= limit ? "true" : "false");
}

char *
hub_db_calls_since (PGconn *conn, const char *kiosk_id, gint64 cursor, guint limit, GError **error)
{
  g_autofree char *cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  const char *params[] = { kiosk_id, cursor_text, limit_text };
  g_autoptr (PGresult) res = NULL;
  gboolean more;

  /* The kiosk's hall: the one staff set for its content, else the one its
   * own tickets name. Its own tickets are sent in any case. The display is
   * public and so are these: numbers and desks, nothing personal. */
  res = hub_db_query (
      conn,
      "WITH me AS (SELECT coalesce ((SELECT hall FROM kiosk_halls WHERE kiosk_id = $1),"
      "    (SELECT payload->>'hall_id' FROM records WHERE kiosk_id = $1 AND kind = 'ticket'"
      "     ORDER BY received_at DESC LIMIT 1)) AS hall),"
      " start AS (SELECT greatest ($2::bigint, coalesce ((SELECT min (id) - 1 FROM counter_actions"
      "     WHERE at > now () - interval '1 day'), (SELECT max (id) FROM counter_actions), 0)) AS id),"
      " page AS (SELECT a.*, c.name_zh, c.name_en, r.kiosk_id = $1 AS mine FROM counter_actions a"
      "     JOIN counters c ON c.id = a.desk_id"
      "     JOIN records r ON r.kiosk_id = a.kiosk_id AND r.uuid = a.uuid"
      "     WHERE a.id > (SELECT id FROM start)"
      "       AND (r.kiosk_id = $1 OR r.payload->>'hall_id' = (SELECT hall FROM me))"
      "     ORDER BY a.id LIMIT $3::int)"
      "SELECT coalesce (json_agg (json_build_object ("
      "    'id', id, 'action', action, 'uuid', uuid, 'mine', mine, 'label', label, 'desk', desk_id,"
      "    'desk_zh', name_zh, 'desk_en', name_en, 'to_service', detail->>'to',"
      "    'at_us', (extract (epoch FROM at) * 1000000)::bigint) ORDER BY id), '[]') AS calls,"
      "  count (*) AS n, max (id) AS last_id,"
      "  greatest ($2::bigint, (SELECT coalesce (max (id), 0) FROM counter_actions)) AS newest_id"
      "  FROM page",
      3, params, error);
  if (res == NULL)
    return NULL;
  /* A full page ends at its last row; otherwise every action up to the
   * newest has been looked at (those of other halls too): skip past them. */
  more = hub_db_get_int (res, 0, "n", 0) >= limit;
  return g_strdup_printf ("{\"calls\":%s,\"cursor\":%s,\"more\":%s}", hub_db_get (res, 0, "calls"),
                          hub_db_get (res, 0, more ? "last_id" : "newest_id"), more ? "true" : "false");
}

gboolean
hub_db_heartbeat (PGconn *conn, const char *kiosk_id, const HubHeartbeat *hb, gboolean *sync_now,
                  GError **error)
{
  const char *params[] = { kiosk_id, hb->heartbeat_json };
  g_autoptr (PGresult) res = NULL;
  gint64 newest;

  /* The old sync_requested comes back, and is cleared, in one statement. */
  res = hub_db_query (
      conn,
      "UPDATE kiosks k SET last_heartbeat_at = now (), heartbeat = $2::jsonb, sync_requested = false"
      "  FROM (SELECT sync_requested FROM kiosks WHERE id = $1 FOR UPDATE) old"
      "  WHERE k.id = $1"
      "  RETURNING old.sync_requested,"
      "    (SELECT coalesce (max (change_seq), 0) FROM members) AS newest_member",
      2, params, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_UNKNOWN_KIOSK, "终端未登记 / Unknown kiosk %s", kiosk_id);
      return FALSE;
    }
  newest = hub_db_get_int (res, 0, "newest_member", 0);
  *sync_now
      = hub_db_get_bool (res, 0, "sync_requested") || (hb->member_cursor >= 0 && newest > hb->member_cursor);
  return TRUE;
}

static gboolean
enrol_work (PGconn *conn, gpointer user_data, GError **error)
{
  const HubCertInfo *cert = user_data;
  g_autofree char *not_after = g_strdup_printf ("%" G_GINT64_FORMAT, cert->not_after_us);
  const char *params[] = { cert->common_name, cert->fingerprint, cert->serial, not_after };

  return hub_db_command (conn,
                         "INSERT INTO kiosks (id) VALUES ($1)"
                         "  ON CONFLICT (id) DO UPDATE SET revoked_at = NULL",
                         1, params, error)
         && hub_db_command (conn,
                            "INSERT INTO kiosk_certs (kiosk_id, fingerprint, serial, not_after)"
                            "  VALUES ($1, $2, $3, to_timestamp ($4::bigint / 1e6))",
                            4, params, error);
}

gboolean
hub_db_enrol (PGconn *conn, const HubCertInfo *cert, GError **error)
{
  return hub_db_transaction (conn, HUB_DB_LOCK_NONE, enrol_work, (gpointer)cert, error);
}

static gboolean
update_kiosk (PGconn *conn, const char *sql, const char *kiosk_id, GError **error)
{
  const char *params[] = { kiosk_id };
  g_autoptr (PGresult) res = hub_db_query (conn, sql, 1, params, error);

  if (res == NULL)
    return FALSE;
  if (g_strcmp0 (PQcmdTuples (res), "0") == 0)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此终端 / No such kiosk: %s", kiosk_id);
      return FALSE;
    }
  return TRUE;
}

gboolean
hub_db_revoke (PGconn *conn, const char *kiosk_id, GError **error)
{
  /* One statement: the kiosk and its certificates are revoked together. */
  return update_kiosk (conn,
                       "WITH certs AS (UPDATE kiosk_certs SET revoked_at = now ()"
                       "                 WHERE kiosk_id = $1 AND revoked_at IS NULL)"
                       "UPDATE kiosks SET revoked_at = coalesce (revoked_at, now ()) WHERE id = $1",
                       kiosk_id, error);
}

gboolean
hub_db_nudge (PGconn *conn, const char *kiosk_id, GError **error)
{
  return update_kiosk (conn, "UPDATE kiosks SET sync_requested = true WHERE id = $1", kiosk_id, error);
}
