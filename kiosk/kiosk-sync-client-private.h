/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-sync-client.h"

G_BEGIN_DECLS

/* For pulls kept in their own files (kiosk-sync-appointments.c). */

/* GET @path (e.g. "/v1/appointments?cursor=3") on the kept-alive handle.
 * FALSE: no answer. Otherwise *@status is the HTTP status and @data/@length
 * the body, valid until the next request. */
gboolean kiosk_sync_client_get (KioskSyncClient *self, const char *path, long *status, const char **data,
                                gsize *length, GError **error);
/* The error for a reply that is not 200, with the hub's reason. */
void kiosk_sync_client_set_status_error (KioskSyncClient *self, long status, GError **error);
/* The cursor stored under @key in meta (0: none). */
gint64 kiosk_sync_client_get_cursor (KioskSyncClient *self, const char *key);
/* @rows given to @func and @cursor stored under @key, in one transaction. */
gboolean kiosk_sync_client_apply_page (KioskSyncClient *self, const char *key, gint64 cursor, GPtrArray *rows,
                                       KioskSyncMembersFunc func, gpointer user_data, GError **error);

G_END_DECLS
