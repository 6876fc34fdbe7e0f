/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ga450"

#include <string.h>

#include "ga450-fake.h"
#include "kiosk-error.h"
#include "kiosk-ga450.h"
#include "kiosk-id-card.h"

static GBytes *
hex (const char *text)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = text; *p != '\0';)
    {
      if (*p == ' ')
        {
          p++;
          continue;
        }
      g_assert_true (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]));
      g_byte_array_append (
          out, (guint8[]){ (guint8)(g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1])) }, 1);
      p += 2;
    }
  return g_byte_array_free_to_bytes (out);
}

static void
assert_bytes (GBytes *got, const char *want_hex)
{
  g_autoptr (GBytes) want = hex (want_hex);

  g_assert_true (g_bytes_equal (got, want));
}

/* The three commands as every GA 450 reader's manual prints them. */
static void
test_encode_commands (void)
{
  g_autoptr (GBytes) find = kiosk_ga450_encode_command (KIOSK_GA450_FIND_CARD, NULL, 0);
  g_autoptr (GBytes) select = kiosk_ga450_encode_command (KIOSK_GA450_SELECT_CARD, NULL, 0);
  g_autoptr (GBytes) read = kiosk_ga450_encode_command (KIOSK_GA450_READ_BASE, NULL, 0);
  g_autoptr (GBytes) found = kiosk_ga450_encode_answer (0x9F, (guint8[]){ 0, 0, 0, 0 }, 4);

  assert_bytes (find, "AA AA AA 96 69 00 03 20 01 22");
  assert_bytes (select, "AA AA AA 96 69 00 03 20 02 21");
  assert_bytes (read, "AA AA AA 96 69 00 03 30 01 32");
  assert_bytes (found, "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
}

typedef struct
{
  const char *name;
  const char *input;
  KioskGa450Decode result;
  gsize consumed;
  guint8 sw3;
  gsize data_length;
} DecodeCase;

static const DecodeCase decode_cases[] = {
  { "found", "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", KIOSK_GA450_DECODE_FRAME, 15, 0x9F, 4 },
  { "no-card", "AA AA AA 96 69 00 04 00 00 80 84", KIOSK_GA450_DECODE_FRAME, 11, 0x80, 0 },
  { "frame-then-more", "AA AA AA 96 69 00 04 00 00 80 84 AA AA", KIOSK_GA450_DECODE_FRAME, 11, 0x80, 0 },
  { "empty", "", KIOSK_GA450_DECODE_NEED_MORE, 0, 0, 0 },
  { "preamble-part", "AA AA AA", KIOSK_GA450_DECODE_NEED_MORE, 0, 0, 0 },
  { "header-only", "AA AA AA 96 69 00 08", KIOSK_GA450_DECODE_NEED_MORE, 0, 0, 0 },
  { "cut-mid-way", "AA AA AA 96 69 00 08 00 00 9F 00", KIOSK_GA450_DECODE_NEED_MORE, 0, 0, 0 },
  { "garbage-first", "13 37 00 AA AA AA 96 69 00 04 00 00 80 84", KIOSK_GA450_DECODE_GARBAGE, 3, 0, 0 },
  { "garbage-only", "01 02 03 04", KIOSK_GA450_DECODE_GARBAGE, 4, 0, 0 },
  { "garbage-tail-preamble", "01 02 AA AA", KIOSK_GA450_DECODE_GARBAGE, 2, 0, 0 },
  { "bad-check", "AA AA AA 96 69 00 04 00 00 80 85", KIOSK_GA450_DECODE_BAD_FRAME, 5, 0, 0 },
  { "length-too-short", "AA AA AA 96 69 00 03 00 00 80", KIOSK_GA450_DECODE_BAD_FRAME, 5, 0, 0 },
  { "length-overruns", "AA AA AA 96 69 FF FF 00 00 90", KIOSK_GA450_DECODE_BAD_FRAME, 5, 0, 0 },
  { "length-over-max", "AA AA AA 96 69 10 01 00 00 90", KIOSK_GA450_DECODE_BAD_FRAME, 5, 0, 0 },
};

static void
test_decode (gconstpointer data)
{
  const DecodeCase *c = data;
  g_autoptr (GBytes) input = hex (c->input);
  gsize length, consumed = 99;
  const guint8 *bytes = g_bytes_get_data (input, &length);
  KioskGa450Answer answer;

  g_assert_cmpint (kiosk_ga450_decode (bytes, length, &consumed, &answer), ==, c->result);
  g_assert_cmpuint (consumed, ==, c->consumed);
  if (c->result == KIOSK_GA450_DECODE_FRAME)
    {
      g_assert_cmpuint (answer.sw3, ==, c->sw3);
      g_assert_cmpuint (answer.data_length, ==, c->data_length);
      g_assert_true (answer.data == bytes + 10);
    }
}

/* A frame fed a byte at a time: NEED_MORE until its last byte, then the frame. */
static void
test_decode_bytewise (void)
{
  g_autoptr (GBytes) frame = kiosk_ga450_encode_answer (0x90, (const guint8 *)"hello", 5);
  gsize length, consumed;
  const guint8 *bytes = g_bytes_get_data (frame, &length);
  KioskGa450Answer answer;

  for (gsize n = 0; n < length; n++)
    g_assert_cmpint (kiosk_ga450_decode (bytes, n, &consumed, &answer), ==, KIOSK_GA450_DECODE_NEED_MORE);
  g_assert_cmpint (kiosk_ga450_decode (bytes, length, &consumed, &answer), ==, KIOSK_GA450_DECODE_FRAME);
  g_assert_cmpmem (answer.data, answer.data_length, "hello", 5);
}

/* Every status GA 450 lists has words and an action; unknown ones are the
 * reader's fault, never a silent success. */
static void
test_statuses (void)
{
  static const struct
  {
    guint8 sw3;
    KioskGa450Action action;
  } cases[] = {
    { 0x90, KIOSK_GA450_ACTION_OK },        { 0x9F, KIOSK_GA450_ACTION_OK },
    { 0x80, KIOSK_GA450_ACTION_NO_CARD },   { 0x81, KIOSK_GA450_ACTION_RETRY },
    { 0x41, KIOSK_GA450_ACTION_RETRY },     { 0x47, KIOSK_GA450_ACTION_RETRY },
    { 0x10, KIOSK_GA450_ACTION_RETRY },     { 0x11, KIOSK_GA450_ACTION_RETRY },
    { 0x91, KIOSK_GA450_ACTION_REJECT },    { 0x31, KIOSK_GA450_ACTION_REJECT },
    { 0x32, KIOSK_GA450_ACTION_REJECT },    { 0x33, KIOSK_GA450_ACTION_REJECT },
    { 0x40, KIOSK_GA450_ACTION_REJECT },    { 0x21, KIOSK_GA450_ACTION_UNHEALTHY },
    { 0x23, KIOSK_GA450_ACTION_UNHEALTHY }, { 0x24, KIOSK_GA450_ACTION_UNHEALTHY },
    { 0x60, KIOSK_GA450_ACTION_UNHEALTHY }, { 0x66, KIOSK_GA450_ACTION_UNHEALTHY },
    { 0x77, KIOSK_GA450_ACTION_UNHEALTHY },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *text = kiosk_ga450_status_to_text (cases[i].sw3);

      g_assert_cmpint (kiosk_ga450_status_action (cases[i].sw3), ==, cases[i].action);
      /* Chinese first, then English. */
      g_assert_nonnull (strstr (text, " / "));
      g_assert_true ((guchar)text[0] >= 0x80);
    }
}

static void
test_split_base (void)
{
  guint8 data[4 + 256 + 1024] = { 0x01, 0x00, 0x04, 0x00 };
  const guint8 *text;
  gsize text_length, photo_length;

  g_assert_true (kiosk_ga450_split_base (data, sizeof data, &text, &text_length, &photo_length));
  g_assert_true (text == data + 4);
  g_assert_cmpuint (text_length, ==, 256);
  g_assert_cmpuint (photo_length, ==, 1024);
  /* Lengths that claim more than the answer holds. */
  g_assert_false (kiosk_ga450_split_base (data, 4 + 256 + 1023, &text, &text_length, &photo_length));
  data[0] = 0xFF;
  g_assert_false (kiosk_ga450_split_base (data, sizeof data, &text, &text_length, &photo_length));
  g_assert_false (kiosk_ga450_split_base (data, 3, &text, &text_length, &photo_length));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/drivers/ga450/encode-commands", test_encode_commands);
  for (gsize i = 0; i < G_N_ELEMENTS (decode_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/drivers/ga450/decode/%s", decode_cases[i].name);
      g_test_add_data_func (path, &decode_cases[i], test_decode);
    }
  g_test_add_func ("/drivers/ga450/decode-bytewise", test_decode_bytewise);
  g_test_add_func ("/drivers/ga450/statuses", test_statuses);
  g_test_add_func ("/drivers/ga450/split-base", test_split_base);
  return g_test_run ();
}
