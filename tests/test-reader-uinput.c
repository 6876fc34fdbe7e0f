/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-reader-uinput"

#include "kiosk-reader-manager.h"

#include <errno.h>
#include <fcntl.h>
#include <libevdev/libevdev-uinput.h>
#include <libevdev/libevdev.h>
#include <linux/uinput.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* End to end on real evdev devices: keyboards made with uinput, found,
 * grabbed and decoded by the whole KioskReaderManager. Needs /dev/uinput
 * (tests/device/run-in-vm.sh boots a kernel that has it); exits 77 without. */

#define READER_VENDOR 0xfff0
#define READER_PRODUCT 0x0035
#define KEYBOARD_VENDOR 0x1234
#define READER_A "fff0:0035@usb-linli-test-1/input0"
#define READER_B "fff0:0035@usb-linli-test-2/input0"

typedef struct
{
  KioskReaderManager *manager;
  GPtrArray *reads;   /* "id|kind=value" */
  GPtrArray *added;   /* ids */
  GPtrArray *removed; /* ids */
} Fixture;

static struct libevdev_uinput *
make_keyboard (const char *name, guint16 vendor, const char *phys)
{
  struct libevdev *dev = libevdev_new ();
  struct libevdev_uinput *uidev = NULL;
  int fd;
  int rc;

  libevdev_set_name (dev, name);
  libevdev_set_id_bustype (dev, BUS_USB);
  libevdev_set_id_vendor (dev, vendor);
  libevdev_set_id_product (dev, READER_PRODUCT);
  libevdev_set_phys (dev, phys);
  libevdev_enable_event_type (dev, EV_KEY);
  for (guint code = KEY_ESC; code <= KEY_KPDOT; code++)
    libevdev_enable_event_code (dev, EV_KEY, code, NULL);
  libevdev_enable_event_code (dev, EV_KEY, KEY_KPENTER, NULL);
  libevdev_enable_event_type (dev, EV_MSC);
  libevdev_enable_event_code (dev, EV_MSC, MSC_SCAN, NULL);
  /* libevdev does not pass the phys (the USB port, which names the reader)
   * on to uinput: set it on our own uinput fd first. The kernel closes the
   * fd's device with the fd, so we hand the fd to uidev to close. */
  fd = open ("/dev/uinput", O_RDWR | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ioctl (fd, UI_SET_PHYS, phys), ==, 0);
  rc = libevdev_uinput_create_from_device (dev, fd, &uidev);
  libevdev_free (dev);
  if (rc < 0)
    g_error ("uinput device %s: %s", name, g_strerror (-rc));
  return uidev;
}

static void
unplug (struct libevdev_uinput *uidev)
{
  int fd = libevdev_uinput_get_fd (uidev);

  libevdev_uinput_destroy (uidev);
  close (fd);
}

static guint
key_for (char c)
{
  static const guint digits[] = { KEY_0, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9 };

  if (g_ascii_isdigit (c))
    return digits[c - '0'];
  if (c == '\n')
    return KEY_ENTER;
  switch (g_ascii_toupper (c))
    {
      case 'A':
        return KEY_A;
      case 'B':
        return KEY_B;
      case 'C':
        return KEY_C;
      case 'D':
        return KEY_D;
      case 'E':
        return KEY_E;
      case 'F':
        return KEY_F;
      case 'X':
        return KEY_X;
      default:
        g_assert_not_reached ();
    }
}

static void
press (struct libevdev_uinput *uidev, char c)
{
  guint code = key_for (c);
  gboolean shift = g_ascii_isupper (c);

  if (shift)
    libevdev_uinput_write_event (uidev, EV_KEY, KEY_LEFTSHIFT, 1);
  libevdev_uinput_write_event (uidev, EV_KEY, code, 1);
  libevdev_uinput_write_event (uidev, EV_SYN, SYN_REPORT, 0);
  libevdev_uinput_write_event (uidev, EV_KEY, code, 0);
  if (shift)
    libevdev_uinput_write_event (uidev, EV_KEY, KEY_LEFTSHIFT, 0);
  libevdev_uinput_write_event (uidev, EV_SYN, SYN_REPORT, 0);
}

static void
read_cb (KioskReaderManager *manager, const char *id, KioskCardRead *read, Fixture *fixture)
{
  if (read->kind == KIOSK_CARD_KIND_REJECTED)
    g_ptr_array_add (fixture->reads,
                     g_strdup_printf ("%s|rejected=%s", id, kiosk_card_reject_to_code (read->reject)));
  else
    g_ptr_array_add (fixture->reads,
                     g_strdup_printf ("%s|%s=%s", id, kiosk_card_kind_to_code (read->kind), read->value));
}

static void
added_cb (KioskReaderManager *manager, const char *id, Fixture *fixture)
{
  g_ptr_array_add (fixture->added, g_strdup (id));
}

static void
removed_cb (KioskReaderManager *manager, const char *id, Fixture *fixture)
{
  g_ptr_array_add (fixture->removed, g_strdup (id));
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @array has @n items; fails after 20 s (software
 * emulation is slow). */
static void
wait_for (GPtrArray *array, guint n)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (20, tick_cb, NULL);

  while (array->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (array->len, >=, n);
}

/* Lets the loop run for @ms, to show that nothing arrives. */
static void
settle (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint tick = g_timeout_add (10, tick_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

/* Types @text, letting the main loop read between keys as it would on a
 * kiosk: the kernel keeps only 64 events per client, and a loop blocked
 * through a long read loses it (SYN_DROPPED, then a LOST read). */
static void
type (struct libevdev_uinput *uidev, const char *text, guint gap_ms)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      press (uidev, *p);
      if (gap_ms > 0)
        settle (gap_ms);
      else
        {
          /* Reader speed, ~1 ms a key: the reader thread needs the CPU too
           * (the VM has one). */
          g_usleep (1000);
          while (g_main_context_iteration (NULL, FALSE))
            ;
        }
    }
}

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  KioskWedgeConfig config;

  kiosk_wedge_config_init (&config);
  config.timeout_us = 400 * G_TIME_SPAN_MILLISECOND;
  fixture->reads = g_ptr_array_new_with_free_func (g_free);
  fixture->added = g_ptr_array_new_with_free_func (g_free);
  fixture->removed = g_ptr_array_new_with_free_func (g_free);
  fixture->manager = kiosk_reader_manager_new (&config);
  kiosk_reader_manager_add_usb_id (fixture->manager, READER_VENDOR, READER_PRODUCT);
  kiosk_reader_manager_set_rescan_interval (fixture->manager, 500);
  g_signal_connect (fixture->manager, "read", G_CALLBACK (read_cb), fixture);
  g_signal_connect (fixture->manager, "reader-added", G_CALLBACK (added_cb), fixture);
  g_signal_connect (fixture->manager, "reader-removed", G_CALLBACK (removed_cb), fixture);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->manager);
  g_ptr_array_unref (fixture->reads);
  g_ptr_array_unref (fixture->added);
  g_ptr_array_unref (fixture->removed);
}

static void
test_read_grab_replug (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) health = NULL;
  struct libevdev_uinput *reader
      = make_keyboard ("Linli Test Reader", READER_VENDOR, "usb-linli-test-1/input0");
  struct libevdev_uinput *keyboard
      = make_keyboard ("Linli Test Keyboard", KEYBOARD_VENDOR, "usb-linli-kbd/input0");
  struct libevdev *observer = NULL;
  struct libevdev *keyboard_observer = NULL;
  struct input_event ev;
  int fd, kfd;

  g_assert_true (kiosk_reader_manager_start (fixture->manager, &error));
  g_assert_no_error (error);
  wait_for (fixture->added, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->added, 0), ==, READER_A);

  /* A second client on each node, as the UI's input stack would be. */
  fd = open (libevdev_uinput_get_devnode (reader), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  kfd = open (libevdev_uinput_get_devnode (keyboard), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (kfd, >=, 0);
  g_assert_cmpint (libevdev_new_from_fd (fd, &observer), ==, 0);
  g_assert_cmpint (libevdev_new_from_fd (kfd, &keyboard_observer), ==, 0);

  type (reader, "0012345678\n", 0);
  wait_for (fixture->reads, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 0), ==, READER_A "|card-uid=00BC614E");

  /* The grab: the other client saw nothing of the card, and cannot grab. */
  g_assert_cmpint (libevdev_next_event (observer, LIBEVDEV_READ_FLAG_NORMAL, &ev), ==, -EAGAIN);
  g_assert_cmpint (libevdev_grab (observer, LIBEVDEV_GRAB), ==, -EBUSY);

  /* The plain keyboard is not a reader: typing on it stays with the UI. */
  type (keyboard, "0000000042\n", 0);
  settle (300);
  g_assert_cmpuint (fixture->reads->len, ==, 1);
  g_assert_cmpint (libevdev_next_event (keyboard_observer, LIBEVDEV_READ_FLAG_NORMAL, &ev), ==,
                   LIBEVDEV_READ_STATUS_SUCCESS);

  /* A person typing on the reader's keys, and a shifted hex UID. */
  type (reader, "1234\n", 150);
  type (reader, "04A1B2C3D4E5F6\n", 0);
  wait_for (fixture->reads, 3);
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 1), ==, READER_A "|rejected=too-slow");
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 2), ==, READER_A "|card-uid=04A1B2C3D4E5F6");

  /* Unplugged mid-read: the partial read is lost, the reader removed. */
  type (reader, "0012", 0);
  settle (50);
  unplug (reader);
  wait_for (fixture->removed, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->removed, 0), ==, READER_A);
  wait_for (fixture->reads, 4);
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 3), ==, READER_A "|rejected=lost");

  /* Plugged back in: the same reader, reopened, grabbed, reading. */
  reader = make_keyboard ("Linli Test Reader", READER_VENDOR, "usb-linli-test-1/input0");
  wait_for (fixture->added, 2);
  g_assert_cmpstr (g_ptr_array_index (fixture->added, 1), ==, READER_A);
  type (reader, "11010519491231002X\n", 0);
  wait_for (fixture->reads, 5);
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 4), ==, READER_A "|resident-id=11010519491231002X");

  health = kiosk_reader_manager_list_health (fixture->manager);
  g_assert_cmpuint (health->len, ==, 1);
  {
    KioskReaderHealth *h = g_ptr_array_index (health, 0);

    g_assert_cmpstr (h->id, ==, READER_A);
    g_assert_true (h->present);
    g_assert_true (h->grabbed);
    g_assert_cmpuint (h->n_reads, ==, 3);
    g_assert_cmpuint (h->n_errors, >=, 1);
    g_assert_cmpuint (h->n_rejected[KIOSK_CARD_REJECT_TOO_SLOW], ==, 1);
    g_assert_cmpuint (h->n_rejected[KIOSK_CARD_REJECT_LOST], ==, 1);
    g_assert_cmpint (h->last_read_us, >, 0);
  }

  libevdev_free (observer);
  libevdev_free (keyboard_observer);
  close (fd);
  close (kfd);
  unplug (reader);
  unplug (keyboard);
}

/* Two readers typing at once, events interleaved key by key. */
static void
test_two_readers (Fixture *fixture, gconstpointer data)
{
  const char *a_text = "0012345678\n";
  const char *b_text = "DEADBEEF\n";
  struct libevdev_uinput *a = make_keyboard ("Linli Test Reader A", READER_VENDOR, "usb-linli-test-1/input0");
  struct libevdev_uinput *b = make_keyboard ("Linli Test Reader B", READER_VENDOR, "usb-linli-test-2/input0");
  g_autoptr (GError) error = NULL;
  gboolean got_a = FALSE, got_b = FALSE;

  g_assert_true (kiosk_reader_manager_start (fixture->manager, &error));
  wait_for (fixture->added, 2);

  for (const char *pa = a_text, *pb = b_text; *pa != '\0' || *pb != '\0';)
    {
      if (*pa != '\0')
        press (a, *pa++);
      if (*pb != '\0')
        press (b, *pb++);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  wait_for (fixture->reads, 2);
  for (guint i = 0; i < fixture->reads->len; i++)
    {
      const char *r = g_ptr_array_index (fixture->reads, i);
      got_a |= g_str_equal (r, READER_A "|card-uid=00BC614E");
      got_b |= g_str_equal (r, READER_B "|card-uid=DEADBEEF");
    }
  g_assert_true (got_a);
  g_assert_true (got_b);
  g_assert_cmpuint (fixture->reads->len, ==, 2);

  unplug (a);
  unplug (b);
}

/* Auto-detect: an unknown keyboard is left to the UI until it types a whole
 * card faster than a person can; then it is a reader, and grabbed. */
static void
test_auto_detect (Fixture *fixture, gconstpointer data)
{
  struct libevdev_uinput *kbd = make_keyboard ("Linli Test Wedge", KEYBOARD_VENDOR, "usb-linli-wedge/input0");
  struct libevdev *observer = NULL;
  g_autoptr (GError) error = NULL;
  struct input_event ev;
  int fd;

  kiosk_reader_manager_set_auto_detect (fixture->manager, TRUE);
  g_assert_true (kiosk_reader_manager_start (fixture->manager, &error));
  settle (300);
  g_assert_cmpuint (fixture->added->len, ==, 0);

  fd = open (libevdev_uinput_get_devnode (kbd), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  g_assert_cmpint (libevdev_new_from_fd (fd, &observer), ==, 0);

  /* A person typing: not a reader, no read, and the keys reach others. */
  type (kbd, "12\n", 150);
  settle (100);
  g_assert_cmpuint (fixture->reads->len, ==, 0);
  g_assert_cmpint (libevdev_next_event (observer, LIBEVDEV_READ_FLAG_NORMAL, &ev), ==,
                   LIBEVDEV_READ_STATUS_SUCCESS);
  while (libevdev_next_event (observer, LIBEVDEV_READ_FLAG_NORMAL, &ev) == LIBEVDEV_READ_STATUS_SUCCESS)
    ;

  /* A card at reader speed: promoted, delivered, and grabbed from now on. */
  type (kbd, "0012345678\n", 0);
  wait_for (fixture->reads, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 0), ==,
                   "1234:0035@usb-linli-wedge/input0|card-uid=00BC614E");
  g_assert_cmpuint (fixture->added->len, ==, 1);
  g_assert_cmpint (libevdev_grab (observer, LIBEVDEV_GRAB), ==, -EBUSY);

  libevdev_free (observer);
  close (fd);
  unplug (kbd);
}

typedef struct
{
  struct libevdev_uinput *reader;
  const char *text;
} StallData;

/* The UI thread busy for 300 ms (a software-painted frame, an SQLite commit)
 * while the reader types a whole ID card at reader speed: ~80 events, more
 * than the kernel's 64-event buffer for the client. */
static gboolean
stall_cb (gpointer user_data)
{
  StallData *stall = user_data;
  gint64 end = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;

  for (const char *p = stall->text; *p != '\0'; p++)
    {
      press (stall->reader, *p);
      g_usleep (2000);
    }
  while (g_get_monotonic_time () < end)
    g_usleep (10000);
  return G_SOURCE_REMOVE;
}

/* A main loop that stalls through a whole read must not lose it. */
static void
test_main_loop_stall (Fixture *fixture, gconstpointer data)
{
  struct libevdev_uinput *reader
      = make_keyboard ("Linli Test Reader", READER_VENDOR, "usb-linli-test-1/input0");
  StallData stall = { reader, "11010519491231002X\n" };
  g_autoptr (GError) error = NULL;

  g_assert_true (kiosk_reader_manager_start (fixture->manager, &error));
  g_assert_no_error (error);
  wait_for (fixture->added, 1);

  g_idle_add (stall_cb, &stall);
  wait_for (fixture->reads, 1);
  settle (500);
  g_assert_cmpuint (fixture->reads->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (fixture->reads, 0), ==, READER_A "|resident-id=11010519491231002X");

  unplug (reader);
}

int
main (int argc, char *argv[])
{
  if (access ("/dev/uinput", W_OK) < 0)
    {
      printf ("1..0 # SKIP /dev/uinput is not available: %s\n", g_strerror (errno));
      return 77;
    }
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/reader-uinput/read-grab-replug", Fixture, NULL, fixture_setup, test_read_grab_replug,
              fixture_teardown);
  g_test_add ("/kiosk/reader-uinput/two-readers", Fixture, NULL, fixture_setup, test_two_readers,
              fixture_teardown);
  g_test_add ("/kiosk/reader-uinput/auto-detect", Fixture, NULL, fixture_setup, test_auto_detect,
              fixture_teardown);
  g_test_add ("/kiosk/reader-uinput/main-loop-stall", Fixture, NULL, fixture_setup, test_main_loop_stall,
              fixture_teardown);
  return g_test_run ();
}
