/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-clock.h"
#include "kiosk-sync-client.h"

G_BEGIN_DECLS

#define KIOSK_TYPE_SYNC (kiosk_sync_get_type ())
G_DECLARE_FINAL_TYPE (KioskSync, kiosk_sync, KIOSK, SYNC, GObject)

/* Offline-first sync with the hub: uploads the outbox, pulls the member list,
 * sends heartbeats. All network and database work runs on one worker thread
 * (a GTask in a thread) with its own database connection; properties change
 * on the main context the object was made on, so the staff panel can bind
 * them. */
KioskSync *kiosk_sync_new (const char *db_path, KioskClock *clock, const KioskSyncConfig *config);

/* Signal "sync-now" (no arguments, main context): a heartbeat reply asked
 * the kiosk to sync at once; the member list is pulled already, the content
 * updater should check. */

/* Starts the worker; idempotent. */
void kiosk_sync_start (KioskSync *self);
/* Stops the worker and waits for it (an ongoing transfer is aborted). */
void kiosk_sync_stop (KioskSync *self);
/* New records are in the outbox, or staff pressed "sync now": try at once,
 * forgetting any backoff. */
void kiosk_sync_wake (KioskSync *self);

/* Where pulled members go (see KioskSyncMembersFunc); set before start. */
void kiosk_sync_set_members_func (KioskSync *self, KioskSyncMembersFunc func, gpointer user_data,
                                  GDestroyNotify destroy);

/* Where pulled counter actions go (see KioskSyncCallsFunc); set before
 * start. They are pulled every calls_interval_ms, at once on a heartbeat's
 * "sync now" or a wake-up; signal "calls-applied" (no arguments, main
 * context) follows every pull that applied any. */
void kiosk_sync_set_calls_func (KioskSync *self, KioskSyncCallsFunc func, gpointer user_data,
                                GDestroyNotify destroy);

/* Whether to pull the hub's bookings into the store's appointments table
 * (kiosk-sync-appointments.h), on the members' interval. Their hashes are
 * made with the card key: pull only when the queue checks in with it. */
void kiosk_sync_set_appointments (KioskSync *self, gboolean pull);

/* What the next heartbeat reports. @device is "printer" or "reader". */
void kiosk_sync_set_versions (KioskSync *self, const char *software_version, const char *content_release);
void kiosk_sync_set_device_health (KioskSync *self, const char *device, gboolean ok, const char *detail);
void kiosk_sync_set_last_touch (KioskSync *self, gint64 last_touch_us);

gint64 kiosk_sync_get_pending (KioskSync *self);
gint64 kiosk_sync_get_last_success (KioskSync *self);
const char *kiosk_sync_get_last_error (KioskSync *self);
gint64 kiosk_sync_get_clock_offset (KioskSync *self);

/* The heartbeat body (pure, for tests): @rss_kb < 0 leaves it out. */
char *kiosk_sync_heartbeat_json (const char *software_version, const char *content_release, gint64 uptime_s,
                                 gint64 rss_kb, const char *printer_json, const char *reader_json,
                                 gint64 last_touch_us, gint64 member_cursor);

G_END_DECLS
