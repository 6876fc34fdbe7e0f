/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "kiosk-release.h"
#include "kiosk-store.h"
#include "kiosk-updater.h"

G_BEGIN_DECLS

/* The kiosk side against a stand-in hub: a SoupServer on 127.0.0.1 that
 * serves /v1/content/release.json (with ETag and 304), release.sig and
 * files/<sha256> from a folder, as the real hub will. The Fixture and the
 * helpers below are shared by test-updater.c, test-updater-rejected.c and
 * test-updater-rollback.c. */

typedef struct
{
  char *tmp;
  char *hub;          /* release.json, release.sig, files/<sha256> */
  char *releases_dir; /* the kiosk's */
  char *tmpfs;        /* mounted tiny tmpfs, or NULL */
  char *url;
  char *public_b64;
  guint8 secret[crypto_sign_SECRETKEYBYTES];
  const char *keys[2];
  gint64 max_bytes;
  guint healthy_seconds; /* 0: the updater's default */
  SoupServer *server;
  KioskClock *clock;
  KioskStore *store;
  KioskUpdater *updater;
  guint json_200, json_304, files_served;
} Fixture;

void fixture_setup (Fixture *f, gconstpointer data);
void fixture_teardown (Fixture *f, gconstpointer data);
/* Lets the worker thread drop its last reference before the leak check. */
void drop_updater (Fixture *f);
/* A new updater (a kiosk start) in place of the one in f->updater. */
void make_updater (Fixture *f, guint poll_seconds);
void write_file (const char *dir, const char *rel, const void *data, gsize length);
/* A bundle folder for release @n: the default manifest renumbered, a news
 * file that changes every release, a logo that never does, and optionally
 * a big file. */
char *build_release (Fixture *f, gint64 n, const char *manifest_override, gsize big_bytes);
/* Builds, signs and serves release @n (@secret NULL: the trusted key). */
void publish_full (Fixture *f, gint64 n, const char *target, GDateTime *not_before, const guint8 *secret,
                   const char *manifest_override, gsize big_bytes);
void publish (Fixture *f, gint64 n);
/* Checks the hub once and waits in the main loop. */
gboolean check (Fixture *f, GError **error);
void check_ok (Fixture *f);
/* The release on screen, and the release a link in the releases folder names (0: none). */
gint64 bundle_release (Fixture *f);
gint64 link_release (Fixture *f, const char *name);
gboolean release_on_disk (Fixture *f, gint64 n);
gint64 count_events (Fixture *f, const char *kind, const char *like);
/* Status records for the hub in the outbox whose payload is LIKE @like. */
gint64 count_outbox_status (Fixture *f, const char *like);
void assert_no_leftovers (Fixture *f);
/* A notify handler that counts into the guint at @user_data. */
void count_notify (GObject *object, GParamSpec *pspec, gpointer user_data);

G_END_DECLS
