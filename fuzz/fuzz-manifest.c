/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-manifest"

/* libFuzzer: a content bundle's manifest.json, as the kiosk, `linli-content
 * sign` and the hub's publish load it (kiosk_bundle_load). Any bytes give a
 * bundle or a KIOSK_ERROR, never a crash. */

#include "fuzz-util.h"
#include "kiosk-bundle.h"
#include "kiosk-error.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *path = g_build_filename (fuzz_scratch (), "manifest.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBundle) bundle = NULL;

  if (!g_file_set_contents (path, (const char *)data, (gssize)size, NULL))
    abort ();
  bundle = kiosk_bundle_load (fuzz_scratch (), &error);
  FUZZ_CHECK ((bundle == NULL) != (error == NULL));
  FUZZ_CHECK (error == NULL || error->domain == KIOSK_ERROR);
  return 0;
}
