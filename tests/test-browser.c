/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-browser"

#include "hub-harness.h"
#include "kiosk-test-util.h"
#include "kiosk-release.h"
#include "kiosk-ticket.h"

/* The hub's pages in headless Chromium (tests/browser/calling.mjs, driven by
 * playwright-core): this program starts PostgreSQL and the hub, uploads
 * three tickets as a kiosk and runs the script against them. Skips (a TAP "1..0 # SKIP" plan) without
 * chromium, node, or `npm ci` run in tests/browser. */

static HubHarness *harness;

/* The n-th ticket of the line (from 0) with n ahead, as its slip printed. */
static char *
upload (const char *cert, const char *key, const char *kiosk, const char *label, gint64 issued_s, guint n,
        GBytes *secret)
{
  /* As the packaged content names it, which the kiosk's slip prints. */
  const KioskText pension = { (char *)"养老保险关系转移", (char *)"Pension account transfer" };
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *uuid = g_uuid_string_random (), *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *json = NULL, *body = NULL, *reply = NULL;
  KioskTicket t = { 0 };

  t.uuid = uuid;
  t.hall_id = (char *)"hall-1";
  t.kiosk_id = (char *)kiosk;
  t.queue_id = (char *)"social-insurance";
  t.service_id = (char *)"pension-transfer";
  t.service_day = day;
  t.kiosks_in_hall = 1;
  t.number = atoi (label + 1);
  t.label = (char *)label;
  t.issued = g_date_time_new_from_unix_local (issued_s);
  t.people_ahead = n;
  t.wait_low = n * 10;
  t.wait_high = n * 10 + 10;
  t.public_code = kiosk_ticket_public_code (secret, uuid);
  json = kiosk_ticket_to_json_with_service (&t, &pension);
  body = g_strdup_printf ("{\"records\":[{\"uuid\":\"%s\",\"kind\":\"ticket\",\"payload\":%s}]}", uuid, json);
  g_assert_cmpint (hub_harness_request (harness, cert, key, "/v1/records", body, strlen (body), &reply), ==,
                   200);
  g_date_time_unref (t.issued);
  return t.public_code;
}

static void
test_counter_display_ticket (void)
{
  g_autofree char *cert = NULL, *key = NULL, *code = NULL, *third = NULL, *shots = NULL, *script = NULL;
  g_autofree char *content = kiosk_test_asset_path ("content/default");
  g_autoptr (GBytes) secret = g_bytes_new_static ("browser-test-secret-0123456789ab", 32);
  g_autoptr (GSubprocess) node = NULL;
  g_autoptr (GError) error = NULL;
  gint64 t0 = g_get_real_time () / G_USEC_PER_SEC - 1200;

  hub_harness_enrol (harness, "kiosk-hall", &cert, &key);
  hub_harness_exec (harness, "INSERT INTO counters (id, name_zh, name_en, services)"
                             " VALUES ('3', '3号窗口', 'Counter 3', ARRAY['pension-transfer'])");
  /* The packaged content names the service and carries the announcements
   * the display shows (its "legal-duty" one is always valid). */
  hub_harness_publish (harness, content, NULL);
  code = upload (cert, key, "kiosk-hall", "A023", t0, 0, secret);
  g_free (upload (cert, key, "kiosk-hall", "A024", t0 + 60, 1, secret));
  third = upload (cert, key, "kiosk-hall", "A025", t0 + 120, 2, secret);

  /* Screenshots go into the source tree's docs (the README shows them). */
  shots = g_build_filename (g_getenv ("MESON_SOURCE_ROOT") ? g_getenv ("MESON_SOURCE_ROOT") : SOURCE_ROOT,
                            "docs", "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (shots, 0755), ==, 0);
  script = g_build_filename (SOURCE_ROOT, "tests", "browser", "calling.mjs", NULL);
  {
    const char *argv[] = {
      "node", script, harness->web_url, HUB_HARNESS_STAFF_TOKEN, "3", code, "A023", "A024", "A025", shots,
      third,  NULL
    };
    node = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (node, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (node));
  g_assert_cmpint (g_subprocess_get_exit_status (node), ==, 0);
  /* The clicks went through the real API: three calls in the audit trail. */
  g_assert_cmpint (
      hub_harness_query_int (harness, "SELECT count (*) FROM counter_actions WHERE action = 'next'"), ==, 3);
}

/* The console in the browser: first sign-in, adding a clerk, the clerk at the
 * counter page with their own account, the lock-out (tests/browser/console.mjs). */
static void
test_console (void)
{
  g_autofree char *shots
      = g_build_filename (g_getenv ("MESON_SOURCE_ROOT") ? g_getenv ("MESON_SOURCE_ROOT") : SOURCE_ROOT,
                          "docs", "screenshots", NULL);
  g_autofree char *script = g_build_filename (SOURCE_ROOT, "tests", "browser", "console.mjs", NULL);
  const char *add[]
      = { harness->hub_bin, "staff", "add", "chief", "--role", "admin", "--db", harness->conninfo, NULL };
  g_autofree char *out = hub_harness_run (add, FALSE);
  g_autofree char *one_time = NULL;
  g_autoptr (GSubprocess) node = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) secret = g_bytes_new_static ("browser-test-secret-0123456789ab", 32);
  g_autofree char *cert = NULL, *key = NULL;
  const char *p = strstr (out, "one-time password ");

  g_assert_nonnull (p);
  /* Someone waiting at counter 3 (made by the test before) for the clerk to call. */
  hub_harness_enrol (harness, "kiosk-console", &cert, &key);
  g_free (upload (cert, key, "kiosk-console", "A031", g_get_real_time () / G_USEC_PER_SEC - 60, 0, secret));
  one_time = g_strstrip (g_strdup (p + strlen ("one-time password ")));
  {
    const char *argv[] = { "node", script, harness->web_url, one_time, "3", shots, NULL };
    node = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (node, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (node));
  g_assert_cmpint (g_subprocess_get_exit_status (node), ==, 0);
  /* The clerk's call went through the counter API with a session. */
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count (*) FROM audit_log WHERE actor = 'clerk' "
                                                   "AND action = 'password-change'"),
                   ==, 1);
}

int
main (int argc, char **argv)
{
  g_autofree char *why = NULL, *node = g_find_program_in_path ("node");
  g_autofree char *module = g_build_filename (SOURCE_ROOT, "tests", "browser", "node_modules",
                                              "playwright-core", "package.json", NULL);
  int status;

  g_test_init (&argc, &argv, NULL);
  if (node == NULL || !g_file_test ("/usr/bin/chromium", G_FILE_TEST_IS_EXECUTABLE)
      || !g_file_test (module, G_FILE_TEST_EXISTS))
    {
      g_print ("1..0 # SKIP needs node, /usr/bin/chromium and `npm ci` in tests/browser\n");
      return 0; /* TAP: the "1..0 # SKIP" plan is the skip */
    }
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      g_print ("1..0 # SKIP %s\n", why);
      return 0; /* TAP: the "1..0 # SKIP" plan is the skip */
    }
  /* The key the console publishes with. */
  {
    g_autofree char *keys = hub_harness_mkdir (harness, "console-key");
    g_autofree char *public_b64 = NULL, *secret_b64 = NULL;

    harness->content_key = g_build_filename (keys, "publish.key", NULL);
    kiosk_release_keygen (&public_b64, &secret_b64);
    g_assert_true (g_file_set_contents (harness->content_key, secret_b64, -1, NULL));
  }
  hub_harness_start_hub (harness);
  g_test_add_func ("/hub/browser/next-changes-display-and-ticket-page", test_counter_display_ticket);
  g_test_add_func ("/hub/browser/console", test_console);
  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
