/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "linli-kiosk"

#include "kiosk-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (KioskApplication) app = NULL;
  int status;

  /* LANGUAGE would outrank the kiosk's own language switch. */
  g_unsetenv ("LANGUAGE");
  app = kiosk_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : kiosk_application_get_exit_code (app);
}
