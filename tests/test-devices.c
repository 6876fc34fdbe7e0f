/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-devices"

#include <glib/gstdio.h>

#include "kiosk-devices.h"
#include "kiosk-error.h"
#include "kiosk-test-util.h"

/* kiosk.conf → reader manager and door: the keys reach the drivers. */

static KioskConfig *
config_from (const char *text)
{
  g_autofree char *dir = kiosk_test_make_tmpdir ("devices");
  g_autofree char *path = g_build_filename (dir, "kiosk.conf", NULL);
  g_autoptr (GError) error = NULL;
  KioskConfig *config;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  config = kiosk_config_load (path, &error);
  g_assert_no_error (error);
  kiosk_test_remove_tree (dir);
  return config;
}

static const struct
{
  const char *conf;
  KioskWedgeTerminator terminators;
  gint64 max_gap_us;
  gint64 timeout_us;
  guint max_length;
  gint64 debounce_us;
} wedge_cases[] = {
  { "", KIOSK_WEDGE_TERMINATOR_ENTER, 50000, 500000, 64, 3000000 },
  { "[readers]\nterminator = tab\nmax_key_gap_ms = 120\nmax_length = 20\ndebounce_seconds = 0\n",
    KIOSK_WEDGE_TERMINATOR_TAB, 120000, 1200000, 20, 0 },
  { "[readers]\nmax_length = 4096\n", KIOSK_WEDGE_TERMINATOR_ENTER, 50000, 500000, KIOSK_CARD_MAX_LENGTH,
    3000000 },
};

static void
test_wedge_config (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (wedge_cases); i++)
    {
      g_autoptr (KioskConfig) config = config_from (wedge_cases[i].conf);
      KioskWedgeConfig wedge;

      kiosk_wedge_config_from_config (config, &wedge);
      g_assert_cmpint (wedge.terminators, ==, wedge_cases[i].terminators);
      g_assert_cmpint (wedge.max_gap_us, ==, wedge_cases[i].max_gap_us);
      g_assert_cmpint (wedge.timeout_us, ==, wedge_cases[i].timeout_us);
      g_assert_cmpuint (wedge.max_length, ==, wedge_cases[i].max_length);
      g_assert_cmpint (wedge.debounce_us, ==, wedge_cases[i].debounce_us);
    }
}

/* A fake /dev/input, /sys and udev database with one keyboard-like device. */
typedef struct
{
  char *root;
  char *input;
  char *sys;
  char *udev;
} Roots;

static void
roots_init (Roots *r)
{
  r->root = kiosk_test_make_tmpdir ("devices-roots");
  r->input = g_build_filename (r->root, "input", NULL);
  r->sys = g_build_filename (r->root, "sys", NULL);
  r->udev = g_build_filename (r->root, "udev", NULL);
  g_assert_cmpint (g_mkdir_with_parents (r->input, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (r->sys, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (r->udev, 0700), ==, 0);
}

static void
roots_clear (Roots *r)
{
  kiosk_test_remove_tree (r->root);
  g_free (r->root);
  g_free (r->input);
  g_free (r->sys);
  g_free (r->udev);
}

static void
test_reader_manager (void)
{
  g_autoptr (KioskConfig) config = config_from ("[readers]\nusb_ids = ffff:0035;08ff:0009\n"
                                                "serial_ports = /nonexistent/ttyUSB7\n");
  g_autoptr (KioskReaderManager) manager = NULL;
  g_autoptr (GPtrArray) health = NULL;
  g_autoptr (GError) error = NULL;
  Roots r;

  roots_init (&r);
  manager = kiosk_reader_manager_new_from_config (config, NULL, &error);
  g_assert_no_error (error);
  kiosk_reader_manager_set_roots (manager, r.input, r.sys, r.udev);
  kiosk_reader_manager_set_rescan_interval (manager, 0);
  g_assert_true (kiosk_reader_manager_start (manager, &error));
  g_assert_no_error (error);
  /* The serial port is a reader from the start, absent and retried. */
  health = kiosk_reader_manager_list_health (manager);
  g_assert_cmpuint (health->len, ==, 1);
  g_assert_cmpstr (((KioskReaderHealth *)g_ptr_array_index (health, 0))->id, ==, "serial:ttyUSB7");
  g_assert_false (((KioskReaderHealth *)g_ptr_array_index (health, 0))->present);
  g_clear_object (&manager);
  roots_clear (&r);
}

static void
test_bad_usb_id (void)
{
  g_autoptr (KioskConfig) config = config_from ("[readers]\nusb_ids = ffff:0035;reader\n");
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskReaderManager) manager = kiosk_reader_manager_new_from_config (config, NULL, &error);

  g_assert_null (manager);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "[readers] usb_ids"));
  g_assert_nonnull (strstr (error->message, "\"reader\""));
}

static void
test_door (void)
{
  static const struct
  {
    const char *conf;
    gboolean ok;
    gboolean door;
  } cases[] = {
    { "", TRUE, TRUE }, /* log by default */
    { "[door]\nbackend = log\n", TRUE, TRUE },
    { "[door]\nbackend = none\n", TRUE, FALSE },
    { "[door]\nbackend = gpio\nchip = /nonexistent/gpiochip9\n", FALSE, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (KioskConfig) config = config_from (cases[i].conf);
      g_autoptr (KioskDoor) door = NULL;
      g_autoptr (GError) error = NULL;
      gboolean ok = kiosk_door_new_from_config (config, &door, &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      g_assert_cmpint (door != NULL, ==, cases[i].door);
      if (!ok)
        g_assert_nonnull (error);
      else
        g_assert_no_error (error);
      if (door != NULL)
        g_assert_cmpint (kiosk_door_get_state (door), ==, KIOSK_DOOR_STATE_CLOSED);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/devices/wedge-config", test_wedge_config);
  g_test_add_func ("/kiosk/devices/reader-manager", test_reader_manager);
  g_test_add_func ("/kiosk/devices/bad-usb-id", test_bad_usb_id);
  g_test_add_func ("/kiosk/devices/door", test_door);
  return g_test_run ();
}
