/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "linli-hub"

#include "config.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "hub-api.h"
#include "hub-appointments.h"
#include "hub-cert.h"
#include "hub-console.h"
#include "hub-content.h"
#include "hub-counters.h"
#include "hub-members.h"
#include "hub-db.h"
#include "hub-web.h"
#include "kiosk-qr.h"

#define DEFAULT_POOL 4
#define DEFAULT_DAYS 1825

typedef struct
{
  char *config;
  char *db;
  char *listen;
  char *cert;
  char *key;
  char *ca;
  char *web_listen;
  char *web_cert;
  char *web_key;
  char *public_url;
  char *staff_token;
  char *content_key;
  int pool;
  int max_records;
  gint64 max_bytes;
  HubGuardConfig guard; /* the defaults, then [hub] timeouts and connection caps */
  /* kiosk enrol */
  char *ca_cert;
  char *ca_key;
  char *out;
  int days;
  /* content */
  char *target;
  char *not_before;
  char *sign_key; /* --key as given: [hub] key of --config is the TLS key */
  /* appointments, counters */
  char *card_key;
  char *name_zh;
  char *name_en;
  char *services;
  /* staff */
  char *role;
  char *hall;
  char *display_name;
} Options;

static void
options_clear (Options *o)
{
  g_free (o->config);
  g_free (o->db);
  g_free (o->listen);
  g_free (o->cert);
  g_free (o->key);
  g_free (o->ca);
  g_free (o->web_listen);
  g_free (o->web_cert);
  g_free (o->web_key);
  g_free (o->public_url);
  g_free (o->staff_token);
  g_free (o->content_key);
  g_free (o->ca_cert);
  g_free (o->ca_key);
  g_free (o->out);
  g_free (o->target);
  g_free (o->not_before);
  g_free (o->sign_key);
  g_free (o->card_key);
  g_free (o->name_zh);
  g_free (o->name_en);
  g_free (o->services);
  g_free (o->role);
  g_free (o->hall);
  g_free (o->display_name);
}

static const char usage[]
    = "linli-hub serve --config FILE | --db CONNINFO --listen ADDR:PORT --cert F --key F --ca F\n"
      "linli-hub kiosk enrol ID --ca-cert F --ca-key F --out DIR (--db CONNINFO | --config FILE)\n"
      "linli-hub kiosk revoke ID (--db CONNINFO | --config FILE)\n"
      "linli-hub kiosk nudge ID (--db CONNINFO | --config FILE)\n"
      "linli-hub content publish DIR --key KEY [--target all|hall:ID|kiosk:ID] [--not-before TIME]\n"
      "linli-hub content list | rollback N --key KEY | hall KIOSK HALL (--db CONNINFO | --config FILE)\n"
      "linli-hub counters add ID --name-zh NAME --name-en NAME --services ID[,ID…] | counters list\n"
      "linli-hub appointments import FILE --card-key KEY | appointments list [YYYY-MM-DD]\n"
      "linli-hub members import FILE --card-key KEY\n"
      "linli-hub staff add NAME --role counter|editor|publisher|admin [--hall HALL] [--display-name TEXT]\n"
      "linli-hub staff reset|disable|enable NAME (--db CONNINFO | --config FILE)";

/* Fills what the command line left unset from the [hub] group of --config. */
static gboolean
load_config (Options *o, GError **error)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  struct
  {
    const char *key;
    char **slot;
  } strings[] = {
    { "db", &o->db },
    { "listen", &o->listen },
    { "cert", &o->cert },
    { "key", &o->key },
    { "ca", &o->ca },
    { "web_listen", &o->web_listen },
    { "web_cert", &o->web_cert },
    { "web_key", &o->web_key },
    { "public_url", &o->public_url },
    { "staff_token", &o->staff_token },
    { "card_key_file", &o->card_key },
    { "content_key", &o->content_key },
  };
  /* docs/hub.md "Limits"; the defaults are in hub-guard.h. */
  struct
  {
    const char *key;
    guint *slot;
  } counts[] = {
    { "handshake_timeout", &o->guard.handshake_timeout_s },
    { "request_timeout", &o->guard.request_timeout_s },
    { "idle_timeout", &o->guard.idle_timeout_s },
    { "max_connections", &o->guard.max_connections },
    { "max_connections_per_kiosk", &o->guard.max_per_client },
    { "max_handshakes", &o->guard.max_handshakes },
  };

  if (o->config == NULL)
    return TRUE;
  if (!g_key_file_load_from_file (kf, o->config, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", o->config);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    if (*strings[i].slot == NULL)
      *strings[i].slot = g_key_file_get_string (kf, "hub", strings[i].key, NULL);
  if (o->pool == 0)
    o->pool = g_key_file_get_integer (kf, "hub", "pool", NULL);
  if (o->max_records == 0)
    o->max_records = g_key_file_get_integer (kf, "hub", "max_records", NULL);
  if (o->max_bytes == 0)
    o->max_bytes = g_key_file_get_int64 (kf, "hub", "max_bytes", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_autoptr (GError) local = NULL;
      int value = g_key_file_get_integer (kf, "hub", counts[i].key, &local);

      if (local != NULL && !g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)
          && !g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s: [hub] %s: %s", o->config,
                       counts[i].key, local->message);
          return FALSE;
        }
      if (local == NULL && value <= 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "%s: [hub] %s must be a whole number above 0, not %d", o->config, counts[i].key,
                       value);
          return FALSE;
        }
      if (local == NULL)
        *counts[i].slot = (guint)value;
    }
  return TRUE;
}

static gboolean
split_listen (const char *listen, char **host, guint *port, GError **error)
{
  const char *colon = listen ? strrchr (listen, ':') : NULL;
  guint64 value;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--listen wants ADDRESS:PORT, not %s",
                   listen ? listen : "(nothing)");
      return FALSE;
    }
  *host = g_strndup (listen, (gsize)(colon - listen));
  *port = (guint)value;
  return TRUE;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
log_guard_stats (const char *name, HubGuard *guard)
{
  HubGuardStats stats;
  g_autofree char *text = NULL;

  hub_guard_get_stats (guard, &stats);
  text = hub_guard_stats_to_string (&stats);
  g_message ("%s: %s", name, text);
}

static int
cmd_serve (Options *o, GError **error)
{
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autoptr (GTlsCertificate) web_certificate = NULL;
  g_autoptr (GTlsDatabase) client_ca = NULL;
  g_autoptr (HubDb) db = NULL;
  g_autoptr (HubApi) api = NULL;
  g_autoptr (HubWeb) web = NULL;
  g_autofree char *web_host = NULL;
  guint web_port = 0, web_bound = 0;
  g_autoptr (GMainLoop) loop = NULL;
  g_autofree char *host = NULL, *ca_path = NULL;
  HubLimits limits = { HUB_DEFAULT_MAX_RECORDS, HUB_DEFAULT_MAX_BYTES };
  guint port = 0, bound = 0;

  if (o->db == NULL || o->cert == NULL || o->key == NULL || o->ca == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "serve needs --db, --cert, --key and --ca (or a --config that names them)");
      return EXIT_FAILURE;
    }
  if (!split_listen (o->listen ? o->listen : "127.0.0.1:8443", &host, &port, error))
    return EXIT_FAILURE;
  if (o->max_records > 0)
    limits.max_records = (guint)o->max_records;
  if (o->max_bytes > 0)
    limits.max_bytes = (gsize)o->max_bytes;
  o->guard.records_max_bytes = limits.max_bytes;

  /* GTlsFileDatabase takes only an absolute anchor path. */
  ca_path = g_canonicalize_filename (o->ca, NULL);
  if ((certificate = g_tls_certificate_new_from_files (o->cert, o->key, error)) == NULL
      || (client_ca = g_tls_file_database_new (ca_path, error)) == NULL)
    return EXIT_FAILURE;
  /* "web_cert=" in the file means none, as leaving it out does. */
  if (o->web_cert != NULL && *o->web_cert == '\0')
    g_clear_pointer (&o->web_cert, g_free);
  if (o->web_key != NULL && *o->web_key == '\0')
    g_clear_pointer (&o->web_key, g_free);
  if ((o->web_cert == NULL) != (o->web_key == NULL))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "web_cert and web_key go together (HTTPS pages) or not at all (plain HTTP)");
      return EXIT_FAILURE;
    }
  if (o->web_cert != NULL
      && (web_certificate = g_tls_certificate_new_from_files (o->web_cert, o->web_key, error)) == NULL)
    return EXIT_FAILURE;
  /* Checked before anything listens: a bad address would print dead QR codes. */
  if (o->public_url != NULL && *o->public_url != '\0' && !kiosk_qr_check_public_url (o->public_url, error))
    {
      g_prefix_error (error, "public_url: ");
      return EXIT_FAILURE;
    }
  if ((db = hub_db_open (o->db, o->pool > 0 ? (guint)o->pool : DEFAULT_POOL, error)) == NULL)
    return EXIT_FAILURE;
  if ((api = hub_api_new (db, &limits, &o->guard, certificate, client_ca, error)) == NULL
      || !hub_api_set_public_url (api, o->public_url, error)
      || !hub_api_listen (api, host, port, &bound, error))
    return EXIT_FAILURE;
  /* Staff pages, the console, the hall display and phones: loopback unless configured. */
  web = hub_web_new (db, o->staff_token, web_certificate);
  hub_web_guard (web, &o->guard);
  /* Publishing from the console signs with this key; without it the console
   * edits drafts but cannot publish. */
  if (o->content_key != NULL && *o->content_key != '\0'
      && !hub_console_set_content_key (hub_web_get_console (web), o->content_key, error))
    {
      g_prefix_error (error, "[hub] content_key: ");
      return EXIT_FAILURE;
    }
  if (!split_listen (o->web_listen ? o->web_listen : "127.0.0.1:8080", &web_host, &web_port, error)
      || !hub_web_listen (web, web_host, web_port, &web_bound, error))
    return EXIT_FAILURE;

  /* The first line of stdout is for whoever started us (tests, scripts). */
  printf ("listening on https://%s:%u/\n", host, bound);
  printf ("pages on %s://%s:%u/\n", web_certificate != NULL ? "https" : "http", web_host, web_bound);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_main_loop_run (loop);
  /* SIGTERM: answer what is in hand, then close cleanly. */
  hub_web_shutdown (web);
  hub_api_shutdown (api, 5000);
  log_guard_stats ("kiosks' listener", hub_api_get_guard (api));
  log_guard_stats ("pages listener", hub_web_get_guard (web));
  return EXIT_SUCCESS;
}

static int
cmd_enrol (Options *o, const char *kiosk_id, GError **error)
{
  g_autoptr (PGconn) conn = NULL;
  g_autoptr (HubCertInfo) info = NULL;
  g_autofree char *cert_pem = NULL, *key_pem = NULL, *cert_path = NULL, *key_path = NULL;

  if (o->ca_cert == NULL || o->ca_key == NULL || o->out == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "enrol needs --ca-cert, --ca-key and --out");
      return EXIT_FAILURE;
    }
  info = hub_cert_issue (kiosk_id, o->ca_cert, o->ca_key, o->days > 0 ? (guint)o->days : DEFAULT_DAYS,
                         &cert_pem, &key_pem, error);
  if (info == NULL || (conn = hub_db_connect (o->db, error)) == NULL || !hub_db_migrate (conn, error))
    return EXIT_FAILURE;

  if (g_mkdir_with_parents (o->out, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "cannot create %s", o->out);
      return EXIT_FAILURE;
    }
  cert_path = g_strdup_printf ("%s/%s.crt", o->out, kiosk_id);
  key_path = g_strdup_printf ("%s/%s.key", o->out, kiosk_id);
  /* Files first: a certificate registered but never written could not be used. */
  if (!g_file_set_contents_full (key_path, key_pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error)
      || !g_file_set_contents_full (cert_path, cert_pem, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error))
    return EXIT_FAILURE;
  if (!hub_db_enrol (conn, info, error))
    {
      g_unlink (cert_path);
      g_unlink (key_path);
      return EXIT_FAILURE;
    }
  printf ("enrolled %s\ncertificate %s\nkey %s\nsha256 %s\n", kiosk_id, cert_path, key_path,
          info->fingerprint);
  return EXIT_SUCCESS;
}

static int
cmd_kiosk_update (Options *o, const char *verb, const char *kiosk_id, GError **error)
{
  g_autoptr (PGconn) conn = hub_db_connect (o->db, error);
  gboolean ok;

  if (conn == NULL || !hub_db_migrate (conn, error))
    return EXIT_FAILURE;
  ok = g_str_equal (verb, "revoke") ? hub_db_revoke (conn, kiosk_id, error)
                                    : hub_db_nudge (conn, kiosk_id, error);
  if (!ok)
    return EXIT_FAILURE;
  printf ("%s %s\n", g_str_equal (verb, "revoke") ? "revoked" : "nudged", kiosk_id);
  return EXIT_SUCCESS;
}

/* linli-hub staff add|reset|disable|enable NAME: the first admin, and a way
 * back in when every admin is locked out. Passwords made here are for one
 * sign-in and are printed once. */
static int
cmd_staff (Options *o, const char *verb, const char *name, GError **error)
{
  g_autoptr (PGconn) conn = hub_db_connect (o->db, error);
  g_autofree char *password = NULL;
  HubRole role;

  if (conn == NULL || !hub_db_migrate (conn, error))
    return EXIT_FAILURE;
  if (g_str_equal (verb, "add"))
    {
      if (!hub_role_from_string (o->role, &role))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "staff add needs --role counter, editor, publisher or admin");
          return EXIT_FAILURE;
        }
      password = hub_console_staff_add (conn, name, o->display_name, role, o->hall, error);
    }
  else if (g_str_equal (verb, "reset"))
    password = hub_console_staff_reset (conn, name, error);
  else if (hub_console_staff_disable (conn, name, g_str_equal (verb, "disable"), error))
    {
      printf ("%s %s\n", g_str_equal (verb, "disable") ? "disabled" : "enabled", name);
      return EXIT_SUCCESS;
    }
  if (password == NULL)
    return EXIT_FAILURE;
  printf ("account %s\none-time password %s\n", name, password);
  return EXIT_SUCCESS;
}

int
main (int argc, char **argv)
{
  Options o = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = g_option_context_new ("serve | kiosk enrol|revoke|nudge ID");
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &o.config, "Key file with a [hub] group", "FILE" },
    { "db", 0, 0, G_OPTION_ARG_STRING, &o.db, "libpq connection string", "CONNINFO" },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &o.listen, "Address and port (port 0: any)", "ADDR:PORT" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &o.cert, "Server certificate (PEM)", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &o.key, "Server key (PEM)", "FILE" },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &o.ca, "CA that signs kiosk certificates (PEM)", "FILE" },
    { "web-listen", 0, 0, G_OPTION_ARG_STRING, &o.web_listen,
      "Pages over plain HTTP (default 127.0.0.1:8080)", "ADDR:PORT" },
    { "web-cert", 0, 0, G_OPTION_ARG_FILENAME, &o.web_cert, "Pages over HTTPS: certificate (PEM)", "FILE" },
    { "web-key", 0, 0, G_OPTION_ARG_FILENAME, &o.web_key, "Pages over HTTPS: key (PEM)", "FILE" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &o.public_url,
      "The pages' address as phones reach it, for slips' QR codes", "https://HOST[:PORT][/PATH]" },
    { "staff-token", 0, 0, G_OPTION_ARG_STRING, &o.staff_token, "Token for counter actions (deprecated)",
      "TOKEN" },
    { "content-key", 0, 0, G_OPTION_ARG_FILENAME, &o.content_key, "serve: key the console publishes with",
      "FILE" },
    { "pool", 0, 0, G_OPTION_ARG_INT, &o.pool, "Database connections", "N" },
    { "max-records", 0, 0, G_OPTION_ARG_INT, &o.max_records, "Most records in one batch", "N" },
    { "max-bytes", 0, 0, G_OPTION_ARG_INT64, &o.max_bytes, "Largest request body", "BYTES" },
    { "ca-cert", 0, 0, G_OPTION_ARG_FILENAME, &o.ca_cert, "enrol: CA certificate (PEM)", "FILE" },
    { "ca-key", 0, 0, G_OPTION_ARG_FILENAME, &o.ca_key, "enrol: CA key (PEM)", "FILE" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &o.out, "enrol: where to write ID.crt and ID.key", "DIR" },
    { "days", 0, 0, G_OPTION_ARG_INT, &o.days, "enrol: validity in days", "N" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &o.target, "content: all, hall:ID or kiosk:ID", "T" },
    { "not-before", 0, 0, G_OPTION_ARG_STRING, &o.not_before, "content: apply from (ISO 8601)", "TIME" },
    { "card-key", 0, 0, G_OPTION_ARG_FILENAME, &o.card_key, "appointments: the deployment's card key",
      "FILE" },
    { "name-zh", 0, 0, G_OPTION_ARG_STRING, &o.name_zh, "counters: name in Chinese (3号窗口)", "NAME" },
    { "name-en", 0, 0, G_OPTION_ARG_STRING, &o.name_en, "counters: name in English (Counter 3)", "NAME" },
    { "services", 0, 0, G_OPTION_ARG_STRING, &o.services, "counters: service ids it calls", "ID,…" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &o.role, "staff add: counter, editor, publisher or admin", "ROLE" },
    { "hall", 0, 0, G_OPTION_ARG_STRING, &o.hall, "staff add: the centre (none: the district)", "HALL" },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &o.display_name, "staff add: the name shown", "TEXT" },
    { NULL },
  };
  int status = EXIT_FAILURE;

  setlocale (LC_ALL, "");
  hub_guard_config_init (&o.guard);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, usage);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto out;
  o.sign_key = g_strdup (o.key);
  if (!load_config (&o, &error))
    goto out;

  if (argc == 2 && g_str_equal (argv[1], "serve"))
    status = cmd_serve (&o, &error);
  else if (argc >= 3 && g_str_equal (argv[1], "content") && o.db != NULL)
    status = hub_content_command (o.db, o.sign_key, o.target, o.not_before, argc, argv, &error);
  else if (argc >= 3 && g_str_equal (argv[1], "appointments") && o.db != NULL)
    status = hub_appointments_command (o.db, o.card_key, argc, argv, &error);
  else if (argc >= 3 && g_str_equal (argv[1], "members") && o.db != NULL)
    status = hub_members_command (o.db, o.card_key, argc, argv, &error);
  else if (argc >= 3 && g_str_equal (argv[1], "counters") && o.db != NULL)
    {
      HubCounterSpec spec = { NULL, o.name_zh, o.name_en, o.services };
      status = hub_counters_command (o.db, &spec, argc, argv, &error);
    }
  else if (argc == 4 && g_str_equal (argv[1], "staff") && o.db != NULL
           && (g_str_equal (argv[2], "add") || g_str_equal (argv[2], "reset")
               || g_str_equal (argv[2], "disable") || g_str_equal (argv[2], "enable")))
    status = cmd_staff (&o, argv[2], argv[3], &error);
  else if (argc == 4 && g_str_equal (argv[1], "kiosk") && o.db == NULL)
    g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                         "kiosk commands need --db or --config");
  else if (argc == 4 && g_str_equal (argv[1], "kiosk") && g_str_equal (argv[2], "enrol"))
    status = cmd_enrol (&o, argv[3], &error);
  else if (argc == 4 && g_str_equal (argv[1], "kiosk")
           && (g_str_equal (argv[2], "revoke") || g_str_equal (argv[2], "nudge")))
    status = cmd_kiosk_update (&o, argv[2], argv[3], &error);
  else
    {
      fprintf (stderr, "usage:\n%s\n", usage);
      status = 2;
    }

out:
  if (error != NULL)
    fprintf (stderr, "linli-hub: %s\n", error->message);
  options_clear (&o);
  return status;
}
