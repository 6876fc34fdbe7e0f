/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-hub-console"

/* libFuzzer: the bodies browsers post to the staff console (sign-in,
 * password, accounts). Any bytes: the fields or a HUB_ERROR, never a crash. */

#include "fuzz-util.h"
#include "hub-console-private.h"
#include "hub-proto.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (ConsoleRequest) req = g_new0 (ConsoleRequest, 1);
  g_autoptr (GError) error = NULL;
  gboolean ok = console_parse_body ((const char *)data, size, req, &error);

  FUZZ_CHECK (ok != (error != NULL));
  FUZZ_CHECK (error == NULL || error->domain == HUB_ERROR);
  FUZZ_CHECK (req->name == NULL || g_utf8_validate (req->name, -1, NULL));
  return 0;
}
