/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "kiosk-card.h"

/* The same card again within a window is dropped. The window slides (each
 * sighting restarts it), so a card left on a reader that repeats it is read
 * once. Shared by the keyboard-wedge and serial decoders. */
typedef struct
{
  char *last_value;
  KioskCardKind last_kind;
  gint64 last_seen_us;
} KioskDebounce;

static inline gboolean
kiosk_debounce_is_duplicate (KioskDebounce *d, const KioskCardRead *read, gint64 window_us)
{
  gboolean duplicate = d->last_value != NULL && d->last_kind == read->kind
                       && read->time_us - d->last_seen_us < window_us
                       && strcmp (d->last_value, read->value) == 0;

  if (!duplicate)
    {
      g_free (d->last_value);
      d->last_value = g_strdup (read->value);
      d->last_kind = read->kind;
    }
  d->last_seen_us = read->time_us;
  return duplicate;
}

static inline void
kiosk_debounce_clear (KioskDebounce *d)
{
  g_clear_pointer (&d->last_value, g_free);
}
