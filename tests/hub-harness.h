/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-sync-client.h"

G_BEGIN_DECLS

/* Real servers for the 'hub' suite: a PostgreSQL cluster made with initdb in
 * a temporary directory (unix socket only), a CA and server certificate made
 * with the openssl command, and linli-hub on 127.0.0.1 with a free port. As
 * root, PostgreSQL runs as the postgres user (it refuses root). */
typedef struct
{
  char *dir;
  char *pgdata;
  char *conninfo;
  char *ca_cert;
  char *ca_key;
  char *server_cert;
  char *server_key;
  char *hub_bin;
  char *url;
  GSubprocess *hub;
  GSubprocess *postgres;
  guint port;
  char *web_url;  /* http(s)://127.0.0.1:N, the pages (hub-web) */
  GStrv hub_args; /* more arguments for linli-hub serve; NULL: none */
  guint web_port;
  gboolean pg_running;
  char *content_key; /* set before hub_harness_start_hub: the console publishes with it */
  gpointer pg;       /* PGconn *, for the test's own queries */
  char *hub_config;  /* if set, linli-hub gets --config with it (flags still win) */
  char *hub_log;     /* if set, linli-hub's stderr goes there */
} HubHarness;

/* NULL when PostgreSQL, openssl or linli-hub is missing (with @why set): the
 * caller exits 77. Otherwise the database is running; the hub is not. */
HubHarness *hub_harness_new (char **why);
void hub_harness_free (HubHarness *h);
/* Only the temporary directory, a CA and a server certificate for 127.0.0.1. */
HubHarness *hub_harness_new_certs_only (char **why);

/* A fresh temporary directory inside the harness's (removed with it). */
char *hub_harness_mkdir (HubHarness *h, const char *name);

/* openssl: a self-signed CA, and certificates signed by one. */
void hub_harness_make_ca (HubHarness *h, const char *name, char **cert, char **key);
void hub_harness_make_cert (HubHarness *h, const char *ca_cert, const char *ca_key, const char *cn,
                            gboolean server, char **cert, char **key);

/* linli-hub kiosk enrol / revoke / nudge, against the harness database. */
void hub_harness_enrol (HubHarness *h, const char *kiosk_id, char **cert, char **key);
void hub_harness_kiosk_command (HubHarness *h, const char *verb, const char *kiosk_id);

/* The staff token the harness gives linli-hub. */
#define HUB_HARNESS_STAFF_TOKEN "harness-staff-token"

/* Starts linli-hub (on the same ports as before, after the first time). */
void hub_harness_start_hub (HubHarness *h);
/* SIGKILL, as a power cut would. */
void hub_harness_kill_hub (HubHarness *h);
/* SIGTERM and wait. */
void hub_harness_stop_hub (HubHarness *h);

gint64 hub_harness_query_int (HubHarness *h, const char *sql);
void hub_harness_exec (HubHarness *h, const char *sql);

/* A sync configuration for this hub with the given client certificate; short
 * timeouts and backoff for tests. */
void hub_harness_sync_config (HubHarness *h, const char *cert, const char *key, KioskSyncConfig *config);

/* One HTTPS request with libcurl; returns the HTTP status (0: no HTTP answer,
 * the reason in *@reply). */
long hub_harness_request (HubHarness *h, const char *cert, const char *key, const char *path,
                          const char *body, gsize body_len, char **reply);

/* GET @url with no client certificate (a phone's view), trusting the
 * harness CA; the HTTP status (0: none, the reason in *@reply). */
long hub_harness_fetch (HubHarness *h, const char *url, char **reply);

/* Spawns a child that gets @death_signal when the test process dies
 * (PR_SET_PDEATHSIG); stdout (and stderr, if merged) to @log_path if set. */
GSubprocess *hub_harness_spawn (const char *const *argv, GSubprocessFlags flags, int death_signal,
                                const char *log_path);

/* Runs argv, asserting that it exits 0; its stdout. */
char *hub_harness_run (const char *const *argv, gboolean as_postgres);

/* Waits on the default main context until @done (a gboolean) is TRUE or
 * @timeout_s passes; TRUE if it became TRUE. */
gboolean hub_harness_wait (gboolean *done, guint timeout_s);

/* linli-hub content publish @dir [--target @target], signed with a fresh key;
 * the release number it was given. */
gint64 hub_harness_publish (HubHarness *h, const char *dir, const char *target);

G_END_DECLS
