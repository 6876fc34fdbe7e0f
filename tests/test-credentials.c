/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-credentials"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "kiosk-badge-rules.h"
#include "kiosk-credentials.h"
#include "kiosk-error.h"
#include "kiosk-test-util.h"

typedef struct
{
  char *dir;
  KioskClock *clock;
  KioskStore *store;
  KioskCredentials *credentials;
  GPtrArray *problems;
} Fixture;

static const char *const groups[] = { "worker", "resident", "staff", NULL };

static void
test_key (guint8 key[KIOSK_CARD_KEY_BYTES])
{
  for (guint i = 0; i < KIOSK_CARD_KEY_BYTES; i++)
    key[i] = (guint8)(i * 7 + 1);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 11, 25, 2, 0, 0);
  g_autofree char *path = NULL;
  guint8 key[KIOSK_CARD_KEY_BYTES];
  g_autoptr (GError) error = NULL;

  f->dir = kiosk_test_make_tmpdir ("credentials");
  path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_fake (NULL, start);
  f->store = kiosk_store_open (path, f->clock, &error);
  g_assert_no_error (error);
  test_key (key);
  f->credentials = kiosk_credentials_new (f->store, key);
  f->problems = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_ptr_array_unref (f->problems);
  g_assert_finalize_object (f->credentials);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->clock);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
}

static char *
write_file (Fixture *f, const char *name, const char *text)
{
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static char *
hash_of (Fixture *f, const char *card)
{
  char *hash = g_malloc (KIOSK_CARD_HASH_LEN + 1);

  g_assert_true (kiosk_credentials_hash_card (f->credentials, card, hash));
  return hash;
}

static const struct
{
  const char *name;
  const char *masked;
} mask_cases[] = {
  { "张三明", "张*明" },
  { "张三", "张*" },
  { "李", "李" },
  { "欧阳娜娜", "欧**娜" },
  { "阿卜杜·艾力", "阿****力" },
  { "Wang Fang", "W*** F***" },
  { "  Wang   Fang ", "W*** F***" },
  { "Li", "L*" },
  { "A", "A" },
  { "O'Neil", "O*****" },
  { "", "" },
  { "   ", "" },
  { NULL, "" },
  { "\xff\xfe", "" },
};

static void
test_mask_name (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (mask_cases); i++)
    {
      g_autofree char *masked = kiosk_mask_name (mask_cases[i].name);
      if (g_strcmp0 (masked, mask_cases[i].masked) != 0)
        g_error ("case %u: \"%s\" → \"%s\", want \"%s\"", i, mask_cases[i].name, masked,
                 mask_cases[i].masked);
    }
}

static const struct
{
  const char *card;
  const char *canonical; /* NULL: refused */
} canonical_cases[] = {
  /* Badge UIDs in decimal or hex: the reader manager's normal form. */
  { "0012345678", "00BC614E" },
  { "12345678", "00BC614E" },
  { "00bc614e", "00BC614E" },
  { "0x00BC614E", "00BC614E" },
  { " 04a1b2c3d4\n", "04A1B2C3D4" },
  { "AB-12", "AB-12" },
  { "", NULL },
  { "  ", NULL },
  { "12 34", NULL },
  { "12;34", NULL },
  { "卡号", NULL },
  { NULL, NULL },
};

static void
test_canonical_card (void)
{
  g_autofree char *long_card = g_strnfill (65, '1');
  g_autofree char *max_card = g_strnfill (64, '1');
  g_autofree char *refused = kiosk_card_canonical (long_card);
  g_autofree char *kept = kiosk_card_canonical (max_card);

  for (guint i = 0; i < G_N_ELEMENTS (canonical_cases); i++)
    {
      g_autofree char *got = kiosk_card_canonical (canonical_cases[i].card);
      g_assert_cmpstr (got, ==, canonical_cases[i].canonical);
    }
  g_assert_null (refused);
  g_assert_cmpstr (kept, ==, max_card);
}

static void
test_hash (Fixture *f, gconstpointer data)
{
  guint8 key[KIOSK_CARD_KEY_BYTES];
  g_autofree char *expect = NULL;
  g_autofree char *a = hash_of (f, "04a1b2c3d4");
  g_autofree char *b = hash_of (f, "04A1B2C3D4");
  g_autofree char *c = hash_of (f, "04A1B2C3D5");
  char other[KIOSK_CARD_HASH_LEN + 1];

  /* HMAC-SHA256 of the canonical form, as GLib computes it independently. */
  test_key (key);
  expect = g_compute_hmac_for_string (G_CHECKSUM_SHA256, key, sizeof key, "04A1B2C3D4", -1);
  g_assert_cmpstr (a, ==, expect);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_true (kiosk_card_hash_is_valid (a));
  g_assert_false (kiosk_credentials_hash_card (f->credentials, "bad card", other));

  /* Another deployment's key gives another hash. */
  key[0] ^= 1;
  {
    g_autoptr (KioskCredentials) second = kiosk_credentials_new (f->store, key);
    g_assert_true (kiosk_credentials_hash_card (second, "04A1B2C3D4", other));
    g_assert_cmpstr (other, !=, a);
  }
}

static void
test_key_file (Fixture *f, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (f->dir, "none.key", NULL);
  g_autofree char *bad = write_file (f, "bad.key", "00112233deadbeef\n");
  g_autofree char *good
      = write_file (f, "good.key", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n");
  g_autofree char *made = g_build_filename (f->dir, "sub", "card.key", NULL);
  guint8 key[KIOSK_CARD_KEY_BYTES], again[KIOSK_CARD_KEY_BYTES];
  g_autoptr (GError) error = NULL;
  GStatBuf st;

  g_assert_true (kiosk_card_key_load (good, key, &error));
  g_assert_no_error (error);
  g_assert_cmpint (key[0], ==, 0);
  g_assert_cmpint (key[31], ==, 0x1f);

  g_assert_false (kiosk_card_key_load (missing, key, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (kiosk_card_key_load (bad, key, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_null (strstr (error->message, "deadbeef"));
  g_clear_error (&error);

  g_assert_true (kiosk_card_key_load_or_create (made, key, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (made, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (kiosk_card_key_load_or_create (made, again, &error));
  g_assert_cmpmem (key, sizeof key, again, sizeof again);
}

static void
test_import_csv (Fixture *f, gconstpointer data)
{
  g_autofree char *path
      = write_file (f, "members.csv",
                    "\xEF\xBB\xBF# exported 2026-11-20\n"
                    "card,kind,name,valid_from,valid_until,status,group\r\n"
                    "0012345678,worker,张三明,,,active,worker\r\n"
                    "\n"
                    "\"04a1b2c3d4\",resident,\"Wang, Fang\",2026-01-01,2026-12-31,,resident\n"
                    "0099,staff,\"Li \"\"Bo\"\"\",,,suspended,staff\n");
  g_autoptr (GError) error = NULL;
  g_autofree char *h1 = hash_of (f, "0012345678");
  g_autofree char *h2 = hash_of (f, "04A1B2C3D4");
  g_autofree char *h3 = hash_of (f, "0099");
  g_autoptr (KioskMember) m = NULL;
  guint n = 0;

  g_assert_true (kiosk_credentials_import_file (f->credentials, path, KIOSK_IMPORT_AUTO, groups, f->problems,
                                                &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->problems->len, ==, 0);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (kiosk_credentials_get_count (f->credentials), ==, 3);

  m = kiosk_credentials_lookup (f->credentials, h1, &error);
  g_assert_nonnull (m);
  g_assert_cmpstr (m->name, ==, "张三明");
  g_assert_cmpint (m->kind, ==, KIOSK_MEMBER_WORKER);
  g_assert_null (m->valid_until);
  g_clear_pointer (&m, kiosk_member_free);

  m = kiosk_credentials_lookup (f->credentials, h2, &error);
  g_assert_cmpstr (m->name, ==, "Wang, Fang");
  g_assert_cmpstr (m->valid_from, ==, "2026-01-01");
  g_assert_cmpstr (m->valid_until, ==, "2026-12-31");
  g_assert_cmpint (m->status, ==, KIOSK_MEMBER_ACTIVE);
  g_clear_pointer (&m, kiosk_member_free);

  m = kiosk_credentials_lookup (f->credentials, h3, &error);
  g_assert_cmpstr (m->name, ==, "Li \"Bo\"");
  g_assert_cmpint (m->status, ==, KIOSK_MEMBER_SUSPENDED);
  g_assert_cmpint (m->kind, ==, KIOSK_MEMBER_STAFF);
}

static void
import_good_list (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) members
      = kiosk_credentials_parse (f->credentials, "card,kind,name,group\n7777,worker,老员工,worker\n", -1,
                                 KIOSK_IMPORT_CSV, groups, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (kiosk_credentials_apply (f->credentials, members, TRUE, &error));
  g_assert_cmpint (kiosk_credentials_get_count (f->credentials), ==, 1);
}

/* Each bad line named with its number; the earlier list stays whole. */
static void
test_import_csv_bad_lines (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "members.csv",
                                      "card,kind,name,valid_from,valid_until,status,group\n"   /* 1 */
                                      "1000000001,worker,好人,,,,worker\n"                     /* 2 */
                                      "1000000002,boss,坏类型,,,,worker\n"                     /* 3 */
                                      "1000000003,worker,,,,,worker\n"                         /* 4 */
                                      "1000000004,worker,日期,2026-02-30,,,worker\n"           /* 5 */
                                      "1000000005,worker,倒序,2026-05-01,2026-04-01,,worker\n" /* 6 */
                                      "1000000006,worker,组,,,,gym\n"                          /* 7 */
                                      "1000000001,worker,重复,,,,worker\n"                     /* 8 */
                                      "10000 00008,worker,空格,,,,worker\n"                    /* 9 */
                                      "1000000009,worker,少列\n"                               /* 10 */
                                      "\"1000000010,worker,引号,,,,worker\n"                   /* 11 */
                                      "1000000011,worker,状态,,,expired,worker\n"              /* 12 */
                                      "\n"                                                     /* 13 */
                                      "1000000012,resident,\xe5\xbc\xa0\xff,,,,resident\n"     /* 14 */
                                      /* ID numbers with right check digits; today is 2026-11-25. */
                                      "110105199013010026,resident,月份,,,,resident\n"     /* 15 */
                                      "11010520261126002X,resident,明天,,,,resident\n"     /* 16 */
                                      "11010519491231002X,resident,身份证,,,,resident\n"); /* 17 */
  static const char *const expect[] = {
    "line 3: kind must be worker, resident or staff",
    "line 4: name is empty",
    "line 5: valid_from is not a date like 2026-01-31",
    "line 6: valid_until is before valid_from",
    "line 7: group \"gym\" is not a group of the club",
    "line 8: the same card as line 2",
    "line 9: card is not a card number (letters, digits and '-', at most 64)",
    "line 10: 3 fields, the header has 7",
    "line 11: a quote is not closed (a field cannot span lines)",
    "line 12: status must be active or suspended",
    "line 14: not UTF-8 text (save the sheet as \"CSV UTF-8\")",
    "line 15: card is an ID number that is not valid: 身份证号出生日期无效 / ID number birth date not valid",
    "line 16: card is an ID number that is not valid: 身份证号出生日期无效 / ID number birth date not valid",
  };
  g_autoptr (GError) error = NULL;

  import_good_list (f);
  g_assert_false (kiosk_credentials_import_file (f->credentials, path, KIOSK_IMPORT_AUTO, groups, f->problems,
                                                 NULL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "13 bad lines; nothing imported"));
  for (guint i = 0; i < f->problems->len; i++)
    g_test_message ("%s", (char *)f->problems->pdata[i]);
  g_assert_cmpuint (f->problems->len, ==, G_N_ELEMENTS (expect));
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      g_assert_cmpstr (f->problems->pdata[i], ==, expect[i]);
      g_assert_null (strstr (f->problems->pdata[i], "10000"));
    }
  /* Nothing half-imported: the old list is still the whole list. */
  g_assert_cmpint (kiosk_credentials_get_count (f->credentials), ==, 1);
}

static const struct
{
  const char *text;
  const char *problem;
} bad_headers[] = {
  { "card,kind,name,group,colour\n1,worker,a,worker,red\n", "line 1: unknown column \"colour\"" },
  { "kind,name,group\nworker,a,worker\n", "line 1: the header has no card or card_hash column" },
  { "# only a comment\n\ncard,kind,group\n1,worker,worker\n", "line 3: the header has no name column" },
  { "card,card,kind,name,group\n", "line 1: column \"card\" twice" },
  { "", "line 1: the file has no header line" },
  { "card_hash,kind,name,group\nABCDEF,worker,a,worker\n",
    "line 2: card_hash is not 64 lower-case hex digits" },
};

static void
test_import_csv_bad_header (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_headers); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) members = NULL;

      g_ptr_array_set_size (f->problems, 0);
      members = kiosk_credentials_parse (f->credentials, bad_headers[i].text, -1, KIOSK_IMPORT_CSV, groups,
                                         f->problems, &error);
      g_assert_null (members);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      g_assert_cmpuint (f->problems->len, >=, 1);
      g_assert_cmpstr (f->problems->pdata[0], ==, bad_headers[i].problem);
    }
}

static void
test_import_json (Fixture *f, gconstpointer data)
{
  g_autofree char *path
      = write_file (f, "members.json",
                    "{\"members\": [\n"
                    "  {\"card\": \"0012345678\", \"kind\": \"worker\", \"name\": \"张三\",\n"
                    "   \"group\": \"worker\", \"valid_until\": null},\n"
                    "  {\"card\": \"0012345679\", \"kind\": \"resident\", \"name\": \"李\", "
                    "\"group\": \"resident\", \"valid_until\": \"2027-01-31\"}\n"
                    "]}\n");
  g_autoptr (GError) error = NULL;
  g_autofree char *hash = hash_of (f, "0012345679");
  g_autoptr (KioskMember) m = NULL;
  guint n = 0;

  g_assert_true (kiosk_credentials_import_file (f->credentials, path, KIOSK_IMPORT_AUTO, groups, f->problems,
                                                &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  m = kiosk_credentials_lookup (f->credentials, hash, &error);
  g_assert_nonnull (m);
  g_assert_cmpstr (m->valid_until, ==, "2027-01-31");
  g_assert_cmpint (m->kind, ==, KIOSK_MEMBER_RESIDENT);
}

static void
test_import_json_bad_lines (Fixture *f, gconstpointer data)
{
  g_autofree char *path
      = write_file (f, "members.json",
                    "[\n"                                                         /* 1 */
                    "  {\"card\": \"1\", \"kind\": \"worker\", \"name\": \"a\", " /* 2 */
                    "\"group\": \"worker\"},\n"
                    "  {\"card\": 12345678, \"kind\": \"worker\", \"name\": \"b\", " /* 3 */
                    "\"group\": \"worker\"},\n"
                    "  {\n"                                                              /* 4 */
                    "    \"card\": \"3\", \"kind\": \"worker\",\n"                       /* 5 */
                    "    \"name\": \"c\", \"group\": \"worker\", \"status\": \"gone\"\n" /* 6 */
                    "  },\n"                                                             /* 7 */
                    "  {\"card\": \"4\", \"kind\": \"worker\", \"name\": \"d\", "        /* 8 */
                    "\"group\": \"worker\", \"valid_until\": \"31/12/2026\"}\n"
                    "]\n");
  static const char *const expect[] = {
    "line 3: every member field must be a string (a card keeps its leading zeros)",
    "line 4: status must be active or suspended",
    "line 8: valid_until is not a date like 2026-12-31",
  };
  g_autoptr (GError) error = NULL;

  import_good_list (f);
  g_assert_false (kiosk_credentials_import_file (f->credentials, path, KIOSK_IMPORT_AUTO, groups, f->problems,
                                                 NULL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  for (guint i = 0; i < f->problems->len; i++)
    g_test_message ("%s", (char *)f->problems->pdata[i]);
  g_assert_cmpuint (f->problems->len, ==, G_N_ELEMENTS (expect));
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    g_assert_cmpstr (f->problems->pdata[i], ==, expect[i]);
  g_assert_cmpint (kiosk_credentials_get_count (f->credentials), ==, 1);

  /* Not JSON at all: the parser's line. */
  g_ptr_array_set_size (f->problems, 0);
  g_clear_error (&error);
  g_assert_null (kiosk_credentials_parse (f->credentials, "[\n{\"card\": \"1\",\n \"kind\" \"worker\"}\n]\n",
                                          -1, KIOSK_IMPORT_JSON, groups, f->problems, &error));
  g_assert_cmpuint (f->problems->len, ==, 1);
  g_test_message ("%s", (char *)f->problems->pdata[0]);
  g_assert_true (g_str_has_prefix (f->problems->pdata[0], "line 3: not valid JSON"));
}

static KioskMember *
member (const char *hash, KioskMemberKind kind, const char *name, KioskMemberStatus status, const char *group)
{
  KioskMember *m = kiosk_member_new ();

  g_strlcpy (m->card_hash, hash, sizeof m->card_hash);
  m->kind = kind;
  m->name = g_strdup (name);
  m->status = status;
  m->group = g_strdup (group);
  return m;
}

static void
test_apply (Fixture *f, gconstpointer data)
{
  g_autofree char *a = hash_of (f, "A1");
  g_autofree char *b = hash_of (f, "B2");
  g_autofree char *c = hash_of (f, "C3");
  g_autoptr (GPtrArray) full = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_member_free);
  g_autoptr (GPtrArray) delta = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_member_free);
  g_autoptr (GPtrArray) bad = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_member_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskMember) got = NULL;

  g_ptr_array_add (full, member (a, KIOSK_MEMBER_WORKER, "甲", KIOSK_MEMBER_ACTIVE, "worker"));
  g_ptr_array_add (full, member (b, KIOSK_MEMBER_RESIDENT, "乙", KIOSK_MEMBER_ACTIVE, "resident"));
  g_assert_true (kiosk_credentials_apply (f->credentials, full, TRUE, &error));
  g_assert_cmpint (kiosk_credentials_get_count (f->credentials), ==, 2);

  /* A delta: suspend a, remove b, add c. */
  g_ptr_array_add (delta, member (a, KIOSK_MEMBER_WORKER, "甲", KIOSK_MEMBER_SUSPENDED, "worker"));
  g_ptr_array_add (delta, member (b, KIOSK_MEMBER_RESIDENT, "乙", KIOSK_MEMBER_REMOVED, "resident"));
  g_ptr_array_add (delta, member (c, KIOSK_MEMBER_STAFF, "丙", KIOSK_MEMBER_ACTIVE, "staff"));
  g_assert_true (kiosk_credentials_apply (f->credentials, delta, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_credentials_get_count (f->credentials), ==, 2);
  got = kiosk_credentials_lookup (f->credentials, a, &error);
  g_assert_cmpint (got->status, ==, KIOSK_MEMBER_SUSPENDED);
  g_clear_pointer (&got, kiosk_member_free);
  g_assert_null (kiosk_credentials_lookup (f->credentials, b, &error));
  g_assert_no_error (error);

  /* One bad record: nothing applied, even the good one before it. */
  g_ptr_array_add (bad, member (b, KIOSK_MEMBER_RESIDENT, "乙", KIOSK_MEMBER_ACTIVE, "resident"));
  g_ptr_array_add (bad, member ("not-a-hash", KIOSK_MEMBER_WORKER, "丁", KIOSK_MEMBER_ACTIVE, "worker"));
  g_assert_false (kiosk_credentials_apply (f->credentials, bad, FALSE, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "member 1"));
  g_assert_null (kiosk_credentials_lookup (f->credentials, b, NULL));
  g_assert_cmpint (kiosk_credentials_get_count (f->credentials), ==, 2);
}

static void
test_import_if_changed (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "members.csv", "card,kind,name,group\n1,worker,a,worker\n");
  g_autoptr (GError) error = NULL;
  gboolean imported = FALSE;

  g_assert_true (kiosk_credentials_import_if_changed (f->credentials, path, groups, NULL, &imported, &error));
  g_assert_true (imported);
  g_assert_true (kiosk_credentials_import_if_changed (f->credentials, path, groups, NULL, &imported, &error));
  g_assert_false (imported);
  g_free (write_file (f, "members.csv", "card,kind,name,group\n1,worker,a,worker\n2,worker,b,worker\n"));
  g_assert_true (kiosk_credentials_import_if_changed (f->credentials, path, groups, NULL, &imported, &error));
  g_assert_true (imported);
  g_assert_cmpint (kiosk_credentials_get_count (f->credentials), ==, 2);
}

static const struct
{
  const char *card;
  gboolean match;
} badge_cases[] = {
  { "8800012345", TRUE },  /* prefix, range, length */
  { "8900012345", TRUE },  /* the other prefix */
  { "8800012344", FALSE }, /* below the range */
  { "8800020000", TRUE },  /* the range's top */
  { "8800020001", FALSE }, /* above it */
  { "7700015000", FALSE }, /* no prefix */
  { "880001234", FALSE },  /* too short */
  { "88A0012345", FALSE }, /* not a number for the range */
};

static void
test_badge_rules (void)
{
  static const char *const prefixes[] = { "88", "89", NULL };
  static const char *const ranges[] = { "8800012345-8800020000", "8900000000-8999999999", NULL };
  static const char *const bad_range[] = { "200-100", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskBadgeRules) rules = kiosk_badge_rules_new (prefixes, ranges, 10, "worker", &error);
  g_autoptr (KioskBadgeRules) none = kiosk_badge_rules_new (NULL, NULL, 0, "worker", &error);
  g_autoptr (KioskBadgeRules) prefix_only
      = kiosk_badge_rules_new ((const char *const[]){ "e4", NULL }, NULL, 0, "worker", &error);
  g_autoptr (KioskBadgeRules) broken = NULL;
  g_autoptr (KioskConfig) config = kiosk_config_new ();
  g_autoptr (KioskBadgeRules) from_config = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (badge_cases); i++)
    if (kiosk_badge_rules_match (rules, badge_cases[i].card) != badge_cases[i].match)
      g_error ("badge case %u (%s): want %d", i, badge_cases[i].card, badge_cases[i].match);

  /* No condition: the rules admit nothing. */
  g_assert_false (kiosk_badge_rules_enabled (none));
  g_assert_false (kiosk_badge_rules_match (none, "8800012345"));
  g_assert_true (kiosk_badge_rules_match (prefix_only, "E4001122"));

  broken = kiosk_badge_rules_new (NULL, bad_range, 0, "worker", &error);
  g_assert_null (broken);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "badge_ranges"));
  g_clear_error (&error);

  g_assert_true (kiosk_config_set (config, "fitness", "badge_prefixes", "88", &error));
  g_assert_true (kiosk_config_set (config, "fitness", "badge_length", "10", &error));
  from_config = kiosk_badge_rules_new_from_config (config, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kiosk_badge_rules_get_group (from_config), ==, "worker");
  g_assert_true (kiosk_badge_rules_match (from_config, "8812345678"));
  g_assert_false (kiosk_badge_rules_match (from_config, "881234567"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/credentials/mask-name", test_mask_name);
  g_test_add_func ("/kiosk/credentials/canonical-card", test_canonical_card);
  g_test_add_func ("/kiosk/credentials/badge-rules", test_badge_rules);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/credentials/hash", test_hash);
  ADD ("/kiosk/credentials/key-file", test_key_file);
  ADD ("/kiosk/credentials/import-csv", test_import_csv);
  ADD ("/kiosk/credentials/import-csv-bad-lines", test_import_csv_bad_lines);
  ADD ("/kiosk/credentials/import-csv-bad-header", test_import_csv_bad_header);
  ADD ("/kiosk/credentials/import-json", test_import_json);
  ADD ("/kiosk/credentials/import-json-bad-lines", test_import_json_bad_lines);
  ADD ("/kiosk/credentials/apply", test_apply);
  ADD ("/kiosk/credentials/import-if-changed", test_import_if_changed);
#undef ADD
  return g_test_run ();
}
