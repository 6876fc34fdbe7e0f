/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Demo mode's stand-in for a keyboard-wedge badge reader: digits typed on the
 * keyboard, then Enter, make one card read. Plain data, fed one keyval at a
 * time, so it is tested from tables without a display. */
typedef struct
{
  char digits[33];
  gsize len;
} KioskCardKeys;

/* Feeds one key press. Returns the card number (transfer full) when Enter
 * ends a run of digits, else NULL. *@consumed tells whether the key belongs
 * to a card read and must not reach the screen. */
char *kiosk_card_keys_feed (KioskCardKeys *keys, guint keyval, gboolean *consumed);
void kiosk_card_keys_reset (KioskCardKeys *keys);

G_END_DECLS
