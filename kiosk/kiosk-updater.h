/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-config.h"
#include "kiosk-content.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

/* Strings are borrowed for the call only; NULL or "" leaves a thing out. */
typedef struct
{
  const char *hub_url; /* "https://hub:8443"; none: the kiosk keeps what it has */
  const char *ca_file; /* the hub's pinned CA */
  const char *cert_file;
  const char *key_file;
  const char *kiosk_id;
  const char *hall;
  const char *releases_dir; /* releases/<N>/, current and previous symlinks */
  const char *fallback_dir; /* the packaged default bundle */
  const char *const *public_keys;
  guint poll_seconds;
  guint healthy_seconds; /* first frame + this long on screen: healthy (0: 60) */
  guint crash_limit;     /* runs dying before healthy that roll back (0: 3) */
  gint64 max_bytes;      /* largest release accepted */
  guint connect_timeout_seconds;
  guint timeout_seconds; /* a transfer slower than 1 byte/s this long is dropped */
} KioskUpdaterOptions;

/* Fills @options from [hub], [kiosk] and [content]; strings borrowed from @config. */
void kiosk_updater_options_from_config (KioskUpdaterOptions *options, KioskConfig *config);

/* Keeps a kiosk's content up to date from the hub: polls release.json with
 * If-None-Match, stages changed files, checks them whole and signed,
 * activates by renaming one symlink, and swaps #KioskContent on the main
 * thread. Anything wrong keeps the release in force and is reported. */
#define KIOSK_TYPE_UPDATER (kiosk_updater_get_type ())
G_DECLARE_FINAL_TYPE (KioskUpdater, kiosk_updater, KIOSK, UPDATER, GObject)

/* Counts a run of the release in force that ended before it was healthy and
 * without a clean stop, rolls back to the previous release after
 * crash_limit of them (see docs/content-releases.md), then loads
 * the bundle in force (falling back to @options->fallback_dir). Fails only
 * when no bundle at all loads. */
KioskUpdater *kiosk_updater_new (KioskStore *store, const KioskUpdaterOptions *options, GError **error);

/* The application showed its first frame with the content in force (and
 * shows each swapped bundle at once): after healthy_seconds more of the main
 * loop, which also feeds the watchdog, the release is marked healthy. */
void kiosk_updater_shown (KioskUpdater *self);
/* Records the release in force as healthy: from now on no stop of the kiosk
 * counts against it. kiosk_updater_shown() calls it when the time is up. */
void kiosk_updater_mark_healthy (KioskUpdater *self);
gboolean kiosk_updater_get_healthy (KioskUpdater *self);
/* The application is stopping on purpose (SIGTERM, systemctl stop or
 * restart, quit): this run does not count as a failure of the release. */
void kiosk_updater_record_clean_stop (KioskUpdater *self);

/* A file the application creates from its SIGTERM handler (open() and
 * close() are async-signal-safe): proof at the next start that the run was
 * stopped on purpose, even when cage, killed by the same systemctl stop,
 * takes the display away before the main loop can record it. */
const char *kiosk_updater_get_stop_marker (KioskUpdater *self);

/* The bundle in force, for the screens to bind to. */
KioskContent *kiosk_updater_get_content (KioskUpdater *self);
gint64 kiosk_updater_get_current_release (KioskUpdater *self);
/* "签名无效或密钥不受信任 / Bad signature or unknown key: …", or NULL. */
const char *kiosk_updater_get_last_error (KioskUpdater *self);
/* KIOSK_RELEASE_ERROR code of the last rejection, -1 if none or not a rejection. */
int kiosk_updater_get_last_error_code (KioskUpdater *self);
/* When the hub was last asked (whatever the answer); NULL before. */
GDateTime *kiosk_updater_get_last_check (KioskUpdater *self);
gboolean kiosk_updater_get_busy (KioskUpdater *self);

/* Polls every poll_seconds from now on, starting at once. */
void kiosk_updater_start (KioskUpdater *self);
/* Stops polling and cancels a check under way. */
void kiosk_updater_stop (KioskUpdater *self);
/* Checks at once (the heartbeat's nudge); a check under way is followed by another. */
void kiosk_updater_sync_now (KioskUpdater *self);

/* One check. Returns TRUE when nothing was wrong (new release in force, or
 * nothing new); a rejection comes back as a KIOSK_RELEASE_ERROR. */
void kiosk_updater_check_async (KioskUpdater *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
gboolean kiosk_updater_check_finish (KioskUpdater *self, GAsyncResult *result, GError **error);

G_END_DECLS
