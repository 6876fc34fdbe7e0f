/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ticket-page"

#include <json-glib/json-glib.h>

#include "hub-harness.h"
#include "kiosk-bitmap.h"
#include "kiosk-clock.h"
#include "kiosk-error.h"
#include "kiosk-queue.h"
#include "kiosk-store.h"
#include "kiosk-sync-client.h"
#include "kiosk-sync.h"
#include "kiosk-test-fonts.h"
#include "kiosk-test-util.h"
#include "kiosk-ticket-slip.h"

/* From the slip to the phone, through a real hub: the hub is told its public
 * address ([hub] public_url) and serves its pages over HTTPS; a kiosk learns
 * the address from a heartbeat, takes numbers, uploads them, prints a slip;
 * zbarimg reads the slip's QR, and a client with no certificate opens it.
 * And "people ahead": the slip, the ticket page and the display give what
 * the core's one definition gives for the same line of tickets. */

static HubHarness *harness;

/* One line of numbers ("A") open all day, two services in it. */
static const char manifest[]
    = "{ \"format\": 1, \"release\": 1,"
      "  \"centre\": { \"name\": { \"zh\": \"测试中心\", \"en\": \"Test centre\" } },"
      "  \"hours\": { \"always\": { \"weekly\": { \"mon\": [\"00:00-24:00\"], \"tue\": [\"00:00-24:00\"],"
      "    \"wed\": [\"00:00-24:00\"], \"thu\": [\"00:00-24:00\"], \"fri\": [\"00:00-24:00\"],"
      "    \"sat\": [\"00:00-24:00\"], \"sun\": [\"00:00-24:00\"] } } },"
      "  \"categories\": [ { \"id\": \"hall\", \"name\": { \"zh\": \"综合服务\", \"en\": \"Services\" } } ],"
      "  \"queues\": [ { \"id\": \"A\", \"prefix\": \"A\", \"name\": { \"zh\": \"综合\", \"en\": \"General\" "
      "},"
      "    \"first\": 1, \"last\": 999, \"default_service_minutes\": 10, \"counters\": 1, \"hours\": "
      "\"always\" } ],"
      "  \"services\": ["
      "    { \"id\": \"residence-permit\", \"category\": \"hall\", \"queue\": \"A\","
      "      \"name\": { \"zh\": \"居住证申领\", \"en\": \"Residence permit\" } },"
      "    { \"id\": \"social-insurance\", \"category\": \"hall\", \"queue\": \"A\","
      "      \"name\": { \"zh\": \"社保查询\", \"en\": \"Social insurance\" } } ] }";

/* The line, in the order the kiosk issues it: two services, priority lanes
 * among them, so counting the service alone or ignoring the lanes would
 * each give another answer. */
static const struct
{
  const char *service;
  KioskLane lane;
} line[] = {
  { "residence-permit", KIOSK_LANE_NORMAL }, { "social-insurance", KIOSK_LANE_NORMAL },
  { "residence-permit", KIOSK_LANE_NORMAL }, { "social-insurance", KIOSK_LANE_ELDERLY },
  { "social-insurance", KIOSK_LANE_NORMAL }, { "residence-permit", KIOSK_LANE_DISABLED },
  { "residence-permit", KIOSK_LANE_NORMAL }, { "residence-permit", KIOSK_LANE_ELDERLY },
  { "residence-permit", KIOSK_LANE_NORMAL },
};

static JsonObject *
fetch_json (const char *url, JsonNode **keep)
{
  g_autofree char *reply = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (hub_harness_fetch (harness, url, &reply), ==, 200);
  *keep = json_from_string (reply, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*keep));
  return json_node_get_object (*keep);
}

static char *
zbar_read (const char *png)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  const char *argv[] = { zbarimg, "--quiet", "--raw", png, NULL };
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_nonnull (zbarimg);
  g_assert_true (
      g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strstrip (out);
}

static void
test_slip_qr_opens_ticket_page (void)
{
  g_autofree char *dir = hub_harness_mkdir (harness, "kiosk-page");
  g_autofree char *db_path = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *manifest_path = g_build_filename (dir, "manifest.json", NULL);
  g_autofree char *png = g_build_filename (dir, "slip.png", NULL);
  g_autofree char *cert = NULL, *key = NULL, *public_url = NULL, *heartbeat = NULL, *qr = NULL;
  g_autofree char *page = NULL, *notice = NULL;
  g_autoptr (KioskClock) clock = kiosk_clock_new_system ("Asia/Shanghai");
  g_autoptr (KioskBundle) bundle = NULL;
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskQueue) queue = NULL;
  g_autoptr (KioskSyncClient) client = NULL;
  g_autoptr (GPtrArray) tickets = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_ticket_free);
  g_autoptr (KioskTicketSlip) slip = NULL;
  g_autoptr (KioskBitmap) bitmap = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) lines_node = NULL;
  KioskWaiting waiting[G_N_ELEMENTS (line)];
  KioskSyncConfig config;
  KioskQueueSettings settings;
  const KioskTicket *mine;
  gboolean sync_now = FALSE, more = TRUE;
  guint normal = 0, priority = 0, sent = 0;
  JsonArray *lines;

  hub_harness_enrol (harness, "kiosk-page", &cert, &key);
  g_assert_true (g_file_set_contents (manifest_path, manifest, -1, &error));
  bundle = kiosk_bundle_load (dir, &error);
  g_assert_no_error (error);
  store = kiosk_store_open (db_path, clock, &error);
  g_assert_no_error (error);
  kiosk_queue_settings_init (&settings);
  settings.hall_id = "hall-page";
  settings.kiosk_id = "kiosk-page";
  settings.secret = g_bytes_new_static ("ticket page test secret, 32 b...", 32);
  queue = kiosk_queue_new (store, bundle, &settings, &error);
  g_bytes_unref (settings.secret);
  g_assert_no_error (error);

  /* The kiosk's sync thread learns the public address from its first
   * heartbeat and stores it; the screen and the slip read it there. */
  hub_harness_sync_config (harness, cert, key, &config);
  config.heartbeat_interval_ms = 60 * 1000; /* the first goes at once */
  g_assert_null (kiosk_store_get_public_url (store));
  {
    g_autoptr (KioskSync) sync = kiosk_sync_new (db_path, clock, &config);
    gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

    kiosk_sync_start (sync);
    while ((public_url = kiosk_store_get_public_url (store)) == NULL && g_get_monotonic_time () < deadline)
      {
        g_main_context_iteration (NULL, FALSE);
        g_usleep (20 * 1000);
      }
    kiosk_sync_stop (sync);
  }
  client = kiosk_sync_client_new (db_path, clock, &config, NULL, &error);
  kiosk_sync_config_clear (&config);
  g_assert_no_error (error);
  /* And keeps it when the hub says nothing new. */
  heartbeat = kiosk_sync_heartbeat_json ("test", NULL, 1, -1, NULL, NULL, 0, 0);
  g_assert_true (kiosk_sync_client_heartbeat (client, heartbeat, &sync_now, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (public_url, ==, harness->web_url);
  g_assert_true (g_str_has_prefix (public_url, "https://"));

  for (guint i = 0; i < G_N_ELEMENTS (line); i++)
    {
      KioskTicket *t = kiosk_queue_issue (queue, line[i].service, line[i].lane, &error);

      g_assert_no_error (error);
      g_ptr_array_add (tickets, t);
      waiting[i] = (KioskWaiting){ t->lane, kiosk_date_time_to_usec (t->issued), NULL };
      if (kiosk_lane_is_priority (t->lane))
        priority++;
      else
        normal++;
      /* At issue, nobody behind: the slip's count is the definition's. */
      g_assert_cmpuint (t->people_ahead, ==,
                        kiosk_lanes_people_ahead (waiting, i + 1, i, settings.max_priority_run));
    }
  while (more)
    {
      g_assert_true (kiosk_sync_client_upload (client, &sent, &more, &notice, &error));
      g_assert_no_error (error);
    }

  /* The newest ticket's slip, as printed, read back as a phone's camera would. */
  mine = tickets->pdata[tickets->len - 1];
  slip = kiosk_ticket_slip_new (mine, bundle, public_url, &error);
  g_assert_no_error (error);
  /* The ticket screen shows the ticket's own count, the slip the same. */
  g_assert_cmpint (slip->data.people_ahead, ==, (int)mine->people_ahead);
  bitmap = kiosk_slip_render (&slip->data, KIOSK_SLIP_WIDTH_80MM, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_bitmap_write_png (bitmap, png, &error));
  qr = zbar_read (png);
  g_assert_cmpstr (qr, ==, slip->qr_text);
  g_assert_true (g_str_has_prefix (qr, public_url));

  /* The phone: no client certificate, the hub's web listener over HTTPS. */
  g_assert_cmpint (hub_harness_fetch (harness, qr, &page), ==, 200);
  g_assert_nonnull (strstr (page, "ticket.js"));
  /* (The kiosks' listener would not even finish the handshake.) */
  {
    g_autofree char *api = g_strconcat (harness->url, "/t/", mine->public_code, NULL);
    g_autofree char *why = NULL;

    g_assert_cmpint (hub_harness_fetch (harness, api, &why), ==, 0);
  }

  /* Every ticket's page: its service's name, and people ahead as the core
   * counts them over the whole line now. */
  for (guint i = 0; i < tickets->len; i++)
    {
      const KioskTicket *t = tickets->pdata[i];
      const KioskService *service = kiosk_bundle_find_service (bundle, t->service_id);
      g_autofree char *url = g_strdup_printf ("%s/api/ticket/%s", public_url, t->public_code);
      g_autoptr (JsonNode) node = NULL;
      JsonObject *answer = fetch_json (url, &node);

      g_test_message ("ticket %s (%s, %s)", t->label, t->service_id, kiosk_lane_to_string (t->lane));
      g_assert_cmpstr (json_object_get_string_member (answer, "label"), ==, t->label);
      g_assert_true (json_object_get_boolean_member (answer, "today"));
      g_assert_cmpstr (json_object_get_string_member (answer, "service_zh"), ==,
                       kiosk_text_get (&service->name, "zh"));
      g_assert_cmpstr (json_object_get_string_member (answer, "service_en"), ==,
                       kiosk_text_get (&service->name, "en"));
      g_assert_cmpint (
          json_object_get_int_member (answer, "people_ahead"), ==,
          kiosk_lanes_people_ahead (waiting, G_N_ELEMENTS (line), i, KIOSK_LANES_DEFAULT_MAX_PRIORITY_RUN));
    }
  /* The newest: phone page, slip and screen say one number. */
  {
    g_autofree char *url = g_strdup_printf ("%s/api/ticket/%s", public_url, mine->public_code);
    g_autoptr (JsonNode) node = NULL;

    g_assert_cmpint (json_object_get_int_member (fetch_json (url, &node), "people_ahead"), ==,
                     mine->people_ahead);
  }

  /* The hall display: people ahead of a normal ticket taken now, which the
   * kiosk's next slip then prints. */
  {
    g_autofree char *url = g_strdup_printf ("%s/api/lines", public_url);
    g_autoptr (KioskTicket) next = NULL;
    JsonObject *a;

    lines = json_object_get_array_member (fetch_json (url, &lines_node), "lines");
    g_assert_cmpuint (json_array_get_length (lines), ==, 1);
    a = json_array_get_object_element (lines, 0);
    g_assert_cmpstr (json_object_get_string_member (a, "queue"), ==, "A");
    g_assert_cmpstr (json_object_get_string_member (a, "prefix"), ==, "A");
    g_assert_cmpint (json_object_get_int_member (a, "waiting"), ==, G_N_ELEMENTS (line));
    g_assert_cmpint (json_object_get_int_member (a, "people_ahead"), ==,
                     kiosk_lanes_people_ahead_of_newest (normal, priority, KIOSK_LANE_NORMAL,
                                                         KIOSK_LANES_DEFAULT_MAX_PRIORITY_RUN));
    next = kiosk_queue_issue (queue, "social-insurance", KIOSK_LANE_NORMAL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (a, "people_ahead"), ==, next->people_ahead);
  }
}

/* A hub without public_url says so (null), and the kiosk forgets the one it
 * had: its slips then carry no QR rather than a stale one. A hub refuses to
 * start with a bad address. */
static void
test_public_url_taken_away (void)
{
  g_autofree char *dir = hub_harness_mkdir (harness, "kiosk-forget");
  g_autofree char *db_path = g_build_filename (dir, "kiosk.db", NULL);
  g_autofree char *cert = NULL, *key = NULL, *heartbeat = NULL, *url = NULL;
  g_autoptr (KioskClock) clock = kiosk_clock_new_system ("Asia/Shanghai");
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskSyncClient) client = NULL;
  g_autoptr (GError) error = NULL;
  GStrv saved = harness->hub_args;
  KioskSyncConfig config;
  gboolean sync_now = FALSE;

  hub_harness_enrol (harness, "kiosk-forget", &cert, &key);
  store = kiosk_store_open (db_path, clock, &error);
  g_assert_no_error (error);
  g_assert_true (kiosk_store_set_public_url (store, "https://old.example.cn", &error));
  g_assert_no_error (error);
  /* What the store refuses never replaces what it has. */
  g_assert_false (kiosk_store_set_public_url (store, "http://plain.example.cn", &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);
  url = kiosk_store_get_public_url (store);
  g_assert_cmpstr (url, ==, "https://old.example.cn");

  hub_harness_stop_hub (harness);
  harness->hub_args = NULL;
  hub_harness_start_hub (harness);
  hub_harness_sync_config (harness, cert, key, &config);
  client = kiosk_sync_client_new (db_path, clock, &config, NULL, &error);
  kiosk_sync_config_clear (&config);
  g_assert_no_error (error);
  heartbeat = kiosk_sync_heartbeat_json ("test", NULL, 1, -1, NULL, NULL, 0, 0);
  g_assert_true (kiosk_sync_client_heartbeat (client, heartbeat, &sync_now, &error));
  g_assert_no_error (error);
  g_assert_null (kiosk_store_get_public_url (store));
  hub_harness_stop_hub (harness);

  /* A bad address stops the hub before it listens. */
  {
    const char *argv[] = { harness->hub_bin,
                           "serve",
                           "--db",
                           harness->conninfo,
                           "--listen",
                           "127.0.0.1:0",
                           "--cert",
                           harness->server_cert,
                           "--key",
                           harness->server_key,
                           "--ca",
                           harness->ca_cert,
                           "--public-url",
                           "http://plain.example.cn",
                           NULL };
    g_autoptr (GSubprocess) hub = g_subprocess_newv (
        argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
    g_autofree char *err = NULL;

    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (hub, NULL, NULL, NULL, &err, &error));
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (hub), !=, 0);
    g_assert_nonnull (strstr (err, "not https"));
  }

  harness->hub_args = saved;
  hub_harness_start_hub (harness);
}

/* A ticket record without names (a kiosk from before they were sent): the
 * page names the service as the published content does. */
static void
test_names_from_published_content (void)
{
  g_autofree char *content = kiosk_test_asset_path ("content/default");
  g_autofree char *cert = NULL, *key = NULL, *json = NULL, *body = NULL, *reply = NULL, *url = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr (GBytes) secret = g_bytes_new_static ("ticket page test secret, 32 b...", 32);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *code = kiosk_ticket_public_code (secret, uuid);
  g_autoptr (JsonNode) node = NULL;
  KioskTicket t = {
    .uuid = uuid,
    .hall_id = (char *)"hall-old",
    .kiosk_id = (char *)"kiosk-old",
    .queue_id = (char *)"residence",
    .service_id = (char *)"residence-permit",
    .service_day = day,
    .kiosks_in_hall = 1,
    .number = 7,
    .label = (char *)"A007",
    .issued = now,
    .wait_low = -1,
    .wait_high = -1,
    .public_code = code,
  };
  JsonObject *answer;

  hub_harness_enrol (harness, "kiosk-old", &cert, &key);
  hub_harness_publish (harness, content, NULL);
  json = kiosk_ticket_to_json (&t);
  g_assert_null (strstr (json, "service_zh"));
  body = g_strdup_printf ("{\"records\":[{\"uuid\":\"%s\",\"kind\":\"ticket\",\"payload\":%s}]}", uuid, json);
  g_assert_cmpint (hub_harness_request (harness, cert, key, "/v1/records", body, strlen (body), &reply), ==,
                   200);
  url = g_strdup_printf ("%s/api/ticket/%s", harness->web_url, code);
  answer = fetch_json (url, &node);
  g_assert_cmpstr (json_object_get_string_member (answer, "service_zh"), ==, "居住证申领");
  g_assert_cmpstr (json_object_get_string_member (answer, "service_en"), ==, "Residence permit application");
}

int
main (int argc, char **argv)
{
  g_autofree char *why = NULL, *zbarimg = g_find_program_in_path ("zbarimg");
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      g_print ("1..0 # SKIP %s\n", why);
      return 0;
    }
  if (zbarimg == NULL)
    {
      hub_harness_free (harness);
      g_print ("1..0 # SKIP zbarimg (zbar-tools) is not installed\n");
      return 0;
    }
  /* The pages over HTTPS with the hub's certificate; the port is known once
   * the hub has listened, so start it once to learn it. */
  {
    const char *web_tls[] = { "--web-cert", harness->server_cert, "--web-key", harness->server_key, NULL };
    harness->hub_args = g_strdupv ((char **)web_tls);
  }
  hub_harness_start_hub (harness);
  hub_harness_stop_hub (harness);
  {
    g_autoptr (GStrvBuilder) args = g_strv_builder_new ();

    g_strv_builder_addv (args, (const char **)harness->hub_args);
    g_strv_builder_add (args, "--public-url");
    g_strv_builder_add (args, harness->web_url);
    g_strfreev (harness->hub_args);
    harness->hub_args = g_strv_builder_end (args);
  }
  hub_harness_start_hub (harness);

  g_test_add_func ("/hub/ticket-page/slip-qr-opens-ticket-page", test_slip_qr_opens_ticket_page);
  g_test_add_func ("/hub/ticket-page/public-url-taken-away", test_public_url_taken_away);
  g_test_add_func ("/hub/ticket-page/names-from-published-content", test_names_from_published_content);
  status = kiosk_test_run_with_fonts ();
  hub_harness_free (harness);
  return status;
}
