/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-id-card"

#include "kiosk-id-card.h"

#include <sodium.h>
#include <string.h>

#include "kiosk-card.h"
#include "kiosk-error.h"

/* The text block's fields, in UCS-2 characters (two bytes each), as GA 450
 * lays them out for the resident ID card. The permit (type 'J') uses the same
 * layout and puts its pass number, issue count and type in the reserved tail;
 * the type character sits at the same place on every card type. */
enum
{
  F_NAME = 0,
  F_NAME_LEN = 15,
  F_SEX = 15,
  F_NATION = 16,
  F_BIRTH = 18,
  F_ADDRESS = 26,
  F_ADDRESS_LEN = 35,
  F_NUMBER = 61,
  F_AUTHORITY = 79,
  F_AUTHORITY_LEN = 15,
  F_VALID_FROM = 94,
  F_VALID_UNTIL = 102,
  F_PASS_NUMBER = 110,
  F_TYPE = 124,
};

/* Characters @start..@start+@n of the block as UTF-8, trailing spaces (and
 * NULs, which some modules pad with) removed. NULL on invalid UTF-16. */
static char *
field (const guint8 *text, guint start, guint n)
{
  gunichar2 units[64];
  guint len = 0;

  g_assert (n <= G_N_ELEMENTS (units));
  for (guint i = 0; i < n; i++)
    units[i] = (gunichar2)(text[2 * (start + i)] | (text[2 * (start + i) + 1] << 8));
  len = n;
  while (len > 0 && (units[len - 1] == ' ' || units[len - 1] == 0 || units[len - 1] == 0x3000))
    len--;
  for (guint i = 0; i < len; i++)
    if (units[i] == 0 || (units[i] < 0x20))
      return NULL;
  return g_utf16_to_utf8 (units, len, NULL, NULL, NULL);
}

/* The first @n characters are digits (@s holds at least @n). */
static gboolean
all_digits (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

/* Exactly @n digits. */
static gboolean
is_digits (const char *s, gsize n)
{
  return strlen (s) == n && all_digits (s, n);
}

/* YYYYMMDD, a real Gregorian date from 1900 on. */
static gboolean
is_date (const char *s)
{
  guint y, m, d;

  if (!is_digits (s, 8))
    return FALSE;
  y = (guint)g_ascii_strtoull (s, NULL, 10) / 10000;
  m = ((guint)g_ascii_strtoull (s + 4, NULL, 10) / 100) % 100;
  d = (guint)g_ascii_strtoull (s + 6, NULL, 10);
  return y >= 1900 && g_date_valid_dmy ((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

static void
wipe_string (char *s)
{
  if (s != NULL)
    sodium_memzero (s, strlen (s));
  g_free (s);
}

void
kiosk_id_card_free (KioskIdCard *card)
{
  if (card == NULL)
    return;
  wipe_string (card->name);
  wipe_string (card->address);
  wipe_string (card->authority);
  sodium_memzero (card, sizeof *card);
  g_free (card);
}

KioskIdCard *
kiosk_id_card_copy (const KioskIdCard *card)
{
  KioskIdCard *copy;

  g_return_val_if_fail (card != NULL, NULL);

  copy = g_memdup2 (card, sizeof *card);
  copy->name = g_strdup (card->name);
  copy->address = g_strdup (card->address);
  copy->authority = g_strdup (card->authority);
  return copy;
}

static gboolean
fail (GError **error, const char *message)
{
  g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, message);
  return FALSE;
}

/* Copies a fixed-size ASCII field; FALSE when it does not fit or is not ASCII. */
static gboolean
copy_ascii (char *dest, gsize size, const char *src)
{
  for (const char *p = src; *p != '\0'; p++)
    if ((guchar)*p >= 0x80)
      return FALSE;
  return g_strlcpy (dest, src, size) < size;
}

static gboolean
decode_fields (KioskIdCard *card, const guint8 *text, GError **error)
{
  g_autofree char *sex = NULL, *nation = NULL, *birth = NULL, *number = NULL;
  g_autofree char *valid_from = NULL, *valid_until = NULL, *pass = NULL;

  card->name = field (text, F_NAME, F_NAME_LEN);
  sex = field (text, F_SEX, 1);
  nation = field (text, F_NATION, 2);
  birth = field (text, F_BIRTH, 8);
  card->address = field (text, F_ADDRESS, F_ADDRESS_LEN);
  number = field (text, F_NUMBER, 18);
  card->authority = field (text, F_AUTHORITY, F_AUTHORITY_LEN);
  valid_from = field (text, F_VALID_FROM, 8);
  valid_until = field (text, F_VALID_UNTIL, 8);
  pass = field (text, F_PASS_NUMBER, 9);
  if (card->name == NULL || sex == NULL || nation == NULL || birth == NULL || card->address == NULL
      || number == NULL || card->authority == NULL || valid_from == NULL || valid_until == NULL
      || pass == NULL)
    return fail (error, "证件信息无法解码 / The card's text cannot be decoded");

  if (card->name[0] == '\0')
    return fail (error, "证件上没有姓名 / The card carries no name");
  if (strlen (sex) != 1 || strchr ("0129", sex[0]) == NULL)
    return fail (error, "证件上的性别代码无效 / The card's sex code is not valid");
  card->sex = sex[0];
  if (card->type == KIOSK_ID_CARD_RESIDENT && !is_digits (nation, 2))
    return fail (error, "证件上的民族代码无效 / The card's nationality code is not valid");
  if (card->type == KIOSK_ID_CARD_RESIDENT)
    memcpy (card->nation, nation, 3);
  if (!is_date (birth))
    return fail (error, "证件上的出生日期无效 / The card's birth date is not a date");
  memcpy (card->birth, birth, 9);

  if (strlen (number) != 18 || !all_digits (number, 17)
      || kiosk_card_resident_id_check_char (number) != g_ascii_toupper (number[17]))
    return fail (error, "证件号码校验失败 / The card's number fails its check digit");
  if (memcmp (number + 6, card->birth, 8) != 0)
    return fail (error, "证件号码与出生日期不符 / The card's number disagrees with its birth date");
  memcpy (card->number, number, 19);
  card->number[17] = g_ascii_toupper (card->number[17]);

  if (!is_date (valid_from))
    return fail (error, "证件有效期起始日期无效 / The card's validity start is not a date");
  memcpy (card->valid_from, valid_from, 9);
  if (!g_str_equal (valid_until, "长期"))
    {
      if (!is_date (valid_until) || strcmp (valid_until, valid_from) < 0)
        return fail (error, "证件有效期截止日期无效 / The card's validity end is not a date");
      memcpy (card->valid_until, valid_until, 9);
    }

  if (card->type == KIOSK_ID_CARD_HMT_PERMIT
      && (pass[0] == '\0' || !copy_ascii (card->pass_number, sizeof card->pass_number, pass)))
    return fail (error, "居住证上的通行证号码无效 / The permit's travel permit number is not valid");
  return TRUE;
}

KioskIdCard *
kiosk_id_card_decode (const guint8 *text, gsize length, GError **error)
{
  g_autoptr (KioskIdCard) card = NULL;
  guint type_unit;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < KIOSK_ID_CARD_TEXT_SIZE)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "证件信息不完整 / The card's text is %" G_GSIZE_FORMAT " bytes, not %d", length,
                   KIOSK_ID_CARD_TEXT_SIZE);
      return NULL;
    }

  card = g_new0 (KioskIdCard, 1);
  type_unit = text[2 * F_TYPE] | (text[2 * F_TYPE + 1] << 8);
  switch (type_unit)
    {
      case ' ':
      case 0:
        card->type = KIOSK_ID_CARD_RESIDENT;
        break;
      case 'J':
        card->type = KIOSK_ID_CARD_HMT_PERMIT;
        break;
      case 'I':
      case 'Y':
        /* Another layout altogether (an English name first, a 15- or
         * 18-character number of another scheme): refuse, never misread. */
        g_set_error_literal (
            error, KIOSK_ERROR, KIOSK_ERROR_DENIED,
            "本机暂不支持外国人永久居留身份证，请到窗口办理 / "
            "Foreigners' permanent residence cards are not taken here; please go to the desk");
        return NULL;
      default:
        g_set_error_literal (
            error, KIOSK_ERROR, KIOSK_ERROR_DENIED,
            "无法识别的证件类型，请到窗口办理 / Card type not recognised; please go to the desk");
        return NULL;
    }
  if (!decode_fields (card, text, error))
    return NULL;
  return g_steal_pointer (&card);
}

gboolean
kiosk_id_card_is_expired (const KioskIdCard *card, const char *today)
{
  g_return_val_if_fail (card != NULL, TRUE);
  g_return_val_if_fail (today != NULL, TRUE);

  return card->valid_until[0] != '\0' && strcmp (card->valid_until, today) < 0;
}

char *
kiosk_id_card_mask_name (const char *name)
{
  glong n;
  GString *out;
  const char *last;

  g_return_val_if_fail (name != NULL, NULL);

  if (!g_utf8_validate (name, -1, NULL))
    return g_strdup ("*");
  n = g_utf8_strlen (name, -1);
  if (n <= 1)
    return g_strdup ("*");
  out = g_string_new (NULL);
  g_string_append_len (out, name, g_utf8_next_char (name) - name);
  for (glong i = 1; i < MAX (n - 1, 2); i++)
    g_string_append_c (out, '*');
  if (n > 2)
    {
      last = g_utf8_offset_to_pointer (name, n - 1);
      g_string_append (out, last);
    }
  return g_string_free (out, FALSE);
}

char *
kiosk_id_card_format_valid_until (const KioskIdCard *card)
{
  g_return_val_if_fail (card != NULL, NULL);

  if (card->valid_until[0] == '\0')
    return g_strdup ("长期 / No end date");
  return g_strdup_printf ("%.4s-%.2s-%.2s", card->valid_until, card->valid_until + 4, card->valid_until + 6);
}
