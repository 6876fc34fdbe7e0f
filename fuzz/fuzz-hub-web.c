/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-hub-web"

/* libFuzzer: the bodies staff pages post to the hub (counter actions: call a
 * number, transfer to a service). Any bytes: an argument or a HUB_ERROR. */

#include "fuzz-util.h"
#include "hub-web.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const HubCallAction actions[] = { HUB_CALL_NUMBER, HUB_CALL_TRANSFER };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *argument = NULL;
      gboolean ok = hub_web_parse_call_body ((const char *)data, size, actions[i], &argument, &error);

      FUZZ_CHECK (ok != (error != NULL));
      FUZZ_CHECK (error == NULL || error->domain == HUB_ERROR);
      FUZZ_CHECK (argument == NULL || g_utf8_validate (argument, -1, NULL));
    }
  return 0;
}
