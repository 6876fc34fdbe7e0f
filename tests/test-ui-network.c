/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-network"

#include "config.h"

#include <gtk/gtk.h>

#include "kiosk-app-network.h"
#include "kiosk-application.h"
#include "kiosk-release.h"
#include "kiosk-test-util.h"
#include "kiosk-ui-test-util.h"

/* The application with a hub it cannot reach: it starts, stays usable, and
 * the sync keeps the records (pending > 0) with the reason for staff. */

typedef struct
{
  char *dir;
  KioskApplication *app;
  GPtrArray *argv;
  gboolean with_hub;
} Fixture;

/* A port nothing listens on: bound, then closed. */
static guint
closed_port (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *config_path = NULL, *config = NULL, *public_b64 = NULL, *secret_b64 = NULL;
  g_autofree char *url = NULL;

  f->with_hub = GPOINTER_TO_INT (data);
  f->dir = kiosk_test_make_tmpdir ("ui-network");
  kiosk_release_keygen (&public_b64, &secret_b64);
  url = f->with_hub ? g_strdup_printf ("url=https://127.0.0.1:%u\n", closed_port ()) : g_strdup ("");
  config = g_strdup_printf ("[hub]\n%s"
                            "ca_file=%s/none-ca.pem\ncert_file=%s/none.pem\nkey_file=%s/none.key\n"
                            "connect_timeout_seconds=1\ntimeout_seconds=2\nbackoff_max_seconds=1\n"
                            "[content]\nreleases_dir=%s/releases\npublic_keys=%s\npoll_seconds=1\n"
                            "[fitness]\ncard_key_file=%s/card.key\n",
                            url, f->dir, f->dir, f->dir, f->dir, public_b64, f->dir);
  config_path = g_build_filename (f->dir, "kiosk.conf", NULL);
  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));

  f->app = g_object_new (KIOSK_TYPE_APPLICATION, "flags", G_APPLICATION_NON_UNIQUE, NULL);
  f->argv = kiosk_ui_test_argv (config_path, f->dir, NULL, NULL);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  kiosk_ui_test_assert_finalized (g_steal_pointer (&f->app));
  g_ptr_array_unref (f->argv);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
}

static void
on_activated (KioskApplication *app, Fixture *f)
{
  GtkWindow *window = kiosk_application_get_kiosk_window (app);
  KioskSync *sync = kiosk_app_network_get_sync (G_APPLICATION (app));
  KioskUpdater *updater = kiosk_app_network_get_updater (G_APPLICATION (app));
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (window);
  if (!f->with_hub)
    {
      /* No url: nothing started. */
      g_assert_null (sync);
      g_assert_null (updater);
      gtk_window_destroy (window);
      g_application_quit (G_APPLICATION (app));
      return;
    }
  g_assert_nonnull (sync);
  g_assert_nonnull (updater);

  /* A record as the queue would write it. */
  g_assert_true (kiosk_store_outbox_add (kiosk_application_get_store (app),
                                         "0b5c4f56-5b1e-4e0e-9a39-3f3c1b0d0a01", "ticket",
                                         "{\"ticket\":\"A001\"}", &error));
  g_assert_no_error (error);
  kiosk_sync_wake (sync);
  while ((kiosk_sync_get_pending (sync) < 1 || kiosk_sync_get_last_error (sync) == NULL
          || kiosk_updater_get_last_error (updater) == NULL)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("pending %" G_GINT64_FORMAT ", sync: %s; content: %s", kiosk_sync_get_pending (sync),
                  kiosk_sync_get_last_error (sync), kiosk_updater_get_last_error (updater));
  g_assert_cmpint (kiosk_sync_get_pending (sync), >=, 1);
  g_assert_nonnull (kiosk_sync_get_last_error (sync));
  g_assert_nonnull (kiosk_updater_get_last_error (updater));
  g_assert_cmpint (kiosk_sync_get_last_success (sync), ==, 0);

  /* Still usable: the window is up and the content is the packaged bundle. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  g_assert_nonnull (kiosk_application_get_content (app));
  gtk_window_destroy (window);
  g_application_quit (G_APPLICATION (app));
}

static void
run_case (Fixture *f, gconstpointer data)
{
  g_signal_connect_after (f->app, "activate", G_CALLBACK (on_activated), f);
  g_assert_cmpint (g_application_run (G_APPLICATION (f->app), (int)f->argv->len - 1, (char **)f->argv->pdata),
                   ==, 0);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add ("/kiosk/ui/network/unreachable-hub-keeps-records", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, run_case, fixture_teardown);
  g_test_add ("/kiosk/ui/network/no-url-starts-nothing", Fixture, GINT_TO_POINTER (FALSE), fixture_setup,
              run_case, fixture_teardown);
  return g_test_run ();
}
