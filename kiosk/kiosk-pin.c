/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-pin"

#include <sodium.h>
#include <string.h>

#include "kiosk-error.h"
#include "kiosk-pin.h"

static void
ensure_sodium (void)
{
  /* Idempotent and thread-safe. */
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
}

gboolean
kiosk_pin_is_valid (const char *pin)
{
  gsize len;

  if (pin == NULL)
    return FALSE;
  len = strlen (pin);
  if (len < KIOSK_PIN_MIN_DIGITS || len > KIOSK_PIN_MAX_DIGITS)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      return FALSE;
  return TRUE;
}

gboolean
kiosk_pin_hash_is_valid (const char *hash)
{
  return hash != NULL && strlen (hash) < crypto_pwhash_STRBYTES
         && (g_str_has_prefix (hash, "$argon2id$") || g_str_has_prefix (hash, "$argon2i$"));
}

char *
kiosk_pin_hash (const char *pin, GError **error)
{
  char out[crypto_pwhash_STRBYTES];

  if (!kiosk_pin_is_valid (pin))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "员工密码须为 %d 至 %d 位数字 / A PIN is %d to %d digits", KIOSK_PIN_MIN_DIGITS,
                   KIOSK_PIN_MAX_DIGITS, KIOSK_PIN_MIN_DIGITS, KIOSK_PIN_MAX_DIGITS);
      return NULL;
    }
  ensure_sodium ();
  if (crypto_pwhash_str (out, pin, strlen (pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE)
      != 0)
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_FAILED,
                           "内存不足，无法计算密码散列 / Out of memory hashing the PIN");
      return NULL;
    }
  return g_strdup (out);
}

gboolean
kiosk_pin_verify (const char *hash, const char *pin)
{
  if (!kiosk_pin_hash_is_valid (hash) || !kiosk_pin_is_valid (pin))
    return FALSE;
  ensure_sodium ();
  return crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
}

guint
kiosk_pin_guard_locked_for (const KioskPinGuard *guard, gint64 now_us)
{
  if (guard->locked_until_us <= now_us)
    return 0;
  return (guint)((guard->locked_until_us - now_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

void
kiosk_pin_guard_fail (KioskPinGuard *guard, gint64 now_us)
{
  /* A lock that ran out starts a fresh count. */
  if (guard->locked_until_us != 0 && guard->locked_until_us <= now_us)
    {
      guard->locked_until_us = 0;
      guard->failures = 0;
    }
  guard->failures++;
  if (guard->failures >= KIOSK_PIN_MAX_FAILURES)
    guard->locked_until_us = now_us + (gint64)KIOSK_PIN_LOCK_SECONDS * G_USEC_PER_SEC;
}

void
kiosk_pin_guard_succeed (KioskPinGuard *guard)
{
  guard->failures = 0;
  guard->locked_until_us = 0;
}
