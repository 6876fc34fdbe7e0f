/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* The console's drafts (sql/009-content-drafts.sql) and what is live. */

/* The newest release a kiosk of @target receives ("all", or "hall:ID" and
 * "all"): its number, 0 when none was ever published. -1 with @error. */
gint64 hub_db_live_release (PGconn *conn, const char *target, GError **error);

/* The bytes of @path in release @release; NULL without @error when absent. */
GBytes *hub_db_release_file (PGconn *conn, gint64 release, const char *path, GError **error);

/* The manifest sections a draft may hold. */
typedef enum
{
  HUB_DRAFT_ANNOUNCEMENTS, /* an array */
  HUB_DRAFT_HOURS,         /* an object: hours id -> hours */
} HubDraftSection;

const char *hub_draft_section_name (HubDraftSection section);

/* {"version","announcements","hours","updated_by","updated_at"} of @target's
 * draft (a section not edited is null), or NULL without @error when there is
 * none. */
char *hub_db_draft_get (PGconn *conn, const char *target, GError **error);

/* Saves @value (JSON) as @section of @target's draft, if the draft's version
 * is still @version (0: there is none yet); the new version. 0 without
 * @error when someone else saved first. */
int hub_db_draft_save (PGconn *conn, const char *target, int version, HubDraftSection section,
                       const char *value, const char *actor, GError **error);

/* Removes @target's draft if its version is @version; FALSE without @error
 * when it is not. */
gboolean hub_db_draft_take (PGconn *conn, const char *target, int version, GError **error);

/* The newest @limit releases a kiosk of @target may receive (NULL: every
 * release): [{"release","target","published_at","rollback_of"},…]. */
char *hub_db_releases_json (PGconn *conn, const char *target, guint limit, GError **error);

/* The target of release @release; NULL without @error when there is none. */
char *hub_db_release_target (PGconn *conn, gint64 release, GError **error);

/* Each kiosk of @hall (NULL: all) with the content release it last reported:
 * [{"kiosk","hall","content_release","last_heartbeat_at"},…]. */
char *hub_db_kiosk_releases_json (PGconn *conn, const char *hall, GError **error);

G_END_DECLS
