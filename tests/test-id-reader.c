/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-id-reader"

#include "ga450-fake.h"
#include "kiosk-id-reader.h"
#include "kiosk-test-util.h"

/* The real driver against a fake GA 450 reader on a pseudo-terminal, with
 * short timings so that each fault shows in well under a second. */

/* Runs the main context until @done (data) or @ms pass. */
static gboolean
wait_until (gboolean (*done) (gpointer), gpointer data, guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)ms * 1000;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

typedef struct
{
  char *dir;
  char *link;
  Ga450Fake *fake;
  KioskIdReader *reader;
  GPtrArray *reads;
} Fixture;

static void
on_read (KioskIdReader *reader, const char *id, KioskCardRead *read, Fixture *fixture)
{
  g_assert_cmpstr (id, ==, "id0");
  g_ptr_array_add (fixture->reads, kiosk_card_read_copy (read));
}

static void
setup (Fixture *fixture, gconstpointer data)
{
  fixture->dir = kiosk_test_make_tmpdir ("id-reader");
  fixture->link = g_build_filename (fixture->dir, "ttyID", NULL);
  fixture->fake = ga450_fake_new (fixture->link);
  fixture->reads = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_card_read_free);
  {
    /* The kiosk's date: 2026-11-23. */
    g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 ("2026-11-23T10:00:00+08:00", NULL);
    g_autoptr (KioskClock) clock = kiosk_clock_new_fake (NULL, start);

    fixture->reader = kiosk_id_reader_new ("id0", fixture->link, 115200, clock);
  }
  kiosk_id_reader_set_timing (fixture->reader, 20, 200, 50);
  g_signal_connect (fixture->reader, "read", G_CALLBACK (on_read), fixture);
  kiosk_id_reader_start (fixture->reader);
}

static void
teardown (Fixture *fixture, gconstpointer data)
{
  kiosk_id_reader_stop (fixture->reader);
  g_assert_finalize_object (fixture->reader);
  ga450_fake_free (fixture->fake);
  g_ptr_array_unref (fixture->reads);
  kiosk_test_remove_tree (fixture->dir);
  g_free (fixture->link);
  g_free (fixture->dir);
}

static gboolean
has_reads (gpointer data)
{
  Fixture *fixture = ((gpointer *)data)[0];
  guint want = GPOINTER_TO_UINT (((gpointer *)data)[1]);

  return fixture->reads->len >= want;
}

static void
wait_reads (Fixture *fixture, guint n)
{
  gpointer data[2] = { fixture, GUINT_TO_POINTER (n) };

  g_assert_true (wait_until (has_reads, data, 5000));
}

static gboolean
is_connected (gpointer data)
{
  return kiosk_id_reader_get_connected (data);
}

static gboolean
is_disconnected (gpointer data)
{
  return !kiosk_id_reader_get_connected (data);
}

/* Lets the driver poll @n more times, to show that nothing more comes. */
static void
let_poll (Fixture *fixture, guint n)
{
  guint until = ga450_fake_count_finds (fixture->fake) + n;

  while (ga450_fake_count_finds (fixture->fake) < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
  g_main_context_iteration (NULL, FALSE);
}

static KioskCardRead *
read_at (Fixture *fixture, guint i)
{
  return g_ptr_array_index (fixture->reads, i);
}

static void
put_zhang (Fixture *fixture)
{
  g_autoptr (GBytes) text = ga450_test_text_block (ga450_test_card_zhang ());

  ga450_fake_set_card (fixture->fake, text);
}

/* Card in: one read, as a resident ID with its text beside it. Held there:
 * no second read, whether the reader keeps finding it or not. Taken away and
 * put back: read again. */
static void
test_card_in_held_removed (Fixture *fixture, gconstpointer data)
{
  g_assert_true (wait_until (is_connected, fixture->reader, 5000));
  ga450_fake_set_refind (fixture->fake, GPOINTER_TO_INT (data));
  put_zhang (fixture);
  wait_reads (fixture, 1);
  g_assert_cmpint (read_at (fixture, 0)->kind, ==, KIOSK_CARD_KIND_RESIDENT_ID);
  g_assert_cmpstr (read_at (fixture, 0)->value, ==, "11010519491231002X");
  g_assert_cmpstr (read_at (fixture, 0)->id_card->name, ==, "张三");

  let_poll (fixture, 10);
  g_assert_cmpuint (fixture->reads->len, ==, 1);
  g_assert_cmpuint (ga450_fake_count_reads (fixture->fake), ==, 1);

  ga450_fake_set_card (fixture->fake, NULL);
  let_poll (fixture, 3);
  put_zhang (fixture);
  wait_reads (fixture, 2);
  g_assert_cmpstr (read_at (fixture, 1)->value, ==, "11010519491231002X");
}

/* Noise between frames and spoilt check bytes cost a retry, not the read. */
static void
test_noise (Fixture *fixture, gconstpointer data)
{
  ga450_fake_set_noise (fixture->fake, TRUE, 2);
  put_zhang (fixture);
  wait_reads (fixture, 1);
  g_assert_cmpint (read_at (fixture, 0)->kind, ==, KIOSK_CARD_KIND_RESIDENT_ID);
}

/* An answer cut off mid-way (then silence) is retried once the reader
 * answers again. */
static void
test_cut_answer (Fixture *fixture, gconstpointer data)
{
  g_assert_true (wait_until (is_connected, fixture->reader, 5000));
  /* This reader keeps finding a card it has read (the answer was lost). */
  ga450_fake_set_refind (fixture->fake, TRUE);
  ga450_fake_set_cut (fixture->fake, 300);
  put_zhang (fixture);
  g_assert_true (wait_until (is_disconnected, fixture->reader, 5000));
  ga450_fake_set_silent (fixture->fake, FALSE);
  wait_reads (fixture, 1);
  g_assert_cmpint (read_at (fixture, 0)->kind, ==, KIOSK_CARD_KIND_RESIDENT_ID);
  g_assert_true (kiosk_id_reader_get_connected (fixture->reader));
}

/* A reader that stops answering is marked not present, and present again
 * when it answers. */
static void
test_silent_reader (Fixture *fixture, gconstpointer data)
{
  g_autoptr (KioskReaderHealth) health = NULL;

  g_assert_true (wait_until (is_connected, fixture->reader, 5000));
  ga450_fake_set_silent (fixture->fake, TRUE);
  g_assert_true (wait_until (is_disconnected, fixture->reader, 5000));
  health = kiosk_id_reader_get_health (fixture->reader);
  g_assert_false (health->present);
  g_assert_cmpuint (health->n_errors, >=, 1);
  ga450_fake_set_silent (fixture->fake, FALSE);
  g_assert_true (wait_until (is_connected, fixture->reader, 5000));
}

/* Unplugged in the middle of a read, and plugged back in: the driver opens
 * the port again and reads the card. */
static void
test_unplug (Fixture *fixture, gconstpointer data)
{
  g_autoptr (KioskReaderHealth) health = NULL;

  g_assert_true (wait_until (is_connected, fixture->reader, 5000));
  ga450_fake_set_cut (fixture->fake, 300);
  put_zhang (fixture);
  while (ga450_fake_count_reads (fixture->fake) == 0)
    g_usleep (5000);
  ga450_fake_unplug (fixture->fake);
  g_assert_true (wait_until (is_disconnected, fixture->reader, 5000));
  g_assert_cmpuint (fixture->reads->len, ==, 0);

  ga450_fake_replug (fixture->fake);
  ga450_fake_set_silent (fixture->fake, FALSE);
  g_assert_true (wait_until (is_connected, fixture->reader, 5000));
  put_zhang (fixture);
  wait_reads (fixture, 1);
  g_assert_cmpint (read_at (fixture, 0)->kind, ==, KIOSK_CARD_KIND_RESIDENT_ID);
  health = kiosk_id_reader_get_health (fixture->reader);
  g_assert_cmpuint (health->n_errors, >=, 1);
  g_assert_cmpuint (health->n_reads, ==, 1);
}

/* A foreigner's card: one rejected read for the placement, with words for a
 * person, and none of the card's text in it. */
static void
test_foreigner_card (Fixture *fixture, gconstpointer data)
{
  Ga450TestCard c = *ga450_test_card_zhang ();
  g_autoptr (GBytes) text = NULL;

  c.type = "I";
  text = ga450_test_text_block (&c);
  ga450_fake_set_refind (fixture->fake, TRUE);
  ga450_fake_set_card (fixture->fake, text);
  wait_reads (fixture, 1);
  let_poll (fixture, 5);
  g_assert_cmpuint (fixture->reads->len, ==, 1);
  g_assert_cmpint (read_at (fixture, 0)->kind, ==, KIOSK_CARD_KIND_REJECTED);
  g_assert_cmpint (read_at (fixture, 0)->reject, ==, KIOSK_CARD_REJECT_UNSUPPORTED);
  g_assert_cmpstr (read_at (fixture, 0)->value, ==, "");
  g_assert_null (read_at (fixture, 0)->id_card);
}

/* The module cannot verify the card: one rejected read. A read that fails
 * now and then is retried; one that always fails is given up once. */
static void
test_unverified (Fixture *fixture, gconstpointer data)
{
  ga450_fake_set_read_status (fixture->fake, 0x33, 0);
  ga450_fake_set_refind (fixture->fake, TRUE);
  put_zhang (fixture);
  wait_reads (fixture, 1);
  g_assert_cmpint (read_at (fixture, 0)->reject, ==, KIOSK_CARD_REJECT_UNVERIFIED);

  ga450_fake_set_card (fixture->fake, NULL);
  let_poll (fixture, 3);
  ga450_fake_set_read_status (fixture->fake, 0x41, 2);
  put_zhang (fixture);
  wait_reads (fixture, 2);
  g_assert_cmpint (read_at (fixture, 1)->kind, ==, KIOSK_CARD_KIND_RESIDENT_ID);

  ga450_fake_set_card (fixture->fake, NULL);
  let_poll (fixture, 3);
  ga450_fake_set_read_status (fixture->fake, 0x41, 0);
  put_zhang (fixture);
  wait_reads (fixture, 3);
  let_poll (fixture, 5);
  g_assert_cmpuint (fixture->reads->len, ==, 3);
  g_assert_cmpint (read_at (fixture, 2)->reject, ==, KIOSK_CARD_REJECT_UNVERIFIED);
}

/* A security module that fails its self-test: the reader is unhealthy. */
static void
test_sam_failure (Fixture *fixture, gconstpointer data)
{
  g_assert_true (wait_until (is_connected, fixture->reader, 5000));
  ga450_fake_set_find_status (fixture->fake, 0x60);
  g_assert_true (wait_until (is_disconnected, fixture->reader, 5000));
  ga450_fake_set_find_status (fixture->fake, 0);
  g_assert_true (wait_until (is_connected, fixture->reader, 5000));
}

/* A text block that is not sound (a birth date that is no date) is refused,
 * not passed on. */
static void
test_bad_text (Fixture *fixture, gconstpointer data)
{
  Ga450TestCard c = *ga450_test_card_zhang ();
  g_autoptr (GBytes) text = NULL;

  c.birth = "19491331";
  text = ga450_test_text_block (&c);
  ga450_fake_set_card (fixture->fake, text);
  wait_reads (fixture, 1);
  g_assert_cmpint (read_at (fixture, 0)->reject, ==, KIOSK_CARD_REJECT_UNVERIFIED);
}

/* A card whose number and birth date agree, with a right check digit, but
 * born tomorrow by the kiosk's clock: refused as every reader refuses it. */
static void
test_born_tomorrow (Fixture *fixture, gconstpointer data)
{
  Ga450TestCard c = *ga450_test_card_zhang ();
  g_autoptr (GBytes) text = NULL;

  c.birth = "20261124";
  c.number = "110105202611240029";
  text = ga450_test_text_block (&c);
  ga450_fake_set_card (fixture->fake, text);
  wait_reads (fixture, 1);
  g_assert_cmpint (read_at (fixture, 0)->kind, ==, KIOSK_CARD_KIND_REJECTED);
  g_assert_cmpint (read_at (fixture, 0)->reject, ==, KIOSK_CARD_REJECT_BIRTH_DATE);
  g_assert_cmpstr (read_at (fixture, 0)->value, ==, "");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, data) g_test_add ("/drivers/id-reader/" path, Fixture, data, setup, func, teardown)
  ADD ("held-refound", test_card_in_held_removed, GINT_TO_POINTER (TRUE));
  ADD ("held-not-refound", test_card_in_held_removed, GINT_TO_POINTER (FALSE));
  ADD ("noise", test_noise, NULL);
  ADD ("cut-answer", test_cut_answer, NULL);
  ADD ("silent-reader", test_silent_reader, NULL);
  ADD ("unplug", test_unplug, NULL);
  ADD ("foreigner-card", test_foreigner_card, NULL);
  ADD ("unverified", test_unverified, NULL);
  ADD ("sam-failure", test_sam_failure, NULL);
  ADD ("bad-text", test_bad_text, NULL);
  ADD ("born-tomorrow", test_born_tomorrow, NULL);
  return g_test_run ();
}
