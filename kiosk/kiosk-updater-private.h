/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-bundle.h"
#include "kiosk-updater.h"

G_BEGIN_DECLS

#define KIOSK_UPDATER_CURRENT "current"
#define KIOSK_UPDATER_PREVIOUS "previous"
#define KIOSK_UPDATER_RELEASES "releases"
#define KIOSK_UPDATER_STOP_MARKER "stopped-cleanly"

typedef enum
{
  KIOSK_CHECK_NOT_MODIFIED,
  KIOSK_CHECK_DEFERRED, /* signed and for us, but not_before is still ahead */
  KIOSK_CHECK_ACTIVATED,
} KioskCheckOutcome;

/* One check, run in a worker thread: everything it needs is copied in, so
 * the thread touches neither the store nor any object of the main thread. */
typedef struct
{
  /* In */
  char *hub_url;
  char *ca_file;
  char *cert_file;
  char *key_file;
  char *kiosk_id;
  char *hall;
  char *releases_dir;
  GStrv public_keys;
  gint64 max_bytes;
  guint connect_timeout_seconds;
  guint timeout_seconds;
  gint64 floor;      /* a release must be newer than this */
  gint64 in_force;   /* the release in force: offered again, it is no news */
  char *current_dir; /* the release in force, to reuse its files */
  char *etag;        /* sent as If-None-Match */
  gint64 now_us;     /* for not_before */

  /* Out */
  KioskCheckOutcome outcome;
  char *new_etag;         /* remember it: a 304 then means "still the same" */
  gboolean remember_etag; /* FALSE after a failure worth retrying */
  gint64 release;
  KioskBundle *bundle;
  guint files_fetched;
  guint files_reused;
  gint64 bytes_fetched;
} KioskCheckJob;

void kiosk_check_job_free (KioskCheckJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskCheckJob, kiosk_check_job_free)

/* GTaskThreadFunc: task data is a KioskCheckJob; returns a boolean. */
void kiosk_updater_check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable);

/* The release a symlink in @releases_dir points at ("releases/12" → 12), 0 if none. */
gint64 kiosk_updater_read_link (const char *releases_dir, const char *name);
/* Points @name at @target by renaming a fresh symlink over it, then fsyncs
 * the folder: the link is always either the old or the new one. */
gboolean kiosk_updater_replace_link (const char *releases_dir, const char *name, const char *target,
                                     GError **error);
gboolean kiosk_updater_remove_link (const char *releases_dir, const char *name, GError **error);
char *kiosk_updater_release_dir (const char *releases_dir, gint64 release);
void kiosk_updater_remove_tree (const char *path);
/* Removes staging leftovers and releases other than @keep_a and @keep_b. */
void kiosk_updater_prune (const char *releases_dir, gint64 keep_a, gint64 keep_b);

G_END_DECLS
