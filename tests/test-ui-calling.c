/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-calling"

#include "config.h"

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "hub-harness.h"
#include "kiosk-app-network.h"
#include "kiosk-application.h"
#include "kiosk-screenshot.h"
#include "kiosk-serving-bar.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-window.h"

/* A counter calls a kiosk's ticket, end to end: the whole application under
 * Xvfb with the real hub and PostgreSQL. The kiosk issues a number and
 * uploads it; staff press Next on the hub's counter API; the kiosk's sync
 * pulls the call, the queue has the ticket called and the home screen shows
 * "正在办理 A001 → 3号窗口". */

#define KIOSK_ID "ui-calling-1"
#define SERVICE "residence-permit"
#define QUEUE "residence"

static HubHarness *harness;

typedef struct
{
  char *dir;
  char *content_dir;
  KioskApplication *app;
  GPtrArray *argv;
} Fixture;

/* The packaged content with the hall open around the clock, so a number can
 * be taken whenever the test runs, on the hub's service day. */
static char *
always_open_content (const char *dir)
{
  g_autofree char *source = kiosk_test_asset_path ("content/default");
  g_autofree char *target = g_build_filename (dir, "content", NULL);
  g_autofree char *manifest = g_build_filename (target, "manifest.json", NULL);
  const char *cp[] = { "cp", "-r", source, target, NULL };
  const char *days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *hall, *weekly;
  int status = -1;

  g_assert_true (
      g_spawn_sync (NULL, (char **)cp, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (json_parser_load_from_file (parser, manifest, &error));
  g_assert_no_error (error);
  hall = json_object_get_object_member (
      json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "hours"), "hall");
  weekly = json_object_new ();
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      JsonArray *spans = json_array_new ();
      json_array_add_string_element (spans, "00:00-24:00");
      json_object_set_array_member (weekly, days[i], spans);
    }
  json_object_set_object_member (hall, "weekly", weekly);
  json_object_set_array_member (hall, "holidays", json_array_new ());
  json_object_remove_member (hall, "workdays");
  json_object_set_int_member (hall, "cutoff_minutes", 0);
  json_generator_set_root (generator, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (generator, manifest, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&target);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *config_path = NULL, *config = NULL, *cert = NULL, *key = NULL;

  f->dir = hub_harness_mkdir (harness, "ui-calling");
  f->content_dir = always_open_content (f->dir);
  hub_harness_enrol (harness, KIOSK_ID, &cert, &key);
  hub_harness_exec (harness, "INSERT INTO counters (id, name_zh, name_en, services)"
                             " VALUES ('3', '3号窗口', 'Counter 3', ARRAY['" SERVICE "'])");
  /* What a technician writes into /etc/linli-kiosk/kiosk.conf. */
  config = g_strdup_printf ("[kiosk]\nid = " KIOSK_ID "\nsecret_file = %s/kiosk.key\n"
                            "[printer]\ntransport = folder\nfolder = %s/slips\n"
                            "[hub]\nurl = %s\nca_file = %s\ncert_file = %s\nkey_file = %s\n"
                            "connect_timeout_seconds = 2\ntimeout_seconds = 5\nbackoff_max_seconds = 1\n",
                            f->dir, f->dir, harness->url, harness->ca_cert, cert, key);
  config_path = g_build_filename (f->dir, "kiosk.conf", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));

  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  f->argv = kiosk_ui_test_argv (config_path, f->dir, f->content_dir, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_ui_test_assert_finalized (g_steal_pointer (&f->app));
  g_ptr_array_unref (f->argv);
  g_free (f->content_dir);
  g_free (f->dir);
}

/* Runs the main context until @done says so or @seconds pass. */
static gboolean
wait_for (gboolean (*done) (gpointer), gpointer data, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)seconds * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10000);
  return done (data);
}

/* The hub has both tickets (the sync's pending count may still be from before the issue). */
static gboolean
uploaded (gpointer data)
{
  return hub_harness_query_int (harness, "SELECT count(*) FROM records WHERE kind = 'ticket'") == 2;
}

static gboolean
bar_shows (gpointer data)
{
  GPtrArray *texts = kiosk_serving_bar_get_texts (g_object_get_data (data, "bar"));
  return texts->len > 0 && g_strcmp0 (g_ptr_array_index (texts, 0), g_object_get_data (data, "want")) == 0;
}

/* Staff press Next at counter 3 (the hub's pages listener); the label called. */
static char *
press_next (void)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (harness->web_url, "/api/counter/3/next", NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) body = g_bytes_new_static ("{}", 2);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization",
                               "Bearer " HUB_HARNESS_STAFF_TOKEN);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             (gssize)g_bytes_get_size (answer), &error));
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member_with_default (
      json_node_get_object (json_parser_get_root (parser)), "label", ""));
}

/* Next at counter 3, then waits for the kiosk's home screen to show @ticket first. */
static void
call_and_wait (KioskSync *sync, KioskServingBar *bar, const KioskTicket *ticket)
{
  g_autofree char *called = press_next ();
  g_autofree char *want = g_strdup_printf ("%s → 3号窗口", ticket->label);
  gint64 t0 = g_get_monotonic_time ();

  g_assert_cmpstr (called, ==, ticket->label);
  g_object_set_data (G_OBJECT (bar), "want", want);
  kiosk_sync_wake (sync);
  g_assert_true (wait_for (bar_shows, bar, 20));
  g_test_message ("Next for %s → shown on the kiosk in %.0f ms", ticket->label,
                  (g_get_monotonic_time () - t0) / 1000.0);
  g_object_set_data (G_OBJECT (bar), "want", NULL);
}

/* Lays out and paints what changed, then saves the window. */
static void
screenshot (GtkWidget *window, const char *name)
{
  const char *dir = g_getenv ("KIOSK_SCREENSHOT_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : g_test_get_dir (G_TEST_BUILT), name, NULL);
  g_autoptr (GError) error = NULL;

  kiosk_ui_test_settle (window);
  g_assert_true (kiosk_screenshot_save (window, path, &error));
  g_assert_no_error (error);
  g_test_message ("wrote %s", path);
}

/* The bar, shown or not (kiosk_ui_test_find_widget() sees visible ones only). */
static KioskServingBar *
find_bar (GtkWidget *root)
{
  if (KIOSK_IS_SERVING_BAR (root))
    return KIOSK_SERVING_BAR (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      KioskServingBar *bar = find_bar (child);
      if (bar != NULL)
        return bar;
    }
  return NULL;
}

static void
on_activated (KioskApplication *app, Fixture *f)
{
  KioskWindow *window = KIOSK_WINDOW (kiosk_application_get_kiosk_window (app));
  KioskSync *sync = kiosk_app_network_get_sync (G_APPLICATION (app));
  KioskQueue *queue = kiosk_application_get_queue (app);
  GtkWidget *home = kiosk_window_get_screen_widget (window, "home");
  KioskServingBar *bar = find_bar (home);
  g_autoptr (KioskTicket) first = NULL, ticket = NULL;
  g_autoptr (GPtrArray) waiting = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *want_zh = NULL, *want_en = NULL;
  KioskQueueStatus status;

  g_assert_nonnull (sync);
  g_assert_nonnull (queue);
  g_assert_nonnull (bar);
  kiosk_ui_test_iterate ();
  /* Nobody called today: no "now serving". */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (bar)));

  first = kiosk_queue_issue (queue, SERVICE, KIOSK_LANE_NORMAL, &error);
  g_assert_no_error (error);
  ticket = kiosk_queue_issue (queue, SERVICE, KIOSK_LANE_NORMAL, &error);
  g_assert_no_error (error);
  kiosk_sync_wake (sync);
  g_assert_true (wait_for (uploaded, NULL, 20));

  /* The counter calls the first; the kiosk hears of it at its next pull. */
  g_object_set_data (G_OBJECT (bar), "bar", bar);
  call_and_wait (sync, bar, first);
  waiting = kiosk_queue_list_waiting (queue, QUEUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (waiting->len, ==, 1);
  g_assert_cmpstr (((KioskTicket *)g_ptr_array_index (waiting, 0))->uuid, ==, ticket->uuid);

  /* Then the second, live: it comes first, the first one below it. */
  call_and_wait (sync, bar, ticket);
  want_zh = g_strdup_printf ("%s → 3号窗口", first->label);
  g_assert_cmpuint (kiosk_serving_bar_get_texts (bar)->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (kiosk_serving_bar_get_texts (bar), 1), ==, want_zh);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (bar)));

  /* The queue has both called: nobody waiting. */
  g_clear_pointer (&waiting, g_ptr_array_unref);
  waiting = kiosk_queue_list_waiting (queue, QUEUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (waiting->len, ==, 0);
  g_assert_true (kiosk_queue_get_status (queue, QUEUE, &status, &error));
  g_assert_cmpuint (status.waiting, ==, 0);

  screenshot (GTK_WIDGET (window), "home-now-serving-zh.png");

  /* English second: the same call, the desk's English name. */
  kiosk_application_set_language (app, "en");
  kiosk_ui_test_iterate ();
  want_en = g_strdup_printf ("%s → Counter 3", ticket->label);
  g_assert_cmpstr (g_ptr_array_index (kiosk_serving_bar_get_texts (bar), 0), ==, want_en);

  gtk_window_destroy (GTK_WINDOW (window));
  kiosk_ui_test_iterate ();
  g_application_quit (G_APPLICATION (app));
}

static void
test_next_reaches_home (Fixture *f, gconstpointer data)
{
  g_signal_connect_after (f->app, "activate", G_CALLBACK (on_activated), f);
  g_assert_cmpint (g_application_run (G_APPLICATION (f->app), (int)f->argv->len - 1, (char **)f->argv->pdata),
                   ==, 0);
}

int
main (int argc, char *argv[])
{
  g_autofree char *why = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      g_print ("1..0 # SKIP %s\n", why);
      return 0; /* TAP: the "1..0 # SKIP" plan is the skip */
    }
  hub_harness_start_hub (harness);
  g_test_add ("/kiosk/ui/calling/next-reaches-home", Fixture, NULL, fixture_setup, test_next_reaches_home,
              fixture_teardown);
  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
