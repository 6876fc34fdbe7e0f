/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-wedge"

#include "kiosk-wedge.h"

#include <string.h>

/* Event sequences are built from a script, as a reader would type it:
 * '\n' Enter, '\t' Tab, PAUSE one second of silence, LONG_PAUSE five. */
#define PAUSE "\001"
#define LONG_PAUSE "\002"

enum
{
  TYPE_KEYPAD = 1 << 0,  /* digits from the keypad, Enter from KEY_KPENTER */
  TYPE_CAPS = 1 << 1,    /* Caps Lock first, letters unshifted */
  TYPE_REPEAT = 1 << 2,  /* an auto-repeat event after every press */
  TYPE_SHIFT_R = 1 << 3, /* the right Shift key */
};

static const guint digit_keys[] = { KEY_0, KEY_1, KEY_2, KEY_3, KEY_4, KEY_5, KEY_6, KEY_7, KEY_8, KEY_9 };
static const guint keypad_keys[]
    = { KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4, KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9 };
static const guint letter_keys[]
    = { KEY_A, KEY_B, KEY_C, KEY_D, KEY_E, KEY_F, KEY_G, KEY_H, KEY_I, KEY_J, KEY_K, KEY_L, KEY_M,
        KEY_N, KEY_O, KEY_P, KEY_Q, KEY_R, KEY_S, KEY_T, KEY_U, KEY_V, KEY_W, KEY_X, KEY_Y, KEY_Z };

static void
push (GArray *events, gint64 t, guint type, guint code, int value)
{
  struct input_event ev = { 0 };

  ev.input_event_sec = t / G_USEC_PER_SEC;
  ev.input_event_usec = t % G_USEC_PER_SEC;
  ev.type = type;
  ev.code = code;
  ev.value = value;
  g_array_append_val (events, ev);
}

static void
push_key (GArray *events, gint64 t, guint code, gboolean shift, guint flags)
{
  guint shift_key = (flags & TYPE_SHIFT_R) ? KEY_RIGHTSHIFT : KEY_LEFTSHIFT;

  if (shift)
    {
      push (events, t, EV_KEY, shift_key, 1);
      push (events, t, EV_SYN, SYN_REPORT, 0);
    }
  push (events, t, EV_MSC, MSC_SCAN, 0x70000 + code);
  push (events, t, EV_KEY, code, 1);
  push (events, t, EV_SYN, SYN_REPORT, 0);
  if (flags & TYPE_REPEAT)
    {
      push (events, t + 1, EV_KEY, code, 2);
      push (events, t + 1, EV_SYN, SYN_REPORT, 0);
    }
  push (events, t + 2, EV_KEY, code, 0);
  push (events, t + 2, EV_SYN, SYN_REPORT, 0);
  if (shift)
    {
      push (events, t + 2, EV_KEY, shift_key, 0);
      push (events, t + 2, EV_SYN, SYN_REPORT, 0);
    }
}

/* Appends the events for @script starting at *@t, one key every @step_us. */
static void
type_script (GArray *events, const char *script, gint64 *t, gint64 step_us, guint flags)
{
  if (flags & TYPE_CAPS)
    {
      push_key (events, *t, KEY_CAPSLOCK, FALSE, 0);
      *t += step_us;
    }
  for (const char *p = script; *p != '\0'; p++)
    {
      char c = *p;

      if (c == PAUSE[0] || c == LONG_PAUSE[0])
        {
          *t += c == PAUSE[0] ? G_USEC_PER_SEC : 5 * G_USEC_PER_SEC;
          continue;
        }
      if (c == '\n')
        push_key (events, *t, (flags & TYPE_KEYPAD) ? KEY_KPENTER : KEY_ENTER, FALSE, flags);
      else if (c == '\t')
        push_key (events, *t, KEY_TAB, FALSE, flags);
      else if (g_ascii_isdigit (c))
        push_key (events, *t, ((flags & TYPE_KEYPAD) ? keypad_keys : digit_keys)[c - '0'], FALSE, flags);
      else if (g_ascii_isalpha (c))
        push_key (events, *t, letter_keys[g_ascii_tolower (c) - 'a'],
                  g_ascii_isupper (c) && !(flags & TYPE_CAPS), flags);
      else if (c == ':')
        push_key (events, *t, KEY_SEMICOLON, TRUE, flags);
      else if (c == '-')
        push_key (events, *t, KEY_MINUS, FALSE, flags);
      else
        g_assert_not_reached ();
      *t += step_us;
    }
}

/* "kind=value" for accepted reads, "rejected=reason" for the others, joined by ';'. */
static char *
describe_reads (GPtrArray *reads)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < reads->len; i++)
    {
      const KioskCardRead *read = g_ptr_array_index (reads, i);

      if (i > 0)
        g_string_append_c (s, ';');
      if (read->kind == KIOSK_CARD_KIND_REJECTED)
        g_string_append_printf (s, "rejected=%s", kiosk_card_reject_to_code (read->reject));
      else
        g_string_append_printf (s, "%s=%s", kiosk_card_kind_to_code (read->kind), read->value);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

#define T0 (1000 * G_USEC_PER_SEC)
#define FAST (8 * G_TIME_SPAN_MILLISECOND)
#define SLOW (180 * G_TIME_SPAN_MILLISECOND)

typedef struct
{
  const char *name;
  const char *script;
  gint64 step_us;
  guint flags;
  KioskWedgeTerminator terminators; /* 0: Enter */
  const char *expected;
  guint duplicates;
} WedgeCase;

static const WedgeCase wedge_cases[] = {
  { "fast-em4100", "0012345678\n", FAST, 0, 0, "card-uid=00BC614E", 0 },
  { "slow-person-typing", "0012345678\n", SLOW, 0, 0, "rejected=too-slow", 0 },
  { "shifted-hex", "04A1B2C3D4E5F6\n", FAST, 0, 0, "card-uid=04A1B2C3D4E5F6", 0 },
  { "shifted-hex-right-shift", "04:A1:B2:C3\n", FAST, TYPE_SHIFT_R, 0, "card-uid=04A1B2C3", 0 },
  { "lowercase-hex", "deadbeef\n", FAST, 0, 0, "card-uid=DEADBEEF", 0 },
  { "caps-lock", "linli-a7\n", FAST, TYPE_CAPS, 0, "qr=LINLI-A7", 0 },
  { "caps-lock-and-shift", "LINLI-a7\n", FAST, TYPE_CAPS, 0, "qr=LINLI-A7", 0 },
  { "keypad-digits", "0012345678\n", FAST, TYPE_KEYPAD, 0, "card-uid=00BC614E", 0 },
  { "resident-id-x", "11010519491231002X\n", FAST, 0, 0, "resident-id=11010519491231002X", 0 },
  { "resident-id-bad-check", "110105194912310021\n", FAST, 0, 0, "rejected=check-digit", 0 },
  /* Right check digits; the kiosk's clock says 2026-11-23. */
  { "resident-id-month-13", "110105199013010026\n", FAST, 0, 0, "rejected=birth-date", 0 },
  { "resident-id-1900-02-29", "110105190002290025\n", FAST, 0, 0, "rejected=birth-date", 0 },
  { "resident-id-born-tomorrow", "110105202611240029\n", FAST, 0, 0, "rejected=birth-date", 0 },
  { "resident-id-born-today", "110105202611230023\n", FAST, 0, 0, "resident-id=110105202611230023", 0 },
  { "tab-terminator", "0012345678\t", FAST, 0, KIOSK_WEDGE_TERMINATOR_TAB, "card-uid=00BC614E", 0 },
  { "enter-or-tab", "00000001\t00000002\n", FAST, 0,
    KIOSK_WEDGE_TERMINATOR_TAB | KIOSK_WEDGE_TERMINATOR_ENTER, "card-uid=00000001;card-uid=00000002", 0 },
  /* Tab is not the terminator here: it is ignored, and the read never ends. */
  { "wrong-terminator", "0012345678\t" PAUSE "\n", FAST, 0, 0, "rejected=timeout", 0 },
  { "partial-then-timeout-then-card", "00123" PAUSE "0012345678\n", FAST, 0, 0,
    "rejected=timeout;card-uid=00BC614E", 0 },
  { "key-repeat-ignored", "0012345678\n", FAST, TYPE_REPEAT, 0, "card-uid=00BC614E", 0 },
  { "overlong", "12345678901234567890123456789012345678901234567890123456789012345\n", FAST, 0, 0,
    "rejected=too-long", 0 },
  { "longest-accepted", "1234567890123456789012345678901234567890123456789012345678901234\n", FAST, 0, 0,
    "qr=1234567890123456789012345678901234567890123456789012345678901234", 0 },
  { "empty-enter", "\n\n", FAST, 0, 0, "", 0 },
  { "debounce", "0012345678\n0012345678\n", FAST, 0, 0, "card-uid=00BC614E", 1 },
  /* The window slides: a card held on a repeating reader stays one read. */
  { "debounce-sliding", "00000001\n" PAUSE "00000001\n" PAUSE "00000001\n" PAUSE "00000001\n", FAST, 0, 0,
    "card-uid=00000001", 3 },
  { "debounce-expires", "0012345678\n" LONG_PAUSE "0012345678\n", FAST, 0, 0,
    "card-uid=00BC614E;card-uid=00BC614E", 0 },
  { "debounce-other-card", "00000001\n00000002\n00000001\n", FAST, 0, 0,
    "card-uid=00000001;card-uid=00000002;card-uid=00000001", 0 },
};

static void
test_wedge_case (gconstpointer data)
{
  const WedgeCase *c = data;
  g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 ("2026-11-23T10:00:00+08:00", NULL);
  g_autoptr (KioskClock) clock = kiosk_clock_new_fake (NULL, start);
  KioskWedgeConfig config;
  g_autoptr (KioskWedge) wedge = NULL;
  g_autoptr (GArray) events = g_array_new (FALSE, TRUE, sizeof (struct input_event));
  g_autoptr (GPtrArray) reads = NULL;
  g_autofree char *got = NULL;
  KioskCardRead *late;
  gint64 t = T0;
  guint n_rejected = 0;
  guint counted = 0;

  kiosk_wedge_config_init (&config);
  if (c->terminators != 0)
    config.terminators = c->terminators;
  config.clock = clock;
  wedge = kiosk_wedge_new (&config);

  type_script (events, c->script, &t, c->step_us, c->flags);
  reads = kiosk_wedge_decode (wedge, (const struct input_event *)events->data, events->len);
  /* Then silence: a read still in progress times out. */
  late = kiosk_wedge_check_timeout (wedge, t + 10 * G_USEC_PER_SEC);
  if (late != NULL)
    g_ptr_array_add (reads, late);
  g_assert_cmpint (kiosk_wedge_get_deadline (wedge), ==, -1);

  got = describe_reads (reads);
  g_assert_cmpstr (got, ==, c->expected);

  /* The counters agree with what came out. */
  for (guint i = 0; i < reads->len; i++)
    if (((KioskCardRead *)g_ptr_array_index (reads, i))->kind == KIOSK_CARD_KIND_REJECTED)
      n_rejected++;
  g_assert_cmpuint (kiosk_wedge_get_n_rejected (wedge, KIOSK_CARD_REJECT_DUPLICATE), ==, c->duplicates);
  for (int r = KIOSK_CARD_REJECT_INVALID; r < KIOSK_CARD_N_REJECTS; r++)
    if (r != KIOSK_CARD_REJECT_DUPLICATE)
      counted += kiosk_wedge_get_n_rejected (wedge, r);
  g_assert_cmpuint (counted, ==, n_rejected);
  g_assert_cmpuint (kiosk_wedge_get_n_reads (wedge), ==, reads->len - n_rejected);
}

/* Two readers on one kiosk: their events interleave in time, each device has
 * its own decoder, and neither read disturbs the other. */
static void
test_two_readers_interleaved (void)
{
  g_autoptr (GArray) a = g_array_new (FALSE, TRUE, sizeof (struct input_event));
  g_autoptr (GArray) b = g_array_new (FALSE, TRUE, sizeof (struct input_event));
  g_autoptr (KioskWedge) wa = kiosk_wedge_new (NULL);
  g_autoptr (KioskWedge) wb = kiosk_wedge_new (NULL);
  g_autoptr (GPtrArray) ra = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_card_read_free);
  g_autoptr (GPtrArray) rb = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_card_read_free);
  g_autofree char *got_a = NULL;
  g_autofree char *got_b = NULL;
  gint64 ta = T0;
  gint64 tb = T0 + 3 * G_TIME_SPAN_MILLISECOND;
  guint ia = 0, ib = 0;

  type_script (a, "0012345678\n", &ta, FAST, 0);
  type_script (b, "04A1B2C3D4E5F6\n", &tb, 5 * G_TIME_SPAN_MILLISECOND, TYPE_KEYPAD);

  /* Merge by timestamp, as the main loop would deliver them. */
  while (ia < a->len || ib < b->len)
    {
      gboolean take_a = ib >= b->len
                        || (ia < a->len
                            && kiosk_input_event_time_us (&g_array_index (a, struct input_event, ia))
                                   <= kiosk_input_event_time_us (&g_array_index (b, struct input_event, ib)));
      KioskCardRead *read = take_a ? kiosk_wedge_feed (wa, &g_array_index (a, struct input_event, ia++))
                                   : kiosk_wedge_feed (wb, &g_array_index (b, struct input_event, ib++));

      if (read != NULL)
        g_ptr_array_add (take_a ? ra : rb, read);
    }

  got_a = describe_reads (ra);
  got_b = describe_reads (rb);
  g_assert_cmpstr (got_a, ==, "card-uid=00BC614E");
  g_assert_cmpstr (got_b, ==, "card-uid=04A1B2C3D4E5F6");
}

static void
test_deadline_and_abort (void)
{
  g_autoptr (GArray) events = g_array_new (FALSE, TRUE, sizeof (struct input_event));
  g_autoptr (KioskWedge) wedge = kiosk_wedge_new (NULL);
  g_autoptr (GPtrArray) reads = NULL;
  g_autoptr (KioskCardRead) lost = NULL;
  g_autoptr (KioskCardRead) timed_out = NULL;
  gint64 t = T0;
  gint64 last_key;

  type_script (events, "0012", &t, FAST, 0);
  last_key = t - FAST;
  reads = kiosk_wedge_decode (wedge, (const struct input_event *)events->data, events->len);
  g_assert_cmpuint (reads->len, ==, 0);
  g_assert_cmpint (kiosk_wedge_get_deadline (wedge), ==, last_key + 500 * G_TIME_SPAN_MILLISECOND);
  g_assert_null (kiosk_wedge_check_timeout (wedge, last_key + 499 * G_TIME_SPAN_MILLISECOND));

  timed_out = kiosk_wedge_check_timeout (wedge, last_key + 500 * G_TIME_SPAN_MILLISECOND);
  g_assert_nonnull (timed_out);
  g_assert_cmpint (timed_out->reject, ==, KIOSK_CARD_REJECT_TIMEOUT);
  g_assert_cmpstr (timed_out->value, ==, "0012");

  /* SYN_DROPPED mid-read: the partial read is lost, and a Shift held when
   * events went missing does not stick. */
  g_array_set_size (events, 0);
  push (events, t, EV_KEY, KEY_LEFTSHIFT, 1);
  push (events, t, EV_KEY, KEY_A, 1);
  g_clear_pointer (&reads, g_ptr_array_unref);
  reads = kiosk_wedge_decode (wedge, (const struct input_event *)events->data, events->len);
  lost = kiosk_wedge_abort (wedge, t + 1);
  g_assert_nonnull (lost);
  g_assert_cmpint (lost->reject, ==, KIOSK_CARD_REJECT_LOST);
  g_assert_cmpstr (lost->value, ==, "A");
  g_assert_null (kiosk_wedge_abort (wedge, t + 2));

  g_array_set_size (events, 0);
  t += G_USEC_PER_SEC;
  type_script (events, "deadbeef\n", &t, FAST, 0);
  g_clear_pointer (&reads, g_ptr_array_unref);
  reads = kiosk_wedge_decode (wedge, (const struct input_event *)events->data, events->len);
  g_assert_cmpuint (reads->len, ==, 1);
  g_assert_cmpstr (((KioskCardRead *)g_ptr_array_index (reads, 0))->value, ==, "DEADBEEF");
  g_assert_cmpuint (kiosk_wedge_get_n_rejected (wedge, KIOSK_CARD_REJECT_LOST), ==, 1);
  g_assert_cmpuint (kiosk_wedge_get_n_rejected (wedge, KIOSK_CARD_REJECT_TIMEOUT), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (wedge_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kiosk/wedge/%s", wedge_cases[i].name);
      g_test_add_data_func (path, &wedge_cases[i], test_wedge_case);
    }
  g_test_add_func ("/kiosk/wedge/two-readers-interleaved", test_two_readers_interleaved);
  g_test_add_func ("/kiosk/wedge/deadline-and-abort", test_deadline_and_abort);
  return g_test_run ();
}
