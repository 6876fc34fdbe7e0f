/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-card"

#include "kiosk-card.h"

#include <string.h>

/* Classification, in this order:
 *
 * 1. Leading and trailing ASCII spaces are dropped. Empty, invalid UTF-8 or a
 *    control character: REJECTED (invalid). Longer than KIOSK_CARD_MAX_LENGTH
 *    bytes: REJECTED (too long).
 * 2. 17 digits and a digit or 'x'/'X': a resident ID number. The ISO 7064
 *    MOD 11-2 check character must match, else REJECTED (check digit), and
 *    the birth date must be a real date not after today, else REJECTED
 *    (birth date). Normalised with an uppercase 'X'. This wins over a
 *    decimal UID: no reader we know prints 18-digit UIDs.
 * 3. A card UID, normalised to one form so that a badge gives the same string
 *    on every kiosk: uppercase hex, no separators or "0x", an even number of
 *    digits, at least 8.
 *    - Decimal: 8 to 20 digits whose value fits in 64 bits, printed in hex;
 *      the 10-digit EM4100 print "0012345678" becomes "00BC614E".
 *    - Hex: an optional "0x", bytes optionally separated by ':', '-' or ' ';
 *      8, 10, 14, 16 or 20 hex digits (4-, 5-, 7-, 8- and 10-byte UIDs:
 *      MIFARE Classic, EM4100, MIFARE Ultralight/DESFire, ...).
 *    An all-digit string is decimal unless the reader is set to HEX: the two
 *    cannot be told apart from the text alone, so readers printing hex UIDs
 *    need KIOSK_CARD_UID_HEX in their configuration.
 * 4. Anything else printable is a QR payload, kept as it is. */

G_DEFINE_BOXED_TYPE (KioskCardRead, kiosk_card_read, kiosk_card_read_copy, kiosk_card_read_free)

static KioskCardRead *
card_read_new (KioskCardKind kind, KioskCardReject reason, const char *value, gint64 time_us)
{
  KioskCardRead *read = g_new0 (KioskCardRead, 1);

  read->kind = kind;
  read->reject = reason;
  read->value = g_strdup (value != NULL ? value : "");
  read->time_us = time_us;
  return read;
}

KioskCardRead *
kiosk_card_read_new_rejected (KioskCardReject reason, const char *raw, gint64 time_us)
{
  g_return_val_if_fail (reason > KIOSK_CARD_REJECT_NONE && reason < KIOSK_CARD_N_REJECTS, NULL);

  return card_read_new (KIOSK_CARD_KIND_REJECTED, reason, raw, time_us);
}

KioskCardRead *
kiosk_card_read_copy (const KioskCardRead *read)
{
  g_return_val_if_fail (read != NULL, NULL);

  KioskCardRead *copy = card_read_new (read->kind, read->reject, read->value, read->time_us);

  if (read->id_card != NULL)
    copy->id_card = kiosk_id_card_copy (read->id_card);
  return copy;
}

KioskCardRead *
kiosk_card_read_new_id_card (KioskIdCard *card, gint64 time_us)
{
  KioskCardRead *read;

  g_return_val_if_fail (card != NULL, NULL);

  read = card_read_new (KIOSK_CARD_KIND_RESIDENT_ID, KIOSK_CARD_REJECT_NONE, card->number, time_us);
  read->id_card = card;
  return read;
}

void
kiosk_card_read_free (KioskCardRead *read)
{
  if (read == NULL)
    return;
  g_free (read->value);
  kiosk_id_card_free (read->id_card);
  g_free (read);
}

char
kiosk_card_resident_id_check_char (const char *digits17)
{
  static const char check_chars[] = "10X98765432";
  guint sum = 0;
  guint weight = 1;

  g_return_val_if_fail (digits17 != NULL, 0);

  if (strnlen (digits17, 17) < 17)
    return 0;
  /* Weight of position i (counted from the right, the check character being
   * position 1) is 2^(i-1) mod 11; walk right to left, doubling. */
  for (int i = 16; i >= 0; i--)
    {
      weight = (weight * 2) % 11;
      if (!g_ascii_isdigit (digits17[i]))
        return 0;
      sum += (guint)(digits17[i] - '0') * weight;
    }
  return check_chars[sum % 11];
}

static gboolean
all_digits (const char *s, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return len > 0;
}

static gboolean
is_resident_id_shape (const char *s, gsize len)
{
  return len == 18 && all_digits (s, 17) && (g_ascii_isdigit (s[17]) || s[17] == 'x' || s[17] == 'X');
}

static guint
digits_value (const char *s, guint n)
{
  guint value = 0;

  for (guint i = 0; i < n; i++)
    value = value * 10 + (guint)(s[i] - '0');
  return value;
}

KioskCardReject
kiosk_card_check_resident_id (const char *id, const GDate *today)
{
  guint year, month, day;
  GDate birth;

  g_return_val_if_fail (id != NULL, KIOSK_CARD_REJECT_INVALID);
  g_return_val_if_fail (today != NULL && g_date_valid (today), KIOSK_CARD_REJECT_INVALID);

  if (!is_resident_id_shape (id, strlen (id)))
    return KIOSK_CARD_REJECT_INVALID;
  if (kiosk_card_resident_id_check_char (id) != g_ascii_toupper (id[17]))
    return KIOSK_CARD_REJECT_CHECK_DIGIT;
  /* Positions 7–14 (from 1): the birth date, in the Gregorian calendar that
   * GDate follows (1900 is no leap year, 2000 is). */
  year = digits_value (id + 6, 4);
  month = digits_value (id + 10, 2);
  day = digits_value (id + 12, 2);
  if (year < 1900 || !g_date_valid_dmy ((GDateDay)day, (GDateMonth)month, (GDateYear)year))
    return KIOSK_CARD_REJECT_BIRTH_DATE;
  g_date_clear (&birth, 1);
  g_date_set_dmy (&birth, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
  if (g_date_compare (&birth, today) > 0)
    return KIOSK_CARD_REJECT_BIRTH_DATE;
  return KIOSK_CARD_REJECT_NONE;
}

/* Decimal UID → normalised hex, or NULL if it does not fit in 64 bits. */
static char *
uid_from_decimal (const char *s, gsize len)
{
  guint64 value = 0;
  int width;

  if (len < 8 || len > 20)
    return NULL;
  for (gsize i = 0; i < len; i++)
    {
      guint digit = (guint)(s[i] - '0');

      if (value > (G_MAXUINT64 - digit) / 10)
        return NULL;
      value = value * 10 + digit;
    }
  width = 8;
  while (width < 16 && (value >> (width * 4)) != 0)
    width += 2;
  return g_strdup_printf ("%0*" G_GINT64_MODIFIER "X", width, value);
}

/* Hex UID with optional 0x and separators → normalised hex, or NULL. Sets
 * @looks_hex when the text carries a hex letter, a prefix or a separator. */
static char *
uid_from_hex (const char *s, gsize len, gboolean *looks_hex)
{
  g_autoptr (GString) out = g_string_sized_new (24);
  gsize i = 0;

  *looks_hex = FALSE;
  if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
    {
      i = 2;
      *looks_hex = TRUE;
    }
  for (; i < len; i++)
    {
      char c = s[i];

      if (g_ascii_isxdigit (c))
        {
          if (!g_ascii_isdigit (c))
            *looks_hex = TRUE;
          g_string_append_c (out, g_ascii_toupper (c));
        }
      else if ((c == ':' || c == '-' || c == ' ') && out->len > 0 && out->len % 2 == 0 && i + 1 < len
               && s[i + 1] != c)
        *looks_hex = TRUE;
      else
        return NULL;
    }
  switch (out->len)
    {
      case 8:
      case 10:
      case 14:
      case 16:
      case 20:
        return g_string_free (g_steal_pointer (&out), FALSE);
      default:
        return NULL;
    }
}

static gboolean
is_printable_utf8 (const char *s, gsize len)
{
  const char *p;

  if (!g_utf8_validate (s, (gssize)len, NULL))
    return FALSE;
  for (p = s; p < s + len; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* The UID in @s (@len bytes, trimmed), normalised, or NULL. */
static char *
uid_normalize (const char *s, gsize len, KioskCardUidFormat format)
{
  gboolean looks_hex = FALSE;
  char *uid = uid_from_hex (s, len, &looks_hex);

  if (uid != NULL && (looks_hex || format == KIOSK_CARD_UID_HEX))
    return uid;
  g_clear_pointer (&uid, g_free);
  if (format != KIOSK_CARD_UID_HEX && all_digits (s, len))
    return uid_from_decimal (s, len);
  return NULL;
}

char *
kiosk_card_normalize_uid (const char *text, KioskCardUidFormat format)
{
  g_return_val_if_fail (text != NULL, NULL);

  if (is_resident_id_shape (text, strlen (text)))
    return NULL;
  return uid_normalize (text, strlen (text), format);
}

KioskCardRead *
kiosk_card_classify (const char *text, KioskCardUidFormat format, const GDate *today, gint64 time_us)
{
  const char *s;
  gsize len;
  char *uid;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  s = text;
  len = strlen (text);
  while (len > 0 && *s == ' ')
    s++, len--;
  while (len > 0 && s[len - 1] == ' ')
    len--;

  if (len > KIOSK_CARD_MAX_LENGTH)
    return card_read_new (KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_TOO_LONG, text, time_us);
  if (len == 0 || !is_printable_utf8 (s, len))
    return card_read_new (KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_INVALID, text, time_us);

  if (is_resident_id_shape (s, len))
    {
      g_autofree char *id = g_strndup (s, len);

      KioskCardReject reason;

      id[17] = g_ascii_toupper (id[17]);
      reason = kiosk_card_check_resident_id (id, today);
      if (reason != KIOSK_CARD_REJECT_NONE)
        return card_read_new (KIOSK_CARD_KIND_REJECTED, reason, text, time_us);
      return card_read_new (KIOSK_CARD_KIND_RESIDENT_ID, KIOSK_CARD_REJECT_NONE, id, time_us);
    }

  if ((uid = uid_normalize (s, len, format)) != NULL)
    {
      KioskCardRead *read = card_read_new (KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, uid, time_us);
      g_free (uid);
      return read;
    }

  {
    g_autofree char *payload = g_strndup (s, len);
    return card_read_new (KIOSK_CARD_KIND_QR, KIOSK_CARD_REJECT_NONE, payload, time_us);
  }
}

char *
kiosk_card_uid_to_decimal (const char *uid)
{
  gsize len;
  guint64 value = 0;

  g_return_val_if_fail (uid != NULL, NULL);

  len = strlen (uid);
  if (len < 8 || len > 16)
    return NULL;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isxdigit (uid[i]))
        return NULL;
      value = value << 4 | (guint64)g_ascii_xdigit_value (uid[i]);
    }
  return g_strdup_printf ("%010" G_GUINT64_FORMAT, value);
}

char *
kiosk_card_mask (const char *value)
{
  glong n_chars;
  glong shown;

  g_return_val_if_fail (value != NULL, NULL);

  if (!g_utf8_validate (value, -1, NULL))
    return g_strdup ("****");
  n_chars = g_utf8_strlen (value, -1);
  shown = MIN (4, n_chars / 2);
  return g_strconcat ("****", g_utf8_offset_to_pointer (value, n_chars - shown), NULL);
}

const char *
kiosk_card_reject_to_code (KioskCardReject reason)
{
  switch (reason)
    {
      case KIOSK_CARD_REJECT_NONE:
        return "none";
      case KIOSK_CARD_REJECT_INVALID:
        return "invalid";
      case KIOSK_CARD_REJECT_TIMEOUT:
        return "timeout";
      case KIOSK_CARD_REJECT_TOO_SLOW:
        return "too-slow";
      case KIOSK_CARD_REJECT_TOO_LONG:
        return "too-long";
      case KIOSK_CARD_REJECT_CHECK_DIGIT:
        return "check-digit";
      case KIOSK_CARD_REJECT_LOST:
        return "lost";
      case KIOSK_CARD_REJECT_DUPLICATE:
        return "duplicate";
      case KIOSK_CARD_REJECT_BIRTH_DATE:
        return "birth-date";
      case KIOSK_CARD_REJECT_UNSUPPORTED:
        return "unsupported";
      case KIOSK_CARD_REJECT_UNVERIFIED:
        return "unverified";
      case KIOSK_CARD_N_REJECTS:
      default:
        break;
    }
  return "unknown";
}

const char *
kiosk_card_reject_to_text (KioskCardReject reason)
{
  switch (reason)
    {
      case KIOSK_CARD_REJECT_NONE:
        return "读取成功 / Read";
      case KIOSK_CARD_REJECT_INVALID:
        return "无法识别，请重试 / Not recognised, please try again";
      case KIOSK_CARD_REJECT_TIMEOUT:
        return "读卡中断，请重刷 / Read interrupted, please tap again";
      case KIOSK_CARD_REJECT_TOO_SLOW:
        return "不是读卡器输入 / Not input from a card reader";
      case KIOSK_CARD_REJECT_TOO_LONG:
        return "卡号过长 / Card number too long";
      case KIOSK_CARD_REJECT_CHECK_DIGIT:
        return "身份证号校验位错误 / ID number check digit wrong";
      case KIOSK_CARD_REJECT_LOST:
        return "读卡器数据丢失，请重刷 / Reader lost data, please tap again";
      case KIOSK_CARD_REJECT_DUPLICATE:
        return "同一张卡重复刷 / Same card tapped again";
      case KIOSK_CARD_REJECT_BIRTH_DATE:
        return "身份证号出生日期无效 / ID number birth date not valid";
      case KIOSK_CARD_REJECT_UNSUPPORTED:
        return "此类证件本机暂不支持，请到窗口办理 / This kind of card is not taken here; please go to the "
               "desk";
      case KIOSK_CARD_REJECT_UNVERIFIED:
        return "证件无法读取或验证，请到窗口办理 / The card cannot be read or verified; please go to the "
               "desk";
      case KIOSK_CARD_N_REJECTS:
      default:
        break;
    }
  return "未知错误 / Unknown error";
}

const char *
kiosk_card_kind_to_code (KioskCardKind kind)
{
  switch (kind)
    {
      case KIOSK_CARD_KIND_CARD_UID:
        return "card-uid";
      case KIOSK_CARD_KIND_QR:
        return "qr";
      case KIOSK_CARD_KIND_RESIDENT_ID:
        return "resident-id";
      case KIOSK_CARD_KIND_REJECTED:
        return "rejected";
      default:
        break;
    }
  return "unknown";
}
