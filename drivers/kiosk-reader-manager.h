/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-card.h"
#include "kiosk-reader-health.h"
#include "kiosk-wedge.h"

G_BEGIN_DECLS

/* Finds the badge, card and QR readers among the input devices, takes each
 * for itself (an exclusive grab: the digits never reach the UI), decodes what
 * it types and emits:
 *   ::read (const char *reader_id, KioskCardRead *read)
 *   ::reader-added (const char *reader_id), ::reader-removed (const char *reader_id)
 * A device is a reader when one of these says so:
 *   - a configured path (a stable /dev/input/by-id/ link) resolves to its node;
 *   - its USB vendor:product (from sysfs) is configured;
 *   - udev tagged it ID_LINLI_READER=1 (systemd/99-linli-kiosk.rules), read
 *     from the udev database, so no libudev is needed;
 *   - auto-detect is on, it is a keyboard, and it typed a whole card faster
 *     than a person can (the timing rule); it is grabbed from then on.
 * Unplugged readers are closed and reopened when they come back (a directory
 * monitor on /dev/input and a periodic rescan); one failing reader never
 * stops the others. Serial readers can be added so the program has one
 * source of reads. */

#define KIOSK_TYPE_READER_MANAGER (kiosk_reader_manager_get_type ())
G_DECLARE_FINAL_TYPE (KioskReaderManager, kiosk_reader_manager, KIOSK, READER_MANAGER, GObject)

/* @config: decoding of every keyboard-wedge reader; NULL for the defaults. */
KioskReaderManager *kiosk_reader_manager_new (const KioskWedgeConfig *config);

/* Where devices are looked for: /dev/input, /sys and /run/udev/data unless
 * set (tests point them elsewhere). Before start only. */
void kiosk_reader_manager_set_roots (KioskReaderManager *self, const char *input_dir, const char *sys_dir,
                                     const char *udev_data_dir);
void kiosk_reader_manager_add_path (KioskReaderManager *self, const char *path);
void kiosk_reader_manager_add_usb_id (KioskReaderManager *self, guint16 vendor, guint16 product);
void kiosk_reader_manager_set_auto_detect (KioskReaderManager *self, gboolean auto_detect);
/* Whether devices tagged ID_LINLI_READER=1 are readers (the default, TRUE). */
void kiosk_reader_manager_set_udev_tag (KioskReaderManager *self, gboolean use_tag);
/* A fallback for hot-plug events missed by the monitor; 0 turns it off. */
void kiosk_reader_manager_set_rescan_interval (KioskReaderManager *self, guint ms);
void kiosk_reader_manager_add_serial (KioskReaderManager *self, const char *id, const char *path, guint baud);
/* A chip ID card reader (GA 450) on a serial port; its reads come out of
 * ::read like the others'. */
void kiosk_reader_manager_add_id_reader (KioskReaderManager *self, const char *id, const char *path,
                                         guint baud);

/* Scans and starts watching, in the thread-default main context. Fails only
 * when the input directory cannot be watched; readers that fail to open are
 * counted in their health and retried. */
gboolean kiosk_reader_manager_start (KioskReaderManager *self, GError **error);
void kiosk_reader_manager_rescan (KioskReaderManager *self);

/* Every reader seen since start, present or not; KioskReaderHealth items. */
GPtrArray *kiosk_reader_manager_list_health (KioskReaderManager *self);

/* "ffff:0035" → vendor 0xffff, product 0x0035. */
gboolean kiosk_usb_id_parse (const char *text, guint16 *vendor, guint16 *product, GError **error);
/* TRUE when a udev database file (/run/udev/data/c13:N) carries our tag. */
gboolean kiosk_udev_data_has_reader_tag (const char *contents);

G_END_DECLS
