/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-wedge"

#include "kiosk-wedge.h"

#include "kiosk-debounce-private.h"

/* The US layout: readers are sold set to it, and the kiosk grabs them, so the
 * desktop's layout never applies. Keypad keys give digits whatever the NumLock
 * state: readers that use the keypad expect NumLock on, and we own the device. */
typedef struct
{
  char plain;
  char shifted;
} KeyChars;

static const KeyChars keymap[] = {
  [KEY_1] = { '1', '!' },          [KEY_2] = { '2', '@' },           [KEY_3] = { '3', '#' },
  [KEY_4] = { '4', '$' },          [KEY_5] = { '5', '%' },           [KEY_6] = { '6', '^' },
  [KEY_7] = { '7', '&' },          [KEY_8] = { '8', '*' },           [KEY_9] = { '9', '(' },
  [KEY_0] = { '0', ')' },          [KEY_MINUS] = { '-', '_' },       [KEY_EQUAL] = { '=', '+' },
  [KEY_Q] = { 'q', 'Q' },          [KEY_W] = { 'w', 'W' },           [KEY_E] = { 'e', 'E' },
  [KEY_R] = { 'r', 'R' },          [KEY_T] = { 't', 'T' },           [KEY_Y] = { 'y', 'Y' },
  [KEY_U] = { 'u', 'U' },          [KEY_I] = { 'i', 'I' },           [KEY_O] = { 'o', 'O' },
  [KEY_P] = { 'p', 'P' },          [KEY_LEFTBRACE] = { '[', '{' },   [KEY_RIGHTBRACE] = { ']', '}' },
  [KEY_A] = { 'a', 'A' },          [KEY_S] = { 's', 'S' },           [KEY_D] = { 'd', 'D' },
  [KEY_F] = { 'f', 'F' },          [KEY_G] = { 'g', 'G' },           [KEY_H] = { 'h', 'H' },
  [KEY_J] = { 'j', 'J' },          [KEY_K] = { 'k', 'K' },           [KEY_L] = { 'l', 'L' },
  [KEY_SEMICOLON] = { ';', ':' },  [KEY_APOSTROPHE] = { '\'', '"' }, [KEY_GRAVE] = { '`', '~' },
  [KEY_BACKSLASH] = { '\\', '|' }, [KEY_Z] = { 'z', 'Z' },           [KEY_X] = { 'x', 'X' },
  [KEY_C] = { 'c', 'C' },          [KEY_V] = { 'v', 'V' },           [KEY_B] = { 'b', 'B' },
  [KEY_N] = { 'n', 'N' },          [KEY_M] = { 'm', 'M' },           [KEY_COMMA] = { ',', '<' },
  [KEY_DOT] = { '.', '>' },        [KEY_SLASH] = { '/', '?' },       [KEY_KPASTERISK] = { '*', '*' },
  [KEY_SPACE] = { ' ', ' ' },      [KEY_KP7] = { '7', '7' },         [KEY_KP8] = { '8', '8' },
  [KEY_KP9] = { '9', '9' },        [KEY_KPMINUS] = { '-', '-' },     [KEY_KP4] = { '4', '4' },
  [KEY_KP5] = { '5', '5' },        [KEY_KP6] = { '6', '6' },         [KEY_KPPLUS] = { '+', '+' },
  [KEY_KP1] = { '1', '1' },        [KEY_KP2] = { '2', '2' },         [KEY_KP3] = { '3', '3' },
  [KEY_KP0] = { '0', '0' },        [KEY_KPDOT] = { '.', '.' },       [KEY_KPSLASH] = { '/', '/' },
};

enum
{
  SHIFT_LEFT = 1 << 0,
  SHIFT_RIGHT = 1 << 1,
};

struct _KioskWedge
{
  KioskWedgeConfig config;

  /* The read in progress */
  GString *buffer;
  gboolean pending;
  gboolean slow;
  gboolean overlong;
  gint64 last_key_us;

  /* Keyboard state */
  guint shift;
  gboolean caps_lock;

  KioskDebounce debounce;

  /* Counters */
  guint n_reads;
  guint n_rejected[KIOSK_CARD_N_REJECTS];
};

void
kiosk_wedge_config_init (KioskWedgeConfig *config)
{
  g_return_if_fail (config != NULL);

  config->terminators = KIOSK_WEDGE_TERMINATOR_ENTER;
  config->max_gap_us = 80 * G_TIME_SPAN_MILLISECOND;
  config->timeout_us = 500 * G_TIME_SPAN_MILLISECOND;
  config->max_length = 64;
  config->debounce_us = 3 * G_TIME_SPAN_SECOND;
  config->uid_format = KIOSK_CARD_UID_AUTO;
  config->clock = NULL;
}

KioskWedge *
kiosk_wedge_new (const KioskWedgeConfig *config)
{
  KioskWedge *self = g_new0 (KioskWedge, 1);

  if (config != NULL)
    self->config = *config;
  else
    kiosk_wedge_config_init (&self->config);
  self->config.max_length = CLAMP (self->config.max_length, 1, KIOSK_CARD_MAX_LENGTH);
  self->config.clock = self->config.clock ? g_object_ref (self->config.clock) : kiosk_clock_new_system (NULL);
  self->buffer = g_string_sized_new (self->config.max_length + 1);
  return self;
}

void
kiosk_wedge_free (KioskWedge *self)
{
  if (self == NULL)
    return;
  g_string_free (self->buffer, TRUE);
  kiosk_debounce_clear (&self->debounce);
  g_clear_object (&self->config.clock);
  g_free (self);
}

gint64
kiosk_input_event_time_us (const struct input_event *event)
{
  return (gint64)event->input_event_sec * G_USEC_PER_SEC + (gint64)event->input_event_usec;
}

static void
clear_read (KioskWedge *self)
{
  g_string_truncate (self->buffer, 0);
  self->pending = FALSE;
  self->slow = FALSE;
  self->overlong = FALSE;
}

static KioskCardRead *
reject (KioskWedge *self, KioskCardReject reason, gint64 time_us)
{
  KioskCardRead *read = kiosk_card_read_new_rejected (reason, self->buffer->str, time_us);

  self->n_rejected[reason]++;
  clear_read (self);
  return read;
}

static KioskCardRead *
finish (KioskWedge *self, gint64 time_us)
{
  g_autoptr (KioskCardRead) read = NULL;

  if (self->overlong)
    return reject (self, KIOSK_CARD_REJECT_TOO_LONG, time_us);
  if (self->slow)
    return reject (self, KIOSK_CARD_REJECT_TOO_SLOW, time_us);

  {
    GDate today;

    kiosk_clock_get_today (self->config.clock, &today);
    read = kiosk_card_classify (self->buffer->str, self->config.uid_format, &today, time_us);
  }
  clear_read (self);
  if (read->kind == KIOSK_CARD_KIND_REJECTED)
    {
      self->n_rejected[read->reject]++;
      return g_steal_pointer (&read);
    }
  if (kiosk_debounce_is_duplicate (&self->debounce, read, self->config.debounce_us))
    {
      self->n_rejected[KIOSK_CARD_REJECT_DUPLICATE]++;
      return NULL;
    }
  self->n_reads++;
  return g_steal_pointer (&read);
}

static gboolean
is_terminator (KioskWedge *self, guint code)
{
  if ((self->config.terminators & KIOSK_WEDGE_TERMINATOR_ENTER) && (code == KEY_ENTER || code == KEY_KPENTER))
    return TRUE;
  return (self->config.terminators & KIOSK_WEDGE_TERMINATOR_TAB) && code == KEY_TAB;
}

static char
key_to_char (KioskWedge *self, guint code)
{
  const KeyChars *k;
  gboolean shifted = self->shift != 0;

  if (code >= G_N_ELEMENTS (keymap))
    return 0;
  k = &keymap[code];
  if (k->plain == 0)
    return 0;
  /* Caps Lock inverts Shift for letters only, as on a PC. */
  if (self->caps_lock && g_ascii_isalpha (k->plain))
    shifted = !shifted;
  return shifted ? k->shifted : k->plain;
}

KioskCardRead *
kiosk_wedge_feed (KioskWedge *self, const struct input_event *event)
{
  KioskCardRead *timed_out = NULL;
  gint64 t;
  char c;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (event != NULL, NULL);

  if (event->type != EV_KEY)
    return NULL;
  t = kiosk_input_event_time_us (event);
  timed_out = kiosk_wedge_check_timeout (self, t);

  /* Auto-repeat: a reader never holds a key, and a held key is not a card. */
  if (event->value == 2)
    return timed_out;

  if (event->code == KEY_LEFTSHIFT || event->code == KEY_RIGHTSHIFT)
    {
      guint bit = event->code == KEY_LEFTSHIFT ? SHIFT_LEFT : SHIFT_RIGHT;

      if (event->value)
        self->shift |= bit;
      else
        self->shift &= ~bit;
      return timed_out;
    }
  if (event->value != 1)
    return timed_out;
  if (event->code == KEY_CAPSLOCK)
    {
      self->caps_lock = !self->caps_lock;
      return timed_out;
    }

  if (is_terminator (self, event->code))
    {
      /* After a timeout nothing is pending, so at most one read comes out. */
      if (!self->pending)
        return timed_out;
      if (t - self->last_key_us > self->config.max_gap_us)
        self->slow = TRUE;
      return finish (self, t);
    }

  c = key_to_char (self, event->code);
  if (c == 0)
    return timed_out;
  if (self->pending && t - self->last_key_us > self->config.max_gap_us)
    self->slow = TRUE;
  self->pending = TRUE;
  self->last_key_us = t;
  if (self->buffer->len >= self->config.max_length)
    self->overlong = TRUE;
  else
    g_string_append_c (self->buffer, c);
  return timed_out;
}

KioskCardRead *
kiosk_wedge_check_timeout (KioskWedge *self, gint64 now_us)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!self->pending || now_us - self->last_key_us < self->config.timeout_us)
    return NULL;
  return reject (self, self->overlong ? KIOSK_CARD_REJECT_TOO_LONG : KIOSK_CARD_REJECT_TIMEOUT,
                 self->last_key_us + self->config.timeout_us);
}

gint64
kiosk_wedge_get_deadline (KioskWedge *self)
{
  g_return_val_if_fail (self != NULL, -1);

  return self->pending ? self->last_key_us + self->config.timeout_us : -1;
}

KioskCardRead *
kiosk_wedge_abort (KioskWedge *self, gint64 now_us)
{
  g_return_val_if_fail (self != NULL, NULL);

  self->shift = 0;
  if (!self->pending)
    return NULL;
  return reject (self, KIOSK_CARD_REJECT_LOST, now_us);
}

GPtrArray *
kiosk_wedge_decode (KioskWedge *self, const struct input_event *events, gsize n_events)
{
  GPtrArray *reads = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_card_read_free);

  g_return_val_if_fail (self != NULL, reads);

  for (gsize i = 0; i < n_events; i++)
    {
      KioskCardRead *read = kiosk_wedge_feed (self, &events[i]);

      if (read != NULL)
        g_ptr_array_add (reads, read);
    }
  return reads;
}

guint
kiosk_wedge_get_n_reads (KioskWedge *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_reads;
}

guint
kiosk_wedge_get_n_rejected (KioskWedge *self, KioskCardReject reason)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (reason < KIOSK_CARD_N_REJECTS, 0);

  return self->n_rejected[reason];
}
