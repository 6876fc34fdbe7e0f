/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-harness"

#include <libpq-fe.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <signal.h>
#include <unistd.h>

#include "hub-harness.h"
#include "kiosk-autocleanups.h"
#include "kiosk-release.h"
#include "kiosk-test-util.h"

#define PG_BIN "/usr/lib/postgresql/15/bin"

static gboolean
is_root (void)
{
  return geteuid () == 0;
}

char *
hub_harness_run (const char *const *argv, gboolean as_postgres)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;

  if (as_postgres && is_root ())
    {
      g_ptr_array_add (args, (gpointer) "runuser");
      g_ptr_array_add (args, (gpointer) "-u");
      g_ptr_array_add (args, (gpointer) "postgres");
      g_ptr_array_add (args, (gpointer) "--");
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer)argv[i]);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **)args->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s%s", argv[0], out, err);
  return g_steal_pointer (&out);
}

static void
die_with_parent (gpointer user_data)
{
  /* A test that aborts leaves no server behind holding meson's pipes. */
  prctl (PR_SET_PDEATHSIG, GPOINTER_TO_INT (user_data));
}

GSubprocess *
hub_harness_spawn (const char *const *argv, GSubprocessFlags flags, int death_signal, const char *log_path)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr (GError) error = NULL;
  GSubprocess *proc;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GINT_TO_POINTER (death_signal), NULL);
  if (log_path != NULL)
    g_subprocess_launcher_set_stdout_file_path (launcher, log_path);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return proc;
}

static char *
find_hub_bin (void)
{
  const char *root = g_getenv ("KIOSK_BUILD_ROOT");
  return root ? g_build_filename (root, "hub", "linli-hub", NULL) : NULL;
}

HubHarness *
hub_harness_new_certs_only (char **why)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  HubHarness *h;

  if (openssl == NULL)
    {
      *why = g_strdup ("openssl is missing");
      return NULL;
    }
  h = g_new0 (HubHarness, 1);
  h->dir = kiosk_test_make_tmpdir ("fakehub");
  hub_harness_make_ca (h, "ca", &h->ca_cert, &h->ca_key);
  hub_harness_make_cert (h, h->ca_cert, h->ca_key, "127.0.0.1", TRUE, &h->server_cert, &h->server_key);
  return h;
}

HubHarness *
hub_harness_new (char **why)
{
  g_autofree char *hub_bin = find_hub_bin ();
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  HubHarness *h;
  g_autofree char *log = NULL;
  PGconn *conn;

  if (!g_file_test (PG_BIN "/initdb", G_FILE_TEST_IS_EXECUTABLE))
    {
      *why = g_strdup ("PostgreSQL 15 is not installed (" PG_BIN ")");
      return NULL;
    }
  if (is_root () && getpwnam ("postgres") == NULL)
    {
      *why = g_strdup ("running as root without a postgres user");
      return NULL;
    }
  if (openssl == NULL || hub_bin == NULL || !g_file_test (hub_bin, G_FILE_TEST_IS_EXECUTABLE))
    {
      *why = g_strdup ("openssl or linli-hub is missing");
      return NULL;
    }

  h = g_new0 (HubHarness, 1);
  h->hub_bin = g_steal_pointer (&hub_bin);
  h->dir = kiosk_test_make_tmpdir ("hub");
  if (is_root ())
    {
      struct passwd *pw = getpwnam ("postgres");
      g_assert_cmpint (chown (h->dir, pw->pw_uid, pw->pw_gid), ==, 0);
    }
  h->pgdata = g_build_filename (h->dir, "pgdata", NULL);
  log = g_build_filename (h->dir, "postgres.log", NULL);
  {
    const char *argv[]
        = { PG_BIN "/initdb",   "-D",        h->pgdata, "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync", NULL };
    g_free (hub_harness_run (argv, TRUE));
  }
  /* The postmaster in the foreground, as our child: SIGTERM when we die
   * (runuser passes it on), pg_ctl stop when we finish. */
  {
    g_autoptr (GPtrArray) args = g_ptr_array_new ();
    if (is_root ())
      {
        g_ptr_array_add (args, (gpointer) "runuser");
        g_ptr_array_add (args, (gpointer) "-u");
        g_ptr_array_add (args, (gpointer) "postgres");
        g_ptr_array_add (args, (gpointer) "--");
      }
    g_ptr_array_add (args, (gpointer)PG_BIN "/postgres");
    g_ptr_array_add (args, (gpointer) "-D");
    g_ptr_array_add (args, h->pgdata);
    g_ptr_array_add (args, (gpointer) "-k");
    g_ptr_array_add (args, h->dir);
    g_ptr_array_add (args, (gpointer) "-c");
    g_ptr_array_add (args, (gpointer) "listen_addresses=");
    g_ptr_array_add (args, (gpointer) "-p");
    g_ptr_array_add (args, (gpointer) "5432");
    g_ptr_array_add (args, NULL);
    h->postgres
        = hub_harness_spawn ((const char *const *)args->pdata, G_SUBPROCESS_FLAGS_STDERR_MERGE, SIGTERM, log);
  }
  h->pg_running = TRUE;
  h->conninfo = g_strdup_printf ("host=%s port=5432 user=postgres dbname=postgres", h->dir);
  for (guint i = 0; i < 300 && PQping (h->conninfo) != PQPING_OK; i++)
    g_usleep (100 * 1000);
  conn = PQconnectdb (h->conninfo);
  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to the test database: %s", PQerrorMessage (conn));
  h->pg = conn;

  hub_harness_make_ca (h, "ca", &h->ca_cert, &h->ca_key);
  hub_harness_make_cert (h, h->ca_cert, h->ca_key, "127.0.0.1", TRUE, &h->server_cert, &h->server_key);
  return h;
}

void
hub_harness_free (HubHarness *h)
{
  if (h == NULL)
    return;
  hub_harness_stop_hub (h);
  g_clear_pointer ((PGconn **)&h->pg, PQfinish);
  if (h->pg_running)
    {
      const char *argv[] = { PG_BIN "/pg_ctl", "stop", "-s", "-m", "fast", "-D", h->pgdata, NULL };
      g_free (hub_harness_run (argv, TRUE));
      g_subprocess_wait (h->postgres, NULL, NULL);
    }
  g_clear_object (&h->postgres);
  kiosk_test_remove_tree (h->dir);
  g_free (h->dir);
  g_free (h->pgdata);
  g_free (h->conninfo);
  g_free (h->ca_cert);
  g_free (h->ca_key);
  g_free (h->server_cert);
  g_free (h->server_key);
  g_free (h->hub_bin);
  g_free (h->url);
  g_free (h->web_url);
  g_free (h->hub_config);
  g_free (h->hub_log);
  g_strfreev (h->hub_args);
  g_free (h->content_key);
  g_free (h);
}

char *
hub_harness_mkdir (HubHarness *h, const char *name)
{
  g_autofree char *tmpl = g_strdup_printf ("%s/%s-XXXXXX", h->dir, name);
  char *dir = g_mkdtemp (g_steal_pointer (&tmpl));

  g_assert_nonnull (dir);
  return dir;
}

void
hub_harness_make_ca (HubHarness *h, const char *name, char **cert, char **key)
{
  g_autofree char *subject = g_strdup_printf ("/CN=%s test CA", name);
  *cert = g_strdup_printf ("%s/%s.crt", h->dir, name);
  *key = g_strdup_printf ("%s/%s.key", h->dir, name);
  {
    const char *argv[]
        = { "openssl", "req",     "-x509", "-newkey", "ec",  "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes",  "-keyout", *key,    "-out",    *cert, "-days",    "30",
            "-subj",   subject,   NULL };
    g_free (hub_harness_run (argv, FALSE));
  }
}

void
hub_harness_make_cert (HubHarness *h, const char *ca_cert, const char *ca_key, const char *cn,
                       gboolean server, char **cert, char **key)
{
  g_autofree char *base = g_strdup_printf ("%s/%s-%s", h->dir, cn, server ? "server" : "client");
  g_autofree char *csr = g_strconcat (base, ".csr", NULL), *ext = g_strconcat (base, ".ext", NULL);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", cn);
  g_autofree char *ext_text
      = server ? g_strdup_printf ("subjectAltName=IP:%s\nextendedKeyUsage=serverAuth\n", cn)
               : g_strdup ("extendedKeyUsage=clientAuth\n");
  g_autoptr (GError) error = NULL;

  *cert = g_strconcat (base, ".crt", NULL);
  *key = g_strconcat (base, ".key", NULL);
  g_file_set_contents (ext, ext_text, -1, &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { "openssl", "req",     "-newkey", "ec",   "-pkeyopt", "ec_paramgen_curve:P-256",
                           "-nodes",  "-keyout", *key,      "-out", csr,        "-subj",
                           subject,   NULL };
    g_free (hub_harness_run (argv, FALSE));
  }
  {
    const char *argv[]
        = { "openssl",         "x509", "-req", "-in",   csr,  "-CA",      ca_cert, "-CAkey", ca_key,
            "-CAcreateserial", "-out", *cert,  "-days", "30", "-extfile", ext,     NULL };
    g_free (hub_harness_run (argv, FALSE));
  }
}

void
hub_harness_enrol (HubHarness *h, const char *kiosk_id, char **cert, char **key)
{
  g_autofree char *out = hub_harness_mkdir (h, "enrol");
  const char *argv[] = { h->hub_bin, "kiosk", "enrol", kiosk_id, "--ca-cert", h->ca_cert, "--ca-key",
                         h->ca_key,  "--out", out,     "--db",   h->conninfo, NULL };

  g_free (hub_harness_run (argv, FALSE));
  *cert = g_strdup_printf ("%s/%s.crt", out, kiosk_id);
  *key = g_strdup_printf ("%s/%s.key", out, kiosk_id);
}

void
hub_harness_kiosk_command (HubHarness *h, const char *verb, const char *kiosk_id)
{
  const char *argv[] = { h->hub_bin, "kiosk", verb, kiosk_id, "--db", h->conninfo, NULL };
  g_free (hub_harness_run (argv, FALSE));
}

void
hub_harness_start_hub (HubHarness *h)
{
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", h->port);
  g_autofree char *web_listen = g_strdup_printf ("127.0.0.1:%u", h->web_port);

  g_assert_null (h->hub);
  /* After a SIGKILL the port can take a moment to be free again. */
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      g_autoptr (GDataInputStream) out = NULL;
      g_autofree char *line = NULL;
      g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr (GError) error = NULL;
      const char *argv[] = { h->hub_bin,
                             "serve",
                             "--db",
                             h->conninfo,
                             "--listen",
                             listen,
                             "--cert",
                             h->server_cert,
                             "--key",
                             h->server_key,
                             "--ca",
                             h->ca_cert,
                             "--web-listen",
                             web_listen,
                             "--staff-token",
                             HUB_HARNESS_STAFF_TOKEN,
                             NULL };
      g_autoptr (GStrvBuilder) args = g_strv_builder_new ();
      g_auto (GStrv) full = NULL;
      const char *colon;

      g_strv_builder_addv (args, argv);
      if (h->hub_config != NULL)
        {
          g_strv_builder_add (args, "--config");
          g_strv_builder_add (args, h->hub_config);
        }
      if (h->content_key != NULL)
        {
          g_strv_builder_add (args, "--content-key");
          g_strv_builder_add (args, h->content_key);
        }
      if (h->hub_args != NULL)
        g_strv_builder_addv (args, (const char **)h->hub_args);
      full = g_strv_builder_end (args);
      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, GINT_TO_POINTER (SIGKILL), NULL);
      if (h->hub_log != NULL)
        g_subprocess_launcher_set_stderr_file_path (launcher, h->hub_log);
      h->hub = g_subprocess_launcher_spawnv (launcher, (const char *const *)full, &error);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (h->hub));
      line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
      if (line != NULL && (colon = strrchr (line, ':')) != NULL)
        {
          h->port = (guint)g_ascii_strtoull (colon + 1, NULL, 10);
          g_free (h->url);
          h->url = g_strdup_printf ("https://127.0.0.1:%u", h->port);
          g_free (line);
          line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
          g_assert_nonnull (line);
          g_assert_nonnull ((colon = strrchr (line, ':')));
          h->web_port = (guint)g_ascii_strtoull (colon + 1, NULL, 10);
          g_free (h->web_url);
          /* "pages on https://…" when the hub was given web_cert and web_key. */
          h->web_url = g_strdup_printf ("%s://127.0.0.1:%u",
                                        strstr (line, "https://") != NULL ? "https" : "http", h->web_port);
          return;
        }
      g_subprocess_wait (h->hub, NULL, NULL);
      g_clear_object (&h->hub);
      g_usleep (100 * 1000);
    }
  g_error ("linli-hub did not start");
}

void
hub_harness_kill_hub (HubHarness *h)
{
  if (h->hub == NULL)
    return;
  g_subprocess_force_exit (h->hub);
  g_subprocess_wait (h->hub, NULL, NULL);
  g_clear_object (&h->hub);
}

void
hub_harness_stop_hub (HubHarness *h)
{
  if (h->hub == NULL)
    return;
  g_subprocess_send_signal (h->hub, SIGTERM);
  g_subprocess_wait (h->hub, NULL, NULL);
  g_clear_object (&h->hub);
}

gint64
hub_harness_query_int (HubHarness *h, const char *sql)
{
  PGresult *res = PQexec (h->pg, sql);
  gint64 value;

  if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  value = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  return value;
}

void
hub_harness_exec (HubHarness *h, const char *sql)
{
  PGresult *res = PQexec (h->pg, sql);

  if (PQresultStatus (res) != PGRES_COMMAND_OK && PQresultStatus (res) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  PQclear (res);
}

void
hub_harness_sync_config (HubHarness *h, const char *cert, const char *key, KioskSyncConfig *config)
{
  kiosk_sync_config_init (config);
  config->hub_url = g_strdup_printf ("https://127.0.0.1:%u", h->port);
  config->ca_file = g_strdup (h->ca_cert);
  config->cert_file = g_strdup (cert);
  config->key_file = g_strdup (key);
  config->connect_timeout_ms = 2000;
  config->total_timeout_ms = 5000;
  config->backoff_min_ms = 20;
  config->backoff_max_ms = 300;
  config->idle_poll_ms = 200;
  config->heartbeat_interval_ms = 0;
}

static size_t
collect (char *data, size_t size, size_t n, void *user_data)
{
  g_string_append_len (user_data, data, (gssize)(size * n));
  return size * n;
}

static long
request_url (HubHarness *h, const char *cert, const char *key, const char *url, const char *body,
             gsize body_len, char **reply)
{
  g_autoptr (CURL) curl = curl_easy_init ();
  g_autoptr (GString) out = g_string_new (NULL);
  struct curl_slist *headers = curl_slist_append (NULL, "Expect:");
  long status = 0;
  CURLcode rc;

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CAINFO, h->ca_cert);
  curl_easy_setopt (curl, CURLOPT_CAPATH, NULL);
  if (cert != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_SSLCERT, cert);
      curl_easy_setopt (curl, CURLOPT_SSLKEY, key);
    }
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, out);
  if (body != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
    }
  rc = curl_easy_perform (curl);
  curl_slist_free_all (headers);
  if (rc != CURLE_OK)
    {
      if (reply != NULL)
        *reply = g_strdup (curl_easy_strerror (rc));
      return 0;
    }
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  if (reply != NULL)
    *reply = g_string_free (g_steal_pointer (&out), FALSE);
  return status;
}

long
hub_harness_request (HubHarness *h, const char *cert, const char *key, const char *path, const char *body,
                     gsize body_len, char **reply)
{
  g_autofree char *url = g_strdup_printf ("https://127.0.0.1:%u%s", h->port, path);

  return request_url (h, cert, key, url, body, body_len, reply);
}

long
hub_harness_fetch (HubHarness *h, const char *url, char **reply)
{
  return request_url (h, NULL, NULL, url, NULL, 0, reply);
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
hub_harness_wait (gboolean *done, guint timeout_s)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, on_timeout, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *done;
}

gint64
hub_harness_publish (HubHarness *h, const char *dir, const char *target)
{
  g_autofree char *keys = hub_harness_mkdir (h, "publish-key");
  g_autofree char *key_path = g_build_filename (keys, "publish.key", NULL);
  g_autofree char *public_b64 = NULL, *secret_b64 = NULL, *out = NULL;

  kiosk_release_keygen (&public_b64, &secret_b64);
  g_assert_true (g_file_set_contents (key_path, secret_b64, -1, NULL));
  {
    const char *argv[] = { h->hub_bin, "content", "publish",
                           dir,        "--db",    h->conninfo,
                           "--key",    key_path,  target ? "--target" : NULL,
                           target,     NULL };
    out = hub_harness_run (argv, FALSE);
  }
  g_assert_true (g_str_has_prefix (out, "published release "));
  return g_ascii_strtoll (out + strlen ("published release "), NULL, 10);
}
