/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-db"

#include <gio/gio.h>
#include <string.h>

#include "hub-db-query.h"

gboolean
hub_db_error_from_sqlstate (const char *sqlstate, HubErrorCode *code)
{
  /* No SQLSTATE: the server never answered (connection lost or refused). */
  if (sqlstate == NULL || strlen (sqlstate) != 5 || g_str_has_prefix (sqlstate, "08")
      || g_str_has_prefix (sqlstate, "57") || g_str_has_prefix (sqlstate, "53")
      || g_str_has_prefix (sqlstate, "40"))
    *code = HUB_ERROR_UNAVAILABLE;
  else if (g_str_equal (sqlstate, "23505") || g_str_equal (sqlstate, "23503")
           || g_str_equal (sqlstate, "23P01"))
    *code = HUB_ERROR_CONFLICT;
  else if (g_str_has_prefix (sqlstate, "23") || g_str_has_prefix (sqlstate, "22"))
    *code = HUB_ERROR_BAD_FIELD;
  else
    return FALSE;
  return TRUE;
}

/* The first line of what the server said, without "ERROR:  ". */
static char *
server_text (PGconn *conn, const PGresult *res)
{
  const char *primary = res ? PQresultErrorField (res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  const char *message = primary ? primary : res ? PQresultErrorMessage (res) : PQerrorMessage (conn);
  char *text = g_strstrip (g_strdup (message && *message ? message : "no answer from the server"));
  char *newline = strchr (text, '\n');

  if (newline != NULL)
    *newline = '\0';
  return text;
}

void
hub_db_set_error (GError **error, PGconn *conn, const PGresult *res, const char *what)
{
  /* A result without SQLSTATE on a connection that broke is a lost server;
   * the state of a server that did answer tells the rest. */
  const char *state
      = res && PQstatus (conn) == CONNECTION_OK ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *constraint = res ? PQresultErrorField (res, PG_DIAG_CONSTRAINT_NAME) : NULL;
  g_autofree char *said = server_text (conn, res);
  g_autofree char *text = what ? g_strdup_printf ("%s: %s", what, said) : g_steal_pointer (&said);
  HubErrorCode code;

  if (!hub_db_error_from_sqlstate (state, &code))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s (SQLSTATE %s)", text, state);
      return;
    }
  switch (code)
    {
      case HUB_ERROR_UNAVAILABLE:
        if (state != NULL && g_str_equal (state, "53100"))
          g_set_error (error, HUB_ERROR, code,
                       "数据库磁盘已满，请稍后再试 / Database disk full, try again later: %s", text);
        else if (state != NULL && g_str_has_prefix (state, "40"))
          g_set_error (error, HUB_ERROR, code, "数据库繁忙，请稍后再试 / Database busy, try again later: %s",
                       text);
        else
          g_set_error (error, HUB_ERROR, code,
                       "数据库不可用，请稍后再试 / Database unavailable, try again later: %s", text);
        break;
      case HUB_ERROR_CONFLICT:
        g_set_error (error, HUB_ERROR, code, "与已存数据冲突 / Conflicts with stored data: %s (%s)", text,
                     constraint ? constraint : state);
        break;
      default:
        g_set_error (error, HUB_ERROR, code, "数据无效 / Invalid data: %s (%s)", text,
                     constraint ? constraint : state);
        break;
    }
}

PGresult *
hub_db_query_binary (PGconn *conn, const char *sql, int n_params, const char *const *params,
                     const int *lengths, gboolean binary_result, GError **error)
{
  int formats[16] = { 0 };
  PGresult *res;
  ExecStatusType status;

  g_return_val_if_fail (n_params >= 0 && (lengths == NULL || n_params <= (int)G_N_ELEMENTS (formats)), NULL);

  for (int i = 0; lengths != NULL && i < n_params; i++)
    formats[i] = lengths[i] >= 0 ? 1 : 0;
  res = PQexecParams (conn, sql, n_params, NULL, params, lengths, lengths ? formats : NULL,
                      binary_result ? 1 : 0);
  status = PQresultStatus (res);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      hub_db_set_error (error, conn, res, NULL);
      PQclear (res);
      return NULL;
    }
  return res;
}

PGresult *
hub_db_query (PGconn *conn, const char *sql, int n_params, const char *const *params, GError **error)
{
  return hub_db_query_binary (conn, sql, n_params, params, NULL, FALSE, error);
}

gboolean
hub_db_command (PGconn *conn, const char *sql, int n_params, const char *const *params, GError **error)
{
  g_autoptr (PGresult) res = hub_db_query (conn, sql, n_params, params, error);
  return res != NULL;
}

gboolean
hub_db_command_binary (PGconn *conn, const char *sql, int n_params, const char *const *params,
                       const int *lengths, GError **error)
{
  g_autoptr (PGresult) res = hub_db_query_binary (conn, sql, n_params, params, lengths, FALSE, error);
  return res != NULL;
}

gboolean
hub_db_exec_script (PGconn *conn, const char *sql, const char *what, GError **error)
{
  g_autoptr (PGresult) res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    {
      hub_db_set_error (error, conn, res, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
hub_db_begin (PGconn *conn, GError **error)
{
  return hub_db_command (conn, "BEGIN", 0, NULL, error);
}

gboolean
hub_db_commit (PGconn *conn, GError **error)
{
  return hub_db_command (conn, "COMMIT", 0, NULL, error);
}

void
hub_db_rollback (PGconn *conn)
{
  if (PQstatus (conn) == CONNECTION_OK && PQtransactionStatus (conn) != PQTRANS_IDLE)
    PQclear (PQexec (conn, "ROLLBACK"));
}

gboolean
hub_db_lock_xact (PGconn *conn, HubDbLock lock, GError **error)
{
  g_autofree char *key = g_strdup_printf ("%d", (int)lock);
  const char *params[] = { key };
  return hub_db_command (conn, "SELECT pg_advisory_xact_lock ($1::bigint)", 1, params, error);
}

gboolean
hub_db_transaction (PGconn *conn, HubDbLock lock, HubDbWork work, gpointer user_data, GError **error)
{
  if (!hub_db_begin (conn, error))
    return FALSE;
  if ((lock != HUB_DB_LOCK_NONE && !hub_db_lock_xact (conn, lock, error)) || !work (conn, user_data, error)
      || !hub_db_commit (conn, error))
    {
      hub_db_rollback (conn);
      return FALSE;
    }
  return TRUE;
}

int
hub_db_column (const PGresult *res, const char *name)
{
  int column = PQfnumber (res, name);

  if (column < 0)
    g_critical ("the query has no column \"%s\"", name);
  return column;
}

const char *
hub_db_get (const PGresult *res, int row, const char *name)
{
  int column = hub_db_column (res, name);

  if (column < 0 || PQgetisnull (res, row, column))
    return NULL;
  return PQgetvalue (res, row, column);
}

gsize
hub_db_get_length (const PGresult *res, int row, const char *name)
{
  int column = hub_db_column (res, name);
  return column < 0 ? 0 : (gsize)PQgetlength (res, row, column);
}

gint64
hub_db_get_int (const PGresult *res, int row, const char *name, gint64 fallback)
{
  const char *value = hub_db_get (res, row, name);
  return value ? g_ascii_strtoll (value, NULL, 10) : fallback;
}

gboolean
hub_db_get_bool (const PGresult *res, int row, const char *name)
{
  const char *value = hub_db_get (res, row, name);
  return value != NULL && value[0] == 't';
}
