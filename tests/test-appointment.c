/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-appointment"

#include "kiosk-appointment.h"
#include "kiosk-error.h"
#include "kiosk-test-util.h"
#include "queue-test-manifest.h"

#define ID_NUMBER "11010519491231002X"

typedef struct
{
  char *dir;
  KioskClock *clock;
  KioskStore *store;
  KioskBundle *bundle;
  KioskQueue *queue;
} Fixture;

static GTimeZone *
shanghai (void)
{
  GTimeZone *tz = g_time_zone_new_identifier ("Asia/Shanghai");
  return tz ? tz : g_time_zone_new_offset (8 * 3600);
}

static void
set_now (Fixture *f, int d, int h, int mi)
{
  g_autoptr (GTimeZone) tz = shanghai ();
  g_autoptr (GDateTime) at = g_date_time_new (tz, 2026, 11, d, h, mi, 0);
  kiosk_clock_set_now (f->clock, at);
}

/* Bookings of Monday 2026-11-23; the window is 30 minutes early, 15 late. */
static const char bookings[]
    = "{ \"appointments\": ["
      "  { \"code\": \"K7M2Q9\", \"service\": \"residence-permit\", \"slot\": \"2026-11-23T10:00:00+08:00\" "
      "},"
      "  { \"code\": \"P3X8\", \"service\": \"social-insurance\", \"slot\": \"2026-11-23T14:30:00\","
      "    \"id_number\": \"" ID_NUMBER "\" },"
      "  { \"code\": \"EARLY1\", \"service\": \"social-insurance\", \"slot\": \"2026-11-23T09:00:00+08:00\","
      "    \"id_number\": \"" ID_NUMBER "\" },"
      "  { \"code\": \"LUNCH1\", \"service\": \"residence-permit\", \"slot\": \"2026-11-23T12:30:00+08:00\" }"
      "] }";

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  const QueueTestManifest spec = { 0, 1, 999 }; /* social-insurance: one ticket a day */
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  KioskQueueSettings settings;
  guint n = 0;

  f->dir = kiosk_test_make_tmpdir ("appointment");
  db = g_build_filename (f->dir, "kiosk.db", NULL);
  {
    g_autoptr (GTimeZone) tz = shanghai ();
    g_autoptr (GDateTime) start = g_date_time_new (tz, 2026, 11, 23, 9, 0, 0);
    f->clock = kiosk_clock_new_fake ("Asia/Shanghai", start);
  }
  f->store = kiosk_store_open (db, f->clock, &error);
  g_assert_no_error (error);
  f->bundle = queue_test_bundle (f->dir, &spec);
  queue_test_settings (&settings, 0, 1);
  f->queue = kiosk_queue_new (f->store, f->bundle, &settings, &error);
  g_bytes_unref (settings.secret);
  g_assert_no_error (error);

  g_assert_true (kiosk_appointment_import_data (f->queue, bookings, -1, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->queue);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->bundle);
  g_assert_finalize_object (f->clock);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
count (KioskStore *store, const char *sql)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* A code as the kiosk stores it: keyed by the queue's secret (no card key here). */
static char *
stored_code (Fixture *f, const char *code)
{
  KioskQueueSettings settings;
  char *hash;

  queue_test_settings (&settings, 0, 1);
  hash = kiosk_appointment_code_hash (settings.secret, code);
  g_bytes_unref (settings.secret);
  return hash;
}

static KioskTicket *
check_in_ok (Fixture *f, KioskCheckIn how, const char *input)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRefusal) refusal = NULL;
  KioskTicket *t = kiosk_appointment_check_in (f->queue, how, input, &refusal, &error);

  g_assert_no_error (error);
  g_assert_null (refusal);
  g_assert_nonnull (t);
  g_assert_cmpint (t->lane, ==, KIOSK_LANE_APPOINTMENT);
  return t;
}

/* Nothing is issued and nothing changes; @next: "HH:MM" local or NULL. */
static void
check_in_refused (Fixture *f, KioskCheckIn how, const char *input, KioskRefusalReason reason, int code,
                  const char *next)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskRefusal) refusal = NULL;
  g_autoptr (KioskTicket) t = NULL;
  gint64 tickets = count (f->store, "SELECT count(*) FROM tickets");
  gint64 used = count (f->store, "SELECT count(*) FROM appointments WHERE used_us IS NOT NULL");

  t = kiosk_appointment_check_in (f->queue, how, input, &refusal, &error);
  g_assert_null (t);
  g_assert_error (error, KIOSK_ERROR, code);
  g_assert_nonnull (refusal);
  g_test_message ("%s: %s", input, error->message);
  g_assert_cmpstr (kiosk_refusal_reason_to_string (refusal->reason), ==,
                   kiosk_refusal_reason_to_string (reason));
  if (next == NULL)
    g_assert_null (refusal->next_opening);
  else
    {
      g_autofree char *got = g_date_time_format (refusal->next_opening, "%H:%M");
      g_assert_cmpstr (got, ==, next);
    }
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM tickets"), ==, tickets);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM appointments WHERE used_us IS NOT NULL"), ==, used);
}

static void
test_helpers (void)
{
  static const struct
  {
    const char *input, *code;
  } codes[] = {
    { "K7M2Q9", "K7M2Q9" }, { "k7m2-q9", "K7M2Q9" }, { " k7 m2 q9\n", "K7M2Q9" },
    { "abc", NULL },        { "K7M2Q9!", NULL },     { "", NULL },
    { "预约123", NULL },
  };
  g_autoptr (GBytes) secret = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) slot = g_date_time_new (tz, 2026, 11, 23, 10, 0, 0);
  static const struct
  {
    int h, mi;
    gboolean inside;
    KioskRefusalReason reason;
  } windows[] = {
    { 9, 29, FALSE, KIOSK_REFUSAL_APPOINTMENT_TOO_EARLY },
    { 9, 30, TRUE, 0 },
    { 10, 15, TRUE, 0 },
    { 10, 16, FALSE, KIOSK_REFUSAL_APPOINTMENT_EXPIRED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *code = kiosk_appointment_normalize_code (codes[i].input);
      g_assert_cmpstr (code, ==, codes[i].code);
    }
  {
    g_autofree char *a = kiosk_appointment_code_from_qr ("LINLI:A1:k7m2q9");
    g_autofree char *b = kiosk_appointment_code_from_qr ("K7M2Q9");
    g_autofree char *c = kiosk_appointment_code_from_qr ("LINLI:T1:whatever");
    g_assert_cmpstr (a, ==, "K7M2Q9");
    g_assert_cmpstr (b, ==, "K7M2Q9");
    g_assert_null (c);
  }
  {
    /* The documented construction, computed independently. */
    g_autofree char *hash = kiosk_appointment_id_hash (secret, ID_NUMBER);
    g_autofree char *lower = kiosk_appointment_id_hash (secret, "110105 19491231 002x");
    g_assert_cmpstr (hash, ==, "cb7f89839ed73219d44de0192aec7ce9004ed6fe2d1f35715f78b99e793c9e05");
    g_assert_cmpstr (lower, ==, hash);
    g_assert_null (kiosk_appointment_id_hash (secret, "1101051949123100"));
    g_assert_null (kiosk_appointment_id_hash (secret, "X1010519491231002X"));
  }
  {
    /* A booking code grants a ticket: stored only as a keyed hash. */
    g_autofree char *hash = kiosk_appointment_code_hash (secret, "k7m2-q9");
    g_assert_cmpstr (hash, ==, "acfde913efc21ce8d5a073ae657845184126c7f235170689137297ed4e01d6b6");
    g_assert_null (kiosk_appointment_code_hash (secret, "abc"));
  }
  {
    static const struct
    {
      const char *code, *masked;
    } masks[] = {
      { "K7M2Q9", "****Q9" }, { "P3X8", "****X8" },   { "ABC", "****" },
      { NULL, "****" },       { "预约预约", "****" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (masks); i++)
      {
        g_autofree char *masked = kiosk_appointment_mask_code (masks[i].code);
        g_assert_cmpstr (masked, ==, masks[i].masked);
      }
  }
  for (guint i = 0; i < G_N_ELEMENTS (windows); i++)
    {
      g_autoptr (GDateTime) now = g_date_time_new (tz, 2026, 11, 23, windows[i].h, windows[i].mi, 0);
      g_autoptr (GDateTime) opens = NULL;
      KioskRefusalReason reason = 99;

      g_assert_cmpint (kiosk_appointment_window (slot, now, 30, 15, &reason, &opens), ==, windows[i].inside);
      if (!windows[i].inside)
        g_assert_cmpint (reason, ==, windows[i].reason);
      g_assert_true ((opens != NULL) == (reason == KIOSK_REFUSAL_APPOINTMENT_TOO_EARLY));
    }
}

static void
test_code_window (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskTicket) t = NULL;
  g_autoptr (KioskTicket) walk_in = NULL;
  g_autoptr (GError) error = NULL;

  /* 09:00: the 10:00 booking opens at 09:30. */
  check_in_refused (f, KIOSK_CHECK_IN_CODE, "K7M2Q9", KIOSK_REFUSAL_APPOINTMENT_TOO_EARLY, KIOSK_ERROR_DENIED,
                    "09:30");
  set_now (f, 23, 9, 30);
  walk_in = kiosk_queue_issue (f->queue, "residence-permit", KIOSK_LANE_NORMAL, &error);
  g_assert_no_error (error);
  t = check_in_ok (f, KIOSK_CHECK_IN_CODE, "k7m2-q9");
  {
    g_autofree char *hash = stored_code (f, "K7M2Q9");
    g_assert_cmpstr (t->appointment_code, ==, hash);
  }
  g_assert_cmpstr (t->label, ==, "A002");
  g_assert_cmpuint (t->people_ahead, ==, 0); /* ahead of the walk-in */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM appointments WHERE ticket_uuid IS NOT NULL"), ==,
                   1);
  /* No code in the clear, neither in the bookings nor in the ticket's record. */
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM appointments WHERE code LIKE '%K7M2Q9%'"), ==, 0);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM outbox WHERE payload LIKE '%K7M2Q9%'"), ==, 0);

  /* Once only, typed or scanned. */
  check_in_refused (f, KIOSK_CHECK_IN_CODE, "K7M2Q9", KIOSK_REFUSAL_APPOINTMENT_USED, KIOSK_ERROR_DENIED,
                    NULL);
  check_in_refused (f, KIOSK_CHECK_IN_QR, "LINLI:A1:K7M2Q9", KIOSK_REFUSAL_APPOINTMENT_USED,
                    KIOSK_ERROR_DENIED, NULL);
}

static void
test_bad_codes (Fixture *f, gconstpointer data)
{
  check_in_refused (f, KIOSK_CHECK_IN_CODE, "NOPE42", KIOSK_REFUSAL_APPOINTMENT_UNKNOWN, KIOSK_ERROR_DENIED,
                    NULL);
  check_in_refused (f, KIOSK_CHECK_IN_CODE, "x", KIOSK_REFUSAL_APPOINTMENT_UNKNOWN, KIOSK_ERROR_DENIED, NULL);
  check_in_refused (f, KIOSK_CHECK_IN_CODE, NULL, KIOSK_REFUSAL_APPOINTMENT_UNKNOWN, KIOSK_ERROR_DENIED,
                    NULL);
  check_in_refused (f, KIOSK_CHECK_IN_QR, "https://example.com/?a=1", KIOSK_REFUSAL_APPOINTMENT_UNKNOWN,
                    KIOSK_ERROR_DENIED, NULL);
  check_in_refused (f, KIOSK_CHECK_IN_ID_NUMBER, "110105194912310021", KIOSK_REFUSAL_APPOINTMENT_UNKNOWN,
                    KIOSK_ERROR_DENIED, NULL);
  check_in_refused (f, KIOSK_CHECK_IN_ID_NUMBER, "not an id", KIOSK_REFUSAL_APPOINTMENT_UNKNOWN,
                    KIOSK_ERROR_DENIED, NULL);

  /* 10:16: the 10:00 booking expired a minute ago. */
  set_now (f, 23, 10, 16);
  check_in_refused (f, KIOSK_CHECK_IN_QR, "LINLI:A1:K7M2Q9", KIOSK_REFUSAL_APPOINTMENT_EXPIRED,
                    KIOSK_ERROR_DENIED, NULL);
  /* Booked for a time the hall is closed (lunch): refused by the hours, not used up. */
  set_now (f, 23, 12, 20);
  check_in_refused (f, KIOSK_CHECK_IN_CODE, "LUNCH1", KIOSK_REFUSAL_CLOSED_NOW, KIOSK_ERROR_CLOSED, "13:30");
}

static void
test_id_number (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskTicket) early = NULL;
  g_autoptr (KioskTicket) later = NULL;
  g_autoptr (KioskTicket) capped = NULL;
  g_autoptr (GError) error = NULL;

  /* Two bookings under one ID: at 09:10 the 09:00 one is open. */
  set_now (f, 23, 9, 10);
  early = check_in_ok (f, KIOSK_CHECK_IN_ID_NUMBER, ID_NUMBER);
  {
    g_autofree char *hash = stored_code (f, "EARLY1");
    g_assert_cmpstr (early->appointment_code, ==, hash);
  }
  g_assert_cmpstr (early->service_id, ==, "social-insurance");

  /* The service's cap (one a day) is now reached for walk-ins … */
  capped = kiosk_queue_issue (f->queue, "social-insurance", KIOSK_LANE_NORMAL, &error);
  g_assert_null (capped);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_CLOSED);

  /* … at 11:00 the 14:30 booking is not open yet, and that is what we say. */
  set_now (f, 23, 11, 0);
  check_in_refused (f, KIOSK_CHECK_IN_ID_NUMBER, ID_NUMBER, KIOSK_REFUSAL_APPOINTMENT_TOO_EARLY,
                    KIOSK_ERROR_DENIED, "14:00");

  /* … and the booked ticket is given despite the cap. */
  set_now (f, 23, 14, 20);
  later = check_in_ok (f, KIOSK_CHECK_IN_ID_NUMBER, "110105 19491231 002x");
  {
    g_autofree char *hash = stored_code (f, "P3X8");
    g_assert_cmpstr (later->appointment_code, ==, hash);
  }

  set_now (f, 23, 14, 25);
  check_in_refused (f, KIOSK_CHECK_IN_ID_NUMBER, ID_NUMBER, KIOSK_REFUSAL_APPOINTMENT_USED,
                    KIOSK_ERROR_DENIED, NULL);
}

/* GB 11643's birth date: a number with a right check digit but born
 * tomorrow (by the kiosk's clock, 2026-11-23) or in month 13 is no one's,
 * whether it comes with the bookings or at the kiosk. */
static void
test_id_birth_date (Fixture *f, gconstpointer data)
{
  KioskQueueSettings settings;
  g_autofree char *hash = NULL;
  g_autofree char *json = NULL;
  g_autoptr (GError) error = NULL;

  queue_test_settings (&settings, 0, 1); /* the fixture's secret */
  hash = kiosk_appointment_id_hash (settings.secret, "110105202611240029");
  g_bytes_unref (settings.secret);
  json = g_strdup_printf ("{\"appointments\": [ {\"code\": \"FUTURE1\", \"service\": "
                          "\"residence-permit\", \"slot\": \"2026-11-23T09:00:00\", "
                          "\"id_hash\": \"%s\"} ]}",
                          hash);

  /* A hash made elsewhere is imported (the hub cannot be second-guessed)… */
  g_assert_true (kiosk_appointment_import_data (f->queue, json, -1, NULL, &error));
  g_assert_no_error (error);
  /* … but the number is refused at the kiosk. */
  check_in_refused (f, KIOSK_CHECK_IN_ID_NUMBER, "110105202611240029", KIOSK_REFUSAL_APPOINTMENT_UNKNOWN,
                    KIOSK_ERROR_DENIED, NULL);
  {
    /* Codes are stored as their keyed hash. */
    g_autofree char *code = stored_code (f, "FUTURE1");
    g_autofree char *sql = g_strdup_printf (
        "SELECT count(*) FROM appointments WHERE code = '%s' AND ticket_uuid IS NULL", code);
    g_assert_cmpint (count (f->store, sql), ==, 1);
  }

  g_assert_false (kiosk_appointment_import_data (
      f->queue,
      "{\"appointments\": [ {\"code\": \"MONTH13\", \"service\": \"residence-permit\", \"slot\": "
      "\"2026-11-23T10:00:00\", \"id_number\": \"110105199013010026\"} ]}",
      -1, NULL, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "appointments[0] (****13): \"id_number\" is not a valid resident "
                                            "ID number: 身份证号出生日期无效"));
}

static void
test_import_errors (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *json;
    const char *message;
  } cases[] = {
    { "not json", "appointments:" },
    { "{\"bookings\": []}", "\"appointments\"" },
    { "{\"appointments\": [ {\"code\": \"NEW1\", \"service\": \"residence-permit\", \"slot\": "
      "\"2026-11-24T10:00:00\"}, {\"code\": \"NEW2\", \"service\": \"tax\", \"slot\": "
      "\"2026-11-24T10:00:00\"} ]}",
      "appointments[1] (****W2): service \"tax\" does not exist" },
    { "{\"appointments\": [ {\"code\": \"NEW1\", \"service\": \"residence-permit\", \"slot\": \"tomorrow\"} "
      "]}",
      "appointments[0] (****W1): \"slot\"" },
    { "{\"appointments\": [ {\"code\": \"!!\", \"service\": \"residence-permit\", \"slot\": "
      "\"2026-11-24T10:00:00\"} ]}",
      "appointments[0] (?): \"code\"" },
    { "{\"appointments\": [ {\"code\": \"NEW1\", \"service\": \"residence-permit\", \"slot\": "
      "\"2026-11-24T10:00:00\"}, {\"code\": \"new-1\", \"service\": \"residence-permit\", \"slot\": "
      "\"2026-11-24T11:00:00\"} ]}",
      "appointments[1] (****W1): the code appears twice" },
    { "{\"appointments\": [ {\"code\": \"NEW1\", \"service\": \"residence-permit\", \"slot\": "
      "\"2026-11-24T10:00:00\", \"id_number\": \"12345\"} ]}",
      "\"id_number\" is not" },
    { "{\"appointments\": [ {\"code\": \"NEW1\", \"service\": \"residence-permit\", \"slot\": "
      "\"2026-11-24T10:00:00\", \"id_hash\": \"ABC\"} ]}",
      "\"id_hash\" must be" },
  };
  gint64 before = count (f->store, "SELECT count(*) FROM appointments");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (kiosk_appointment_import_data (f->queue, cases[i].json, -1, NULL, &error));
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      /* All or nothing: NEW1 before the bad item is not kept. */
      g_assert_cmpint (count (f->store, "SELECT count(*) FROM appointments"), ==, before);
    }
}

static void
test_import_file_keeps_used (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "bookings.json", NULL);
  g_autoptr (KioskTicket) t = NULL;
  g_autoptr (GError) error = NULL;
  guint n = 0;

  set_now (f, 23, 9, 45);
  t = check_in_ok (f, KIOSK_CHECK_IN_CODE, "K7M2Q9");

  /* The same file again (a re-sync): the used booking stays used. */
  g_assert_true (g_file_set_contents (path, bookings, -1, NULL));
  g_assert_true (kiosk_appointment_import_file (f->queue, path, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (count (f->store, "SELECT count(*) FROM appointments"), ==, 4);
  check_in_refused (f, KIOSK_CHECK_IN_CODE, "K7M2Q9", KIOSK_REFUSAL_APPOINTMENT_USED, KIOSK_ERROR_DENIED,
                    NULL);

  g_assert_false (kiosk_appointment_import_file (f->queue, "/nonexistent/bookings.json", &n, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

/* 100,000 levels (a stack overflow before) or a key twice: refused, and the
 * bookings already imported stay. */
static void
test_hostile_import (Fixture *f, gconstpointer data)
{
  g_autofree char *deep = kiosk_test_deep_json (100000, FALSE);
  g_autofree char *in_list = g_strdup_printf ("{\"appointments\": %s}", deep);
  g_autofree char *in_slot = g_strdup_printf (
      "{\"appointments\": [{\"code\": \"NEW1\", \"service\": \"residence-permit\", \"slot\": %s}]}", deep);
  const struct
  {
    const char *json;
    const char *says;
  } cases[] = {
    { deep, "nested deeper than 32 levels" },
    { in_list, "nested deeper than 32 levels" },
    { in_slot, "nested deeper than 32 levels" },
    { "{\"appointments\": [{\"code\": \"NEW1\", \"code\": \"NEW2\", \"service\": \"residence-permit\","
      " \"slot\": \"2026-11-24T10:00:00\"}]}",
      "key \"code\" appears twice" },
  };
  gint64 before = count (f->store, "SELECT count(*) FROM appointments");

  g_assert_cmpint (before, ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (kiosk_appointment_import_data (f->queue, cases[i].json, -1, NULL, &error));
      g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, "appointments: "));
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_assert_cmpint (count (f->store, "SELECT count(*) FROM appointments"), ==, before);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/appointment/helpers", test_helpers);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/appointment/code-window", test_code_window);
  ADD ("/kiosk/appointment/bad-codes", test_bad_codes);
  ADD ("/kiosk/appointment/id-number", test_id_number);
  ADD ("/kiosk/appointment/id-birth-date", test_id_birth_date);
  ADD ("/kiosk/appointment/import-errors", test_import_errors);
  ADD ("/kiosk/appointment/import-file-keeps-used", test_import_file_keeps_used);
  ADD ("/kiosk/appointment/hostile-import", test_hostile_import);
#undef ADD
  return g_test_run ();
}
