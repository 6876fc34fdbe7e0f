/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-printer"

/* KioskPrinter without a device: the parsing of printer specs and the folder
 * transport, which writes each slip as PNG and as ESC/POS raster. The device
 * transports are in test-printer-device.c. */

#include "kiosk-error.h"
#include "kiosk-printer.h"
#include "printer-test-fake.h"

static void
test_folder (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (f->tmpdir, "slips", NULL);
  g_autofree char *bin = g_build_filename (dir, "0002.bin", NULL);
  g_autofree char *png1 = g_build_filename (dir, "0001.png", NULL);
  g_autofree char *png3 = g_build_filename (dir, "0003.png", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *spec = g_strconcat ("folder:", dir, NULL);
  g_autoptr (KioskBitmap) back = NULL;
  gsize len;

  f->printer = kiosk_printer_new_folder (dir);
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (png1, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_get_contents (bin, &contents, &len, &error));
  back = kiosk_escpos_decode_raster ((const guint8 *)contents, len, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_bitmap_equal (back, f->slip));

  /* A new printer on the same folder (a restart) goes on numbering. */
  assert_finalized_soon (g_steal_pointer (&f->printer));
  f->printer = kiosk_printer_new_from_spec (spec, &error);
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  g_assert_true (g_file_test (png3, G_FILE_TEST_IS_REGULAR));
  g_assert_cmphex (kiosk_printer_get_status (f->printer), ==, KIOSK_PRINTER_STATUS_READY);
}

/* A folder printer left running (demo mode, a kiosk without a printer) keeps
 * the newest slips only, so the disk does not fill a slip at a time. */
static void
test_folder_keep (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_build_filename (f->tmpdir, "slips", NULL);

  f->printer = kiosk_printer_new_folder (dir);
  kiosk_printer_set_folder_keep (f->printer, 2);
  for (guint i = 1; i <= 4; i++)
    {
      g_assert_true (print_and_wait (f->printer, f->slip, &error));
      g_assert_no_error (error);
    }
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *png = g_strdup_printf ("%s/%04u.png", dir, i);
      g_autofree char *bin = g_strdup_printf ("%s/%04u.bin", dir, i);

      g_assert_cmpint (g_file_test (png, G_FILE_TEST_EXISTS), ==, i > 2);
      g_assert_cmpint (g_file_test (bin, G_FILE_TEST_EXISTS), ==, i > 2);
    }

  /* 0 keeps every slip. */
  kiosk_printer_set_folder_keep (f->printer, 0);
  g_assert_true (print_and_wait (f->printer, f->slip, &error));
  for (guint i = 3; i <= 5; i++)
    {
      g_autofree char *png = g_strdup_printf ("%s/%04u.png", dir, i);

      g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
    }
}

static void
test_folder_unwritable (Fixture *f, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;

  f->printer = kiosk_printer_new_folder ("/proc/linli-kiosk-slips");
  g_assert_false (print_and_wait (f->printer, f->slip, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
  g_assert_true (kiosk_printer_get_status (f->printer) & KIOSK_PRINTER_STATUS_ERROR);
}

static void
test_spec (void)
{
  const struct
  {
    const char *spec;
    int transport; /* -1: refused */
  } cases[] = {
    { "usb:/dev/usb/lp0", KIOSK_PRINTER_TRANSPORT_USB },
    { "serial:/dev/ttyUSB0", KIOSK_PRINTER_TRANSPORT_SERIAL },
    { "serial:/dev/ttyS0,baud=19200,flow=xonxoff", KIOSK_PRINTER_TRANSPORT_SERIAL },
    { "serial:/dev/ttyS0,baud=115200,flow=rtscts", KIOSK_PRINTER_TRANSPORT_SERIAL },
    { "tcp:192.168.1.50", KIOSK_PRINTER_TRANSPORT_TCP },
    { "tcp:printer.local:9100", KIOSK_PRINTER_TRANSPORT_TCP },
    { "tcp:[::1]:9101", KIOSK_PRINTER_TRANSPORT_TCP },
    { "folder:/var/lib/linli-kiosk/slips", KIOSK_PRINTER_TRANSPORT_FOLDER },
    { "serial:/dev/ttyS0,baud=1234", -1 },
    { "serial:/dev/ttyS0,baud=fast", -1 },
    { "serial:/dev/ttyS0,flow=magic", -1 },
    { "serial:ttyS0", -1 },
    { "usb:lp0", -1 },
    { "lpt:/dev/lp0", -1 },
    { "", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskPrinter) printer = kiosk_printer_new_from_spec (cases[i].spec, &error);

      g_test_message ("case %s", cases[i].spec);
      if (cases[i].transport < 0)
        {
          g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
          g_assert_null (printer);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpint (kiosk_printer_get_transport (printer), ==, cases[i].transport);
        }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/kiosk/printer/folder/files", test_folder);
  ADD ("/kiosk/printer/folder/keep", test_folder_keep);
  ADD ("/kiosk/printer/folder/unwritable", test_folder_unwritable);
#undef ADD
  g_test_add_func ("/kiosk/printer/spec", test_spec);
  return g_test_run ();
}
