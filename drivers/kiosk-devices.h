/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-door.h"
#include "kiosk-reader-manager.h"
#include "kiosk-wedge.h"

G_BEGIN_DECLS

/* The readers and the door as kiosk.conf describes them ([readers], [door];
 * assets/kiosk.conf.example documents each key). */

/* Decoding settings: terminator, max_key_gap_ms, max_length, debounce_seconds. */
void kiosk_wedge_config_from_config (KioskConfig *config, KioskWedgeConfig *out);

/* A reader manager, not yet started, that takes the configured paths, USB ids,
 * udev-tagged devices and serial ports ("serial:ttyUSB0" for /dev/ttyUSB0).
 * KIOSK_ERROR_INVALID names a malformed usb_ids item. @clock: the kiosk's,
 * for the birth dates of ID numbers (NULL: the system clock). */
KioskReaderManager *kiosk_reader_manager_new_from_config (KioskConfig *config, KioskClock *clock,
                                                          GError **error);

/* The door relay of [door] backend: gpio (chip, line, active_low), log, or
 * none (TRUE with *@door NULL: this kiosk drives no door). A GPIO line that
 * cannot be claimed fails with the driver's error. */
gboolean kiosk_door_new_from_config (KioskConfig *config, KioskDoor **door, GError **error);

G_END_DECLS
