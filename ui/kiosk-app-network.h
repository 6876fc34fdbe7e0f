/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-sync.h"
#include "kiosk-updater.h"

G_BEGIN_DECLS

/* The kiosk's link to the hub, when [hub] url is set: KioskSync (outbox
 * upload, member list into the fitness credentials, heartbeat) and
 * KioskUpdater (content releases, swapped into the application's
 * KioskContent live). Without a url nothing is started. */

/* Call from startup, after the config, clock, store and content exist, and
 * after g_unix_signal_add() for SIGTERM and SIGINT (their handlers are
 * chained behind one that writes the updater's stop marker).
 * @content is the application's: screens bound to it swap with each release. */
void kiosk_app_network_setup (GApplication *app, KioskConfig *config, KioskClock *clock, KioskStore *store,
                              KioskContent *content);
/* The first frame is on screen: the content in force is timed towards
 * healthy (kiosk_updater_shown()). */
void kiosk_app_network_shown (GApplication *app);
/* A stop on purpose (SIGTERM, quit): recorded at once, so this run of the
 * content in force is not counted as one that died. */
void kiosk_app_network_clean_stop (GApplication *app);
/* Call from shutdown: records a clean stop, stops both workers and drops them. */
void kiosk_app_network_teardown (GApplication *app);

/* For the staff panel: pending, last-success, last-error are properties of
 * the sync; last-error, current-release, last-check of the updater. NULL
 * without a hub (or before setup). */
KioskSync *kiosk_app_network_get_sync (GApplication *app);
KioskUpdater *kiosk_app_network_get_updater (GApplication *app);
/* TRUE while the first HTTPS call waits for the system clock to be synchronised. */
gboolean kiosk_app_network_get_waiting_for_time (GApplication *app);

/* The member rows of the hub as fitness members (pure, for tests). Dates in
 * @tz. FALSE with KIOSK_ERROR_INVALID for a row that cannot be one. */
gboolean kiosk_app_network_members_from_sync (GPtrArray *rows, GTimeZone *tz, GPtrArray *out, GError **error);

G_END_DECLS
