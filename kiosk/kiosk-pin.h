/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The staff PIN: stored only as a libsodium crypto_pwhash_str() string
 * (Argon2id, "$argon2id$v=19$m=…"), made with `linli-kiosk --hash-pin`, kept
 * in [staff] pin_hash. A PIN is 4 to 12 digits.
 *
 * A short PIN is guessed in 10^4 tries whatever the hash, so the screen also
 * locks after KIOSK_PIN_MAX_FAILURES wrong PINs in a row for
 * KIOSK_PIN_LOCK_SECONDS (KioskPinGuard). */

#define KIOSK_PIN_MIN_DIGITS 4
#define KIOSK_PIN_MAX_DIGITS 12
#define KIOSK_PIN_MAX_FAILURES 5
#define KIOSK_PIN_LOCK_SECONDS 300

/* TRUE for 4 to 12 ASCII digits. */
gboolean kiosk_pin_is_valid (const char *pin);
/* TRUE when @hash looks like a crypto_pwhash_str() string this build can check. */
gboolean kiosk_pin_hash_is_valid (const char *hash);

/* Hashes @pin (Argon2id, libsodium's interactive limits: about 64 MiB and a
 * tenth of a second). KIOSK_ERROR_INVALID for a PIN that is not 4–12 digits.
 * Transfer full. */
char *kiosk_pin_hash (const char *pin, GError **error);
/* Whether @pin matches @hash. FALSE for an empty or malformed hash. */
gboolean kiosk_pin_verify (const char *hash, const char *pin);

/* Wrong PINs in a row and the lock they set; plain data, monotonic times. */
typedef struct
{
  guint failures;
  gint64 locked_until_us; /* 0: not locked */
} KioskPinGuard;

/* Seconds left of a lock at @now_us (rounded up), 0 when a PIN may be tried. */
guint kiosk_pin_guard_locked_for (const KioskPinGuard *guard, gint64 now_us);
/* A wrong PIN at @now_us: the KIOSK_PIN_MAX_FAILURES-th in a row locks. */
void kiosk_pin_guard_fail (KioskPinGuard *guard, gint64 now_us);
/* The right PIN: the count starts again. */
void kiosk_pin_guard_succeed (KioskPinGuard *guard);

G_END_DECLS
