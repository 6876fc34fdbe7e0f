/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-db"

#include "hub-db-staff.h"

#include "hub-db-query.h"

static const char *const role_names[] = { "counter", "editor", "publisher", "admin" };

const char *
hub_role_to_string (HubRole role)
{
  g_return_val_if_fail (role <= HUB_ROLE_ADMIN, NULL);
  return role_names[role];
}

gboolean
hub_role_from_string (const char *text, HubRole *role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (g_strcmp0 (text, role_names[i]) == 0)
      {
        *role = (HubRole)i;
        return TRUE;
      }
  return FALSE;
}

void
hub_staff_account_free (HubStaffAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->name);
  g_free (account->display_name);
  g_free (account->hall);
  g_free (account->password_hash);
  g_free (account);
}

#define ACCOUNT_COLUMNS                                                                                      \
  "a.id, a.name, a.display_name, a.role, a.hall, a.password_hash, a.disabled, a.must_change_password"

static HubStaffAccount *
account_from_row (const PGresult *res, int row)
{
  HubStaffAccount *a = g_new0 (HubStaffAccount, 1);

  a->id = hub_db_get_int (res, row, "id", 0);
  a->name = g_strdup (hub_db_get (res, row, "name"));
  a->display_name = g_strdup (hub_db_get (res, row, "display_name"));
  if (!hub_role_from_string (hub_db_get (res, row, "role"), &a->role))
    a->role = HUB_ROLE_COUNTER; /* the schema's CHECK makes this unreachable */
  a->hall = g_strdup (hub_db_get (res, row, "hall"));
  a->password_hash = g_strdup (hub_db_get (res, row, "password_hash"));
  a->disabled = hub_db_get_bool (res, row, "disabled");
  a->must_change_password = hub_db_get_bool (res, row, "must_change_password");
  return a;
}

gint64
hub_db_staff_add (PGconn *conn, const HubStaffAccount *account, GError **error)
{
  const char *params[] = { account->name, account->display_name,  hub_role_to_string (account->role),
                           account->hall, account->password_hash, account->must_change_password ? "t" : "f" };
  g_autoptr (PGresult) res
      = hub_db_query (conn,
                      "INSERT INTO staff_accounts (name, display_name, role, hall, password_hash, "
                      "must_change_password) VALUES ($1, $2, $3, $4, $5, $6::boolean) RETURNING id",
                      G_N_ELEMENTS (params), params, error);

  return res != NULL ? hub_db_get_int (res, 0, "id", 0) : 0;
}

HubStaffAccount *
hub_db_staff_find (PGconn *conn, const char *name, GError **error)
{
  const char *params[] = { name };
  g_autoptr (PGresult) res = hub_db_query (
      conn, "SELECT " ACCOUNT_COLUMNS " FROM staff_accounts a WHERE a.name = $1", 1, params, error);

  return res != NULL && PQntuples (res) == 1 ? account_from_row (res, 0) : NULL;
}

char *
hub_db_staff_list_json (PGconn *conn, const char *hall, GError **error)
{
  const char *params[] = { hall };
  g_autoptr (PGresult) res = hub_db_query (
      conn,
      "SELECT coalesce (json_agg (json_build_object ('name', name, 'display_name', display_name, 'role', "
      "role, "
      "'hall', hall, 'disabled', disabled, 'created_at', created_at) ORDER BY name), '[]') AS list "
      "FROM staff_accounts WHERE $1::text IS NULL OR hall = $1",
      1, params, error);

  return res != NULL ? g_strdup (hub_db_get (res, 0, "list")) : NULL;
}

gboolean
hub_db_staff_set_disabled (PGconn *conn, const char *name, gboolean disabled, GError **error)
{
  const char *params[] = { name, disabled ? "t" : "f" };
  g_autoptr (PGresult) res = hub_db_query (
      conn,
      "WITH a AS (UPDATE staff_accounts SET disabled = $2::boolean WHERE name = $1 RETURNING id), "
      "s AS (DELETE FROM staff_sessions WHERE $2::boolean AND account_id IN (SELECT id FROM a)) "
      "SELECT count(*) AS n FROM a",
      2, params, error);

  return res != NULL && hub_db_get_int (res, 0, "n", 0) == 1;
}

gboolean
hub_db_staff_set_password (PGconn *conn, const char *name, const char *password_hash, gboolean must_change,
                           GError **error)
{
  const char *params[] = { name, password_hash, must_change ? "t" : "f" };
  g_autoptr (PGresult) res = hub_db_query (
      conn,
      "WITH a AS (UPDATE staff_accounts SET password_hash = $2, must_change_password = $3::boolean, "
      "password_changed_at = now() WHERE name = $1 RETURNING id), "
      "s AS (DELETE FROM staff_sessions WHERE account_id IN (SELECT id FROM a)) "
      "SELECT count(*) AS n FROM a",
      3, params, error);

  return res != NULL && hub_db_get_int (res, 0, "n", 0) == 1;
}

gint64
hub_db_staff_count_admins (PGconn *conn, const char *except, GError **error)
{
  const char *params[] = { except };
  g_autoptr (PGresult) res
      = hub_db_query (conn,
                      "SELECT count(*) AS n FROM staff_accounts WHERE role = 'admin' AND NOT disabled "
                      "AND ($1::text IS NULL OR name <> $1)",
                      1, params, error);

  return res != NULL ? hub_db_get_int (res, 0, "n", -1) : -1;
}

gboolean
hub_db_session_create (PGconn *conn, const char *token_hash, gint64 account_id, const char *csrf,
                       const char *address, GError **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, account_id);
  const char *params[] = { token_hash, id, csrf, address };

  return hub_db_command (conn,
                         "INSERT INTO staff_sessions (token_hash, account_id, csrf, address) "
                         "VALUES (decode ($1, 'hex'), $2::bigint, $3, $4)",
                         G_N_ELEMENTS (params), params, error);
}

HubStaffAccount *
hub_db_session_find (PGconn *conn, const char *token_hash, guint idle_s, guint absolute_s, char **csrf,
                     GError **error)
{
  g_autofree char *idle = g_strdup_printf ("%u", idle_s), *absolute = g_strdup_printf ("%u", absolute_s);
  const char *params[] = { token_hash, idle, absolute };
  g_autoptr (PGresult) res
      = hub_db_query (conn,
                      "UPDATE staff_sessions s SET last_seen = now() FROM staff_accounts a "
                      "WHERE s.token_hash = decode ($1, 'hex') AND a.id = s.account_id AND NOT a.disabled "
                      "AND s.last_seen > now() - make_interval (secs => $2::int) "
                      "AND s.created_at > now() - make_interval (secs => $3::int) "
                      "RETURNING s.csrf, " ACCOUNT_COLUMNS,
                      G_N_ELEMENTS (params), params, error);

  if (res == NULL || PQntuples (res) != 1)
    return NULL;
  if (csrf != NULL)
    *csrf = g_strdup (hub_db_get (res, 0, "csrf"));
  return account_from_row (res, 0);
}

gboolean
hub_db_session_delete (PGconn *conn, const char *token_hash, GError **error)
{
  const char *params[] = { token_hash };

  return hub_db_command (conn, "DELETE FROM staff_sessions WHERE token_hash = decode ($1, 'hex')", 1, params,
                         error);
}

gboolean
hub_db_login_failures (PGconn *conn, const char *name, const char *address, guint window_s, guint *by_name,
                       gint64 *last_by_name_us, guint *by_address, gint64 *last_by_address_us, GError **error)
{
  g_autofree char *window = g_strdup_printf ("%u", window_s);
  const char *params[] = { name, address, window };
  g_autoptr (PGresult) res
      = hub_db_query (conn,
                      "SELECT count(*) FILTER (WHERE name = $1) AS by_name, "
                      "coalesce ((extract (epoch FROM max (at) FILTER (WHERE name = $1)) * 1000000)::bigint, "
                      "0) AS last_name, "
                      "count(*) FILTER (WHERE address = $2) AS by_address, "
                      "coalesce ((extract (epoch FROM max (at) FILTER (WHERE address = $2)) * "
                      "1000000)::bigint, 0) AS last_address "
                      "FROM staff_login_failures WHERE at > now() - make_interval (secs => $3::int) "
                      "AND (name = $1 OR address = $2)",
                      G_N_ELEMENTS (params), params, error);

  if (res == NULL)
    return FALSE;
  *by_name = (guint)hub_db_get_int (res, 0, "by_name", 0);
  *last_by_name_us = hub_db_get_int (res, 0, "last_name", 0);
  *by_address = (guint)hub_db_get_int (res, 0, "by_address", 0);
  *last_by_address_us = hub_db_get_int (res, 0, "last_address", 0);
  return TRUE;
}

gboolean
hub_db_login_failure_add (PGconn *conn, const char *name, const char *address, GError **error)
{
  const char *params[] = { name, address };

  /* Old rows go as new ones come: the table never grows past a day's worth. */
  return hub_db_command (conn,
                         "WITH old AS (DELETE FROM staff_login_failures WHERE at < now() - interval '1 day') "
                         "INSERT INTO staff_login_failures (name, address) VALUES ($1, $2)",
                         2, params, error);
}

gboolean
hub_db_login_failures_clear (PGconn *conn, const char *name, GError **error)
{
  const char *params[] = { name };

  return hub_db_command (conn, "DELETE FROM staff_login_failures WHERE name = $1", 1, params, error);
}

gboolean
hub_db_audit_add (PGconn *conn, gint64 account_id, const char *actor, const char *address, const char *action,
                  const char *target, const char *hall, const char *details, GError **error)
{
  g_autofree char *id = account_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, account_id) : NULL;
  const char *params[] = { id, actor, address, action, target, hall, details };

  return hub_db_command (conn,
                         "INSERT INTO audit_log (account_id, actor, address, action, target, hall, details) "
                         "VALUES ($1::bigint, $2, $3, $4, $5, $6, $7::jsonb)",
                         G_N_ELEMENTS (params), params, error);
}

char *
hub_db_audit_list_json (PGconn *conn, const char *hall, const char *action, const char *actor, guint limit,
                        GError **error)
{
  g_autofree char *n = g_strdup_printf ("%u", limit);
  const char *params[] = { hall, action, actor, n };
  g_autoptr (PGresult) res = hub_db_query (
      conn,
      "SELECT coalesce (json_agg (json_build_object ('at', at, 'actor', actor, 'address', address, "
      "'action', action, 'target', target, 'hall', hall, 'details', details) ORDER BY id DESC), '[]') AS "
      "list "
      "FROM (SELECT * FROM audit_log WHERE ($1::text IS NULL OR hall = $1) "
      "AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR actor = $3) "
      "ORDER BY id DESC LIMIT $4::int) AS recent",
      G_N_ELEMENTS (params), params, error);

  return res != NULL ? g_strdup (hub_db_get (res, 0, "list")) : NULL;
}
