/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* The console's drafts (sql/010-content-drafts.sql) and what is live. */

/* The newest release a kiosk of @target receives ("all", or "hall:ID" and
 * "all"): its number, 0 when none was ever published. -1 with @error. */
gint64 hub_db_live_release (PGconn *conn, const char *target, GError **error);

/* The bytes of @path in release @release; NULL without @error when absent. */
GBytes *hub_db_release_file (PGconn *conn, gint64 release, const char *path, GError **error);

/* {"version","announcements","updated_by","updated_at"} of @target's draft,
 * or NULL without @error when there is none. */
char *hub_db_draft_get (PGconn *conn, const char *target, GError **error);

/* Saves @announcements (a JSON array) as @target's draft, if its version is
 * still @version (0: there is none yet); the new version. 0 without @error
 * when someone else saved first. */
int hub_db_draft_save (PGconn *conn, const char *target, int version, const char *announcements,
                       const char *actor, GError **error);

/* Removes @target's draft if its version is @version; FALSE without @error
 * when it is not. */
gboolean hub_db_draft_take (PGconn *conn, const char *target, int version, char **announcements,
                            GError **error);

G_END_DECLS
