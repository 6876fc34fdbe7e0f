/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

#include "kiosk-clock.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_STORE (kiosk_store_get_type ())
G_DECLARE_FINAL_TYPE (KioskStore, kiosk_store, KIOSK, STORE, GObject)

#define KIOSK_STORE_DEFAULT_PATH "/var/lib/linli-kiosk/kiosk.db"

/* Opens (creating if needed) the database at @path, migrates it to the newest
 * schema and checks its integrity. A file that fails the check is moved aside
 * as "<path>.corrupt-<timestamp>" and a fresh database is made in its place;
 * #KioskStore:recovered-from then names the kept file. */
KioskStore *kiosk_store_open (const char *path, KioskClock *clock, GError **error);

sqlite3 *kiosk_store_get_db (KioskStore *self);
KioskClock *kiosk_store_get_clock (KioskStore *self);
const char *kiosk_store_get_path (KioskStore *self);
int kiosk_store_get_schema_version (KioskStore *self);
const char *kiosk_store_get_recovered_from (KioskStore *self);
/* FALSE after a write failed for want of disk (or an I/O error) until the next
 * write succeeds; the UI shows 暂停服务 / Out of service while it is FALSE. */
gboolean kiosk_store_get_healthy (KioskStore *self);
const char *kiosk_store_get_last_error (KioskStore *self);

/* A prepared statement from the store's cache, reset and unbound; borrowed. */
sqlite3_stmt *kiosk_store_prepare (KioskStore *self, const char *sql, GError **error);
gboolean kiosk_store_exec (KioskStore *self, const char *sql, GError **error);
/* Runs a stepped statement to completion (SQLITE_DONE), mapping errors. */
gboolean kiosk_store_step_done (KioskStore *self, sqlite3_stmt *stmt, GError **error);

/* BEGIN IMMEDIATE … COMMIT. A failed commit is rolled back. */
gboolean kiosk_store_begin (KioskStore *self, GError **error);
gboolean kiosk_store_commit (KioskStore *self, GError **error);
void kiosk_store_rollback (KioskStore *self);

/* Maps the database's last error (for @rc) into @error and updates health. */
void kiosk_store_set_error (KioskStore *self, int rc, const char *what, GError **error);

/* A version 4 UUID for a record, from the kernel's generator (libsodium).
 * Not g_uuid_string_random(): GLib's per-process PRNG is inherited by a forked
 * process, and two kiosk processes forked from one parent would then hand out
 * the same ids, which the hub's idempotent insert would drop. */
char *kiosk_uuid_new (void);

/* Inside a transaction: queue a record for the hub. @payload_json is a JSON object. */
gboolean kiosk_store_outbox_add (KioskStore *self, const char *uuid, const char *kind,
                                 const char *payload_json, GError **error);
gint64 kiosk_store_outbox_pending (KioskStore *self);

/* Records an event for staff and the hub (events table + outbox, one transaction). */
gboolean kiosk_store_report (KioskStore *self, const char *kind, const char *detail, GError **error);

/* The hub's public address for people (its web listener, where a ticket's
 * page is), as the hub last handed it over (meta "hub.public_url"): kept
 * across restarts and while offline, so slips keep their QR. NULL when the
 * hub never gave one, or what is stored no longer passes
 * kiosk_qr_check_public_url(). */
char *kiosk_store_get_public_url (KioskStore *self);
/* Stores @url after kiosk_qr_check_public_url() (KIOSK_ERROR_INVALID, and
 * the stored one kept, when it fails); NULL forgets it. */
gboolean kiosk_store_set_public_url (KioskStore *self, const char *url, GError **error);

G_END_DECLS
