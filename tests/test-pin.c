/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-pin"

#include <sodium.h>
#include <string.h>

#include "kiosk-error.h"
#include "kiosk-pin.h"

static const struct
{
  const char *pin;
  gboolean valid;
} pin_cases[] = {
  { "1234", TRUE },  { "000000000000", TRUE }, { "123", FALSE }, { "1234567890123", FALSE },
  { "12a4", FALSE }, { " 1234", FALSE },       { "", FALSE },    { NULL, FALSE },
  { "١٢٣٤", FALSE }, /* Arabic-Indic digits are not ASCII digits */
};

static void
test_valid (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (pin_cases); i++)
    if (kiosk_pin_is_valid (pin_cases[i].pin) != pin_cases[i].valid)
      g_error ("case %" G_GSIZE_FORMAT ": \"%s\" valid should be %d", i, pin_cases[i].pin,
               pin_cases[i].valid);
}

static void
test_hash_and_verify (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = kiosk_pin_hash ("2468", &error);
  g_autofree char *again = kiosk_pin_hash ("2468", NULL);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_true (kiosk_pin_hash_is_valid (hash));
  /* Salted: the same PIN never gives the same string. */
  g_assert_cmpstr (hash, !=, again);
  g_assert_null (strstr (hash, "2468"));
  g_assert_true (kiosk_pin_verify (hash, "2468"));
  g_assert_true (kiosk_pin_verify (again, "2468"));
  g_assert_false (kiosk_pin_verify (hash, "2469"));
  g_assert_false (kiosk_pin_verify (hash, "24680"));
  g_assert_false (kiosk_pin_verify (hash, ""));
  g_assert_false (kiosk_pin_verify (hash, NULL));
}

static void
test_bad_input (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = kiosk_pin_hash ("12", &error);
  static const char *const bad_hashes[]
      = { "", "1234", "$2y$10$abcdefghijklmnopqrstuv", "sha256:abcd", NULL };

  g_assert_null (hash);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  for (guint i = 0; bad_hashes[i] != NULL; i++)
    {
      g_assert_false (kiosk_pin_hash_is_valid (bad_hashes[i]));
      g_assert_false (kiosk_pin_verify (bad_hashes[i], "1234"));
    }
  g_assert_false (kiosk_pin_verify (NULL, "1234"));
  /* Truncated: looks like Argon2, checks as nothing. */
  g_assert_false (kiosk_pin_verify ("$argon2id$v=19$m=65536,t=2,p=1$c2FsdA", "1234"));
}

static void
test_guard (void)
{
  KioskPinGuard guard = { 0 };
  const gint64 t0 = 1000 * G_USEC_PER_SEC;

  for (guint i = 1; i < KIOSK_PIN_MAX_FAILURES; i++)
    {
      kiosk_pin_guard_fail (&guard, t0 + i);
      g_assert_cmpuint (kiosk_pin_guard_locked_for (&guard, t0 + i), ==, 0);
    }
  /* A right PIN before the last try starts the count again. */
  kiosk_pin_guard_succeed (&guard);
  for (guint i = 1; i < KIOSK_PIN_MAX_FAILURES; i++)
    kiosk_pin_guard_fail (&guard, t0);
  g_assert_cmpuint (kiosk_pin_guard_locked_for (&guard, t0), ==, 0);
  kiosk_pin_guard_fail (&guard, t0);
  g_assert_cmpuint (kiosk_pin_guard_locked_for (&guard, t0), ==, KIOSK_PIN_LOCK_SECONDS);
  g_assert_cmpuint (kiosk_pin_guard_locked_for (&guard, t0 + 1), ==, KIOSK_PIN_LOCK_SECONDS);
  g_assert_cmpuint (kiosk_pin_guard_locked_for (&guard, t0 + (KIOSK_PIN_LOCK_SECONDS - 1) * G_USEC_PER_SEC),
                    ==, 1);
  g_assert_cmpuint (kiosk_pin_guard_locked_for (&guard, t0 + KIOSK_PIN_LOCK_SECONDS * G_USEC_PER_SEC), ==, 0);
  /* After the lock, one wrong PIN does not lock again at once. */
  kiosk_pin_guard_fail (&guard, t0 + KIOSK_PIN_LOCK_SECONDS * G_USEC_PER_SEC);
  g_assert_cmpuint (guard.failures, ==, 1);
  g_assert_cmpuint (kiosk_pin_guard_locked_for (&guard, t0 + KIOSK_PIN_LOCK_SECONDS * G_USEC_PER_SEC), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/pin/valid", test_valid);
  g_test_add_func ("/kiosk/pin/hash-and-verify", test_hash_and_verify);
  g_test_add_func ("/kiosk/pin/bad-input", test_bad_input);
  g_test_add_func ("/kiosk/pin/lock-after-failures", test_guard);
  return g_test_run ();
}
