/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ticket"

#include <json-glib/json-glib.h>

#include "kiosk-error.h"
#include "kiosk-ticket.h"

#define TEST_UUID "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"

static GBytes *
test_secret (void)
{
  return g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
}

static void
test_label (void)
{
  static const struct
  {
    char prefix;
    int number, last;
    const char *label;
  } cases[] = {
    { 'A', 23, 999, "A023" }, { 'A', 1, 999, "A001" },    { 'B', 999, 999, "B999" },
    { 'C', 7, 99, "C007" },   { 'D', 42, 9999, "D0042" }, { 'E', 1000, 1500, "E1000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = kiosk_ticket_format_label (cases[i].prefix, cases[i].number, cases[i].last);
      g_assert_cmpstr (label, ==, cases[i].label);
    }
}

static void
test_public_code (void)
{
  g_autoptr (GBytes) secret = test_secret ();
  g_autoptr (GBytes) other = g_bytes_new_static ("another kiosk's key, 32 bytes...", 32);
  g_autofree char *code = kiosk_ticket_public_code (secret, TEST_UUID);
  g_autofree char *other_code = kiosk_ticket_public_code (other, TEST_UUID);
  g_autofree char *tampered = g_strdup (code);

  /* The documented construction, computed independently:
   * base32 (HMAC-SHA256 (key, "linli-ticket-v1:" ‖ uuid)[0..10)). */
  g_assert_cmpstr (code, ==, "J32XRRAJ4MKBX6TL");
  g_assert_cmpstr (other_code, !=, code);

  g_assert_true (kiosk_ticket_verify_code (secret, TEST_UUID, code));
  g_assert_false (kiosk_ticket_verify_code (other, TEST_UUID, code));
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  g_assert_false (kiosk_ticket_verify_code (secret, TEST_UUID, tampered));
  g_assert_false (kiosk_ticket_verify_code (secret, TEST_UUID, "J32XRRAJ4MKBX6T"));
  g_assert_false (kiosk_ticket_verify_code (secret, "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6c", code));
  g_assert_false (kiosk_ticket_verify_code (secret, "not a uuid", code));
  g_assert_false (kiosk_ticket_verify_code (secret, TEST_UUID, NULL));
}

static KioskTicket *
sample_ticket (void)
{
  g_autoptr (GBytes) secret = test_secret ();
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  KioskTicket *t = g_new0 (KioskTicket, 1);

  t->uuid = g_strdup (TEST_UUID);
  t->hall_id = g_strdup ("hall-1");
  t->kiosk_id = g_strdup ("kiosk-2");
  t->queue_id = g_strdup ("A");
  t->service_id = g_strdup ("residence-permit");
  t->service_day = g_strdup ("2026-11-23");
  t->kiosk_index = 1;
  t->kiosks_in_hall = 2;
  t->seq = 11;
  t->number = 24;
  t->label = g_strdup ("A024");
  t->lane = KIOSK_LANE_ELDERLY;
  t->issued = g_date_time_new (tz, 2026, 11, 23, 9, 15, 0);
  t->people_ahead = 4;
  t->wait_low = 10;
  t->wait_high = 25;
  t->public_code = kiosk_ticket_public_code (secret, t->uuid);
  return t;
}

static void
test_qr_payload (void)
{
  g_autoptr (KioskTicket) t = sample_ticket ();
  g_autofree char *payload = kiosk_ticket_get_qr_payload (t);
  g_autofree char *uuid = NULL;
  g_autofree char *code = NULL;
  g_autoptr (GBytes) secret = test_secret ();

  g_assert_cmpstr (payload, ==, "LINLI:T1:" TEST_UUID ":J32XRRAJ4MKBX6TL");
  g_assert_true (kiosk_ticket_parse_qr_payload (payload, &uuid, &code));
  g_assert_cmpstr (uuid, ==, TEST_UUID);
  g_assert_true (kiosk_ticket_verify_code (secret, uuid, code));

  g_assert_false (kiosk_ticket_parse_qr_payload ("LINLI:A1:K7M2Q9", &uuid, &code));
  g_assert_false (kiosk_ticket_parse_qr_payload ("LINLI:T1:nope:ABC", &uuid, &code));
  g_assert_false (kiosk_ticket_parse_qr_payload ("LINLI:T1:" TEST_UUID, &uuid, &code));
  g_assert_false (kiosk_ticket_parse_qr_payload (NULL, &uuid, &code));
}

static void
test_json_and_copy (void)
{
  g_autoptr (KioskTicket) t = sample_ticket ();
  g_autoptr (KioskTicket) copy = kiosk_ticket_copy (t);
  g_autofree char *json = kiosk_ticket_to_json (copy);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *obj;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  obj = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (obj, "uuid"), ==, TEST_UUID);
  g_assert_cmpstr (json_object_get_string_member (obj, "label"), ==, "A024");
  g_assert_cmpstr (json_object_get_string_member (obj, "lane"), ==, "elderly");
  g_assert_cmpstr (json_object_get_string_member (obj, "issued"), ==, "2026-11-23T09:15:00+08:00");
  g_assert_cmpint (json_object_get_int_member (obj, "issued_us"), ==, G_GINT64_CONSTANT (1795396500000000));
  g_assert_cmpint (json_object_get_int_member (obj, "people_ahead"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (obj, "wait_high_minutes"), ==, 25);
  g_assert_cmpint (json_object_get_int_member (obj, "kiosk_index"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (obj, "public_code"), ==, "J32XRRAJ4MKBX6TL");
  g_assert_true (json_object_get_null_member (obj, "appointment"));
  g_assert_cmpstr (copy->service_day, ==, t->service_day);
  g_assert_true (copy->issued == t->issued);
}

static void
test_format_when (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) now = g_date_time_new (tz, 2026, 11, 23, 12, 5, 0); /* a Monday */
  static const struct
  {
    int mo, d, h, mi;
    const char *zh, *en;
  } cases[] = {
    { 11, 23, 13, 30, "今天 13:30", "today 13:30" },
    { 11, 24, 8, 30, "明天 08:30", "tomorrow 08:30" },
    { 11, 25, 8, 30, "11月25日 周三 08:30", "Wed 25 Nov 08:30" },
    { 12, 6, 9, 0, "12月6日 周日 09:00", "Sun 6 Dec 09:00" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) when
          = g_date_time_new (tz, 2026, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi, 0);
      g_autofree char *zh = kiosk_format_when (when, now, "zh");
      g_autofree char *en = kiosk_format_when (when, now, "en");

      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
}

static void
test_refusal (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  g_autoptr (GDateTime) now = g_date_time_new (tz, 2026, 11, 23, 16, 50, 0);
  g_autoptr (GDateTime) next = g_date_time_new (tz, 2026, 11, 24, 8, 30, 0);
  g_autoptr (KioskRefusal) cutoff = kiosk_refusal_new (KIOSK_REFUSAL_CUTOFF, next, now);
  g_autoptr (KioskRefusal) copy = kiosk_refusal_copy (cutoff);
  g_autoptr (KioskRefusal) used = kiosk_refusal_new (KIOSK_REFUSAL_APPOINTMENT_USED, NULL, now);
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (copy->text.zh, ==, "取号已截止，下次开放：明天 08:30");
  g_assert_cmpstr (copy->text.en, ==, "Ticket issuing has closed. Next opening: tomorrow 08:30");
  g_assert_true (g_date_time_equal (copy->next_opening, next));
  g_assert_cmpstr (kiosk_refusal_reason_to_string (copy->reason), ==, "cutoff");

  kiosk_refusal_set_error (cutoff, &error);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_CLOSED);
  g_assert_cmpstr (
      error->message, ==,
      "取号已截止，下次开放：明天 08:30 / Ticket issuing has closed. Next opening: tomorrow 08:30");
  g_clear_error (&error);

  kiosk_refusal_set_error (used, &error);
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_DENIED);
  g_assert_null (used->next_opening);
  g_assert_cmpstr (used->text.zh, ==, "此预约已签到");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/ticket/label", test_label);
  g_test_add_func ("/kiosk/ticket/public-code", test_public_code);
  g_test_add_func ("/kiosk/ticket/qr-payload", test_qr_payload);
  g_test_add_func ("/kiosk/ticket/json-and-copy", test_json_and_copy);
  g_test_add_func ("/kiosk/ticket/format-when", test_format_when);
  g_test_add_func ("/kiosk/ticket/refusal", test_refusal);
  return g_test_run ();
}
