/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-devices"

#include "kiosk-devices.h"
#include "kiosk-error.h"

void
kiosk_wedge_config_from_config (KioskConfig *config, KioskWedgeConfig *out)
{
  g_return_if_fail (KIOSK_IS_CONFIG (config));
  g_return_if_fail (out != NULL);

  kiosk_wedge_config_init (out);
  out->terminators = g_str_equal (kiosk_config_get_string (config, "readers", "terminator"), "tab")
                         ? KIOSK_WEDGE_TERMINATOR_TAB
                         : KIOSK_WEDGE_TERMINATOR_ENTER;
  out->max_gap_us
      = (gint64)kiosk_config_get_int (config, "readers", "max_key_gap_ms") * G_TIME_SPAN_MILLISECOND;
  /* A read silent for ten key gaps has ended; never sooner than the default. */
  out->timeout_us = MAX (out->timeout_us, 10 * out->max_gap_us);
  out->max_length
      = (guint)MIN (kiosk_config_get_int (config, "readers", "max_length"), KIOSK_CARD_MAX_LENGTH);
  out->debounce_us
      = (gint64)kiosk_config_get_int (config, "readers", "debounce_seconds") * G_TIME_SPAN_SECOND;
}

KioskReaderManager *
kiosk_reader_manager_new_from_config (KioskConfig *config, KioskClock *clock, GError **error)
{
  g_autoptr (KioskReaderManager) manager = NULL;
  KioskWedgeConfig wedge;
  const char *const *paths;
  const char *const *usb_ids;
  const char *const *ports;
  guint baud;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  kiosk_wedge_config_from_config (config, &wedge);
  wedge.clock = clock;
  manager = kiosk_reader_manager_new (&wedge);
  kiosk_reader_manager_set_udev_tag (manager, kiosk_config_get_bool (config, "readers", "udev_tag"));

  paths = kiosk_config_get_strv (config, "readers", "paths");
  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    kiosk_reader_manager_add_path (manager, paths[i]);

  usb_ids = kiosk_config_get_strv (config, "readers", "usb_ids");
  for (guint i = 0; usb_ids != NULL && usb_ids[i] != NULL; i++)
    {
      guint16 vendor, product;

      if (!kiosk_usb_id_parse (usb_ids[i], &vendor, &product, error))
        {
          g_prefix_error (error, "[readers] usb_ids: ");
          return NULL;
        }
      kiosk_reader_manager_add_usb_id (manager, vendor, product);
    }

  baud = (guint)kiosk_config_get_int (config, "readers", "serial_baud");
  ports = kiosk_config_get_strv (config, "readers", "serial_ports");
  for (guint i = 0; ports != NULL && ports[i] != NULL; i++)
    {
      g_autofree char *base = g_path_get_basename (ports[i]);
      g_autofree char *id = g_strconcat ("serial:", base, NULL);

      kiosk_reader_manager_add_serial (manager, id, ports[i], baud);
    }

  baud = (guint)kiosk_config_get_int (config, "readers", "id_card_baud");
  ports = kiosk_config_get_strv (config, "readers", "id_card_ports");
  for (guint i = 0; ports != NULL && ports[i] != NULL; i++)
    {
      g_autofree char *base = g_path_get_basename (ports[i]);
      g_autofree char *id = g_strconcat ("id-card:", base, NULL);

      kiosk_reader_manager_add_id_reader (manager, id, ports[i], baud);
    }
  return g_steal_pointer (&manager);
}

gboolean
kiosk_door_new_from_config (KioskConfig *config, KioskDoor **door, GError **error)
{
  const char *backend;

  g_return_val_if_fail (KIOSK_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (door != NULL, FALSE);

  *door = NULL;
  backend = kiosk_config_get_string (config, "door", "backend");
  if (g_str_equal (backend, "none"))
    return TRUE;
  if (g_str_equal (backend, "log"))
    {
      *door = kiosk_door_new_log ();
      return TRUE;
    }
  *door = kiosk_door_new_gpio (kiosk_config_get_string (config, "door", "chip"),
                               (guint)kiosk_config_get_int (config, "door", "line"),
                               kiosk_config_get_bool (config, "door", "active_low"), error);
  return *door != NULL;
}
