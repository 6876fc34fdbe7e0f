/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hub-db-query.h"

G_BEGIN_DECLS

/* What the published content says, for the hub's own pages: the same
 * manifest.json the kiosks load (validated whole by kiosk_bundle_load when it
 * was published), read in place from content_files. A centre's shared
 * screens (counters, the hall display) follow the releases not aimed at one
 * kiosk. */

/* Every service named by the newest release in force of each target ("all",
 * "hall:…"), the newest release winning for an id: rows id, name_zh, name_en.
 * No rows before anything is published. */
PGresult *hub_db_service_names (PGconn *conn, GError **error);

/* The announcements valid now in the newest release in force for @hall
 * ("all" or "hall:@hall"; @hall NULL: any but a single kiosk's), in
 * manifest order: rows id, title_zh, title_en, body_zh, body_en. */
PGresult *hub_db_announcements (PGconn *conn, const char *hall, GError **error);

G_END_DECLS
