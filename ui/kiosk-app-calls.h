/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-content.h"
#include "kiosk-queue.h"
#include "kiosk-sync.h"

G_BEGIN_DECLS

/* The counters' calls into the kiosk: @sync pulls the hub's counter actions
 * and its thread applies each page to a sibling of @queue over the sync's
 * own database connection (kiosk_queue_apply_hub_calls(), the bundle in
 * force in @content); then, on the main context, @queue announces ::changed
 * for every queue, so the wait estimates and the home screen's "now serving"
 * are read again. Call before kiosk_sync_start(). */
void kiosk_app_calls_setup (KioskSync *sync, KioskQueue *queue, KioskContent *content);

G_END_DECLS
