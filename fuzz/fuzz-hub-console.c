/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-hub-console"

/* libFuzzer: the bodies browsers post to the staff console (sign-in,
 * password, accounts; announcements and hours with their larger limit). Any
 * bytes: the fields or a HUB_ERROR, never a crash; a section kept is JSON. */

#include "fuzz-util.h"
#include "hub-console-private.h"
#include "hub-guard.h"
#include "hub-proto.h"
#include "kiosk-json.h"

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static const struct
  {
    ConsoleOp op;
    const char *path;
  } ops[] = { { CONSOLE_LOGIN, "/api/console/session" },
              { CONSOLE_ANNOUNCEMENTS_SAVE, "/api/console/announcements" } };

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_autoptr (ConsoleRequest) req = g_new0 (ConsoleRequest, 1);
      g_autoptr (GError) error = NULL;
      gboolean ok;

      req->op = ops[i].op;
      ok = console_parse_body ((const char *)data, size,
                               hub_guard_body_limit (HUB_LISTENER_PAGES, ops[i].path, NULL), req, &error);
      FUZZ_CHECK (ok != (error != NULL));
      FUZZ_CHECK (error == NULL || error->domain == HUB_ERROR);
      FUZZ_CHECK (req->name == NULL || g_utf8_validate (req->name, -1, NULL));
      FUZZ_CHECK (req->announcements == NULL || kiosk_json_check (req->announcements, -1, NULL, NULL, NULL));
    }
  return 0;
}
