/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hub-proto"

#include "hub-cert.h"
#include "hub-proto.h"
#include "kiosk-sync-proto.h"

#define U1 "6f1c1d8a-52b3-4f0e-9d2c-1a2b3c4d5e6f"

static const HubLimits limits = { 3, 4096 };

static void
test_record_batch (void)
{
  const struct
  {
    const char *body;
    int code; /* -1: accepted */
    guint n;
  } cases[] = {
    { "{\"records\":[{\"uuid\":\"" U1 "\",\"kind\":\"ticket\",\"payload\":{\"a\":[1,2]}}]}", -1, 1 },
    { "{\"records\":[],\"extra\":1}", -1, 0 },
    { "", HUB_ERROR_INVALID_JSON, 0 },
    { "\xff\xfe", HUB_ERROR_INVALID_JSON, 0 },
    { "{", HUB_ERROR_INVALID_JSON, 0 },
    { "null", HUB_ERROR_INVALID_JSON, 0 },
    { "{}", HUB_ERROR_MISSING_FIELD, 0 },
    { "{\"records\":null}", HUB_ERROR_BAD_FIELD, 0 },
    { "{\"records\":[1]}", HUB_ERROR_BAD_FIELD, 0 },
    { "{\"records\":[{\"kind\":\"ticket\",\"payload\":{}}]}", HUB_ERROR_MISSING_FIELD, 0 },
    { "{\"records\":[{\"uuid\":7,\"kind\":\"ticket\",\"payload\":{}}]}", HUB_ERROR_BAD_FIELD, 0 },
    { "{\"records\":[{\"uuid\":\"" U1 "\",\"kind\":\"TICKET\",\"payload\":{}}]}", HUB_ERROR_BAD_FIELD, 0 },
    { "{\"records\":[{\"uuid\":\"" U1 "\",\"kind\":\"ticket\",\"payload\":null}]}", HUB_ERROR_BAD_FIELD, 0 },
    { "{\"records\":[{\"uuid\":\"" U1 "\",\"kind\":\"ticket\",\"payload\":{\"s\":\"a\\u0000b\"}}]}",
      HUB_ERROR_BAD_FIELD, 0 },
    { "{\"records\":[{\"uuid\":\"" U1 "\",\"kind\":\"ticket\",\"payload\":{\"s\":\"a\\\\u0000b\"}}]}", -1,
      1 },
    { "{\"records\":[{},{},{},{}]}", HUB_ERROR_TOO_LARGE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (HubRecordBatch) batch
          = hub_record_batch_parse (cases[i].body, strlen (cases[i].body), &limits, &error);

      g_test_message ("case %u: %s", i, error ? error->message : "ok");
      if (cases[i].code >= 0)
        {
          g_assert_null (batch);
          g_assert_error (error, HUB_ERROR, cases[i].code);
          g_assert_cmpuint (hub_error_http_status (error) / 100, ==, 4);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (batch->n_records, ==, cases[i].n);
      g_assert_cmpuint (batch->uuids->len, ==, cases[i].n);
    }
}

static void
test_too_many_bytes (void)
{
  g_autofree char *big = g_strnfill (limits.max_bytes + 1, ' ');
  g_autoptr (GError) error = NULL;

  g_assert_null (hub_record_batch_parse (big, strlen (big), &limits, &error));
  g_assert_error (error, HUB_ERROR, HUB_ERROR_TOO_LARGE);
  g_assert_cmpuint (hub_error_http_status (error), ==, 413);
}

static void
test_normalised (void)
{
  const char *body = "{\"records\":[{\"uuid\":\"6F1C1D8A-52B3-4F0E-9D2C-1A2B3C4D5E6F\",\"kind\":\"entry\","
                     "\"payload\":{\"card\":\"x\"},\"junk\":1}]}";
  g_autoptr (HubRecordBatch) batch = hub_record_batch_parse (body, strlen (body), &limits, NULL);
  g_autofree char *accepted = hub_accepted_to_json (batch->uuids);

  g_assert_cmpstr (batch->records_json, ==,
                   "[{\"uuid\":\"" U1 "\",\"kind\":\"entry\",\"payload\":{\"card\":\"x\"}}]");
  g_assert_cmpstr (accepted, ==, "{\"accepted\":[\"" U1 "\"]}");
}

static void
test_heartbeat (void)
{
  const struct
  {
    const char *body;
    int code;
    gint64 cursor;
  } cases[] = {
    { "{\"software_version\":\"1\",\"uptime_s\":3}", -1, -1 },
    { "{\"software_version\":\"1\",\"uptime_s\":3,\"member_cursor\":9,\"printer\":{\"ok\":true}}", -1, 9 },
    { "{\"uptime_s\":3}", HUB_ERROR_MISSING_FIELD, 0 },
    { "{\"software_version\":\"1\",\"uptime_s\":\"3\"}", HUB_ERROR_BAD_FIELD, 0 },
    { "{\"software_version\":\"1\",\"uptime_s\":3,\"reader\":true}", HUB_ERROR_BAD_FIELD, 0 },
    { "{\"software_version\":\"1\",\"uptime_s\":3.5}", HUB_ERROR_BAD_FIELD, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (HubHeartbeat) hb
          = hub_heartbeat_parse (cases[i].body, strlen (cases[i].body), &limits, &error);

      if (cases[i].code >= 0)
        {
          g_assert_error (error, HUB_ERROR, cases[i].code);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (hb->member_cursor, ==, cases[i].cursor);
    }
}

static void
test_cursor (void)
{
  const struct
  {
    const char *text;
    gboolean ok;
    gint64 value;
  } cases[] = {
    { NULL, TRUE, 0 },  { "0", TRUE, 0 }, { "42", TRUE, 42 }, { "9223372036854775807", TRUE, G_MAXINT64 },
    { "-1", FALSE, 0 }, { "", FALSE, 0 }, { "1x", FALSE, 0 }, { "9223372036854775808", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gint64 value = -7;
      g_autoptr (GError) error = NULL;

      g_assert_cmpint (hub_parse_cursor (cases[i].text, &value, &error), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (value, ==, cases[i].value);
      else
        g_assert_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD);
    }
}

static void
test_kiosk_id (void)
{
  const struct
  {
    const char *id;
    gboolean ok;
  } cases[] = {
    { "kiosk-1", TRUE }, { "hall.A_2", TRUE }, { "", FALSE },     { ".hidden", FALSE },
    { "a/b", FALSE },    { "a b", FALSE },     { "大厅", FALSE }, { NULL, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (hub_kiosk_id_is_valid (cases[i].id), ==, cases[i].ok);
}

/* The heartbeat's answer names the public address, or null without one. */
static void
test_heartbeat_reply (void)
{
  static const struct
  {
    const char *url;
    const char *json;
  } cases[] = {
    { "https://linli.example.cn",
      "{\"sync_now\":true,\"server_time_us\":7,\"public_url\":\"https://linli.example.cn\"}" },
    { NULL, "{\"sync_now\":true,\"server_time_us\":7,\"public_url\":null}" },
    { "", "{\"sync_now\":true,\"server_time_us\":7,\"public_url\":null}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = hub_heartbeat_reply_json (TRUE, 7, cases[i].url);
      g_autofree char *url = NULL;

      g_assert_cmpstr (json, ==, cases[i].json);
      /* What the kiosk reads back from it. */
      g_assert_true (kiosk_sync_parse_public_url (json, strlen (json), &url, NULL));
      g_assert_cmpstr (url, ==, cases[i].url != NULL ? cases[i].url : "");
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hub/proto/record-batch", test_record_batch);
  g_test_add_func ("/hub/proto/too-many-bytes", test_too_many_bytes);
  g_test_add_func ("/hub/proto/normalised-for-db", test_normalised);
  g_test_add_func ("/hub/proto/heartbeat", test_heartbeat);
  g_test_add_func ("/hub/proto/heartbeat-reply", test_heartbeat_reply);
  g_test_add_func ("/hub/proto/cursor", test_cursor);
  g_test_add_func ("/hub/proto/kiosk-id", test_kiosk_id);
  return g_test_run ();
}
