/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-calling"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "hub-harness.h"
#include "kiosk-bundle.h"
#include "kiosk-test-util.h"
#include "kiosk-clock.h"
#include "kiosk-sync-proto.h"
#include "kiosk-ticket.h"

/* Counter calling against the real hub and PostgreSQL: tickets uploaded by a
 * kiosk over mutual TLS, staff actions over the plain-HTTP pages listener. */

static HubHarness *harness;

typedef struct
{
  char *kiosk_id;
  char *cert;
  char *key;
  char *desk;    /* a counter serving service */
  char *service; /* unique to the test, so tests do not share a line */
  char *day;
  const char *hall; /* of the tickets issue() uploads */
  GBytes *secret;
  SoupSession *session;
  gint64 issued_us;
} Fixture;

static void exec_printf (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
exec_printf (const char *format, ...)
{
  va_list args;
  g_autofree char *sql = NULL;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  hub_harness_exec (harness, sql);
}

static void
add_desk (const char *id, const char *name_zh, const char *name_en, const char *service)
{
  exec_printf ("INSERT INTO counters (id, name_zh, name_en, services) VALUES ('%s', '%s', '%s', ARRAY['%s'])",
               id, name_zh, name_en, service);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  static guint counter;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  guint n = ++counter;

  f->kiosk_id = g_strdup_printf ("call-%u", n);
  f->desk = g_strdup_printf ("d%u", n);
  f->service = g_strdup_printf ("svc-%u", n);
  f->day = g_date_time_format (now, "%Y-%m-%d");
  f->hall = "hall-1";
  f->secret = g_bytes_new_static ("0123456789abcdef0123456789abcdef", 32);
  f->session = soup_session_new ();
  f->issued_us = g_get_real_time () - (gint64)3600 * G_USEC_PER_SEC;
  hub_harness_enrol (harness, f->kiosk_id, &f->cert, &f->key);
  {
    g_autofree char *zh = g_strdup_printf ("%u号窗口", n), *en = g_strdup_printf ("Counter %u", n);
    add_desk (f->desk, zh, en, f->service);
  }
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_free (f->kiosk_id);
  g_free (f->cert);
  g_free (f->key);
  g_free (f->desk);
  g_free (f->service);
  g_free (f->day);
  g_bytes_unref (f->secret);
  g_assert_finalize_object (f->session);
}

/* Uploads a ticket as a kiosk does; returns its public code. */
static char *
issue (Fixture *f, const char *label, KioskLane lane, const char *service)
{
  KioskTicket t = { 0 };
  g_autofree char *uuid = g_uuid_string_random (), *json = NULL, *body = NULL, *reply = NULL;
  g_autofree char *zh = g_strdup_printf ("业务 %s", service), *en = g_strdup_printf ("Service %s", service);
  const KioskText name = { zh, en };

  f->issued_us += G_USEC_PER_SEC;
  t.uuid = uuid;
  t.hall_id = (char *)f->hall;
  t.kiosk_id = f->kiosk_id;
  /* A line of numbers per test, as people ahead count the whole queue. */
  t.queue_id = (char *)service;
  t.service_id = (char *)service;
  t.service_day = f->day;
  t.kiosks_in_hall = 1;
  t.number = atoi (label + 1);
  t.label = (char *)label;
  t.lane = lane;
  t.issued = g_date_time_new_from_unix_local (f->issued_us / G_USEC_PER_SEC);
  t.people_ahead = 4;
  t.wait_low = 8;
  t.wait_high = 16;
  t.public_code = kiosk_ticket_public_code (f->secret, uuid);
  json = kiosk_ticket_to_json_with_service (&t, &name);
  body = g_strdup_printf ("{\"records\":[{\"uuid\":\"%s\",\"kind\":\"ticket\",\"payload\":%s}]}", uuid, json);
  g_assert_cmpint (hub_harness_request (harness, f->cert, f->key, "/v1/records", body, strlen (body), &reply),
                   ==, 200);
  g_date_time_unref (t.issued);
  return t.public_code;
}

/* One request to the pages listener; the status, the body in *@reply. */
static guint
web (Fixture *f, const char *method, const char *path, const char *token, const char *body,
     JsonObject **reply)
{
  g_autofree char *url = g_strconcat (harness->web_url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  if (reply != NULL)
    *reply = json_object_ref (json_node_get_object (root));
  return soup_message_get_status (msg);
}

/* A staff action that must succeed; the label it called (NULL: none). */
static char *
act (Fixture *f, const char *desk, const char *action, const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/counter/%s/%s", desk, action);
  g_autoptr (JsonObject) event = NULL;

  g_assert_cmpuint (web (f, "POST", path, HUB_HARNESS_STAFF_TOKEN, body, &event), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (event, "desk"), ==, desk);
  return g_strdup (json_object_get_string_member (event, "label"));
}

static gint64
audit_count (Fixture *f, const char *action)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT count (*) FROM counter_actions WHERE desk_id = '%s' AND action = '%s'", f->desk, action);
  return hub_harness_query_int (harness, sql);
}

static void
test_next_priority_order (Fixture *f, gconstpointer data)
{
  static const struct
  {
    const char *label;
    KioskLane lane;
  } tickets[] = {
    { "A001", KIOSK_LANE_NORMAL },   { "A002", KIOSK_LANE_ELDERLY },  { "A003", KIOSK_LANE_NORMAL },
    { "A004", KIOSK_LANE_PREGNANT }, { "A005", KIOSK_LANE_DISABLED }, { "A006", KIOSK_LANE_NORMAL },
  };
  /* max_priority_run 2: two priority tickets, then a normal one. */
  static const char *const expected[] = { "A002", "A004", "A001", "A005", "A003", "A006" };
  g_autofree char *other = g_strdup_printf ("%s-other", f->service);

  for (guint i = 0; i < G_N_ELEMENTS (tickets); i++)
    g_free (issue (f, tickets[i].label, tickets[i].lane, f->service));
  /* Another service's ticket is not this desk's to call. */
  g_free (issue (f, "B001", KIOSK_LANE_ELDERLY, other));

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *label = act (f, f->desk, "next", NULL);
      g_assert_cmpstr (label, ==, expected[i]);
    }
  {
    g_autofree char *none = act (f, f->desk, "next", NULL);
    g_assert_null (none);
  }
  g_assert_cmpint (audit_count (f, "next"), ==, 6);
  /* Each Next after the first finished the ticket before it. */
  g_assert_cmpint (audit_count (f, "served"), ==, 6);
}

static void
test_recall_and_display (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) event = NULL, display = NULL;
  g_autofree char *path = g_strdup_printf ("/api/counter/%s/recall", f->desk);
  g_autofree char *label = NULL;
  JsonObject *latest;
  JsonArray *calls;
  guint shown = 0;

  /* Nothing called yet: nothing to recall. */
  g_assert_cmpuint (web (f, "POST", path, HUB_HARNESS_STAFF_TOKEN, NULL, NULL), ==, 404);
  g_free (issue (f, "A010", KIOSK_LANE_NORMAL, f->service));
  label = act (f, f->desk, "next", NULL);
  g_assert_cmpstr (label, ==, "A010");

  g_assert_cmpuint (web (f, "POST", path, HUB_HARNESS_STAFF_TOKEN, NULL, &event), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, "call");
  g_assert_true (json_object_get_boolean_member (event, "recall"));
  g_assert_cmpstr (json_object_get_string_member (event, "label"), ==, "A010");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (event, "text_zh"), "请 A010 号到 "));
  g_assert_cmpint (audit_count (f, "recall"), ==, 1);

  g_assert_cmpuint (web (f, "GET", "/api/display", NULL, NULL, &display), ==, 200);
  calls = json_object_get_array_member (display, "calls");
  latest = json_array_get_object_element (calls, 0);
  g_assert_cmpstr (json_object_get_string_member (latest, "label"), ==, "A010");
  g_assert_cmpstr (json_object_get_string_member (latest, "desk"), ==, f->desk);
  /* Called, then recalled: one ticket, shown once. */
  for (guint i = 0; i < json_array_get_length (calls); i++)
    shown += g_str_equal (json_object_get_string_member (json_array_get_object_element (calls, i), "label"),
                          "A010");
  g_assert_cmpuint (shown, ==, 1);
}

static void
test_no_show_and_served (Fixture *f, gconstpointer data)
{
  g_autofree char *served = g_strdup_printf ("/api/counter/%s/served", f->desk);
  g_autofree char *a = NULL, *b = NULL, *sql = NULL;

  g_free (issue (f, "A020", KIOSK_LANE_NORMAL, f->service));
  g_free (issue (f, "A021", KIOSK_LANE_NORMAL, f->service));
  a = act (f, f->desk, "next", NULL);
  g_free (act (f, f->desk, "no-show", NULL));
  b = act (f, f->desk, "next", NULL);
  g_free (act (f, f->desk, "served", NULL));
  g_assert_cmpstr (a, ==, "A020");
  g_assert_cmpstr (b, ==, "A021");
  /* Served twice: the second has no ticket. */
  g_assert_cmpuint (web (f, "POST", served, HUB_HARNESS_STAFF_TOKEN, NULL, NULL), ==, 404);

  sql = g_strdup_printf ("SELECT count (*) FROM ticket_states s JOIN records r USING (kiosk_id, uuid)"
                         " WHERE s.desk_id = '%s' AND ((r.payload->>'label' = 'A020' AND s.state = 'no_show')"
                         " OR (r.payload->>'label' = 'A021' AND s.state = 'served'))",
                         f->desk);
  g_assert_cmpint (hub_harness_query_int (harness, sql), ==, 2);
  g_assert_cmpint (audit_count (f, "no_show"), ==, 1);
  g_assert_cmpint (audit_count (f, "served"), ==, 1);
}

static void
test_transfer (Fixture *f, gconstpointer data)
{
  g_autofree char *desk2 = g_strdup_printf ("%s-b", f->desk),
                  *service2 = g_strdup_printf ("%s-b", f->service);
  g_autofree char *body = g_strdup_printf ("{\"service\":\"%s\"}", service2);
  g_autofree char *path2 = g_strdup_printf ("/api/counter/%s", desk2);
  g_autofree char *first = NULL, *second = NULL, *none = NULL, *sql = NULL, *moved = NULL, *other = NULL;
  g_autofree char *moved_path = NULL, *other_path = NULL, *name = g_strdup_printf ("业务 %s", service2);
  g_autoptr (JsonObject) desk_json = NULL, moved_json = NULL, other_json = NULL;
  JsonArray *waiting;

  add_desk (desk2, "综合窗口", "General counter", service2);
  moved = issue (f, "A030", KIOSK_LANE_NORMAL, f->service);
  moved_path = g_strdup_printf ("/api/ticket/%s", moved);
  first = act (f, f->desk, "next", NULL);
  g_assert_cmpstr (first, ==, "A030");
  g_free (act (f, f->desk, "transfer", body));

  g_assert_cmpuint (web (f, "GET", path2, HUB_HARNESS_STAFF_TOKEN, NULL, &desk_json), ==, 200);
  waiting = json_object_get_array_member (desk_json, "waiting");
  g_assert_cmpuint (json_array_get_length (waiting), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (waiting, 0), "label"), ==,
                   "A030");

  /* Gone from the first desk's line, called at the second. */
  none = act (f, f->desk, "next", NULL);
  g_assert_null (none);

  /* Waiting in the new service's line of numbers: it counts there (before
   * B001, by its issue time), and its page names the new service as the
   * kiosks' slips of that service do. */
  other = issue (f, "B001", KIOSK_LANE_NORMAL, service2);
  other_path = g_strdup_printf ("/api/ticket/%s", other);
  g_assert_cmpuint (web (f, "GET", moved_path, NULL, NULL, &moved_json), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (moved_json, "service_zh"), ==, name);
  g_assert_cmpint (json_object_get_int_member (moved_json, "people_ahead"), ==, 0);
  g_assert_cmpuint (web (f, "GET", other_path, NULL, NULL, &other_json), ==, 200);
  g_assert_cmpint (json_object_get_int_member (other_json, "people_ahead"), ==, 1);

  second = act (f, desk2, "next", NULL);
  g_assert_cmpstr (second, ==, "A030");

  sql = g_strdup_printf ("SELECT count (*) FROM counter_actions WHERE desk_id = '%s' AND action = 'transfer'"
                         " AND label = 'A030' AND detail->>'from' = '%s' AND detail->>'to' = '%s'",
                         f->desk, f->service, service2);
  g_assert_cmpint (hub_harness_query_int (harness, sql), ==, 1);
}

static void
test_call_number (Fixture *f, gconstpointer data)
{
  g_autofree char *label = NULL, *next = NULL;
  g_autofree char *path = g_strdup_printf ("/api/counter/%s/call", f->desk);

  g_free (issue (f, "A040", KIOSK_LANE_NORMAL, f->service));
  g_free (issue (f, "A041", KIOSK_LANE_NORMAL, f->service));
  label = act (f, f->desk, "call", "{\"number\":\"A041\"}");
  g_assert_cmpstr (label, ==, "A041");
  /* Not waiting (any more, or at all): 404. */
  g_assert_cmpuint (web (f, "POST", path, HUB_HARNESS_STAFF_TOKEN, "{\"number\":\"A041\"}", NULL), ==, 404);
  g_assert_cmpuint (web (f, "POST", path, HUB_HARNESS_STAFF_TOKEN, "{\"number\":\"Z999\"}", NULL), ==, 404);
  g_assert_cmpuint (web (f, "POST", path, HUB_HARNESS_STAFF_TOKEN, "{\"number\":7}", NULL), ==, 400);
  g_assert_cmpuint (web (f, "POST", path, HUB_HARNESS_STAFF_TOKEN, "not json", NULL), ==, 400);
  next = act (f, f->desk, "next", NULL);
  g_assert_cmpstr (next, ==, "A040");
  g_assert_cmpint (audit_count (f, "call"), ==, 1);
}

static void
test_ticket_page (Fixture *f, gconstpointer data)
{
  g_autofree char *first = issue (f, "A050", KIOSK_LANE_NORMAL, f->service);
  g_autofree char *code = issue (f, "A051", KIOSK_LANE_NORMAL, f->service);
  g_autofree char *path = g_strdup_printf ("/api/ticket/%s", code);
  g_autoptr (JsonObject) before = NULL, after = NULL, missing = NULL;
  JsonObject *desk;

  g_assert_cmpuint (web (f, "GET", path, NULL, NULL, &before), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (before, "label"), ==, "A051");
  g_assert_cmpstr (json_object_get_string_member (before, "state"), ==, "waiting");
  g_assert_cmpint (json_object_get_int_member (before, "people_ahead"), ==, 1);
  /* The kiosk's 8–16 minutes for 4 ahead, scaled to 1 ahead. */
  g_assert_cmpint (json_object_get_int_member (before, "wait_low_minutes"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (before, "wait_high_minutes"), ==, 4);
  g_assert_true (json_object_get_null_member (before, "desk"));
  /* Nothing of the record beyond what the page shows. */
  g_assert_false (json_object_has_member (before, "uuid"));
  g_assert_false (json_object_has_member (before, "kiosk"));
  g_assert_false (json_object_has_member (before, "appointment"));

  g_free (act (f, f->desk, "next", NULL));
  g_free (act (f, f->desk, "next", NULL));
  g_assert_cmpuint (web (f, "GET", path, NULL, NULL, &after), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (after, "state"), ==, "called");
  desk = json_object_get_object_member (after, "desk");
  g_assert_nonnull (desk);
  g_assert_cmpstr (json_object_get_string_member (desk, "id"), ==, f->desk);
  g_assert_cmpint (json_object_get_int_member (after, "people_ahead"), ==, 0);

  g_assert_cmpuint (web (f, "GET", "/api/ticket/AAAAAAAAAAAAAAAA", NULL, NULL, &missing), ==, 404);
  g_assert_cmpuint (web (f, "GET", "/api/ticket/short", NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (web (f, "GET", "/api/ticket/a'%20OR%201=1", NULL, NULL, NULL), ==, 404);
  g_assert_nonnull (first);
}

/* GET /v1/calls as the fixture's kiosk (mutual TLS), parsed as the kiosk does. */
static KioskSyncCallPage *
pull_calls (Fixture *f, gint64 cursor, guint limit)
{
  g_autofree char *path
      = limit > 0 ? g_strdup_printf ("/v1/calls?cursor=%" G_GINT64_FORMAT "&limit=%u", cursor, limit)
                  : g_strdup_printf ("/v1/calls?cursor=%" G_GINT64_FORMAT, cursor);
  g_autofree char *reply = NULL;
  g_autoptr (GError) error = NULL;
  KioskSyncCallPage *page;

  g_assert_cmpint (hub_harness_request (harness, f->cert, f->key, path, NULL, 0, &reply), ==, 200);
  page = kiosk_sync_parse_calls (reply, strlen (reply), cursor, &error);
  g_assert_no_error (error);
  return page;
}

static void
test_kiosk_pulls_calls (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskSyncCallPage) page = NULL, first = NULL;
  g_autofree char *far_id = g_strdup_printf ("%s-far", f->kiosk_id), *far_cert = NULL, *far_key = NULL;
  g_autofree char *label = NULL;
  char *own_id = f->kiosk_id, *own_cert = f->cert, *own_key = f->key;
  const char *actions[] = { "next", "served" };
  gint64 cursor = 0;
  guint seen = 0;

  /* Where this kiosk stands now (earlier tests called tickets of its hall). */
  do
    {
      g_clear_pointer (&page, kiosk_sync_call_page_free);
      page = pull_calls (f, cursor, 0);
      cursor = page->cursor;
    }
  while (page->more);
  g_clear_pointer (&page, kiosk_sync_call_page_free);

  g_free (issue (f, "A001", KIOSK_LANE_NORMAL, f->service));
  label = act (f, f->desk, "next", NULL);
  g_assert_cmpstr (label, ==, "A001");
  g_clear_pointer (&label, g_free);
  label = act (f, f->desk, "served", NULL);
  g_clear_pointer (&label, g_free);

  /* A kiosk of another hall, its ticket called at the same desk: not ours to see. */
  hub_harness_enrol (harness, far_id, &far_cert, &far_key);
  f->kiosk_id = far_id;
  f->cert = far_cert;
  f->key = far_key;
  f->hall = "hall-2";
  g_free (issue (f, "A002", KIOSK_LANE_NORMAL, f->service));
  f->kiosk_id = own_id;
  f->cert = own_cert;
  f->key = own_key;
  f->hall = "hall-1";
  label = act (f, f->desk, "next", NULL);
  g_assert_cmpstr (label, ==, "A002");

  page = pull_calls (f, cursor, 0);
  g_assert_false (page->more);
  for (guint i = 0; i < page->calls->len; i++)
    {
      const KioskSyncCall *call = g_ptr_array_index (page->calls, i);

      g_assert_cmpstr (call->label, !=, "A002");
      if (g_strcmp0 (call->label, "A001") != 0)
        continue;
      g_assert_cmpuint (seen, <, G_N_ELEMENTS (actions));
      g_assert_cmpstr (call->action_name, ==, actions[seen]);
      g_assert_true (call->mine);
      g_assert_cmpstr (call->desk, ==, f->desk);
      g_assert_true (g_str_has_suffix (call->desk_zh, "号窗口"));
      g_assert_true (g_str_has_prefix (call->desk_en, "Counter "));
      g_assert_cmpint (call->at_us, >, 0);
      seen++;
    }
  g_assert_cmpuint (seen, ==, G_N_ELEMENTS (actions));
  /* Past the other hall's call too, so it is not looked at again. */
  g_assert_cmpint (page->cursor, ==, hub_harness_query_int (harness, "SELECT max (id) FROM counter_actions"));

  /* One a page: the cursor stops at the call, and says there is more. */
  first = pull_calls (f, cursor, 1);
  g_assert_cmpuint (first->calls->len, ==, 1);
  g_assert_true (first->more);
  g_assert_cmpint (first->cursor, ==, ((KioskSyncCall *)g_ptr_array_index (first->calls, 0))->id);
}

static void
test_bad_token (Fixture *f, gconstpointer data)
{
  g_autofree char *next = g_strdup_printf ("/api/counter/%s/next", f->desk);
  g_autofree char *desk = g_strdup_printf ("/api/counter/%s", f->desk);
  g_autofree char *bogus = g_strdup_printf ("/api/counter/%s/explode", f->desk);
  g_autoptr (JsonObject) refused = NULL;

  g_free (issue (f, "A060", KIOSK_LANE_NORMAL, f->service));
  /* Neither the (deprecated) token nor a counter account's session: 401,
   * sign in (tests/test-console.c covers the sessions). */
  g_assert_cmpuint (web (f, "POST", next, NULL, NULL, &refused), ==, 401);
  g_assert_cmpstr (json_object_get_string_member (refused, "reason"), !=, "");
  g_assert_cmpuint (web (f, "POST", next, "wrong", NULL, NULL), ==, 401);
  g_assert_cmpuint (web (f, "POST", next, HUB_HARNESS_STAFF_TOKEN "x", NULL, NULL), ==, 401);
  g_assert_cmpuint (web (f, "GET", desk, NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (web (f, "GET", next, HUB_HARNESS_STAFF_TOKEN, NULL, NULL), ==, 405);
  g_assert_cmpuint (web (f, "POST", bogus, HUB_HARNESS_STAFF_TOKEN, NULL, NULL), ==, 404);
  g_assert_cmpuint (web (f, "POST", "/api/counter/no-such-desk/next", HUB_HARNESS_STAFF_TOKEN, NULL, NULL),
                    ==, 404);
  g_assert_cmpint (audit_count (f, "next"), ==, 0);
  /* Still waiting for whoever has the token. */
  g_free (act (f, f->desk, "next", NULL));
  g_assert_cmpint (audit_count (f, "next"), ==, 1);
}

/* The packaged content with @announcements (a JSON array) in place of its
 * own, in a new folder. */
static char *
make_bundle (const char *announcements)
{
  g_autofree char *source = kiosk_test_asset_path ("content/default/manifest.json");
  g_autofree char *text = NULL, *dir = hub_harness_mkdir (harness, "calling-content"), *out = NULL;
  g_autofree char *path = g_build_filename (dir, "manifest.json", NULL);
  g_autoptr (JsonNode) root = NULL, notes = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (source, &text, NULL, NULL));
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  notes = json_from_string (announcements, &error);
  g_assert_no_error (error);
  json_object_set_member (json_node_get_object (root), "announcements", g_steal_pointer (&notes));
  out = json_to_string (root, TRUE);
  g_assert_true (g_file_set_contents (path, out, -1, NULL));
  return g_steal_pointer (&dir);
}

/* The ids of the display's announcements, in order, joined by spaces. */
static char *
display_notes (Fixture *f, const char *path)
{
  g_autoptr (JsonObject) display = NULL;
  g_autoptr (GString) ids = g_string_new (NULL);
  JsonArray *notes;

  g_assert_cmpuint (web (f, "GET", path, NULL, NULL, &display), ==, 200);
  notes = json_object_get_array_member (display, "announcements");
  for (guint i = 0; i < json_array_get_length (notes); i++)
    {
      JsonObject *note = json_array_get_object_element (notes, i);
      g_assert_cmpstr (json_object_get_string_member (note, "title_zh"), !=, "");
      g_assert_cmpstr (json_object_get_string_member (note, "body_en"), !=, "");
      g_string_append_printf (ids, "%s%s", i ? " " : "", json_object_get_string_member (note, "id"));
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* The counter page names services as the published content does, and the
 * display shows the content's announcements valid now, exactly those the
 * kiosks' own rule (kiosk_bundle_active_announcements) picks. */
static void
test_names_and_notes_from_content (Fixture *f, gconstpointer data)
{
  static const char notes[]
      = "[{\"id\":\"past\",\"title\":{\"zh\":\"已过期\",\"en\":\"Expired\"},"
        "\"body\":{\"zh\":\"旧\",\"en\":\"Old\"},\"valid_until\":\"2020-01-01T00:00:00+08:00\"},"
        "{\"id\":\"now\",\"title\":{\"zh\":\"午休\",\"en\":\"Lunch\"},"
        "\"body\":{\"zh\":\"12:00–13:30\",\"en\":\"12:00–13:30\"},\"valid_from\":\"2020-01-01T00:00:00\"},"
        "{\"id\":\"always\",\"title\":{\"zh\":\"律师\",\"en\":\"Lawyer\"},"
        "\"body\":{\"zh\":\"周三\",\"en\":\"Wednesdays\"}},"
        "{\"id\":\"future\",\"title\":{\"zh\":\"将来\",\"en\":\"Later\"},"
        "\"body\":{\"zh\":\"新\",\"en\":\"New\"},\"valid_from\":\"2099-01-01T00:00:00Z\"}]";
  static const char west[] = "[{\"id\":\"west-only\",\"title\":{\"zh\":\"西厅\",\"en\":\"West\"},"
                             "\"body\":{\"zh\":\"西\",\"en\":\"West hall\"}}]";
  g_autofree char *dir = make_bundle (notes), *west_dir = make_bundle (west);
  g_autofree char *path = g_strdup_printf ("/api/counter/%s", f->desk);
  g_autofree char *expected = NULL, *shown = NULL, *shown_east = NULL, *shown_west = NULL;
  g_autoptr (JsonObject) desk = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  g_autoptr (GPtrArray) active = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GString) ids = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  JsonObject *names, *name;

  hub_harness_exec (harness, "TRUNCATE content_release_files, content_releases, content_files");
  hub_harness_publish (harness, dir, NULL);
  exec_printf ("UPDATE counters SET services = ARRAY['%s', 'residence-permit'] WHERE id = '%s'", f->service,
               f->desk);

  g_assert_cmpuint (web (f, "GET", path, HUB_HARNESS_STAFF_TOKEN, NULL, &desk), ==, 200);
  names = json_object_get_object_member (desk, "names");
  name = json_object_get_object_member (names, "residence-permit");
  g_assert_nonnull (name);
  g_assert_cmpstr (json_object_get_string_member (name, "zh"), ==, "居住证申领");
  g_assert_cmpstr (json_object_get_string_member (name, "en"), ==, "Residence permit application");
  /* A service the content does not name has no entry: the page shows its id. */
  g_assert_false (json_object_has_member (names, f->service));

  bundle = kiosk_bundle_load (dir, &error);
  g_assert_no_error (error);
  active = kiosk_bundle_active_announcements (bundle, now);
  for (guint i = 0; i < active->len; i++)
    g_string_append_printf (ids, "%s%s", i ? " " : "", ((KioskAnnouncement *)active->pdata[i])->id);
  expected = g_string_free (g_steal_pointer (&ids), FALSE);
  g_assert_cmpstr (expected, ==, "now always");
  shown = display_notes (f, "/api/display");
  g_assert_cmpstr (shown, ==, expected);

  /* A newer release for one hall: that hall's display follows it, another
   * hall's keeps the centre-wide one. */
  hub_harness_publish (harness, west_dir, "hall:west");
  shown_west = display_notes (f, "/api/display?hall=west");
  g_assert_cmpstr (shown_west, ==, "west-only");
  shown_east = display_notes (f, "/api/display?hall=east");
  g_assert_cmpstr (shown_east, ==, expected);

  /* A figure, not a limit: both read the manifests in place on every request. */
  for (guint k = 0; k < 2; k++)
    {
      const char *what = k ? "/api/display" : path;
      gint64 t0 = g_get_monotonic_time ();
      for (guint i = 0; i < 50; i++)
        g_assert_cmpuint (web (f, "GET", what, HUB_HARNESS_STAFF_TOKEN, NULL, NULL), ==, 200);
      g_test_message ("GET %s with two releases published: %.2f ms a request", what,
                      (g_get_monotonic_time () - t0) / 50 / 1000.0);
    }
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

  g_test_add ("/hub/calling/next-follows-priority-order", Fixture, NULL, fixture_setup,
              test_next_priority_order, fixture_teardown);
  g_test_add ("/hub/calling/recall-shown-on-display", Fixture, NULL, fixture_setup, test_recall_and_display,
              fixture_teardown);
  g_test_add ("/hub/calling/no-show-and-served", Fixture, NULL, fixture_setup, test_no_show_and_served,
              fixture_teardown);
  g_test_add ("/hub/calling/transfer-to-another-service", Fixture, NULL, fixture_setup, test_transfer,
              fixture_teardown);
  g_test_add ("/hub/calling/call-given-number", Fixture, NULL, fixture_setup, test_call_number,
              fixture_teardown);
  g_test_add ("/hub/calling/ticket-page-shows-desk-once-called", Fixture, NULL, fixture_setup,
              test_ticket_page, fixture_teardown);
  g_test_add ("/hub/calling/kiosk-pulls-its-halls-calls", Fixture, NULL, fixture_setup,
              test_kiosk_pulls_calls, fixture_teardown);
  g_test_add ("/hub/calling/bad-token-refused", Fixture, NULL, fixture_setup, test_bad_token,
              fixture_teardown);
  g_test_add ("/hub/calling/names-and-announcements-from-content", Fixture, NULL, fixture_setup,
              test_names_and_notes_from_content, fixture_teardown);

  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
