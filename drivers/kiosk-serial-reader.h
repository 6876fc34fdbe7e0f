/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-card.h"
#include "kiosk-reader-health.h"
#include "kiosk-wedge.h"

G_BEGIN_DECLS

/* A reader that sends one line per card over a serial port (/dev/ttyUSB*,
 * /dev/ttyACM*): 8N1, no flow control. A line ends at CR, LF or ETX (0x03);
 * STX (0x02) starts a new one, dropping any partial line. Emits "read"
 * (id, KioskCardRead) like the keyboard-wedge readers, and reopens the port
 * after it goes away (a USB adapter pulled out and put back). */

#define KIOSK_TYPE_SERIAL_READER (kiosk_serial_reader_get_type ())
G_DECLARE_FINAL_TYPE (KioskSerialReader, kiosk_serial_reader, KIOSK, SERIAL_READER, GObject)

/* @config: timeout_us, max_length, debounce_us and uid_format apply (the
 * terminators and max_gap_us of keyboards do not); NULL for the defaults. */
KioskSerialReader *kiosk_serial_reader_new (const char *id, const char *path, guint baud,
                                            const KioskWedgeConfig *config);

/* Opens and configures the port and starts reading in the thread-default
 * main context. On failure, the error says why, and the reader keeps trying
 * every reopen interval. */
gboolean kiosk_serial_reader_start (KioskSerialReader *self, GError **error);
void kiosk_serial_reader_stop (KioskSerialReader *self);

void kiosk_serial_reader_set_reopen_interval (KioskSerialReader *self, guint ms);
const char *kiosk_serial_reader_get_id (KioskSerialReader *self);
gboolean kiosk_serial_reader_get_connected (KioskSerialReader *self);
/* Transfer full. */
KioskReaderHealth *kiosk_serial_reader_get_health (KioskSerialReader *self);

/* Opens @path raw (8N1, no flow control, non-blocking, input flushed) at
 * @baud: the settings every serial reader here wants. -1 and @error on
 * failure. */
int kiosk_serial_open_raw (const char *path, guint baud, GError **error);

/* The termios speed of @baud, or FALSE when the kernel has none for it. */
gboolean kiosk_serial_baud_to_speed (guint baud, guint *speed);

G_END_DECLS
