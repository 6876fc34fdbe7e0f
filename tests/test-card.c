/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-card"

#include "kiosk-card.h"

#include <string.h>

typedef struct
{
  const char *text;
  KioskCardKind kind;
  KioskCardReject reject;
  const char *value; /* expected normalised value; NULL: the input as given */
} ClassifyCase;

/* The kiosk's date in these tests. */
static const GDate *
today (void)
{
  static GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 23, G_DATE_NOVEMBER, 2026);
  return &date;
}

static void
check_cases (const ClassifyCase *cases, gsize n, KioskCardUidFormat format)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr (KioskCardRead) read = kiosk_card_classify (cases[i].text, format, today (), 42);
      /* Escaped: some cases are not UTF-8, and TAP output must be. */
      g_autofree char *shown = g_strescape (cases[i].text, NULL);

      g_test_message ("case %" G_GSIZE_FORMAT ": \"%s\"", i, shown);
      g_assert_cmpstr (kiosk_card_kind_to_code (read->kind), ==, kiosk_card_kind_to_code (cases[i].kind));
      g_assert_cmpstr (kiosk_card_reject_to_code (read->reject), ==,
                       kiosk_card_reject_to_code (cases[i].reject));
      g_assert_cmpstr (read->value, ==, cases[i].value != NULL ? cases[i].value : cases[i].text);
      g_assert_cmpint (read->time_us, ==, 42);
    }
}

static void
test_resident_id (void)
{
  /* Valid numbers were checked by hand against GB 11643-1999's weights
   * (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; remainders map to 1 0 X 9 8 7 6 5 4 3 2). */
  static const ClassifyCase cases[] = {
    { "11010519491231002X", KIOSK_CARD_KIND_RESIDENT_ID, KIOSK_CARD_REJECT_NONE, NULL },
    { "11010519491231002x", KIOSK_CARD_KIND_RESIDENT_ID, KIOSK_CARD_REJECT_NONE, "11010519491231002X" },
    { "440524198001010013", KIOSK_CARD_KIND_RESIDENT_ID, KIOSK_CARD_REJECT_NONE, NULL },
    /* A right check character, but born in 1880. */
    { "440524188001010014", KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_BIRTH_DATE, NULL },
    { "110101199003074477", KIOSK_CARD_KIND_RESIDENT_ID, KIOSK_CARD_REJECT_NONE, NULL },
    { "11010119900307803X", KIOSK_CARD_KIND_RESIDENT_ID, KIOSK_CARD_REJECT_NONE, NULL },
    { " 440524198001010013 ", KIOSK_CARD_KIND_RESIDENT_ID, KIOSK_CARD_REJECT_NONE, "440524198001010013" },
    /* One digit changed, the check character kept. */
    { "110105194912310021", KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_CHECK_DIGIT, NULL },
    { "440524188001010015", KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_CHECK_DIGIT, NULL },
    { "440524188001010X14", KIOSK_CARD_KIND_QR, KIOSK_CARD_REJECT_NONE, NULL }, /* X not last: not an ID */
    { "110101199003074470", KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_CHECK_DIGIT, NULL },
    { "11010119900307803x", KIOSK_CARD_KIND_RESIDENT_ID, KIOSK_CARD_REJECT_NONE, "11010119900307803X" },
    { "110101199003078030", KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_CHECK_DIGIT, NULL },
    /* Two neighbours swapped: MOD 11-2 catches transpositions. */
    { "440524180801010014", KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_CHECK_DIGIT, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases), KIOSK_CARD_UID_AUTO);
  g_assert_cmpint (kiosk_card_resident_id_check_char ("11010519491231002"), ==, 'X');
  g_assert_cmpint (kiosk_card_resident_id_check_char ("4405241880010100"), ==, 0);
  g_assert_cmpint (kiosk_card_resident_id_check_char ("4405241880010100a"), ==, 0);
}

/* GB 11643-1999's check character, written out here apart from the one under
 * test: weights 2^(17-i) mod 11, the sum mod 11 mapped to 1 0 X 9 8 7 6 5 4 3 2. */
static char *
with_check_char (const char *digits17)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;

  g_assert_cmpuint (strlen (digits17), ==, 17);
  for (int i = 0; i < 17; i++)
    sum += (digits17[i] - '0') * weights[i];
  return g_strdup_printf ("%s%c", digits17, "10X98765432"[sum % 11]);
}

/* The birth date field (positions 7–14), each number with a right check
 * character: only the date decides. Today is 2026-11-23. */
static void
test_birth_date (void)
{
  static const struct
  {
    const char *date;
    KioskCardReject reject;
  } cases[] = {
    { "19491231", KIOSK_CARD_REJECT_NONE },
    { "20000229", KIOSK_CARD_REJECT_NONE },       /* 2000 is a leap year (divisible by 400) */
    { "20240229", KIOSK_CARD_REJECT_NONE },       /* leap day */
    { "19000101", KIOSK_CARD_REJECT_NONE },       /* the first day accepted */
    { "20261123", KIOSK_CARD_REJECT_NONE },       /* born today */
    { "19000229", KIOSK_CARD_REJECT_BIRTH_DATE }, /* 1900 is not (divisible by 100) */
    { "20230229", KIOSK_CARD_REJECT_BIRTH_DATE }, /* not a leap year */
    { "20260230", KIOSK_CARD_REJECT_BIRTH_DATE }, /* 30 February */
    { "20260431", KIOSK_CARD_REJECT_BIRTH_DATE }, /* 31 April */
    { "19900013", KIOSK_CARD_REJECT_BIRTH_DATE }, /* month 00 */
    { "19901301", KIOSK_CARD_REJECT_BIRTH_DATE }, /* month 13 */
    { "19900100", KIOSK_CARD_REJECT_BIRTH_DATE }, /* day 00 */
    { "19900132", KIOSK_CARD_REJECT_BIRTH_DATE }, /* day 32 */
    { "18991231", KIOSK_CARD_REJECT_BIRTH_DATE }, /* before 1900 */
    { "00000000", KIOSK_CARD_REJECT_BIRTH_DATE },
    { "20261124", KIOSK_CARD_REJECT_BIRTH_DATE }, /* tomorrow */
    { "20270101", KIOSK_CARD_REJECT_BIRTH_DATE }, /* future */
    { "99991231", KIOSK_CARD_REJECT_BIRTH_DATE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *digits = g_strconcat ("110105", cases[i].date, "002", NULL);
      g_autofree char *id = with_check_char (digits);
      g_autoptr (KioskCardRead) read = kiosk_card_classify (id, KIOSK_CARD_UID_AUTO, today (), 0);

      g_test_message ("%s", id);
      g_assert_cmpstr (kiosk_card_reject_to_code (kiosk_card_check_resident_id (id, today ())), ==,
                       kiosk_card_reject_to_code (cases[i].reject));
      g_assert_cmpstr (kiosk_card_kind_to_code (read->kind), ==,
                       kiosk_card_kind_to_code (cases[i].reject == KIOSK_CARD_REJECT_NONE
                                                    ? KIOSK_CARD_KIND_RESIDENT_ID
                                                    : KIOSK_CARD_KIND_REJECTED));
      g_assert_cmpint (read->reject, ==, cases[i].reject);
    }

  /* A wrong check character is that, whatever the date. */
  g_assert_cmpint (kiosk_card_check_resident_id ("110105199013010021", today ()), ==,
                   KIOSK_CARD_REJECT_CHECK_DIGIT);
  g_assert_cmpint (kiosk_card_check_resident_id ("1101051990130100", today ()), ==,
                   KIOSK_CARD_REJECT_INVALID);
  /* The example of the standard, with a lower-case x. */
  g_assert_cmpint (kiosk_card_check_resident_id ("11010519491231002x", today ()), ==, KIOSK_CARD_REJECT_NONE);
}

static void
test_normalize_uid (void)
{
  g_autofree char *em = kiosk_card_normalize_uid ("0012345678", KIOSK_CARD_UID_AUTO);
  g_autofree char *hex = kiosk_card_normalize_uid ("04:a1:b2:c3", KIOSK_CARD_UID_AUTO);
  g_autofree char *id = kiosk_card_normalize_uid ("110105194912310021", KIOSK_CARD_UID_AUTO);
  g_autofree char *code = kiosk_card_normalize_uid ("A7", KIOSK_CARD_UID_AUTO);

  g_assert_cmpstr (em, ==, "00BC614E");
  g_assert_cmpstr (hex, ==, "04A1B2C3");
  g_assert_null (id); /* an ID number's shape, valid or not, is never a UID */
  g_assert_null (code);
}

static void
test_uid_normalisation (void)
{
  static const ClassifyCase cases[] = {
    /* EM4100 10-digit decimal print. */
    { "0012345678", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "00BC614E" },
    { "4294967295", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "FFFFFFFF" },
    { "4294967296", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "0100000000" },
    { "00000001", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "00000001" },
    { "18446744073709551615", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "FFFFFFFFFFFFFFFF" },
    /* Beyond 64 bits: not a UID, kept as a payload. */
    { "18446744073709551616", KIOSK_CARD_KIND_QR, KIOSK_CARD_REJECT_NONE, NULL },
    /* MIFARE hex in its many prints. */
    { "04a1b2c3d4e5f6", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "04A1B2C3D4E5F6" },
    { "04:A1:B2:C3:D4:E5:F6", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "04A1B2C3D4E5F6" },
    { "0xDEADBEEF", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "DEADBEEF" },
    { "de-ad-be-ef", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "DEADBEEF" },
    { "12 34 56 78", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "12345678" },
    { "0A00BC614E", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "0A00BC614E" },
    /* Odd separators or odd lengths are not UIDs. */
    { "DEADBEE", KIOSK_CARD_KIND_QR, KIOSK_CARD_REJECT_NONE, NULL },
    { "DE::ADBEEF", KIOSK_CARD_KIND_QR, KIOSK_CARD_REJECT_NONE, NULL },
    { "DEADBEEF:", KIOSK_CARD_KIND_QR, KIOSK_CARD_REJECT_NONE, NULL },
    /* Short digit strings are booking codes, not UIDs. */
    { "1234567", KIOSK_CARD_KIND_QR, KIOSK_CARD_REJECT_NONE, NULL },
    { "LINLI:BOOK:2026-11-23:0815:A7", KIOSK_CARD_KIND_QR, KIOSK_CARD_REJECT_NONE, NULL },
    { "预约 A7", KIOSK_CARD_KIND_QR, KIOSK_CARD_REJECT_NONE, NULL },
    /* Garbage. */
    { "", KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_INVALID, NULL },
    { "   ", KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_INVALID, NULL },
    { "12\t34", KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_INVALID, NULL },
    { "\xff\xfe", KIOSK_CARD_KIND_REJECTED, KIOSK_CARD_REJECT_INVALID, NULL },
  };
  /* The same strings from a reader set to print hex. */
  static const ClassifyCase hex_cases[] = {
    { "12345678", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "12345678" },
    { "0012345678", KIOSK_CARD_KIND_CARD_UID, KIOSK_CARD_REJECT_NONE, "0012345678" },
    { "123456789", KIOSK_CARD_KIND_QR, KIOSK_CARD_REJECT_NONE, NULL },
    { "11010519491231002X", KIOSK_CARD_KIND_RESIDENT_ID, KIOSK_CARD_REJECT_NONE, NULL },
  };

  check_cases (cases, G_N_ELEMENTS (cases), KIOSK_CARD_UID_AUTO);
  check_cases (cases, 5, KIOSK_CARD_UID_DECIMAL);
  check_cases (hex_cases, G_N_ELEMENTS (hex_cases), KIOSK_CARD_UID_HEX);
}

static void
test_too_long (void)
{
  g_autofree char *text = g_strnfill (KIOSK_CARD_MAX_LENGTH + 1, 'A');
  g_autoptr (KioskCardRead) read = kiosk_card_classify (text, KIOSK_CARD_UID_AUTO, today (), 0);
  g_autoptr (KioskCardRead) fits = NULL;

  g_assert_cmpint (read->kind, ==, KIOSK_CARD_KIND_REJECTED);
  g_assert_cmpint (read->reject, ==, KIOSK_CARD_REJECT_TOO_LONG);
  text[KIOSK_CARD_MAX_LENGTH] = '\0';
  fits = kiosk_card_classify (text, KIOSK_CARD_UID_AUTO, today (), 0);
  g_assert_cmpint (fits->kind, ==, KIOSK_CARD_KIND_QR);
}

static void
test_mask (void)
{
  static const struct
  {
    const char *value;
    const char *masked;
  } cases[] = {
    { "11010519491231002X", "****002X" },
    { "00BC614E", "****614E" },
    { "ABCDE", "****DE" },
    { "1234", "****34" },
    { "A", "****" },
    { "", "****" },
    { "预约编号一二三四五", "****二三四五" },
    { "\xff\xfe", "****" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = kiosk_card_mask (cases[i].value);
      g_assert_cmpstr (masked, ==, cases[i].masked);
    }
}

static void
test_read_boxed (void)
{
  g_autoptr (KioskCardRead) rejected = kiosk_card_read_new_rejected (KIOSK_CARD_REJECT_TIMEOUT, NULL, 7);
  g_autoptr (KioskCardRead) copy = NULL;
  GValue v = G_VALUE_INIT;

  g_assert_cmpstr (rejected->value, ==, "");
  g_value_init (&v, KIOSK_TYPE_CARD_READ);
  g_value_set_boxed (&v, rejected);
  copy = g_value_dup_boxed (&v);
  g_value_unset (&v);
  g_assert_true (copy != rejected);
  g_assert_cmpint (copy->reject, ==, KIOSK_CARD_REJECT_TIMEOUT);
  g_assert_cmpint (copy->time_us, ==, 7);

  /* Every reason has a code and a text with Chinese first. */
  for (int r = 0; r < KIOSK_CARD_N_REJECTS; r++)
    {
      g_assert_cmpstr (kiosk_card_reject_to_code (r), !=, "unknown");
      g_assert_nonnull (strstr (kiosk_card_reject_to_text (r), " / "));
    }
}

static const struct
{
  const char *uid;
  const char *decimal; /* NULL: not a UID */
} decimal_cases[] = {
  { "00BC614E", "0012345678" },
  { "020C858839", "8800012345" },
  { "00000000", "0000000000" },
  { "04A1B2C3D4", "19892716500" }, /* more than 10 digits: kept whole */
  { "FFFFFFFFFFFFFFFF", "18446744073709551615" },
  { "0BC614E", NULL },
  { "00BC614E0000000000", NULL },
  { "00BC614G", NULL },
  { "", NULL },
};

static void
test_uid_to_decimal (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (decimal_cases); i++)
    {
      g_autofree char *got = kiosk_card_uid_to_decimal (decimal_cases[i].uid);
      g_assert_cmpstr (got, ==, decimal_cases[i].decimal);
    }
  /* Round trip with the decimal reader's normal form. */
  {
    g_autoptr (KioskCardRead) read = kiosk_card_classify ("8800012345", KIOSK_CARD_UID_AUTO, today (), 0);
    g_autofree char *back = kiosk_card_uid_to_decimal (read->value);

    g_assert_cmpstr (back, ==, "8800012345");
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/card/resident-id", test_resident_id);
  g_test_add_func ("/kiosk/card/birth-date", test_birth_date);
  g_test_add_func ("/kiosk/card/normalize-uid", test_normalize_uid);
  g_test_add_func ("/kiosk/card/uid-normalisation", test_uid_normalisation);
  g_test_add_func ("/kiosk/card/too-long", test_too_long);
  g_test_add_func ("/kiosk/card/mask", test_mask);
  g_test_add_func ("/kiosk/card/read-boxed", test_read_boxed);
  g_test_add_func ("/kiosk/card/uid-to-decimal", test_uid_to_decimal);
  return g_test_run ();
}
