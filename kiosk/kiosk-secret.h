/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kiosk's own key ([kiosk] secret_file): the HMAC key of ticket public
 * codes and ID number hashes. Raw random bytes, readable by the kiosk only. */
#define KIOSK_SECRET_BYTES 32
/* Shorter keys are refused: kiosk_queue_new() needs at least this many. */
#define KIOSK_SECRET_MIN_BYTES 16

/* Reads the key at @path. KIOSK_ERROR_NOT_FOUND when missing,
 * KIOSK_ERROR_INVALID when shorter than KIOSK_SECRET_MIN_BYTES or longer
 * than 4 KiB. The message never contains the key. */
GBytes *kiosk_secret_load (const char *path, GError **error);

/* Reads the key at @path, first writing KIOSK_SECRET_BYTES random bytes there
 * (mode 0600, folders made 0700) if there is none. The new key is written to
 * a temporary file, synced and linked into place, so a power cut never leaves
 * a half-written key, and two kiosk processes starting together agree on one.
 * KIOSK_ERROR_READ_ONLY when the folder cannot be written. */
GBytes *kiosk_secret_load_or_create (const char *path, GError **error);

G_END_DECLS
