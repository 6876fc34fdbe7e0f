/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-console"

#include "config.h"

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

#include "hub-harness.h"
#include "kiosk-application.h"
#include "kiosk-release.h"
#include "kiosk-screenshot.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"
#include "kiosk-window.h"

/* From the staff console to a resident's eyes: the whole application under
 * Xvfb syncing with the real hub and PostgreSQL; a staff member signs in to
 * the console's API as a browser does (cookie, CSRF token), writes an
 * announcement into the draft and publishes it; the hub signs it with its
 * content key, which the kiosk trusts; the kiosk shows it on its home screen. */

#define TITLE "园区东路今晚维修路灯"

static HubHarness *harness;

typedef struct
{
  char *dir;
  char *cert, *key;
  KioskApplication *app;
  GPtrArray *argv;
  KioskWindow *window;
  SoupSession *session;
  char *cookie;
  char *csrf;
} Fixture;

/* One console call; the reply's object. Takes the session cookie and CSRF
 * token from what the hub answers. */
static JsonObject *
console (Fixture *f, const char *method, const char *path, const char *body, guint expect)
{
  g_autofree char *url = g_strconcat (harness->web_url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *set_cookie;

  if (f->cookie != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), "Cookie", f->cookie);
  if (f->csrf != NULL)
    soup_message_headers_append (soup_message_get_request_headers (msg), "X-CSRF-Token", f->csrf);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (f->session, msg, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  if (soup_message_get_status (msg) != expect)
    g_error ("%s %s: %u %s", method, path, soup_message_get_status (msg), text);
  if ((set_cookie = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie"))
      != NULL)
    {
      g_free (f->cookie);
      f->cookie = g_strndup (set_cookie, strcspn (set_cookie, ";"));
    }
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  if (json_object_has_member (json_node_get_object (root), "csrf"))
    {
      g_free (f->csrf);
      f->csrf = g_strdup (json_object_get_string_member (json_node_get_object (root), "csrf"));
    }
  return json_object_ref (json_node_get_object (root));
}

static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64)ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (2000), TRUE);
}

static gboolean
label_is (GtkWidget *widget, gpointer text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static gboolean
shows (Fixture *f, const char *text)
{
  return kiosk_ui_test_find_widget (GTK_WIDGET (f->window), label_is, (gpointer)text) != NULL;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *public_b64 = NULL, *secret_b64 = NULL, *config = NULL, *config_path = NULL;
  g_autofree char *content = kiosk_test_asset_path ("content/default");
  g_autofree char *out = NULL;

  f->dir = hub_harness_mkdir (harness, "ui-console");
  hub_harness_enrol (harness, "ui-console-1", &f->cert, &f->key);
  /* The hub's content key (hub.conf content_key), which the kiosk trusts. */
  harness->content_key = g_build_filename (f->dir, "publish.key", NULL);
  kiosk_release_keygen (&public_b64, &secret_b64);
  g_assert_true (g_file_set_contents (harness->content_key, secret_b64, -1, NULL));
  hub_harness_start_hub (harness);
  {
    const char *argv[]
        = { harness->hub_bin,     "content", "publish", content, "--db", harness->conninfo, "--key",
            harness->content_key, NULL };
    out = hub_harness_run (argv, FALSE);
    g_assert_true (g_str_has_prefix (out, "published release "));
  }

  config
      = g_strdup_printf ("[kiosk]\nid = ui-console-1\nsecret_file = %s/kiosk.key\n"
                         "[hub]\nurl = %s\nca_file = %s\ncert_file = %s\nkey_file = %s\n"
                         "connect_timeout_seconds = 5\ntimeout_seconds = 10\nbackoff_max_seconds = 1\n"
                         "[content]\nreleases_dir = %s/releases\npublic_keys = %s\npoll_seconds = 1\n"
                         "[fitness]\ncard_key_file = %s/card.key\n"
                         "[display]\nblank_when_closed = false\n",
                         f->dir, harness->url, harness->ca_cert, f->cert, f->key, f->dir, public_b64, f->dir);
  config_path = g_build_filename (f->dir, "kiosk.conf", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  f->argv = kiosk_ui_test_argv (config_path, f->dir, NULL, NULL);
  f->session = soup_session_new ();
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->app);
  g_ptr_array_unref (f->argv);
  g_clear_object (&f->session);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->cert);
  g_free (f->key);
  g_free (f->cookie);
  g_free (f->csrf);
}

/* The district's admin signs in for the first time and sets a password. */
static void
sign_in (Fixture *f)
{
  const char *argv[]
      = { harness->hub_bin, "staff", "add", "chief", "--role", "admin", "--db", harness->conninfo, NULL };
  g_autofree char *out = hub_harness_run (argv, FALSE);
  const char *p = strstr (out, "one-time password ");
  g_autofree char *one_time = NULL, *body = NULL;

  g_assert_nonnull (p);
  one_time = g_strstrip (g_strdup (p + strlen ("one-time password ")));
  body = g_strdup_printf ("{\"name\":\"chief\",\"password\":\"%s\"}", one_time);
  json_object_unref (console (f, "POST", "/api/console/session", body, 200));
  g_free (body);
  body = g_strdup_printf ("{\"password\":\"%s\",\"new_password\":\"district chief 2026\"}", one_time);
  json_object_unref (console (f, "POST", "/api/console/password", body, 200));
}

static void
on_activated (KioskApplication *app, Fixture *f)
{
  g_autoptr (JsonObject) live = NULL, published = NULL;
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *body = NULL, *list = NULL;
  JsonArray *notes;
  JsonNode *node;
  gint64 deadline, t0;

  f->window = KIOSK_WINDOW (kiosk_application_get_kiosk_window (app));
  kiosk_ui_test_wait_mapped (GTK_WIDGET (f->window));
  run_for (1500);
  g_assert_false (shows (f, TITLE));

  /* The console: what is live, one announcement more at the top, publish. */
  sign_in (f);
  live = console (f, "GET", "/api/console/announcements", NULL, 200);
  notes = json_object_get_array_member (live, "live");
  {
    g_autoptr (JsonArray) draft = json_array_new ();
    JsonObject *note = json_object_new (), *title = json_object_new (), *text = json_object_new ();

    json_object_set_string_member (note, "id", "lamp-repair");
    json_object_set_string_member (title, "zh", TITLE);
    json_object_set_string_member (title, "en", "Street lamp repair on East Road tonight");
    json_object_set_string_member (text, "zh", "20:00–21:00 停电一小时。");
    json_object_set_string_member (text, "en", "No power 20:00–21:00.");
    json_object_set_object_member (note, "title", title);
    json_object_set_object_member (note, "body", text);
    json_array_add_object_element (draft, note);
    for (guint i = 0; i < json_array_get_length (notes); i++)
      json_array_add_element (draft, json_node_copy (json_array_get_element (notes, i)));
    node = json_node_init_array (json_node_alloc (), draft);
    json_generator_set_root (generator, node);
    list = json_generator_to_data (generator, NULL);
    json_node_unref (node);
  }
  body = g_strdup_printf ("{\"version\":0,\"announcements\":%s}", list);
  json_object_unref (console (f, "PUT", "/api/console/announcements", body, 200));
  published = console (f, "POST", "/api/console/announcements/publish", "{\"version\":1}", 200);
  g_assert_cmpint (json_object_get_int_member (published, "release"), >, 1);

  t0 = g_get_monotonic_time ();
  deadline = t0 + 60 * G_USEC_PER_SEC;
  while (!shows (f, TITLE) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (5000), TRUE);
  g_assert_true (shows (f, TITLE));
  g_test_message ("console publish → on the kiosk's screen: %.2f s",
                  (double)(g_get_monotonic_time () - t0) / G_USEC_PER_SEC);
  if (g_getenv ("KIOSK_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *path
          = g_build_filename (g_getenv ("KIOSK_SCREENSHOT_DIR"), "kiosk-console-announcement-zh.png", NULL);
      g_autoptr (GError) error = NULL;

      kiosk_ui_test_settle (GTK_WIDGET (f->window));
      kiosk_screenshot_save (GTK_WIDGET (f->window), path, &error);
      g_assert_no_error (error);
    }

  gtk_window_destroy (GTK_WINDOW (f->window));
  f->window = NULL;
  kiosk_ui_test_iterate ();
  g_application_quit (G_APPLICATION (app));
}

static void
test_console_to_kiosk (Fixture *f, gconstpointer data)
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

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display: run under xvfb-run\n");
      return 0;
    }
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      printf ("1..0 # SKIP %s\n", why);
      return 0;
    }
  g_test_add ("/kiosk/ui/console/announcement-reaches-the-kiosk", Fixture, NULL, fixture_setup,
              test_console_to_kiosk, fixture_teardown);
  status = g_test_run ();
  hub_harness_free (harness);
  return status;
}
