/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <libpq-fe.h>

#include "hub-cert.h"
#include "hub-db-query.h"
#include "hub-proto.h"

G_BEGIN_DECLS

/* The hub's database layer (hub/db/): the connection pool, the schema, and
 * the kiosks' queries. The statements themselves, their errors, locks and
 * columns go through hub-db-query.h; what the published content says
 * through hub-db-published.h. Nothing in hub/db/ includes a handler. */

#define HUB_TYPE_DB (hub_db_get_type ())
G_DECLARE_FINAL_TYPE (HubDb, hub_db, HUB, DB, GObject)

/* Connects @pool_size connections to @conninfo and brings the schema up to
 * date (the .sql files of hub/sql, in order, each in one transaction). */
HubDb *hub_db_open (const char *conninfo, guint pool_size, GError **error);

/* A connection for one request, from any thread; waits while all are busy.
 * A connection that broke is reset before it is handed out. */
PGconn *hub_db_acquire (HubDb *self, GError **error);
void hub_db_release (HubDb *self, PGconn *conn);

/* Applies the migrations not yet recorded in schema_migrations. */
gboolean hub_db_migrate (PGconn *conn, GError **error);
/* The newest schema version applied (0: none). */
int hub_db_schema_version (PGconn *conn, GError **error);

/* The kiosk id that @cert may act as, or a HUB_ERROR_UNKNOWN_KIOSK /
 * HUB_ERROR_REVOKED error with the reason. */
char *hub_db_authorize (PGconn *conn, const HubCertInfo *cert, GError **error);

/* Stores @batch for @kiosk_id in one statement; records already there are skipped. */
gboolean hub_db_insert_records (PGconn *conn, const char *kiosk_id, const HubRecordBatch *batch,
                                GError **error);

/* The reply to GET /v1/members: {"members":[…],"cursor":N,"more":bool}. */
char *hub_db_members_since (PGconn *conn, gint64 cursor, guint limit, GError **error);

/* The reply to GET /v1/calls: the counter actions (next, call, recall,
 * served, no_show, transfer) of the last day on tickets of @kiosk_id's hall,
 * after @cursor: {"calls":[{id,action,uuid,mine,label,desk,desk_zh,desk_en,
 * to_service,at_us},…],"cursor":N,"more":bool}. */
char *hub_db_calls_since (PGconn *conn, const char *kiosk_id, gint64 cursor, guint limit, GError **error);

/* Stores the heartbeat; *@sync_now is TRUE when the kiosk should sync at once
 * (staff asked for it, or members changed after the kiosk's cursor). */
gboolean hub_db_heartbeat (PGconn *conn, const char *kiosk_id, const HubHeartbeat *hb, gboolean *sync_now,
                           GError **error);

/* Admin: registers @cert for @kiosk_id (creating or re-enabling the kiosk). */
gboolean hub_db_enrol (PGconn *conn, const HubCertInfo *cert, GError **error);
/* Admin: revokes the kiosk and all its certificates. */
gboolean hub_db_revoke (PGconn *conn, const char *kiosk_id, GError **error);
/* Admin: the kiosk's next heartbeat reply says sync_now. */
gboolean hub_db_nudge (PGconn *conn, const char *kiosk_id, GError **error);

/* Connects one connection (admin commands), with an error that says why not. */
PGconn *hub_db_connect (const char *conninfo, GError **error);

G_END_DECLS
