/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-id-card"

#include <string.h>

#include "ga450-fake.h"
#include "kiosk-card.h"
#include "kiosk-error.h"
#include "kiosk-id-card.h"

static KioskIdCard *
decode (const Ga450TestCard *card, GError **error)
{
  g_autoptr (GBytes) block = ga450_test_text_block (card);
  gsize length;
  const guint8 *bytes = g_bytes_get_data (block, &length);

  g_assert_cmpuint (length, ==, KIOSK_ID_CARD_TEXT_SIZE);
  return kiosk_id_card_decode (bytes, length, error);
}

static void
test_resident (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskIdCard) card = decode (ga450_test_card_zhang (), &error);

  g_assert_no_error (error);
  g_assert_cmpint (card->type, ==, KIOSK_ID_CARD_RESIDENT);
  g_assert_cmpstr (card->name, ==, "张三");
  g_assert_cmpint (card->sex, ==, '1');
  g_assert_cmpstr (card->nation, ==, "01");
  g_assert_cmpstr (card->birth, ==, "19491231");
  g_assert_cmpstr (card->address, ==, "北京市东城区景山前街4号");
  g_assert_cmpstr (card->number, ==, "11010519491231002X");
  g_assert_cmpstr (card->authority, ==, "北京市公安局东城分局");
  g_assert_cmpstr (card->valid_from, ==, "20200101");
  /* 长期: no end date, never expires. */
  g_assert_cmpstr (card->valid_until, ==, "");
  g_assert_false (kiosk_id_card_is_expired (card, "29991231"));
}

static void
test_permit (void)
{
  Ga450TestCard c = *ga450_test_card_zhang ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskIdCard) card = NULL;

  c.name = "陈大文";
  c.nation = NULL;
  c.birth = "19880512";
  c.number = "810000198805120040";
  c.valid_from = "20190101";
  c.valid_until = "20240101";
  c.pass_number = "H12345678";
  c.type = "J";
  card = decode (&c, &error);
  g_assert_no_error (error);
  g_assert_cmpint (card->type, ==, KIOSK_ID_CARD_HMT_PERMIT);
  g_assert_cmpstr (card->pass_number, ==, "H12345678");
  g_assert_cmpstr (card->nation, ==, "");
  g_assert_cmpstr (card->valid_until, ==, "20240101");
}

/* Cards of another layout are refused with words for a person, never read
 * as if they were resident cards. */
static void
test_foreigner_refused (void)
{
  static const char *types[] = { "I", "Y", "Z" };

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    {
      Ga450TestCard c = *ga450_test_card_zhang ();
      g_autoptr (GError) error = NULL;
      g_autoptr (KioskIdCard) card = NULL;

      c.type = types[i];
      card = decode (&c, &error);
      g_assert_null (card);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DENIED);
      g_assert_nonnull (strstr (error->message, "请到窗口办理"));
    }
}

typedef struct
{
  const char *name;
  const char *field;
  const char *value;
  const char *message; /* a part of the error, or NULL for accepted */
} BadCase;

static const BadCase bad_cases[] = {
  { "wrong-check-digit", "number", "110105194912310021", "check digit" },
  { "number-birth-disagree", "birth", "19491230", "disagrees" },
  { "birth-month-13", "birth", "19491331", "birth date" },
  { "birth-feb-30", "birth", "19490230", "birth date" },
  { "birth-letters", "birth", "1949123X", "birth date" },
  { "valid-from-not-date", "valid_from", "20201301", "validity start" },
  { "valid-until-not-date", "valid_until", "20200230", "validity end" },
  { "valid-until-before-from", "valid_until", "20191231", "validity end" },
  { "valid-until-yesterday-ok", "valid_until", "20261202", NULL },
  { "sex-invalid", "sex", "X", "sex" },
  { "nation-invalid", "nation", "A1", "nationality" },
  { "name-empty", "name", "", "no name" },
  { "name-control", "name", "张\001三", "decoded" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *b = data;
  Ga450TestCard c = *ga450_test_card_zhang ();
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskIdCard) card = NULL;

  if (g_str_equal (b->field, "number"))
    c.number = b->value;
  else if (g_str_equal (b->field, "birth"))
    c.birth = b->value;
  else if (g_str_equal (b->field, "valid_from"))
    c.valid_from = b->value;
  else if (g_str_equal (b->field, "valid_until"))
    c.valid_until = b->value;
  else if (g_str_equal (b->field, "sex"))
    c.sex = b->value;
  else if (g_str_equal (b->field, "nation"))
    c.nation = b->value;
  else if (g_str_equal (b->field, "name"))
    c.name = b->value;
  else
    g_assert_not_reached ();
  card = decode (&c, &error);
  if (b->message == NULL)
    {
      g_assert_no_error (error);
      return;
    }
  g_assert_null (card);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, b->message));
}

/* A lone surrogate is not text: refused, not passed on half-decoded. */
static void
test_invalid_utf16 (void)
{
  g_autoptr (GBytes) block = ga450_test_text_block (ga450_test_card_zhang ());
  g_autofree guint8 *bytes = g_bytes_unref_to_data (g_steal_pointer (&block), &(gsize){ 0 });
  g_autoptr (GError) error = NULL;

  bytes[2] = 0x00;
  bytes[3] = 0xD8; /* a high surrogate with no low one after it */
  g_assert_null (kiosk_id_card_decode (bytes, KIOSK_ID_CARD_TEXT_SIZE, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
}

static void
test_short_block (void)
{
  g_autoptr (GBytes) block = ga450_test_text_block (ga450_test_card_zhang ());
  g_autoptr (GError) error = NULL;

  g_assert_null (kiosk_id_card_decode (g_bytes_get_data (block, NULL), 255, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
}

static void
test_expiry (void)
{
  Ga450TestCard c = *ga450_test_card_zhang ();
  g_autoptr (KioskIdCard) card = NULL;
  g_autofree char *until = NULL;

  c.valid_until = "20261202";
  card = decode (&c, NULL);
  g_assert_nonnull (card);
  /* The end date itself is still valid; the day after is not. */
  g_assert_false (kiosk_id_card_is_expired (card, "20261202"));
  g_assert_true (kiosk_id_card_is_expired (card, "20261203"));
  until = kiosk_id_card_format_valid_until (card);
  g_assert_cmpstr (until, ==, "2026-12-02");
}

static void
test_mask_name (void)
{
  static const char *cases[][2] = {
    { "张三", "张*" }, { "张小三", "张*三" }, { "欧阳小明", "欧**明" },
    { "王", "*" },     { "", "*" },           { "买买提·艾力", "买****力" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = kiosk_id_card_mask_name (cases[i][0]);
      g_assert_cmpstr (masked, ==, cases[i][1]);
    }
}

/* A chip read travels as a resident-ID read: the number as value, the rest
 * beside it; copies carry it, frees wipe it. */
static void
test_card_read (void)
{
  g_autoptr (KioskIdCard) card = decode (ga450_test_card_zhang (), NULL);
  g_autoptr (KioskCardRead) read = kiosk_card_read_new_id_card (g_steal_pointer (&card), 42);
  g_autoptr (KioskCardRead) copy = kiosk_card_read_copy (read);

  g_assert_cmpint (read->kind, ==, KIOSK_CARD_KIND_RESIDENT_ID);
  g_assert_cmpstr (read->value, ==, "11010519491231002X");
  g_assert_nonnull (copy->id_card);
  g_assert_true (copy->id_card != read->id_card);
  g_assert_cmpstr (copy->id_card->name, ==, "张三");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kiosk/id-card/resident", test_resident);
  g_test_add_func ("/kiosk/id-card/permit", test_permit);
  g_test_add_func ("/kiosk/id-card/foreigner-refused", test_foreigner_refused);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/kiosk/id-card/bad/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/kiosk/id-card/invalid-utf16", test_invalid_utf16);
  g_test_add_func ("/kiosk/id-card/short-block", test_short_block);
  g_test_add_func ("/kiosk/id-card/expiry", test_expiry);
  g_test_add_func ("/kiosk/id-card/mask-name", test_mask_name);
  g_test_add_func ("/kiosk/id-card/card-read", test_card_read);
  return g_test_run ();
}
