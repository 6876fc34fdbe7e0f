/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-printer.h"
#include "kiosk-queue.h"

G_BEGIN_DECLS

/* The kiosk's queue and printer as kiosk.conf describes them. */

/* The hall's queue over @store and @bundle: [kiosk] hall and id, the kiosk's
 * key from [kiosk] secret_file (32 random bytes written there, mode 0600, at
 * the first start), and the [queue] keys. */
KioskQueue *kiosk_queue_new_from_config (KioskConfig *config, KioskStore *store, KioskBundle *bundle,
                                         GError **error);

/* The receipt printer of [printer]: usb, serial, tcp or folder, with its
 * timeout and status polling; status changes are recorded in @store (may be
 * NULL). NULL without an error for transport = none. */
KioskPrinter *kiosk_printer_new_from_config (KioskConfig *config, KioskStore *store, GError **error);

G_END_DECLS
