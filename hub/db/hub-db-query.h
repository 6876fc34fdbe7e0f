/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

#include "hub-proto.h"

G_BEGIN_DECLS

/* The one way the hub talks to PostgreSQL: every part of the hub runs its
 * SQL through these, so a failure means the same HTTP answer wherever it
 * happens (hub_db_error_from_sqlstate). Nothing here knows of HTTP handlers. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

/* Every pg_advisory_lock key the hub uses, in one list: two hubs on one
 * database must agree on them, and two uses must never share a key. */
typedef enum
{
  HUB_DB_LOCK_NONE = 0,               /* hub_db_transaction: no lock */
  HUB_DB_LOCK_MIGRATION = 7302000,    /* session lock while the schema is brought up to date */
  HUB_DB_LOCK_MEMBERS = 7302001,      /* taken by the members_seq trigger (sql/003-members.sql) */
  HUB_DB_LOCK_APPOINTMENTS = 7302003, /* taken by the appointments_seq trigger (sql/010-appointments.sql) */
  HUB_DB_LOCK_PUBLISH = 7302005,      /* a content publish picks the next release number */
  HUB_DB_LOCK_CALLING = 7302010,      /* a staff action at a counter (two desks never call one ticket) */
} HubDbLock;

/* What a failed statement means for the client, from its SQLSTATE (NULL: no
 * answer from the server). Pure.
 * - 08 connection, 57 operator intervention (shutdown), 53 insufficient
 *   resources (53100 disk full), 40 serialization/deadlock, none: UNAVAILABLE
 *   (503, try again later);
 * - 23505 unique, 23503 foreign key, 23P01 exclusion: CONFLICT (409);
 * - other 23 (check, not null) and 22 (bad data): BAD_FIELD (400);
 * - anything else is the hub's own fault: FALSE (500). */
gboolean hub_db_error_from_sqlstate (const char *sqlstate, HubErrorCode *code);

/* Sets @error from a failed @res on @conn (or @conn's own error when @res is
 * NULL): a HUB_ERROR as above with a message a person can act on, Chinese
 * first, then the server's words (after "@what: " unless @what is NULL);
 * else a G_IO_ERROR with the SQLSTATE. */
void hub_db_set_error (GError **error, PGconn *conn, const PGresult *res, const char *what);

/* Runs @sql with text parameters; the result (rows or a command's) or NULL
 * with @error. */
PGresult *hub_db_query (PGconn *conn, const char *sql, int n_params, const char *const *params,
                        GError **error);
/* The same for a statement whose result is not needed. */
gboolean hub_db_command (PGconn *conn, const char *sql, int n_params, const char *const *params,
                         GError **error);
/* With binary parameters where @lengths[i] >= 0 (bytea), and binary results
 * when @binary_result (bytea then comes back as raw bytes). At most 16
 * parameters when @lengths is given. */
PGresult *hub_db_query_binary (PGconn *conn, const char *sql, int n_params, const char *const *params,
                               const int *lengths, gboolean binary_result, GError **error);
gboolean hub_db_command_binary (PGconn *conn, const char *sql, int n_params, const char *const *params,
                                const int *lengths, GError **error);

/* Runs several statements separated by ';' (the simple protocol; a
 * migration file). */
gboolean hub_db_exec_script (PGconn *conn, const char *sql, const char *what, GError **error);

/* Transactions. hub_db_rollback never fails (a lost connection has no
 * transaction left to roll back). */
gboolean hub_db_begin (PGconn *conn, GError **error);
gboolean hub_db_commit (PGconn *conn, GError **error);
void hub_db_rollback (PGconn *conn);

/* Takes @lock until the current transaction ends. */
gboolean hub_db_lock_xact (PGconn *conn, HubDbLock lock, GError **error);

typedef gboolean (*HubDbWork) (PGconn *conn, gpointer user_data, GError **error);

/* BEGIN, @lock (HUB_DB_LOCK_NONE: none) for the transaction, @work, COMMIT; a ROLLBACK when
 * any step fails. */
gboolean hub_db_transaction (PGconn *conn, HubDbLock lock, HubDbWork work, gpointer user_data,
                             GError **error);

/* Result columns by name (the SELECT's alias): a query can change its column
 * order without every reader changing. A name the result lacks is a bug in
 * the hub: a critical warning, and NULL/@fallback. */
int hub_db_column (const PGresult *res, const char *name);
/* The value, NULL for SQL NULL. */
const char *hub_db_get (const PGresult *res, int row, const char *name);
/* The value's length in bytes (binary results). */
gsize hub_db_get_length (const PGresult *res, int row, const char *name);
gint64 hub_db_get_int (const PGresult *res, int row, const char *name, gint64 fallback);
gboolean hub_db_get_bool (const PGresult *res, int row, const char *name);

G_END_DECLS
