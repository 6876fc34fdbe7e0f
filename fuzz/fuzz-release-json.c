/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-release-json"

#include "fuzz-util.h"
#include "kiosk-release.h"

/* libFuzzer target for the release.json parser: any bytes give a release
 * or a KIOSK_RELEASE_ERROR, never a crash, and whatever parses writes back
 * out as JSON that parses to the same thing. */

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRelease) release = kiosk_release_parse ((const char *)data, size, &error);
  g_autoptr (KioskRelease) again = NULL;
  g_autofree char *json = NULL;

  if (release == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == KIOSK_RELEASE_ERROR);
      return 0;
    }
  json = kiosk_release_to_json (release);
  again = kiosk_release_parse (json, -1, NULL);
  FUZZ_CHECK (again != NULL);
  FUZZ_CHECK (again->release == release->release);
  FUZZ_CHECK (again->files->len == release->files->len);
  return 0;
}
