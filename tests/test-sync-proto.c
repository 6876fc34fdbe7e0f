/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-proto"

#include <json-glib/json-glib.h>

#include "kiosk-error.h"
#include "kiosk-sync-proto.h"
#include "kiosk-sync.h"

#define U1 "6f1c1d8a-52b3-4f0e-9d2c-1a2b3c4d5e6f"
#define U2 "7a2d2e9b-63c4-4a1f-8e3d-2b3c4d5e6f70"
/* A literal and its length. */
#define LIT(s) s, strlen (s)

static void
test_accepted (void)
{
  const struct
  {
    const char *reply;
    int n; /* -1: refused */
  } cases[] = {
    { "{\"accepted\":[\"" U1 "\",\"" U2 "\"]}", 2 },
    { "{\"accepted\":[]}", 0 },
    { "{\"accepted\":[\"" U1 "\",\"" U1 "\"]}", 1 },
    { "{\"accepted\":[\"6F1C1D8A-52B3-4F0E-9D2C-1A2B3C4D5E6F\"]}", 1 },
    { "", -1 },
    { "garbage", -1 },
    { "[]", -1 },
    { "{}", -1 },
    { "{\"accepted\":{}}", -1 },
    { "{\"accepted\":[1]}", -1 },
    { "{\"accepted\":[\"not-a-uuid\"]}", -1 },
    { "{\"accepted\":[\"" U1 "\"", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GHashTable) set
          = kiosk_sync_parse_accepted (cases[i].reply, strlen (cases[i].reply), &error);

      if (cases[i].n < 0)
        {
          g_assert_null (set);
          g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (g_hash_table_size (set), ==, cases[i].n);
      if (cases[i].n > 0)
        g_assert_true (g_hash_table_contains (set, U1)); /* lower-cased */
    }
}

static void
test_members (void)
{
  const char *good
      = "{\"members\":[{\"card_hash\":\"h1\",\"kind\":\"worker\",\"name\":\"张三\",\"valid_from\":5,"
        "\"valid_until\":null,\"status\":\"active\",\"group\":\"A\",\"seq\":11},"
        "{\"card_hash\":\"h2\",\"seq\":12}],\"cursor\":12,\"more\":true}";
  const struct
  {
    const char *reply;
    gint64 after;
    gboolean ok;
  } bad[] = {
    { "{\"members\":[],\"cursor\":3}", 5, FALSE },                                 /* cursor went back */
    { "{\"members\":[{\"card_hash\":\"h\",\"seq\":4}],\"cursor\":9}", 5, FALSE },  /* seq before the cursor */
    { "{\"members\":[{\"card_hash\":\"h\",\"seq\":10}],\"cursor\":9}", 5, FALSE }, /* seq after the page */
    { "{\"members\":[{\"seq\":7}],\"cursor\":9}", 5, FALSE },                      /* no card */
    { "{\"members\":[{\"card_hash\":\"\",\"seq\":7}],\"cursor\":9}", 5, FALSE },   /* empty card */
    { "{\"members\":[1],\"cursor\":9}", 5, FALSE },
    { "{\"cursor\":9}", 5, FALSE },
    { "{\"members\":[],\"cursor\":\"9\"}", 5, FALSE },
    { "{\"members\":[],\"cursor\":5,\"more\":true}", 5, TRUE }, /* more, empty: stop */
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskSyncMemberPage) page = kiosk_sync_parse_members (good, strlen (good), 10, &error);
  KioskSyncMember *m;

  g_assert_no_error (error);
  g_assert_cmpint (page->cursor, ==, 12);
  g_assert_true (page->more);
  g_assert_cmpuint (page->members->len, ==, 2);
  m = g_ptr_array_index (page->members, 0);
  g_assert_cmpstr (m->card_hash, ==, "h1");
  g_assert_cmpstr (m->name, ==, "张三");
  g_assert_cmpstr (m->group, ==, "A");
  g_assert_cmpint (m->valid_from_us, ==, 5);
  g_assert_cmpint (m->valid_until_us, ==, 0);
  m = g_ptr_array_index (page->members, 1);
  g_assert_cmpstr (m->status, ==, "");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (KioskSyncMemberPage) p
          = kiosk_sync_parse_members (bad[i].reply, strlen (bad[i].reply), bad[i].after, &e);

      g_test_message ("members case %u", i);
      if (bad[i].ok)
        {
          g_assert_no_error (e);
          g_assert_false (p->more);
        }
      else
        {
          g_assert_null (p);
          g_assert_error (e, KIOSK_ERROR, KIOSK_ERROR_NETWORK);
        }
    }
}

/* "public_url" of a heartbeat reply: absent keeps, null forgets, a good
 * https address is taken, anything else is an error (nothing stored). */
static void
test_public_url (void)
{
  static const struct
  {
    const char *reply;
    gboolean ok;
    const char *url; /* NULL: absent */
  } cases[] = {
    { "{\"sync_now\":false}", TRUE, NULL },
    { "{\"public_url\":null}", TRUE, "" },
    { "{\"public_url\":\"https://linli.example.cn\"}", TRUE, "https://linli.example.cn" },
    { "{\"public_url\":\"http://linli.example.cn\"}", FALSE, NULL },
    { "{\"public_url\":\"https://linli.example.cn/\\u0007\"}", FALSE, NULL },
    { "{\"public_url\":\"\"}", FALSE, NULL },
    { "{\"public_url\":7}", FALSE, NULL },
    { "{\"public_url\":[\"https://linli.example.cn\"]}", FALSE, NULL },
    { "nope", FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *url = NULL;

      g_test_message ("case %u: %s", i, cases[i].reply);
      g_assert_cmpint (kiosk_sync_parse_public_url (LIT (cases[i].reply), &url, &error), ==, cases[i].ok);
      if (cases[i].ok)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (url, ==, cases[i].url);
        }
      else
        {
          g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK);
          g_assert_null (url);
        }
    }
}

static void
test_small_replies (void)
{
  g_autoptr (GError) error = NULL;
  gboolean sync_now = FALSE;
  gint64 t = 0;
  g_autofree char *reason = NULL, *none = NULL;

  g_assert_true (kiosk_sync_parse_heartbeat_reply (LIT ("{\"sync_now\":true,\"server_time_us\":7}"),
                                                   &sync_now, &t, &error));
  g_assert_true (sync_now);
  g_assert_cmpint (t, ==, 7);
  g_assert_true (kiosk_sync_parse_heartbeat_reply (LIT ("{}"), &sync_now, &t, &error));
  g_assert_false (sync_now);
  g_assert_false (kiosk_sync_parse_heartbeat_reply (LIT ("nope"), &sync_now, &t, &error));
  g_clear_error (&error);

  g_assert_true (kiosk_sync_parse_time (LIT ("{\"time_us\":1795443383905839}"), &t, &error));
  g_assert_cmpint (t, ==, 1795443383905839);
  g_assert_false (kiosk_sync_parse_time (LIT ("{\"time_us\":-1}"), &t, &error));
  g_clear_error (&error);

  reason = kiosk_sync_parse_error_reason (
      LIT ("{\"error\":\"revoked\",\"reason\":\"证书已吊销 / Certificate revoked\"}"));
  g_assert_cmpstr (reason, ==, "证书已吊销 / Certificate revoked");
  none = kiosk_sync_parse_error_reason (LIT ("<html>"));
  g_assert_null (none);
}

static void
test_backoff (void)
{
  const gint64 ms = 1000;
  const struct
  {
    guint failures;
    double random;
    gint64 expected_us;
  } cases[] = {
    { 0, 0.5, 0 },
    { 1, 0.0, 500 * ms }, /* min 1 s, equal jitter: [0.5, 1] s */
    { 1, 1.0, 1000 * ms },
    { 2, 0.0, 1000 * ms },    /* 2 s */
    { 3, 0.5, 3000 * ms },    /* 4 s: 2 + 0.5·2 */
    { 9, 1.0, 256000 * ms },  /* 256 s */
    { 10, 1.0, 300000 * ms }, /* capped at 300 s */
    { 60, 0.0, 150000 * ms }, /* no overflow however long the outage */
    { 1000, 1.0, 300000 * ms },
    { 2, 7.0, 2000 * ms }, /* a bad random number is clamped */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (kiosk_sync_backoff_delay (cases[i].failures, 1000 * ms, 300000 * ms, cases[i].random),
                     ==, cases[i].expected_us);
}

static void
test_records_body (void)
{
  g_autoptr (GString) body = g_string_new (NULL);
  g_autoptr (JsonNode) root = NULL;
  JsonArray *records;

  kiosk_sync_records_begin (body);
  kiosk_sync_records_add (body, U1, "ticket", "{\"label\":\"A001\",\"wait\":[5,15]}");
  kiosk_sync_records_add (body, U2, "status", "{}");
  kiosk_sync_records_end (body);

  root = json_from_string (body->str, NULL);
  g_assert_nonnull (root);
  records = json_object_get_array_member (json_node_get_object (root), "records");
  g_assert_cmpuint (json_array_get_length (records), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (records, 0), "uuid"), ==,
                   U1);
  g_assert_cmpstr (
      json_object_get_string_member (
          json_object_get_object_member (json_array_get_object_element (records, 0), "payload"), "label"),
      ==, "A001");
}

static void
test_sendable (void)
{
  const struct
  {
    const char *uuid;
    const char *payload;
    gboolean ok;
  } cases[] = {
    { U1, "{}", TRUE },        { U1, "  {\"a\":1}", TRUE },    { U1, "[1]", FALSE },
    { U1, "\"text\"", FALSE }, { "x\"injected", "{}", FALSE }, { NULL, "{}", FALSE },
    { U1, NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_cmpint (kiosk_sync_row_is_sendable (cases[i].uuid, cases[i].payload, &error), ==, cases[i].ok);
      if (!cases[i].ok)
        g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
    }
}

#define CALL_UUID "0B5C4F56-5B1E-4E0E-9A39-3F3C1B0D0A01"
#define CALL(id, action, extra)                                                                              \
  "{\"id\":" #id ",\"action\":\"" action "\",\"uuid\":\"" CALL_UUID "\",\"label\":\"A023\","                 \
  "\"at_us\":1700000000000000" extra "}"

static void
test_calls (void)
{
  const char *good = "{\"calls\":[" CALL (
      11, "next",
      ",\"mine\":true,\"desk\":\"3\",\"desk_zh\":\"3号窗口\","
      "\"desk_en\":\"Counter 3\",\"to_service\":null") "," CALL (12, "transfer",
                                                                 ",\"to_service\":\"pension\"") "," CALL (14,
                                                                                                          "da"
                                                                                                          "nc"
                                                                                                          "e",
                                                                                                          "") "],\"cursor\":20,\"more\":true}";
  const struct
  {
    const char *reply;
    gint64 after;
    gboolean ok;
  } cases[] = {
    { "", 5, FALSE },
    { "not json", 5, FALSE },
    { "[]", 5, FALSE },
    { "{\"calls\":[],\"cursor\":3}", 5, FALSE },                          /* cursor went back */
    { "{\"calls\":[" CALL (4, "next", "") "],\"cursor\":9}", 5, FALSE },  /* id before the cursor */
    { "{\"calls\":[" CALL (10, "next", "") "],\"cursor\":9}", 5, FALSE }, /* id after the page */
    { "{\"calls\":[" CALL (8, "next", "") "," CALL (7, "next", "") "],\"cursor\":9}", 5, FALSE }, /* order */
    { "{\"calls\":[" CALL (8, "next", "") "," CALL (8, "next", "") "],\"cursor\":9}", 5, FALSE }, /* twice */
    { "{\"calls\":[{\"id\":7,\"action\":\"next\",\"label\":\"A1\",\"at_us\":1}],\"cursor\":9}", 5, FALSE },
    { "{\"calls\":[{\"id\":7,\"action\":\"next\",\"uuid\":\"x\",\"label\":\"A1\",\"at_us\":1}],\"cursor\":9}",
      5, FALSE }, /* not a uuid */
    { "{\"calls\":[{\"id\":7,\"action\":\"next\",\"uuid\":\"" CALL_UUID "\",\"label\":\"\",\"at_us\":1}],"
      "\"cursor\":9}",
      5, FALSE }, /* empty label */
    { "{\"calls\":[{\"id\":7,\"action\":\"next\",\"uuid\":\"" CALL_UUID "\",\"label\":\"A1\"}],\"cursor\":9}",
      5, FALSE }, /* no time */
    { "{\"calls\":[{\"id\":\"7\",\"action\":\"next\",\"uuid\":\"" CALL_UUID
      "\",\"label\":\"A1\",\"at_us\":1}],"
      "\"cursor\":9}",
      5, FALSE },                                                            /* id as a string */
    { "{\"calls\":[" CALL (7, "transfer", "") "],\"cursor\":9}", 5, FALSE }, /* transfer to nowhere */
    { "{\"calls\":[1],\"cursor\":9}", 5, FALSE },
    { "{\"calls\":{},\"cursor\":9}", 5, FALSE },
    { "{\"cursor\":9}", 5, FALSE },
    { "{\"calls\":[],\"cursor\":\"9\"}", 5, FALSE },
    { "{\"calls\":[],\"cursor\":9}", 5, TRUE },               /* nothing for this hall: skip ahead */
    { "{\"calls\":[],\"cursor\":5,\"more\":true}", 5, TRUE }, /* more, empty: stop */
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (KioskSyncCallPage) page = kiosk_sync_parse_calls (good, strlen (good), 10, &error);
  KioskSyncCall *c;

  g_assert_no_error (error);
  g_assert_cmpint (page->cursor, ==, 20);
  g_assert_true (page->more);
  g_assert_cmpuint (page->calls->len, ==, 3);
  c = g_ptr_array_index (page->calls, 0);
  g_assert_cmpint (c->id, ==, 11);
  g_assert_cmpint (c->action, ==, KIOSK_SYNC_CALL_CALLED);
  g_assert_cmpstr (c->uuid, ==, "0b5c4f56-5b1e-4e0e-9a39-3f3c1b0d0a01"); /* lower-cased */
  g_assert_true (c->mine);
  g_assert_cmpstr (c->label, ==, "A023");
  g_assert_cmpstr (c->desk_zh, ==, "3号窗口");
  g_assert_cmpstr (c->desk_en, ==, "Counter 3");
  g_assert_null (c->to_service);
  g_assert_cmpint (c->at_us, ==, G_GINT64_CONSTANT (1700000000000000));
  c = g_ptr_array_index (page->calls, 1);
  g_assert_cmpint (c->action, ==, KIOSK_SYNC_CALL_TRANSFERRED);
  g_assert_false (c->mine);
  g_assert_cmpstr (c->to_service, ==, "pension");
  g_assert_cmpstr (c->desk_zh, ==, "");
  c = g_ptr_array_index (page->calls, 2);
  g_assert_cmpint (c->action, ==, KIOSK_SYNC_CALL_UNKNOWN); /* kept, to be skipped */
  g_assert_cmpstr (c->action_name, ==, "dance");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) e = NULL;
      g_autoptr (KioskSyncCallPage) p
          = kiosk_sync_parse_calls (cases[i].reply, strlen (cases[i].reply), cases[i].after, &e);

      g_test_message ("calls case %u: %s", i, cases[i].reply);
      if (cases[i].ok)
        {
          g_assert_no_error (e);
          g_assert_false (p->more);
          g_assert_cmpuint (p->calls->len, ==, 0);
        }
      else
        {
          g_assert_null (p);
          g_assert_error (e, KIOSK_ERROR, KIOSK_ERROR_NETWORK);
        }
    }
}

static void
test_heartbeat_json (void)
{
  g_autofree char *json = kiosk_sync_heartbeat_json (
      "0.1.0", NULL, 60, -1, "{\"ok\":false,\"detail\":\"纸张用完\"}", "not json", 0, 42);
  g_autoptr (JsonNode) root = json_from_string (json, NULL);
  JsonObject *o = json_node_get_object (root);

  g_assert_cmpstr (json_object_get_string_member (o, "software_version"), ==, "0.1.0");
  g_assert_cmpint (json_object_get_int_member (o, "uptime_s"), ==, 60);
  g_assert_cmpint (json_object_get_int_member (o, "member_cursor"), ==, 42);
  g_assert_false (json_object_has_member (o, "rss_kb"));
  g_assert_false (json_object_has_member (o, "content_release"));
  g_assert_false (json_object_has_member (o, "reader")); /* not an object: left out */
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (o, "printer"), "ok"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/sync/parse-accepted", test_accepted);
  g_test_add_func ("/kiosk/sync/parse-members", test_members);
  g_test_add_func ("/kiosk/sync/parse-calls", test_calls);
  g_test_add_func ("/kiosk/sync/parse-small-replies", test_small_replies);
  g_test_add_func ("/kiosk/sync/parse-public-url", test_public_url);
  g_test_add_func ("/kiosk/sync/backoff-exponential-jitter-cap", test_backoff);
  g_test_add_func ("/kiosk/sync/records-body-is-json", test_records_body);
  g_test_add_func ("/kiosk/sync/row-sendable", test_sendable);
  g_test_add_func ("/kiosk/sync/heartbeat-json", test_heartbeat_json);
  return g_test_run ();
}
