/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libpq-fe.h>
#include <libsoup/soup.h>
#include <sodium.h>

#include "hub-db.h"

G_BEGIN_DECLS

/* Content releases on the hub (docs/content-releases.md): publishing signs a
 * copy of a bundle folder with kiosk-core's functions and stores its files by
 * SHA-256 in PostgreSQL; kiosks fetch release.json, release.sig and
 * files/<sha256> over the mutual-TLS API. */

/* Signs a copy of @dir as the next release (the higher of manifest.json's
 * number and the newest published + 1; manifest.json in the copy is given that
 * number) and stores it. @target NULL means "all"; @rollback_of is 0 or the
 * release whose content this re-publishes. *@release_out: the number given. */
gboolean hub_content_publish_dir (PGconn *conn, const char *dir,
                                  const guint8 secret[crypto_sign_SECRETKEYBYTES], const char *target,
                                  GDateTime *not_before, gint64 rollback_of, gint64 *release_out,
                                  GError **error);

/* Publishes release @release's content again under a new, higher number (a
 * kiosk refuses anything not newer than what it has); @target NULL keeps the
 * old release's target. */
gboolean hub_content_rollback (PGconn *conn, gint64 release, const guint8 secret[crypto_sign_SECRETKEYBYTES],
                               const char *target, gint64 *release_out, GError **error);

/* Writes release @release's files into a new temporary folder (its path;
 * remove it with hub_content_remove_tree), and *@target its target. */
char *hub_content_extract (PGconn *conn, gint64 release, char **target, GError **error);
void hub_content_remove_tree (const char *dir);

/* One line per release, newest first: number, target, not_before, files, bytes. */
char *hub_content_list (PGconn *conn, GError **error);

/* Which hall @kiosk_id stands in, for "hall:ID" targets. */
gboolean hub_content_set_hall (PGconn *conn, const char *kiosk_id, const char *hall, GError **error);

/* What GET /v1/content/@name returns to @kiosk_id: "release.json",
 * "release.sig" (of the newest release in force for it) or "files/<sha256>".
 * HUB_ERROR_NOT_FOUND when there is none. */
gboolean hub_content_lookup (PGconn *conn, const char *kiosk_id, const char *name, GBytes **body, char **etag,
                             GError **error);

/* Serves /v1/content/ on @server (mutual TLS as the rest of the API). */
void hub_content_serve (SoupServer *server, HubDb *db);

/* linli-hub content publish|list|rollback|hall …; an exit status. */
int hub_content_command (const char *conninfo, const char *key_path, const char *target,
                         const char *not_before, int argc, char **argv, GError **error);

G_END_DECLS
