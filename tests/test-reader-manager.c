/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-reader-manager"

#include "kiosk-error.h"
#include "kiosk-reader-manager.h"
#include "kiosk-test-util.h"

#include <glib/gstdio.h>
#include <unistd.h>

/* What can be tested without /dev/uinput: the pure rules, and the manager's
 * discovery and error paths on a fake /dev/input, /sys and udev database
 * whose "event" nodes are links to /dev/null (a character device, but no
 * evdev). The real devices are in test-reader-uinput.c (suite 'device'). */

static void
test_usb_id_parse (void)
{
  static const struct
  {
    const char *text;
    gboolean ok;
    guint16 vendor, product;
  } cases[] = {
    { "ffff:0035", TRUE, 0xffff, 0x0035 },
    { "08FF:0009", TRUE, 0x08ff, 0x0009 },
    { "ffff:35", FALSE, 0, 0 },
    { "ffff-0035", FALSE, 0, 0 },
    { "gggg:0035", FALSE, 0, 0 },
    { "ffff:0035 ", FALSE, 0, 0 },
    { "", FALSE, 0, 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      guint16 v = 0, p = 0;
      gboolean ok = kiosk_usb_id_parse (cases[i].text, &v, &p, &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (ok)
        {
          g_assert_no_error (error);
          g_assert_cmphex (v, ==, cases[i].vendor);
          g_assert_cmphex (p, ==, cases[i].product);
        }
      else
        g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
    }
}

static void
test_udev_tag (void)
{
  static const struct
  {
    const char *contents;
    gboolean tagged;
  } cases[] = {
    { "S:input/by-id/usb-Reader-event-kbd\nI:1234\nE:ID_INPUT=1\nE:ID_LINLI_READER=1\nG:seat\n", TRUE },
    { "E:ID_LINLI_READER=1", TRUE },
    { "E:ID_LINLI_READER=1\r\n", TRUE },
    { "E:ID_LINLI_READER=0\n", FALSE },
    { "E:ID_LINLI_READER=10\n", FALSE },
    { "E:XID_LINLI_READER=1\n", FALSE },
    { "G:ID_LINLI_READER=1\n", FALSE },
    { "", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (kiosk_udev_data_has_reader_tag (cases[i].contents), ==, cases[i].tagged);
}

static void
test_silent_through_opening_hours (void)
{
  const gint64 hour = G_TIME_SPAN_HOUR;
  const gint64 open = 1000 * hour; /* 08:00 of some day */
  static const struct
  {
    gint64 last_read; /* relative to opening, G_MININT64: never */
    gint64 now;       /* relative to opening */
    gboolean opened;
    gboolean silent;
  } cases[] = {
    { G_MININT64, 3, TRUE, TRUE },   /* never read, open three hours */
    { -5, 3, TRUE, TRUE },           /* last read yesterday */
    { 1, 3, TRUE, FALSE },           /* read this morning */
    { G_MININT64, 1, TRUE, FALSE },  /* open only an hour: a quiet morning */
    { G_MININT64, 3, FALSE, FALSE }, /* closed now */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (KioskReaderHealth) health = kiosk_reader_health_new ("r");

      health->last_read_us = cases[i].last_read == G_MININT64 ? 0 : open + cases[i].last_read * hour;
      g_assert_cmpint (kiosk_reader_health_is_silent (health, cases[i].opened ? open : 0,
                                                      open + cases[i].now * hour, 2 * hour),
                       ==, cases[i].silent);
    }
}

typedef struct
{
  char *root;
  char *input;
  char *sys;
  char *udev;
  KioskReaderManager *manager;
  guint n_added;
} Fixture;

static void
write_file (const char *dir, const char *relative, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

/* A fake event node: /dev/null under the name, with sysfs ids. */
static void
fake_node (Fixture *fixture, const char *name, const char *vendor, const char *phys)
{
  g_autofree char *node = g_build_filename (fixture->input, name, NULL);
  g_autofree char *id_vendor = g_build_filename ("class/input", name, "device/id/vendor", NULL);
  g_autofree char *id_product = g_build_filename ("class/input", name, "device/id/product", NULL);
  g_autofree char *phys_file = g_build_filename ("class/input", name, "device/phys", NULL);

  write_file (fixture->sys, id_vendor, vendor);
  write_file (fixture->sys, id_product, "0035\n");
  write_file (fixture->sys, phys_file, phys);
  g_assert_cmpint (symlink ("/dev/null", node), ==, 0);
}

static void
added_cb (KioskReaderManager *manager, const char *id, Fixture *fixture)
{
  fixture->n_added++;
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  fixture->root = kiosk_test_make_tmpdir ("reader-manager");
  fixture->input = g_build_filename (fixture->root, "input", NULL);
  fixture->sys = g_build_filename (fixture->root, "sys", NULL);
  fixture->udev = g_build_filename (fixture->root, "udev", NULL);
  g_assert_cmpint (g_mkdir_with_parents (fixture->input, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (fixture->udev, 0755), ==, 0);

  fixture->manager = kiosk_reader_manager_new (NULL);
  kiosk_reader_manager_set_roots (fixture->manager, fixture->input, fixture->sys, fixture->udev);
  kiosk_reader_manager_set_rescan_interval (fixture->manager, 0);
  g_signal_connect (fixture->manager, "reader-added", G_CALLBACK (added_cb), fixture);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->manager);
  kiosk_test_remove_tree (fixture->root);
  g_free (fixture->root);
  g_free (fixture->input);
  g_free (fixture->sys);
  g_free (fixture->udev);
}

static KioskReaderHealth *
find_health (GPtrArray *list, const char *id)
{
  for (guint i = 0; i < list->len; i++)
    {
      KioskReaderHealth *h = g_ptr_array_index (list, i);
      if (g_str_equal (h->id, id))
        return h;
    }
  return NULL;
}

static void
test_discovery_and_errors (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) health = NULL;
  g_autofree char *udev_file = g_strdup_printf ("c%u:%u", 1, 3); /* /dev/null */
  KioskReaderHealth *h;
  gint64 deadline;

  kiosk_reader_manager_add_usb_id (fixture->manager, 0xffff, 0x0035);
  fake_node (fixture, "event0", "ffff\n", "usb-0000:00:14.0-2/input0\n");
  fake_node (fixture, "event1", "1234\n", "\n"); /* a plain keyboard: left alone */
  g_assert_true (kiosk_reader_manager_start (fixture->manager, &error));
  g_assert_no_error (error);

  /* The configured reader was found, could not be opened as evdev, and says so. */
  health = kiosk_reader_manager_list_health (fixture->manager);
  g_assert_cmpuint (health->len, ==, 1);
  h = find_health (health, "ffff:0035@usb-0000:00:14.0-2/input0");
  g_assert_nonnull (h);
  g_assert_false (h->present);
  g_assert_cmpuint (h->n_errors, ==, 1);
  g_assert_cmpuint (fixture->n_added, ==, 0);

  /* Hot-plug: udev tags a new node; the directory monitor sees it. */
  write_file (fixture->udev, udev_file, "E:ID_INPUT_KEYBOARD=1\nE:ID_LINLI_READER=1\n");
  fake_node (fixture, "event7", "0001\n", "");
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  do
    {
      g_main_context_iteration (NULL, FALSE);
      g_clear_pointer (&health, g_ptr_array_unref);
      health = kiosk_reader_manager_list_health (fixture->manager);
      g_usleep (1000);
    }
  while (find_health (health, "0001:0035@event7") == NULL && g_get_monotonic_time () < deadline);
  h = find_health (health, "0001:0035@event7");
  g_assert_nonnull (h);
  g_assert_cmpuint (h->n_errors, >=, 1);
  g_assert_nonnull (g_strrstr (h->path, "event7"));
  /* The tag now marks every node of /dev/null, event1 included. */
  g_assert_nonnull (find_health (health, "1234:0035@event1"));
}

static void
test_missing_input_dir (Fixture *fixture, gconstpointer data)
{
  g_autoptr (KioskReaderManager) manager = kiosk_reader_manager_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) health = NULL;

  /* A directory that is not there can still be watched (it may appear);
   * the manager starts with no readers and no crash. */
  kiosk_reader_manager_set_roots (manager, "/nonexistent/linli/input", NULL, NULL);
  kiosk_reader_manager_add_serial (manager, "serial-missing", "/dev/ttyUSB-linli-missing", 9600);
  g_assert_true (kiosk_reader_manager_start (manager, &error));
  g_assert_no_error (error);
  health = kiosk_reader_manager_list_health (manager);
  g_assert_cmpuint (health->len, ==, 1);
  g_assert_cmpstr (((KioskReaderHealth *)g_ptr_array_index (health, 0))->id, ==, "serial-missing");
  g_assert_cmpuint (((KioskReaderHealth *)g_ptr_array_index (health, 0))->n_errors, ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/reader-manager/usb-id-parse", test_usb_id_parse);
  g_test_add_func ("/kiosk/reader-manager/udev-tag", test_udev_tag);
  g_test_add_func ("/kiosk/reader-manager/silent-through-opening-hours", test_silent_through_opening_hours);
  g_test_add ("/kiosk/reader-manager/discovery-and-errors", Fixture, NULL, fixture_setup,
              test_discovery_and_errors, fixture_teardown);
  g_test_add ("/kiosk/reader-manager/missing-input-dir", Fixture, NULL, fixture_setup, test_missing_input_dir,
              fixture_teardown);
  return g_test_run ();
}
