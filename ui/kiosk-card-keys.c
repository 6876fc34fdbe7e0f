/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include <gdk/gdkkeysyms.h>

#include "kiosk-card-keys.h"

void
kiosk_card_keys_reset (KioskCardKeys *keys)
{
  keys->len = 0;
  keys->digits[0] = '\0';
}

static int
digit_of (guint keyval)
{
  if (keyval >= GDK_KEY_0 && keyval <= GDK_KEY_9)
    return (int)(keyval - GDK_KEY_0);
  if (keyval >= GDK_KEY_KP_0 && keyval <= GDK_KEY_KP_9)
    return (int)(keyval - GDK_KEY_KP_0);
  return -1;
}

char *
kiosk_card_keys_feed (KioskCardKeys *keys, guint keyval, gboolean *consumed)
{
  int digit = digit_of (keyval);

  *consumed = FALSE;
  if (digit >= 0)
    {
      /* Longer than any badge or ID number: a stuck key, start again. */
      if (keys->len + 1 >= sizeof keys->digits)
        kiosk_card_keys_reset (keys);
      keys->digits[keys->len++] = (char)('0' + digit);
      keys->digits[keys->len] = '\0';
      *consumed = TRUE;
      return NULL;
    }

  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
      && keys->len > 0)
    {
      char *number = g_strndup (keys->digits, keys->len);

      kiosk_card_keys_reset (keys);
      *consumed = TRUE;
      return number;
    }

  /* Modifiers alone (Shift on the way to a digit) keep the run going. */
  if (keyval == GDK_KEY_Shift_L || keyval == GDK_KEY_Shift_R || keyval == GDK_KEY_Num_Lock)
    return NULL;

  kiosk_card_keys_reset (keys);
  return NULL;
}
