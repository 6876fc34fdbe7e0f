/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ga450"

#include "kiosk-ga450.h"

#include <string.h>

static const guint8 preamble[KIOSK_GA450_PREAMBLE_SIZE] = { 0xAA, 0xAA, 0xAA, 0x96, 0x69 };

static guint8
xor_of (const guint8 *p, gsize n)
{
  guint8 x = 0;

  for (gsize i = 0; i < n; i++)
    x ^= p[i];
  return x;
}

/* PREAMBLE LEN head[0] head[1] (head[2]) DATA XOR */
static GBytes *
encode (const guint8 *head, gsize head_length, const guint8 *data, gsize length)
{
  gsize body = head_length + length + 1;
  GByteArray *frame;
  guint8 len[2];

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (body <= 0xFFFF, NULL);

  len[0] = (guint8)(body >> 8);
  len[1] = (guint8)(body & 0xFF);
  frame = g_byte_array_sized_new ((guint)(KIOSK_GA450_HEADER_SIZE + body));
  g_byte_array_append (frame, preamble, sizeof preamble);
  g_byte_array_append (frame, len, 2);
  g_byte_array_append (frame, head, (guint)head_length);
  if (length > 0)
    g_byte_array_append (frame, data, (guint)length);
  g_byte_array_append (
      frame,
      (guint8[]){ xor_of (frame->data + KIOSK_GA450_PREAMBLE_SIZE, frame->len - KIOSK_GA450_PREAMBLE_SIZE) },
      1);
  return g_byte_array_free_to_bytes (frame);
}

GBytes *
kiosk_ga450_encode_command (KioskGa450Command command, const guint8 *data, gsize length)
{
  guint8 head[2] = { (guint8)(command >> 8), (guint8)(command & 0xFF) };

  return encode (head, sizeof head, data, length);
}

GBytes *
kiosk_ga450_encode_answer (guint8 sw3, const guint8 *data, gsize length)
{
  guint8 head[3] = { 0x00, 0x00, sw3 };

  return encode (head, sizeof head, data, length);
}

/* Where a preamble could start in @buf: a whole one, or its first bytes at
 * the very end (the rest not yet arrived). @length if nowhere. */
static gsize
find_preamble (const guint8 *buf, gsize length)
{
  for (gsize i = 0; i < length; i++)
    {
      gsize n = MIN (length - i, sizeof preamble);

      if (memcmp (buf + i, preamble, n) == 0)
        return i;
    }
  return length;
}

KioskGa450Decode
kiosk_ga450_decode (const guint8 *buf, gsize length, gsize *consumed, KioskGa450Answer *answer)
{
  gsize start, body, total;

  g_return_val_if_fail (buf != NULL || length == 0, KIOSK_GA450_DECODE_NEED_MORE);
  g_return_val_if_fail (consumed != NULL && answer != NULL, KIOSK_GA450_DECODE_NEED_MORE);

  *consumed = 0;
  memset (answer, 0, sizeof *answer);
  start = find_preamble (buf, length);
  if (start > 0)
    {
      *consumed = start;
      return KIOSK_GA450_DECODE_GARBAGE;
    }
  if (length < KIOSK_GA450_HEADER_SIZE)
    return KIOSK_GA450_DECODE_NEED_MORE;

  /* SW1 SW2 SW3 and the check byte at least; more than any answer is noise.
   * Either way only the preamble is dropped: a frame may start inside. */
  body = ((gsize)buf[5] << 8) | buf[6];
  if (body < 4 || body > KIOSK_GA450_MAX_LENGTH)
    {
      *consumed = KIOSK_GA450_PREAMBLE_SIZE;
      return KIOSK_GA450_DECODE_BAD_FRAME;
    }
  total = KIOSK_GA450_HEADER_SIZE + body;
  if (length < total)
    return KIOSK_GA450_DECODE_NEED_MORE;
  if (xor_of (buf + KIOSK_GA450_PREAMBLE_SIZE, total - KIOSK_GA450_PREAMBLE_SIZE - 1) != buf[total - 1])
    {
      *consumed = KIOSK_GA450_PREAMBLE_SIZE;
      return KIOSK_GA450_DECODE_BAD_FRAME;
    }

  answer->sw1 = buf[7];
  answer->sw2 = buf[8];
  answer->sw3 = buf[9];
  answer->data = buf + 10;
  answer->data_length = body - 4;
  *consumed = total;
  return KIOSK_GA450_DECODE_FRAME;
}

KioskGa450Action
kiosk_ga450_status_action (guint8 sw3)
{
  switch (sw3)
    {
      case KIOSK_GA450_OK:
      case KIOSK_GA450_CARD_FOUND:
        return KIOSK_GA450_ACTION_OK;
      case KIOSK_GA450_NO_CARD:
        return KIOSK_GA450_ACTION_NO_CARD;
      case KIOSK_GA450_SELECT_FAILED:
      case KIOSK_GA450_READ_FAILED:
      case KIOSK_GA450_RANDOM_FAILED:
      case KIOSK_GA450_BAD_CHECKSUM:
      case KIOSK_GA450_BAD_LENGTH:
        return KIOSK_GA450_ACTION_RETRY;
      case KIOSK_GA450_NO_CONTENT:
      case KIOSK_GA450_CARD_AUTH_SAM_FAILED:
      case KIOSK_GA450_SAM_AUTH_CARD_FAILED:
      case KIOSK_GA450_VERIFY_FAILED:
      case KIOSK_GA450_UNKNOWN_CARD:
        return KIOSK_GA450_ACTION_REJECT;
      case KIOSK_GA450_BAD_COMMAND:
      case KIOSK_GA450_UNAUTHORISED:
      case KIOSK_GA450_UNKNOWN_ERROR:
      case KIOSK_GA450_SAM_SELF_TEST_FAILED:
      case KIOSK_GA450_SAM_UNAUTHORISED:
      default:
        return KIOSK_GA450_ACTION_UNHEALTHY;
    }
}

const char *
kiosk_ga450_status_to_text (guint8 sw3)
{
  switch (sw3)
    {
      case KIOSK_GA450_OK:
        return "操作成功 / Done";
      case KIOSK_GA450_CARD_FOUND:
        return "找到证件 / Card found";
      case KIOSK_GA450_NO_CARD:
        return "未放证件 / No card on the reader";
      case KIOSK_GA450_SELECT_FAILED:
        return "证件未放稳，请重新放置 / Card moved; please place it again";
      case KIOSK_GA450_READ_FAILED:
        return "读证失败，请重新放置 / Read failed; please place the card again";
      case KIOSK_GA450_RANDOM_FAILED:
        return "读证失败，请重新放置 / Read failed; please place the card again";
      case KIOSK_GA450_BAD_CHECKSUM:
        return "读卡器收到的数据校验错误 / The reader got a corrupted command";
      case KIOSK_GA450_BAD_LENGTH:
        return "读卡器收到的数据长度错误 / The reader got a command of the wrong length";
      case KIOSK_GA450_NO_CONTENT:
        return "证件上没有此项内容 / The card holds no such record";
      case KIOSK_GA450_CARD_AUTH_SAM_FAILED:
      case KIOSK_GA450_SAM_AUTH_CARD_FAILED:
      case KIOSK_GA450_VERIFY_FAILED:
        return "证件验证失败，请到窗口办理 / The card could not be verified; please go to the desk";
      case KIOSK_GA450_UNKNOWN_CARD:
        return "无法识别的卡片，请放身份证 / Not an ID card; please place your ID card";
      case KIOSK_GA450_BAD_COMMAND:
        return "读卡器不认识此命令 / The reader does not know the command";
      case KIOSK_GA450_UNAUTHORISED:
        return "读卡器拒绝操作 / The reader refused the operation";
      case KIOSK_GA450_SAM_SELF_TEST_FAILED:
        return "读卡器安全模块自检失败 / The reader's security module failed its self-test";
      case KIOSK_GA450_SAM_UNAUTHORISED:
        return "读卡器安全模块未授权 / The reader's security module is not authorised";
      case KIOSK_GA450_UNKNOWN_ERROR:
      default:
        break;
    }
  return "读卡器未知错误 / Unknown reader error";
}

gboolean
kiosk_ga450_split_base (const guint8 *data, gsize length, const guint8 **text, gsize *text_length,
                        gsize *photo_length)
{
  gsize t, p;

  g_return_val_if_fail (text != NULL && text_length != NULL && photo_length != NULL, FALSE);

  if (data == NULL || length < 4)
    return FALSE;
  t = ((gsize)data[0] << 8) | data[1];
  p = ((gsize)data[2] << 8) | data[3];
  if (t > length - 4 || p > length - 4 - t)
    return FALSE;
  *text = data + 4;
  *text_length = t;
  *photo_length = p;
  return TRUE;
}
