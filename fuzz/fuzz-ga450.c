/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-ga450"

#include "kiosk-ga450.h"
#include "kiosk-id-card.h"

/* libFuzzer target for what an ID card reader sends: the bytes are a serial
 * stream, cut into answers as the driver cuts them (noise dropped, bad frames
 * skipped), and every answer that carries base information goes through the
 * text block decoder. Nothing may crash, read past the stream, or loop. */

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  gsize at = 0;

  while (at < size)
    {
      KioskGa450Answer answer;
      gsize consumed = 0;
      KioskGa450Decode result = kiosk_ga450_decode (data + at, size - at, &consumed, &answer);

      if (result == KIOSK_GA450_DECODE_NEED_MORE)
        break;
      g_assert (consumed > 0 && consumed <= size - at);
      if (result == KIOSK_GA450_DECODE_FRAME)
        {
          const guint8 *text;
          gsize text_length, photo_length;

          g_assert (answer.data + answer.data_length <= data + size);
          (void)kiosk_ga450_status_action (answer.sw3);
          if (kiosk_ga450_split_base (answer.data, answer.data_length, &text, &text_length, &photo_length))
            {
              g_autoptr (GError) error = NULL;
              g_autoptr (KioskIdCard) card = kiosk_id_card_decode (text, text_length, &error);

              g_assert ((card == NULL) != (error == NULL));
              if (card != NULL)
                {
                  g_autofree char *masked = kiosk_id_card_mask_name (card->name);
                  g_assert (g_utf8_validate (card->name, -1, NULL)
                            && g_utf8_validate (card->address, -1, NULL));
                  g_assert (masked != NULL);
                }
            }
        }
      at += consumed;
    }
  return 0;
}
