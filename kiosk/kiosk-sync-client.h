/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-store.h"
#include "kiosk-sync-proto.h"

G_BEGIN_DECLS

/* How to reach the hub and how hard to try. Strings are owned. */
typedef struct
{
  char *hub_url;   /* "https://hub.example:8443" */
  char *ca_file;   /* the hub's CA (PEM): the only one trusted */
  char *cert_file; /* this kiosk's certificate (PEM) */
  char *key_file;  /* … and its key */
  guint batch_size;
  guint connect_timeout_ms;
  guint total_timeout_ms;
  guint backoff_min_ms;
  guint backoff_max_ms;
  guint idle_poll_ms;          /* how often an idle uploader looks at the outbox */
  guint members_interval_ms;   /* how often the member list is pulled */
  guint heartbeat_interval_ms; /* how often a heartbeat is sent (0: never) */
  guint calls_interval_ms;     /* how often the counters' calls are pulled */
} KioskSyncConfig;

#define KIOSK_SYNC_DEFAULT_BATCH 500

/* Defaults for everything but the four strings. */
void kiosk_sync_config_init (KioskSyncConfig *config);
KioskSyncConfig *kiosk_sync_config_copy (const KioskSyncConfig *config);
void kiosk_sync_config_free (KioskSyncConfig *config);
/* Frees the strings of a config on the stack. */
void kiosk_sync_config_clear (KioskSyncConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskSyncConfig, kiosk_sync_config_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KioskSyncConfig, kiosk_sync_config_clear)

/* Applies one page of members inside the transaction that also stores the new
 * cursor. Runs on the sync thread: touch only @store. */
typedef gboolean (*KioskSyncMembersFunc) (KioskStore *store, GPtrArray *members, gpointer user_data,
                                          GError **error);

#define KIOSK_SYNC_MEMBERS_CURSOR_KEY "hub.members_cursor"

/* Applies one page of counter actions (KioskSyncCall *) inside the
 * transaction that also stores the new cursor. Runs on the sync thread:
 * touch only @store. */
typedef gboolean (*KioskSyncCallsFunc) (KioskStore *store, GPtrArray *calls, gpointer user_data,
                                        GError **error);

#define KIOSK_SYNC_CALLS_CURSOR_KEY "hub.calls_cursor"

/* The blocking half of the sync: one libcurl handle (kept alive between
 * requests) and one connection to the kiosk database. Use from one thread;
 * KioskSync runs it on its worker thread, tests/sync-child.c in a process. */
typedef struct _KioskSyncClient KioskSyncClient;

KioskSyncClient *kiosk_sync_client_new (const char *db_path, KioskClock *clock, const KioskSyncConfig *config,
                                        GCancellable *cancellable, GError **error);
void kiosk_sync_client_free (KioskSyncClient *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskSyncClient, kiosk_sync_client_free)

KioskStore *kiosk_sync_client_get_store (KioskSyncClient *self);

/* Sends the oldest unsent outbox rows (up to the batch size) and marks sent,
 * in one transaction, the ones whose UUID the hub named. FALSE: the hub could
 * not be reached or answered badly (back off). TRUE with *@more: call again
 * at once. A batch the hub refuses as malformed is halved until the bad row
 * is alone; that row is set aside (outbox_rejected) with the hub's reason in
 * *@notice, so one bad row never stops the rest. */
gboolean kiosk_sync_client_upload (KioskSyncClient *self, guint *n_sent, gboolean *more, char **notice,
                                   GError **error);

/* Pulls members after the stored cursor, page by page, each page applied by
 * @func and the cursor advanced in one transaction. */
gboolean kiosk_sync_client_pull_members (KioskSyncClient *self, KioskSyncMembersFunc func, gpointer user_data,
                                         guint *n_applied, GError **error);
gint64 kiosk_sync_client_get_members_cursor (KioskSyncClient *self);

/* Pulls counter actions after the stored cursor (GET /v1/calls), page by
 * page, each page applied by @func and the cursor advanced in one
 * transaction. *@n_applied: actions handed to @func. */
gboolean kiosk_sync_client_pull_calls (KioskSyncClient *self, KioskSyncCallsFunc func, gpointer user_data,
                                       guint *n_applied, GError **error);
gint64 kiosk_sync_client_get_calls_cursor (KioskSyncClient *self);

/* POST /v1/heartbeat with @body_json; the public address in the reply, when
 * it changed, is stored (kiosk_store_set_public_url()). */
gboolean kiosk_sync_client_heartbeat (KioskSyncClient *self, const char *body_json, gboolean *sync_now,
                                      GError **error);

/* The hub's clock minus ours (µs), halfway through the round trip. */
gboolean kiosk_sync_client_clock_offset (KioskSyncClient *self, gint64 *offset_us, GError **error);

/* Unsent rows, including those set aside. */
gint64 kiosk_sync_client_pending (KioskSyncClient *self);

G_END_DECLS
