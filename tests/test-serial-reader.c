/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-serial-reader"

#include "kiosk-error.h"
#include "kiosk-serial-reader.h"

#include <pty.h>
#include <string.h>
#include <unistd.h>

/* A pseudo-terminal stands in for the USB serial adapter: the test writes
 * what the reader would send into the master side. */
typedef struct
{
  int master;
  char slave_path[128];
  KioskSerialReader *reader;
  GPtrArray *reads; /* "kind=value" strings */
} Fixture;

static void
read_cb (KioskSerialReader *reader, const char *id, KioskCardRead *read, Fixture *fixture)
{
  g_assert_cmpstr (id, ==, "door-serial");
  if (read->kind == KIOSK_CARD_KIND_REJECTED)
    g_ptr_array_add (fixture->reads,
                     g_strdup_printf ("rejected=%s", kiosk_card_reject_to_code (read->reject)));
  else
    g_ptr_array_add (fixture->reads,
                     g_strdup_printf ("%s=%s", kiosk_card_kind_to_code (read->kind), read->value));
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  KioskWedgeConfig config;
  int slave;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (openpty (&fixture->master, &slave, fixture->slave_path, NULL, NULL), ==, 0);
  /* The reader opens the slave by name; ours is not needed. */
  close (slave);

  kiosk_wedge_config_init (&config);
  config.timeout_us = 100 * G_TIME_SPAN_MILLISECOND;
  config.max_length = 32;
  fixture->reader = kiosk_serial_reader_new ("door-serial", fixture->slave_path, 9600, &config);
  fixture->reads = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (fixture->reader, "read", G_CALLBACK (read_cb), fixture);
  g_assert_true (kiosk_serial_reader_start (fixture->reader, &error));
  g_assert_no_error (error);
  g_assert_true (kiosk_serial_reader_get_connected (fixture->reader));
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->reader);
  if (fixture->master >= 0)
    close (fixture->master);
  g_ptr_array_unref (fixture->reads);
}

static void
send (Fixture *fixture, const char *bytes)
{
  gsize len = strlen (bytes);

  g_assert_cmpint (write (fixture->master, bytes, len), ==, (gssize)len);
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @n reads came, or fails after 5 s. */
static void
wait_reads (Fixture *fixture, guint n)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (50, tick_cb, NULL);

  while (fixture->reads->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (fixture->reads->len, ==, n);
}

static void
test_lines (Fixture *fixture, gconstpointer data)
{
  static const struct
  {
    const char *sent;
    const char *expected;
  } cases[] = {
    { "0012345678\r\n", "card-uid=00BC614E" },
    { "11010519491231002x\n", "resident-id=11010519491231002X" },
    { "\002DEADBEEF\003", "card-uid=DEADBEEF" },
    { "\r\n\r\n04:A1:B2:C3:D4:E5:F6\r", "card-uid=04A1B2C3D4E5F6" },
    { "LINLI:BOOK:A7\n", "qr=LINLI:BOOK:A7" },
    { "110105194912310021\n", "rejected=check-digit" },
    { "0123456789012345678901234567890123456789\n", "rejected=too-long" },
    { "12\033[A34\n", "rejected=invalid" },
    /* STX in the middle of a line: the partial one was lost. */
    { "0012\002DEADBEE0\003", "rejected=lost" },
  };
  g_autoptr (KioskReaderHealth) health = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint expected_reads = i == G_N_ELEMENTS (cases) - 1 ? 2 : 1;

      g_ptr_array_set_size (fixture->reads, 0);
      send (fixture, cases[i].sent);
      wait_reads (fixture, expected_reads);
      g_assert_cmpstr (g_ptr_array_index (fixture->reads, 0), ==, cases[i].expected);
    }
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 1), ==, "card-uid=DEADBEE0");

  health = kiosk_serial_reader_get_health (fixture->reader);
  g_assert_cmpuint (health->n_reads, ==, 6);
  g_assert_cmpuint (health->n_rejected[KIOSK_CARD_REJECT_CHECK_DIGIT], ==, 1);
  g_assert_cmpuint (health->n_rejected[KIOSK_CARD_REJECT_TOO_LONG], ==, 1);
  g_assert_cmpuint (health->n_rejected[KIOSK_CARD_REJECT_LOST], ==, 1);
  g_assert_cmpint (health->last_read_us, >, 0);
  g_assert_true (health->present);
}

static void
test_partial_then_timeout (Fixture *fixture, gconstpointer data)
{
  gint64 start = g_get_monotonic_time ();

  send (fixture, "00123");
  wait_reads (fixture, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 0), ==, "rejected=timeout");
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 100 * G_TIME_SPAN_MILLISECOND);

  /* The next line is whole again. */
  send (fixture, "0012345678\n");
  wait_reads (fixture, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 1), ==, "card-uid=00BC614E");
}

static void
test_debounce (Fixture *fixture, gconstpointer data)
{
  g_autoptr (KioskReaderHealth) health = NULL;

  send (fixture, "0012345678\r\n0012345678\r\n00000001\r\n");
  wait_reads (fixture, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 0), ==, "card-uid=00BC614E");
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 1), ==, "card-uid=00000001");
  health = kiosk_serial_reader_get_health (fixture->reader);
  g_assert_cmpuint (health->n_rejected[KIOSK_CARD_REJECT_DUPLICATE], ==, 1);
}

static void
test_hangup (Fixture *fixture, gconstpointer data)
{
  g_autoptr (KioskReaderHealth) health = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  kiosk_serial_reader_set_reopen_interval (fixture->reader, 20);
  send (fixture, "0012");
  /* Let the reader take the bytes (the hang-up would flush them), then pull
   * the adapter out mid-line, well before the line's timeout. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  close (fixture->master);
  fixture->master = -1;
  while (kiosk_serial_reader_get_connected (fixture->reader) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (kiosk_serial_reader_get_connected (fixture->reader));
  wait_reads (fixture, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 0), ==, "rejected=lost");

  /* It keeps trying the port that is gone, counting the failures. */
  while (g_get_monotonic_time () < deadline)
    {
      g_clear_pointer (&health, kiosk_reader_health_free);
      health = kiosk_serial_reader_get_health (fixture->reader);
      if (health->n_errors >= 3)
        break;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpuint (health->n_errors, >=, 3);
  g_assert_false (health->present);
}

static void
test_bad_config (void)
{
  g_autoptr (KioskSerialReader) reader = kiosk_serial_reader_new ("x", "/dev/null", 12345, NULL);
  g_autoptr (KioskSerialReader) missing
      = kiosk_serial_reader_new ("y", "/dev/ttyUSB-linli-missing", 9600, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (kiosk_serial_reader_start (reader, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kiosk_serial_reader_start (missing, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* /dev/null opens but is no terminal. */
  g_clear_object (&reader);
  reader = kiosk_serial_reader_new ("z", "/dev/null", 9600, NULL);
  g_assert_false (kiosk_serial_reader_start (reader, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE);
  g_assert_false (kiosk_serial_reader_get_connected (reader));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/serial-reader/lines", Fixture, NULL, fixture_setup, test_lines, fixture_teardown);
  g_test_add ("/kiosk/serial-reader/partial-then-timeout", Fixture, NULL, fixture_setup,
              test_partial_then_timeout, fixture_teardown);
  g_test_add ("/kiosk/serial-reader/debounce", Fixture, NULL, fixture_setup, test_debounce, fixture_teardown);
  g_test_add ("/kiosk/serial-reader/hangup", Fixture, NULL, fixture_setup, test_hangup, fixture_teardown);
  g_test_add_func ("/kiosk/serial-reader/bad-config", test_bad_config);
  return g_test_run ();
}
