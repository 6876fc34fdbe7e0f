/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-credentials"

/* libFuzzer: a member list imported from a file (JSON or CSV, chosen by the
 * first character as kiosk_credentials_parse() does). Any bytes: members or
 * an error with the problems listed, never a crash. */

#include "fuzz-util.h"
#include "kiosk-credentials.h"
#include "kiosk-error.h"

static KioskCredentials *
credentials (void)
{
  static KioskCredentials *self;

  if (self == NULL)
    {
      static const guint8 key[KIOSK_CARD_KEY_BYTES] = { 1 };
      g_autofree char *path = g_build_filename (fuzz_scratch (), "kiosk.db", NULL);
      g_autoptr (KioskClock) clock = kiosk_clock_new_system ("Asia/Shanghai");
      g_autoptr (KioskStore) store = kiosk_store_open (path, clock, NULL);

      if (store == NULL)
        abort ();
      self = kiosk_credentials_new (store, key);
    }
  return self;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const char *const groups[] = { "A", "B", NULL };
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) members = kiosk_credentials_parse (credentials (), (const char *)data, (gssize)size,
                                                           KIOSK_IMPORT_AUTO, groups, problems, &error);

  FUZZ_CHECK ((members == NULL) != (error == NULL));
  FUZZ_CHECK (members != NULL || problems->len > 0 || error->domain == KIOSK_ERROR);
  return 0;
}
