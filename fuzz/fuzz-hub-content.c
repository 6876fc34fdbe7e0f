/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-hub-content"

/* libFuzzer: `linli-hub content publish` input. The bundle's manifest goes
 * through kiosk_bundle_load (fuzz-manifest); then the hub renumbers it. Any
 * bytes: a manifest that says the new number, or an error. */

#include "fuzz-util.h"
#include "hub-content.h"
#include "kiosk-bundle.h"
#include "kiosk-json.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const KioskJsonLimits roomy = { 64 * 1024 * 1024, 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *renumbered = hub_content_renumber_manifest ((const char *)data, size, 42, &error);
  g_autoptr (JsonNode) again = NULL;

  FUZZ_CHECK ((renumbered == NULL) != (error == NULL));
  if (renumbered != NULL)
    {
      again = kiosk_json_parse (renumbered, -1, &roomy, NULL);
      FUZZ_CHECK (again != NULL && JSON_NODE_HOLDS_OBJECT (again));
      FUZZ_CHECK (json_object_get_int_member_with_default (json_node_get_object (again), "release", 0) == 42);
    }
  return 0;
}
