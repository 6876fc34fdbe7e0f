/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hub-appointments-csv"

#include "hub-appointments.h"
#include "kiosk-appointment.h"
#include "kiosk-error.h"

#define ID_NUMBER "11010519491231002X"
#define HEADER "code,service,slot,id_number,status\n"

static GBytes *
test_key (void)
{
  return g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
}

/* Parses @csv; NULL on failure with @problems filled. */
static GPtrArray *
parse (const char *csv, gssize length, GPtrArray *problems, GError **error)
{
  g_autoptr (GBytes) key = test_key ();
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");

  return hub_appointments_parse_csv (csv, length < 0 ? strlen (csv) : (gsize)length, key, tz, problems,
                                     error);
}

static void
test_good (void)
{
  /* Columns in any order, a BOM, CRLF, a comment, a blank line, quotes with a
   * comma and a doubled quote in a field nobody reads, dashes in a code. */
  static const char csv[] = "\xef\xbb\xbf"
                            "Slot,CODE,service,id_number,status\r\n"
                            "# the morning\r\n"
                            "2026-11-23 10:00,K7M2-Q9,residence-permit," ID_NUMBER ",\r\n"
                            "\r\n"
                            "\"2026-11-23T14:30:00+08:00\",\"p3x8\",social-insurance,,booked\r\n"
                            "2026-11-24T09:00:00,LATE99,\"social-insurance\",\"\",cancelled";
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = parse (csv, -1, problems, &error);
  g_autoptr (GBytes) key = test_key ();
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr (GDateTime) ten = g_date_time_new (tz, 2026, 11, 23, 10, 0, 0);
  const HubAppointment *a, *b, *c;

  g_assert_no_error (error);
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, 3);
  a = rows->pdata[0];
  b = rows->pdata[1];
  c = rows->pdata[2];

  {
    g_autofree char *hash = kiosk_appointment_code_hash (key, "K7M2Q9");
    g_autofree char *id_hash = kiosk_appointment_id_hash (key, ID_NUMBER);
    g_assert_cmpstr (a->code_hash, ==, hash);
    g_assert_cmpstr (a->id_hash, ==, id_hash);
  }
  g_assert_cmpuint (a->line, ==, 3);
  g_assert_cmpstr (a->code_hint, ==, "****Q9");
  g_assert_cmpstr (a->id_hint, ==, "****002X");
  g_assert_cmpstr (a->service, ==, "residence-permit");
  g_assert_cmpint (a->slot_us, ==, g_date_time_to_unix (ten) * G_USEC_PER_SEC);
  g_assert_false (a->cancelled);

  g_assert_cmpuint (b->line, ==, 5);
  g_assert_cmpstr (b->code_hint, ==, "****X8");
  g_assert_null (b->id_hash);
  g_assert_cmpint (b->slot_us, ==, (g_date_time_to_unix (ten) + 4 * 3600 + 1800) * G_USEC_PER_SEC);

  g_assert_cmpuint (c->line, ==, 6);
  g_assert_true (c->cancelled);
  g_assert_cmpuint (problems->len, ==, 0);
}

/* A quoted field may hold a line break; lines are counted through it. */
static void
test_quoted_newline (void)
{
  static const char csv[] = "code,service,slot,status\n"
                            "AAAA11,residence-permit,2026-11-23 10:00,\"booked\"\n"
                            "\"BBBB\n22\",residence-permit,2026-11-23 10:00,\n"
                            "CCCC33,residence-permit,2026-11-23 10:00,\"book\"\"ed\"\n";
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = parse (csv, -1, problems, &error);

  g_assert_null (rows);
  /* "BBBB\n22" normalises to a code (line breaks are dropped like spaces):
   * only the status with a quote in it is wrong, on line 5. */
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (problems->pdata[0], ==, "line 5: status must be booked, cancelled or empty");
}

static void
test_bad_rows (void)
{
  static const struct
  {
    const char *csv;
    const char *problems[4]; /* exactly these, in order */
  } cases[] = {
    { "", { "line 1: no header line (code,service,slot,id_number,status)" } },
    { "# only a comment\n\n", { "line 1: no header line (code,service,slot,id_number,status)" } },
    { "code,service,when\nAAAA11,x,y\n",
      { "line 1: unknown column \"when\" (the columns are code, service, slot, id_number, status)",
        "line 1: the header has no \"slot\" column" } },
    { "code,service,slot,code\n", { "line 1: the column \"code\" appears twice" } },
    { HEADER "AAAA11,residence-permit,2026-11-23 10:00\n", { "line 2: 3 fields, the header has 5" } },
    { HEADER "AB,residence-permit,2026-11-23 10:00,,\n"
             "AAAA11,residence permit,2026-11-23 10:00,,\n"
             "AAAA22,residence-permit,tomorrow,,\n"
             "AAAA33,residence-permit,2026-11-23 10:00,110105194912310021,\n",
      { "line 2: code must be 4 to 32 letters and digits",
        "line 3: service must be a service id of the content (letters, digits, '-', '_', '.')",
        "line 4: slot \"tomorrow\" is not a time like 2026-11-23 10:00 or 2026-11-23T10:00:00+08:00",
        "line 5: id_number is not a resident ID number (18 characters, check digit, birth date)" } },
    { HEADER "AAAA11,residence-permit,2026-11-23 10:00,,\n"
             "aaaa-11,residence-permit,2026-11-23 11:00,,\n",
      { "line 3: the same code as line 2" } },
    /* The check character is right, but the holder is born in 2099. */
    { HEADER "AAAA11,residence-permit,2026-11-23 10:00,110105209912310010,\n",
      { "line 2: id_number is not a resident ID number (18 characters, check digit, birth date)" } },
    { HEADER "AAAA11,residence-permit,2026-11-23 10:00,,maybe\n",
      { "line 2: status must be booked, cancelled or empty" } },
    { HEADER "AA\"AA11,residence-permit,2026-11-23 10:00,,\n"
             "\"AAAA22\"x,residence-permit,2026-11-23 10:00,,\n"
             "AAAA33,residence-permit,2026-11-23 10:00,,\n"
             "\"AAAA44,residence-permit,2026-11-23 10:00,,\n",
      { "line 2: a quote inside an unquoted field (put the whole field in quotes)",
        "line 3: text after a closing quote (a quote inside a field is written \"\")",
        "line 5: a quoted field is not closed" } },
    { HEADER "AAAA11,residence-permit,1999-12-31 10:00,,\n",
      { "line 2: slot \"1999-12-31 10:00\" is not a time like 2026-11-23 10:00 or "
        "2026-11-23T10:00:00+08:00" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) rows = parse (cases[i].csv, -1, problems, &error);
      guint n = 0;

      g_test_message ("case %u", i);
      g_assert_null (rows);
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      while (n < G_N_ELEMENTS (cases[i].problems) && cases[i].problems[n] != NULL)
        n++;
      for (guint k = 0; k < problems->len; k++)
        g_test_message ("  %s", (const char *)problems->pdata[k]);
      g_assert_cmpuint (problems->len, ==, n);
      for (guint k = 0; k < n; k++)
        g_assert_cmpstr (problems->pdata[k], ==, cases[i].problems[k]);
    }
}

/* A problem never shows a code or an ID number, not even a wrong one. */
static void
test_no_secrets_in_problems (void)
{
  static const char csv[] = HEADER "SECRET1,residence-permit,2026-11-23 10:00,11010519491231002Y,\n"
                                   "SECRET1,residence-permit,2026-11-23 10:00,110105194912310021,\n"
                                   "S!CRET2,residence-permit,2026-11-23 10:00,,\n";
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = parse (csv, -1, problems, &error);

  g_assert_null (rows);
  g_assert_cmpuint (problems->len, ==, 4);
  for (guint k = 0; k < problems->len; k++)
    {
      const char *p = problems->pdata[k];
      g_test_message ("%s", p);
      g_assert_null (strstr (p, "SECRET"));
      g_assert_null (strstr (p, "CRET2"));
      g_assert_null (strstr (p, "1101051949"));
    }
  g_assert_null (strstr (error->message, "SECRET"));
}

/* UTF-8 only: GBK, UTF-16 and binary are refused with a clear error on the right line. */
static void
test_encodings (void)
{
  static const struct
  {
    const char *data;
    gsize length;
    const char *problem;
  } cases[] = {
    /* "居住证" in GBK on line 3 */
    { HEADER "AAAA11,residence-permit,2026-11-23 10:00,,\n# \xbe\xd3\xd7\xa1\xd6\xa4\n", 0,
      "line 3: not UTF-8 text: save the file as \"CSV UTF-8\" (GBK and other encodings are not read)" },
    { "\xff\xfe"
      "c\0o\0d\0e\0",
      10, "line 1: the file is UTF-16: save it as \"CSV UTF-8\"" },
    { "code,service\n\0slot", 18, "line 2: a NUL byte: this is not a text file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) rows
          = parse (cases[i].data, cases[i].length ? (gssize)cases[i].length : -1, problems, &error);

      g_assert_null (rows);
      g_assert_cmpuint (problems->len, ==, 1);
      g_assert_cmpstr (problems->pdata[0], ==, cases[i].problem);
    }
}

/* The bounds: bytes before anything is parsed, rows as they are read. */
static void
test_limits (void)
{
  g_autoptr (GString) big = g_string_new (HEADER);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  for (guint i = 0; i <= HUB_APPOINTMENTS_MAX_ROWS; i++)
    g_string_append_printf (big, "C%07u,residence-permit,2026-11-23 10:00,,\n", i);
  rows = parse (big->str, (gssize)big->len, problems, &error);
  g_assert_null (rows);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (problems->pdata[0], ==, "line 100002: more than 100000 bookings: split the file");

  g_ptr_array_set_size (problems, 0);
  g_clear_error (&error);
  while (big->len <= HUB_APPOINTMENTS_MAX_BYTES)
    g_string_append (big, "# padding padding padding padding padding padding padding padding padding\n");
  rows = parse (big->str, (gssize)big->len, problems, &error);
  g_assert_null (rows);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_true (g_str_has_prefix (problems->pdata[0], "line 1: the file has "));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hub/appointments/csv/good", test_good);
  g_test_add_func ("/hub/appointments/csv/quoted-newline", test_quoted_newline);
  g_test_add_func ("/hub/appointments/csv/bad-rows", test_bad_rows);
  g_test_add_func ("/hub/appointments/csv/no-secrets-in-problems", test_no_secrets_in_problems);
  g_test_add_func ("/hub/appointments/csv/encodings", test_encodings);
  g_test_add_func ("/hub/appointments/csv/limits", test_limits);
  return g_test_run ();
}
