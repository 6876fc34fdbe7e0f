/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hub-api"

#include <json-glib/json-glib.h>

#include "hub-harness.h"
#include "kiosk-test-util.h"

static HubHarness *harness;

typedef struct
{
  char *kiosk_id;
  char *cert;
  char *key;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static guint counter;

  f->kiosk_id = g_strdup_printf ("api-%u", ++counter);
  hub_harness_enrol (harness, f->kiosk_id, &f->cert, &f->key);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_free (f->kiosk_id);
  g_free (f->cert);
  g_free (f->key);
}

static long
post (Fixture *f, const char *path, const char *body, char **reply)
{
  return hub_harness_request (harness, f->cert, f->key, path, body, strlen (body), reply);
}

static gint64
records_of (Fixture *f)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM records WHERE kiosk_id = '%s'", f->kiosk_id);
  return hub_harness_query_int (harness, sql);
}

/* The "error" code of a JSON error reply, asserting it also has a reason. */
static char *
error_code (const char *reply)
{
  g_autoptr (JsonNode) root = json_from_string (reply, NULL);
  JsonObject *object;

  g_assert_nonnull (root);
  object = json_node_get_object (root);
  g_assert_true (json_object_has_member (object, "reason"));
  g_assert_cmpstr (json_object_get_string_member (object, "reason"), !=, "");
  return g_strdup (json_object_get_string_member (object, "error"));
}

static void
test_records_idempotent (Fixture *f, gconstpointer data)
{
  const char *batch
      = "{\"records\":["
        "{\"uuid\":\"0f7c2d5e-1b1a-4c1e-9a57-3f1d2b4c5d6e\",\"kind\":\"ticket\",\"payload\":{\"n\":1}},"
        "{\"uuid\":\"0F7C2D5E-1B1A-4C1E-9A57-3F1D2B4C5D6F\",\"kind\":\"entry\",\"payload\":{}}]}";
  const char *overlap
      = "{\"records\":["
        "{\"uuid\":\"0f7c2d5e-1b1a-4c1e-9a57-3f1d2b4c5d6f\",\"kind\":\"entry\",\"payload\":{}},"
        "{\"uuid\":\"0f7c2d5e-1b1a-4c1e-9a57-3f1d2b4c5d70\",\"kind\":\"status\",\"payload\":{}}]}";
  g_autofree char *reply = NULL, *reply2 = NULL, *reply3 = NULL;

  g_assert_cmpint (post (f, "/v1/records", batch, &reply), ==, 200);
  g_assert_cmpstr (reply, ==,
                   "{\"accepted\":[\"0f7c2d5e-1b1a-4c1e-9a57-3f1d2b4c5d6e\","
                   "\"0f7c2d5e-1b1a-4c1e-9a57-3f1d2b4c5d6f\"]}");
  /* The same batch again (its answer was lost): named again, stored once. */
  g_assert_cmpint (post (f, "/v1/records", batch, &reply2), ==, 200);
  g_assert_cmpstr (reply2, ==, reply);
  g_assert_cmpint (records_of (f), ==, 2);
  /* Half old, half new: both named. */
  g_assert_cmpint (post (f, "/v1/records", overlap, &reply3), ==, 200);
  g_assert_nonnull (strstr (reply3, "5d6f"));
  g_assert_nonnull (strstr (reply3, "5d70"));
  g_assert_cmpint (records_of (f), ==, 3);
}

static char *
many_records (guint n)
{
  GString *s = g_string_new ("{\"records\":[");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_string_append_printf (s, "%s{\"uuid\":\"%s\",\"kind\":\"call\",\"payload\":{\"i\":%u}}", i ? "," : "",
                              uuid, i);
    }
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

static void
test_bad_requests (Fixture *f, gconstpointer data)
{
  const char *ok = "\"uuid\":\"5b0f6a1c-8d7e-4f2a-9b3c-1d2e3f4a5b6c\"";
  g_autofree char *valid_then_bad = g_strdup_printf (
      "{\"records\":[{%s,\"kind\":\"ticket\",\"payload\":{}},{\"kind\":\"ticket\",\"payload\":{}}]}", ok);
  g_autofree char *bad_kind = g_strdup_printf ("{\"records\":[{%s,\"kind\":\"coffee\",\"payload\":{}}]}", ok);
  g_autofree char *bad_payload
      = g_strdup_printf ("{\"records\":[{%s,\"kind\":\"entry\",\"payload\":[1]}]}", ok);
  g_autofree char *no_payload = g_strdup_printf ("{\"records\":[{%s,\"kind\":\"entry\"}]}", ok);
  g_autofree char *nul_payload
      = g_strdup_printf ("{\"records\":[{%s,\"kind\":\"entry\",\"payload\":{\"a\":\"\\u0000\"}}]}", ok);
  g_autofree char *too_many = many_records (1001);
  g_autofree char *too_big = g_strnfill (5 * 1024 * 1024, ' ');
  const struct
  {
    const char *path;
    const char *body;
    long status;
    const char *code;
  } cases[] = {
    { "/v1/records", "not json", 400, "invalid-json" },
    { "/v1/records", "[1,2]", 400, "invalid-json" },
    { "/v1/records", "{\"records\":{}}", 400, "bad-field" },
    { "/v1/records", "{}", 400, "missing-field" },
    { "/v1/records", valid_then_bad, 400, "missing-field" },
    { "/v1/records", "{\"records\":[{\"uuid\":\"nope\",\"kind\":\"ticket\",\"payload\":{}}]}", 400,
      "bad-field" },
    { "/v1/records", bad_kind, 400, "bad-field" },
    { "/v1/records", bad_payload, 400, "bad-field" },
    { "/v1/records", no_payload, 400, "missing-field" },
    { "/v1/records", nul_payload, 400, NULL }, /* json-glib or PostgreSQL refuses; either way 400 */
    { "/v1/records", too_many, 413, "too-large" },
    { "/v1/records", too_big, 413, "too-large" },
    { "/v1/heartbeat", "{\"uptime_s\":1}", 400, "missing-field" },
    { "/v1/heartbeat", "{\"software_version\":1,\"uptime_s\":1}", 400, "bad-field" },
    { "/v1/members?cursor=-4", NULL, 400, "bad-field" },
    { "/v1/members?cursor=abc", NULL, 400, "bad-field" },
    { "/v1/appointments?cursor=-1", NULL, 400, "bad-field" },
    { "/v1/appointments?cursor=0&limit=x", NULL, 400, "bad-field" },
    { "/v1/appointments", "{}", 413, "too-large" }, /* a GET: no body is taken (hub-guard.c) */
    { "/v1/nothing", NULL, 404, "not-found" },
    { "/v1/records", NULL, 405, "method-not-allowed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reply = NULL, *code = NULL;
      long status = hub_harness_request (harness, f->cert, f->key, cases[i].path, cases[i].body,
                                         cases[i].body ? strlen (cases[i].body) : 0, &reply);

      g_test_message ("case %u: %ld %s", i, status, reply);
      g_assert_cmpint (status, ==, cases[i].status);
      code = error_code (reply);
      if (cases[i].code != NULL)
        g_assert_cmpstr (code, ==, cases[i].code);
    }
  /* None of it reached the database, not even the valid first record. */
  g_assert_cmpint (records_of (f), ==, 0);
}

/* The attack through a running hub: bodies nested 100,000 levels
 * (which used to overflow the hub's stack and take it down for every kiosk)
 * and keys given twice get a 400, and the hub serves the next request. */
static void
test_hostile_bodies (Fixture *f, gconstpointer data)
{
  g_autofree char *arrays = kiosk_test_deep_json (100000, FALSE);
  g_autofree char *objects = kiosk_test_deep_json (100000, TRUE);
  /* 2,500 levels fit the heartbeat's 16 KiB: the depth check, not the size, refuses it. */
  g_autofree char *small = kiosk_test_deep_json (2500, TRUE);
  g_autofree char *in_payload = g_strdup_printf ("{\"records\":[{\"uuid\":\"0b5c8e1e-2f0a-4c55-8a5e-"
                                                 "0d6b1a7c9e01\",\"kind\":\"ticket\",\"payload\":%s}]}",
                                                 objects);
  g_autofree char *in_heartbeat
      = g_strdup_printf ("{\"software_version\":\"1\",\"uptime_s\":1,\"printer\":%s}", small);
  const char *twice = "{\"records\":[{\"uuid\":\"0b5c8e1e-2f0a-4c55-8a5e-0d6b1a7c9e02\",\"kind\":\"ticket\","
                      "\"payload\":{\"label\":\"A001\",\"label\":\"Z999\"}}]}";
  const struct
  {
    const char *path;
    const char *body;
    long status;
    const char *code;
  } cases[] = {
    { "/v1/records", arrays, 400, "invalid-json" },  { "/v1/records", in_payload, 400, "invalid-json" },
    { "/v1/heartbeat", objects, 413, "too-large" }, /* the heartbeat's size limit comes first */
    { "/v1/heartbeat", small, 400, "invalid-json" }, { "/v1/heartbeat", in_heartbeat, 400, "invalid-json" },
    { "/v1/records", twice, 400, "invalid-json" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *reply = NULL, *code = NULL, *next = NULL;
      g_autofree char *good = g_strdup_printf ("{\"records\":[{\"uuid\":\"0b5c8e1e-2f0a-4c55-8a5e-0d6b1a7c9f%"
                                               "02u\",\"kind\":\"ticket\",\"payload\":{}}]}",
                                               i);

      g_assert_cmpint (post (f, cases[i].path, cases[i].body, &reply), ==, cases[i].status);
      g_test_message ("case %u: %.200s", i, reply);
      code = error_code (reply);
      g_assert_cmpstr (code, ==, cases[i].code);
      /* Still up: the next kiosk request is served and stored. */
      g_assert_cmpint (post (f, "/v1/records", good, &next), ==, 200);
      g_assert_nonnull (strstr (next, "0b5c8e1e-2f0a-4c55-8a5e-0d6b1a7c9f"));
    }
  g_assert_cmpint (records_of (f), ==, G_N_ELEMENTS (cases));
}

static void
test_unknown_and_revoked (Fixture *f, gconstpointer data)
{
  g_autofree char *stray_cert = NULL, *stray_key = NULL, *reply = NULL, *code = NULL;
  g_autofree char *other_ca = NULL, *other_ca_key = NULL, *foreign_cert = NULL, *foreign_key = NULL;
  const char *batch = "{\"records\":[{\"uuid\":\"9e1d1c1b-1a19-4817-9615-141312111009\",\"kind\":\"ticket\","
                      "\"payload\":{}}]}";

  /* Signed by our CA, but never enrolled. */
  hub_harness_make_cert (harness, harness->ca_cert, harness->ca_key, "stray-kiosk", FALSE, &stray_cert,
                         &stray_key);
  g_assert_cmpint (
      hub_harness_request (harness, stray_cert, stray_key, "/v1/records", batch, strlen (batch), &reply), ==,
      403);
  code = error_code (reply);
  g_assert_cmpstr (code, ==, "unknown-kiosk");
  g_clear_pointer (&reply, g_free);
  g_clear_pointer (&code, g_free);

  /* From another CA, or none at all: the TLS handshake itself fails. */
  hub_harness_make_ca (harness, "foreign", &other_ca, &other_ca_key);
  hub_harness_make_cert (harness, other_ca, other_ca_key, f->kiosk_id, FALSE, &foreign_cert, &foreign_key);
  g_assert_cmpint (hub_harness_request (harness, foreign_cert, foreign_key, "/v1/time", NULL, 0, NULL), ==,
                   0);
  g_assert_cmpint (hub_harness_request (harness, NULL, NULL, "/v1/time", NULL, 0, NULL), ==, 0);

  /* Enrolled: fine; revoked: 403 with the reason, nothing stored. */
  g_assert_cmpint (post (f, "/v1/records", batch, NULL), ==, 200);
  hub_harness_kiosk_command (harness, "revoke", f->kiosk_id);
  g_assert_cmpint (hub_harness_request (harness, f->cert, f->key, "/v1/time", NULL, 0, &reply), ==, 403);
  code = error_code (reply);
  g_assert_cmpstr (code, ==, "revoked");
  g_assert_cmpint (records_of (f), ==, 1);
}

static void
test_time (Fixture *f, gconstpointer data)
{
  g_autofree char *reply = NULL;
  g_autoptr (JsonNode) root = NULL;
  gint64 server;

  g_assert_cmpint (hub_harness_request (harness, f->cert, f->key, "/v1/time", NULL, 0, &reply), ==, 200);
  root = json_from_string (reply, NULL);
  server = json_object_get_int_member (json_node_get_object (root), "time_us");
  g_assert_cmpint (ABS (server - g_get_real_time ()), <, 5 * G_USEC_PER_SEC);
}

static void
test_schema_tracked (Fixture *f, gconstpointer data)
{
  /* Every .sql file applied once, in order; a restart applies nothing new. */
  gint64 before = hub_harness_query_int (harness, "SELECT count (*) FROM schema_migrations");
  g_autofree char *sql_dir = g_build_filename (g_getenv ("KIOSK_SOURCE_ROOT"), "hub", "sql", NULL);
  g_autoptr (GDir) dir = g_dir_open (sql_dir, 0, NULL);
  gint64 files = 0, newest = 0;
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".sql"))
      {
        files++;
        newest = MAX (newest, g_ascii_strtoll (name, NULL, 10));
      }
  g_assert_cmpint (before, ==, files);
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT max (version) FROM schema_migrations"), ==,
                   newest);
  hub_harness_stop_hub (harness);
  hub_harness_start_hub (harness);
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM schema_migrations"), ==, before);
}

int
main (int argc, char **argv)
{
  g_autofree char *why = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      g_print ("1..0 # SKIP %s\n", why);
      return 77;
    }
  hub_harness_start_hub (harness);

  g_test_add ("/hub/api/records-idempotent", Fixture, NULL, fixture_setup, test_records_idempotent,
              fixture_teardown);
  g_test_add ("/hub/api/bad-requests-4xx-nothing-stored", Fixture, NULL, fixture_setup, test_bad_requests,
              fixture_teardown);
  g_test_add ("/hub/api/hostile-bodies-4xx-hub-serves-on", Fixture, NULL, fixture_setup, test_hostile_bodies,
              fixture_teardown);
  g_test_add ("/hub/api/unknown-foreign-revoked-refused", Fixture, NULL, fixture_setup,
              test_unknown_and_revoked, fixture_teardown);
  g_test_add ("/hub/api/time", Fixture, NULL, fixture_setup, test_time, fixture_teardown);
  g_test_add ("/hub/api/schema-tracked", Fixture, NULL, fixture_setup, test_schema_tracked, fixture_teardown);

  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
