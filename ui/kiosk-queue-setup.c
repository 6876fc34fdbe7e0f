/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include <sodium.h>

#include "kiosk-credentials.h"
#include "kiosk-queue-setup.h"
#include "kiosk-secret.h"

KioskQueue *
kiosk_queue_new_from_config (KioskConfig *config, KioskStore *store, KioskBundle *bundle, GError **error)
{
  g_autoptr (GBytes) secret = NULL, id_key = NULL;
  guint8 card_key[KIOSK_CARD_KEY_BYTES];
  KioskQueueSettings settings;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  secret = kiosk_secret_load_or_create (kiosk_config_get_string (config, "kiosk", "secret_file"), error);
  if (secret == NULL)
    return NULL;
  /* Booking codes and ID numbers are hashed with the deployment's card key,
   * as the hub hashed them at import; a kiosk without one uses its secret. */
  if (kiosk_card_key_load (kiosk_config_get_string (config, "fitness", "card_key_file"), card_key, NULL))
    id_key = g_bytes_new (card_key, sizeof card_key);
  sodium_memzero (card_key, sizeof card_key);

  kiosk_queue_settings_init (&settings);
  settings.hall_id = kiosk_config_get_string (config, "kiosk", "hall");
  settings.kiosk_id = kiosk_config_get_string (config, "kiosk", "id");
  settings.kiosk_index = (guint)kiosk_config_get_int (config, "queue", "kiosk_index");
  settings.kiosks_in_hall = (guint)kiosk_config_get_int (config, "queue", "kiosks_in_hall");
  settings.reset_minutes = kiosk_config_get_minutes (config, "queue", "reset_time");
  settings.estimate_samples = (guint)kiosk_config_get_int (config, "queue", "estimate_samples");
  settings.estimate_window_hours = (guint)kiosk_config_get_int (config, "queue", "estimate_window_hours");
  settings.appointment_early_minutes = kiosk_config_get_int (config, "queue", "appointment_early_minutes");
  settings.appointment_late_minutes = kiosk_config_get_int (config, "queue", "appointment_late_minutes");
  settings.secret = secret;
  settings.id_key = id_key;
  return kiosk_queue_new (store, bundle, &settings, error);
}

static KioskPrinter *
printer_for_transport (KioskConfig *config, GError **error)
{
  const char *transport = kiosk_config_get_string (config, "printer", "transport");
  const char *device = kiosk_config_get_string (config, "printer", "device");

  if (g_str_equal (transport, "usb"))
    return kiosk_printer_new_usb (device);
  if (g_str_equal (transport, "tcp"))
    return kiosk_printer_new_tcp (kiosk_config_get_string (config, "printer", "host"),
                                  (guint16)kiosk_config_get_int (config, "printer", "port"));
  if (g_str_equal (transport, "folder"))
    return kiosk_printer_new_folder (kiosk_config_get_string (config, "printer", "folder"));
  if (g_str_equal (transport, "serial"))
    {
      const char *flow = kiosk_config_get_string (config, "printer", "flow_control");

      return kiosk_printer_new_serial (device, (guint)kiosk_config_get_int (config, "printer", "baud"),
                                       g_str_equal (flow, "rtscts")    ? KIOSK_PRINTER_FLOW_RTSCTS
                                       : g_str_equal (flow, "xonxoff") ? KIOSK_PRINTER_FLOW_XONXOFF
                                                                       : KIOSK_PRINTER_FLOW_NONE,
                                       error);
    }
  return NULL; /* "none": slips are shown on screen only */
}

KioskPrinter *
kiosk_printer_new_from_config (KioskConfig *config, KioskStore *store, GError **error)
{
  KioskPrinter *printer;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  printer = printer_for_transport (config, error);
  if (printer == NULL)
    return NULL;
  kiosk_printer_set_timeout (printer, (guint)kiosk_config_get_int (config, "printer", "timeout_ms"));
  kiosk_printer_set_folder_keep (printer, (guint)kiosk_config_get_int (config, "printer", "folder_keep"));
  if (store != NULL)
    kiosk_printer_set_store (printer, store);
  kiosk_printer_set_poll_interval (
      printer, (guint)kiosk_config_get_int (config, "printer", "status_poll_seconds") * 1000);
  return printer;
}
