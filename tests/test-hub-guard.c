/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-hub-guard"

#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>

#include "hub-guard.h"
#include "hub-harness.h"
#include "kiosk-autocleanups.h"

/* The hub's body limits (hub-guard.c) against the real linli-hub, PostgreSQL
 * and TLS: bodies over each endpoint's limit, sized, chunked or announced
 * with "Expect: 100-continue", and connections closed after their request.
 * The slow clients are in test-hub-guard-slow.c. */

#define IDLE_TIMEOUT_S 2
#define MAX_PER_KIOSK 4
#define MAX_CONNECTIONS 8
#define RECORDS_MAX_BYTES (256 * 1024)

static HubHarness *harness;
static char *cert_b, *key_b;

/* One HTTPS or HTTP request with libcurl, with the body sent as asked. */
typedef struct
{
  gboolean pages; /* the pages listener (plain HTTP) instead of the kiosks' */
  const char *cert, *key;
  const char *path;
  const char *body;
  gsize length;
  gboolean chunked;    /* Transfer-Encoding: chunked */
  curl_off_t declared; /* > 0: "Expect: 100-continue" with this Content-Length, spaces as the body */
} Request;

typedef struct
{
  const Request *request;
  curl_off_t sent;
} Upload;

static size_t
read_body (char *buffer, size_t size, size_t n, void *user_data)
{
  Upload *u = user_data;
  curl_off_t total = u->request->declared > 0 ? u->request->declared : (curl_off_t)u->request->length;
  size_t count = (size_t)MIN ((curl_off_t)(size * n), total - u->sent);

  if (u->request->declared > 0)
    memset (buffer, ' ', count);
  else
    memcpy (buffer, u->request->body + u->sent, count);
  u->sent += (curl_off_t)count;
  return count;
}

static size_t
collect (char *data, size_t size, size_t n, void *user_data)
{
  g_string_append_len (user_data, data, (gssize)(size * n));
  return size * n;
}

/* The HTTP status (0: none, the reason in *@reply); *@sent: body bytes sent. */
static long
perform (const Request *r, char **reply, curl_off_t *sent)
{
  g_autoptr (CURL) curl = curl_easy_init ();
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *url = g_strconcat (r->pages ? harness->web_url : harness->url, r->path, NULL);
  struct curl_slist *headers = NULL;
  Upload upload = { r, 0 };
  long status = 0;
  CURLcode rc;

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CAINFO, harness->ca_cert);
  curl_easy_setopt (curl, CURLOPT_CAPATH, NULL);
  if (r->cert != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_SSLCERT, r->cert);
      curl_easy_setopt (curl, CURLOPT_SSLKEY, r->key);
    }
  /* Generous: only whether an answer comes at all is asserted. */
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt (curl, CURLOPT_EXPECT_100_TIMEOUT_MS, 60000L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, out);
  if (r->body != NULL || r->declared > 0)
    {
      curl_easy_setopt (curl, CURLOPT_POST, 1L);
      curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_body);
      curl_easy_setopt (curl, CURLOPT_READDATA, &upload);
      if (r->chunked)
        headers = curl_slist_append (headers, "Transfer-Encoding: chunked");
      else
        curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE,
                          r->declared > 0 ? r->declared : (curl_off_t)r->length);
      headers = curl_slist_append (headers, r->declared > 0 ? "Expect: 100-continue" : "Expect:");
    }
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  rc = curl_easy_perform (curl);
  curl_slist_free_all (headers);
  if (sent != NULL)
    *sent = upload.sent;
  if (rc != CURLE_OK)
    {
      *reply = g_strdup (curl_easy_strerror (rc));
      return 0;
    }
  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  *reply = g_string_free (g_steal_pointer (&out), FALSE);
  return status;
}

/* A heartbeat or a batch of one record of exactly @size bytes (JSON padded
 * with spaces), named by @tag so the database can tell which one it stored. */
static char *
make_body (const char *path, gsize size, const char *tag)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *json
      = g_str_equal (path, "/v1/heartbeat")
            ? g_strdup_printf ("{\"software_version\":\"%s\",\"uptime_s\":1}", tag)
            : g_strdup_printf (
                "{\"records\":[{\"uuid\":\"%s\",\"kind\":\"status\",\"payload\":{\"tag\":\"%s\"}}]}", uuid,
                tag);
  GString *body = g_string_new (json);

  g_assert_cmpuint (body->len, <=, size);
  while (body->len < size)
    g_string_append_c (body, ' ');
  return g_string_free (body, FALSE);
}

/* Rows of kiosk B's records, of records tagged @tag, of heartbeats tagged @tag. */
static gint64
count_rows (const char *what, const char *tag)
{
  g_autofree char *sql
      = g_str_equal (what, "records") ? g_strdup ("SELECT count (*) FROM records WHERE kiosk_id = 'guard-b'")
        : g_str_equal (what, "tagged")
            ? g_strdup_printf ("SELECT count (*) FROM records WHERE payload->>'tag' = '%s'", tag)
            : g_strdup_printf ("SELECT count (*) FROM kiosks WHERE heartbeat->>'software_version' = '%s'",
                               tag);
  return hub_harness_query_int (harness, sql);
}

static void
assert_too_large (const Request *r, char **reply, curl_off_t *sent)
{
  long status = perform (r, reply, sent);

  g_assert_cmpint (status, ==, 413);
  g_assert_nonnull (strstr (*reply, "\"error\":\"too-large\""));
}

static gint64
hub_status_kib (const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (harness->hub));
  g_autofree char *text = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull ((line = strstr (text, field)));
  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

static guint
hub_open_fds (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (harness->hub));
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
test_table (void)
{
  HubGuardConfig config;
  const struct
  {
    HubListener listener;
    const char *path;
    gsize limit;
  } cases[] = {
    { HUB_LISTENER_KIOSKS, "/v1/heartbeat", 16 * 1024 },
    { HUB_LISTENER_KIOSKS, "/v1/records", 12345 },
    { HUB_LISTENER_KIOSKS, "/v1/records/", 0 },
    { HUB_LISTENER_KIOSKS, "/v1/heartbeatx", 0 },
    { HUB_LISTENER_KIOSKS, "/v1/time", 0 },
    { HUB_LISTENER_KIOSKS, "/v1/content/files/ab", 0 },
    { HUB_LISTENER_KIOSKS, "/api/counter/d1/next", 0 },
    { HUB_LISTENER_PAGES, "/api/counter/d1/next", 4096 },
    { HUB_LISTENER_PAGES, "/api/console/session", 4096 },
    { HUB_LISTENER_PAGES, "/api/console/announcements", 256 * 1024 },
    { HUB_LISTENER_PAGES, "/api/console/announcements/publish", 4096 },
    { HUB_LISTENER_PAGES, "/api/console/hours", 256 * 1024 },
    { HUB_LISTENER_PAGES, "/api/console/releases/3/rollback", 4096 },
    { HUB_LISTENER_PAGES, "/api/display", 0 },
    { HUB_LISTENER_PAGES, "/v1/records", 0 },
  };

  hub_guard_config_init (&config);
  config.records_max_bytes = 12345;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpuint (hub_guard_body_limit (cases[i].listener, cases[i].path, &config), ==, cases[i].limit);
}

/* At each limit a body passes; one byte over it is answered 413 with a JSON
 * error, whether sized or chunked, and nothing of it is stored. */
static void
test_bodies (void)
{
  HubGuardConfig config;
  const struct
  {
    const char *path;
    gboolean chunked;
  } endpoints[] = {
    { "/v1/heartbeat", FALSE },
    { "/v1/heartbeat", TRUE },
    { "/v1/records", FALSE },
    { "/v1/records", TRUE },
  };

  hub_guard_config_init (&config);
  config.records_max_bytes = RECORDS_MAX_BYTES;
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      gsize limit = hub_guard_body_limit (HUB_LISTENER_KIOSKS, endpoints[i].path, &config);
      gboolean records = g_str_equal (endpoints[i].path, "/v1/records");
      g_autofree char *at = make_body (endpoints[i].path, limit, "at-limit");
      g_autofree char *over = make_body (endpoints[i].path, limit + 1, "over-limit");
      g_autofree char *reply = NULL, *reply2 = NULL;
      Request r
          = { .cert = cert_b, .key = key_b, .path = endpoints[i].path, .chunked = endpoints[i].chunked };
      gint64 before = count_rows ("records", NULL);

      r.body = at;
      r.length = limit;
      g_assert_cmpint (perform (&r, &reply, NULL), ==, 200);
      r.body = over;
      r.length = limit + 1;
      assert_too_large (&r, &reply2, NULL);
      g_test_message ("%s%s: %" G_GSIZE_FORMAT " bytes 200, one more 413: %s", endpoints[i].path,
                      endpoints[i].chunked ? " (chunked)" : "", limit, reply2);
      g_assert_cmpint (count_rows ("records", NULL), ==, before + (records ? 1 : 0));
      g_assert_cmpint (count_rows ("tagged", "over-limit"), ==, 0);
      g_assert_cmpint (count_rows ("heartbeat", "over-limit"), ==, 0);
    }
}

/* Bodies that never reach memory: a GET endpoint with one byte, a staff action
 * past 4 KiB and the console's announcements past 256 KiB on the pages listener, "Expect: 100-continue" with 1 GiB (refused
 * before it is sent), and 32 MiB sent whole (drained, not kept). */
static void
test_bodies_not_read (void)
{
  g_autofree char *reply = NULL, *reply2 = NULL, *reply3 = NULL, *reply4 = NULL, *reply5 = NULL;
  g_autofree char *big = g_strnfill (32 * 1024 * 1024, ' ');
  g_autofree char *staff = g_strnfill (4097, ' ');
  Request time = { .cert = cert_b, .key = key_b, .path = "/v1/time", .body = "x", .length = 1 };
  Request counter = { .pages = TRUE, .path = "/api/counter/d1/call", .body = staff, .length = 4097 };
  Request expect
      = { .cert = cert_b, .key = key_b, .path = "/v1/records", .declared = G_GINT64_CONSTANT (1) << 30 };
  Request whole
      = { .cert = cert_b, .key = key_b, .path = "/v1/records", .body = big, .length = 32 * 1024 * 1024 };
  curl_off_t sent = 0;
  gint64 peak_before, peak_after;

  assert_too_large (&time, &reply, NULL);
  assert_too_large (&counter, &reply2, NULL);
  counter.length = 4096;
  g_assert_cmpint (perform (&counter, &reply3, NULL), !=, 413);
  /* The console: a few fields for a sign-in, more for the announcements. */
  {
    g_autofree char *announcements = g_strnfill (256 * 1024 + 1, ' ');
    g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL;
    Request session = { .pages = TRUE, .path = "/api/console/session", .body = staff, .length = 4097 };
    Request save = {
      .pages = TRUE, .path = "/api/console/announcements", .body = announcements, .length = 256 * 1024 + 1
    };

    assert_too_large (&session, &r1, NULL);
    assert_too_large (&save, &r2, NULL);
    save.length = 4097;
    g_assert_cmpint (perform (&save, &r3, NULL), !=, 413);
  }

  assert_too_large (&expect, &reply4, &sent);
  g_test_message ("Expect: 100-continue, 1 GiB declared: 413 after %" G_GINT64_FORMAT " bytes sent",
                  (gint64)sent);
  g_assert_cmpint (sent, <, 1024 * 1024);

  peak_before = hub_status_kib ("VmHWM:");
  assert_too_large (&whole, &reply5, &sent);
  peak_after = hub_status_kib ("VmHWM:");
  g_test_message ("32 MiB body over a %d KiB limit: sent %" G_GINT64_FORMAT
                  " bytes, hub peak memory %" G_GINT64_FORMAT " KiB before, %" G_GINT64_FORMAT " KiB after",
                  RECORDS_MAX_BYTES / 1024, (gint64)sent, peak_before, peak_after);
#if !defined(__SANITIZE_ADDRESS__)
  /* (AddressSanitizer keeps freed memory in quarantine: peak memory there
   * counts every chunk read, kept or not.) */
  g_assert_cmpint (peak_after - peak_before, <, 16 * 1024);
#endif
}

/* Connections a client closes are closed by the hub too: a kiosk that has
 * made many more requests than its connection cap, one connection each, is
 * still served, and the hub holds no file descriptor for them. */
static void
test_connections_closed (void)
{
  guint fds_before = hub_open_fds (), fds_after;
  gint64 rss_before = hub_status_kib ("VmRSS:");

  for (guint i = 0; i < 10 * MAX_PER_KIOSK; i++)
    {
      g_autofree char *reply = NULL;
      Request r = { .cert = cert_b, .key = key_b, .path = "/v1/time" };
      g_assert_cmpint (perform (&r, &reply, NULL), ==, 200);
    }
  /* The hub closes them a moment after the clients did: wait (generously). */
  for (guint i = 0; i < 200 && (fds_after = hub_open_fds ()) >= fds_before + MAX_PER_KIOSK; i++)
    g_usleep (50 * 1000);
  /* (libsoup 3.2 keeps some memory of every connection: printed, not asserted.) */
  g_test_message ("%u requests: hub file descriptors %u before, %u after; memory %+" G_GINT64_FORMAT " KiB",
                  10 * MAX_PER_KIOSK, fds_before, fds_after, hub_status_kib ("VmRSS:") - rss_before);
  g_assert_cmpuint (fds_after, <, fds_before + MAX_PER_KIOSK);
}

/* A kiosk's connection is kept alive from one request to the next (as its
 * libcurl handle asks), and closed by the hub once it has been idle for
 * idle_timeout. */
static void
test_keepalive_then_idle (void)
{
  g_autoptr (CURL) curl = curl_easy_init ();
  g_autofree char *url = g_strconcat (harness->url, "/v1/time", NULL);
  g_autoptr (GString) out = g_string_new (NULL);
  curl_socket_t fd = CURL_SOCKET_BAD;
  struct pollfd pfd;
  gint64 start;
  int ready;

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CAINFO, harness->ca_cert);
  curl_easy_setopt (curl, CURLOPT_CAPATH, NULL);
  curl_easy_setopt (curl, CURLOPT_SSLCERT, cert_b);
  curl_easy_setopt (curl, CURLOPT_SSLKEY, key_b);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, out);
  for (guint i = 0; i < 5; i++)
    {
      long status = 0, connects = -1;

      g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
      curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo (curl, CURLINFO_NUM_CONNECTS, &connects);
      g_assert_cmpint (status, ==, 200);
      g_assert_cmpint (connects, ==, i == 0 ? 1 : 0);
    }
  curl_easy_getinfo (curl, CURLINFO_ACTIVESOCKET, &fd);
  g_assert_cmpint (fd, !=, CURL_SOCKET_BAD);
  start = g_get_monotonic_time ();
  pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
  ready = poll (&pfd, 1, 60 * 1000);
  g_test_message (
      "5 requests on one connection; then closed by the hub after %.1f s idle (idle_timeout %d s)",
      (double)(g_get_monotonic_time () - start) / G_USEC_PER_SEC, IDLE_TIMEOUT_S);
  g_assert_cmpint (ready, ==, 1);
}

/* Past max_connections the hub closes new connections at once; the count is
 * in the figures it logs when it stops. */
static void
test_listener_full (void)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, (guint16)harness->port);
  g_autoptr (GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *log = NULL;
  g_autoptr (GError) error = NULL;
  const char *line;

  for (guint i = 0; i < MAX_CONNECTIONS + 4; i++)
    {
      GSocket *socket
          = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

      g_assert_no_error (error);
      g_assert_true (g_socket_connect (socket, address, NULL, &error));
      g_assert_no_error (error);
      g_ptr_array_add (sockets, socket);
    }
  /* Each new connection is answered with a handshake or a close; when the
   * last one has been, all were. */
  g_assert_true (g_socket_condition_timed_wait (sockets->pdata[sockets->len - 1], G_IO_IN,
                                                20 * G_USEC_PER_SEC, NULL, NULL));
  g_ptr_array_set_size (sockets, 0);

  hub_harness_stop_hub (harness);
  g_file_get_contents (harness->hub_log, &log, NULL, &error);
  g_assert_no_error (error);
  /* (Its stderr is in the log: a sanitizer build's reports would be too.) */
  g_assert_null (strstr (log, "Sanitizer"));
  g_assert_null (strstr (log, "runtime error"));
  g_assert_nonnull ((line = g_strrstr (log, "kiosks' listener: ")));
  g_test_message ("%.*s", (int)strcspn (line, "\n"), line);
  g_assert_nonnull ((line = strstr (line, ", refused ")));
  g_assert_cmpuint (g_ascii_strtoull (line + strlen (", refused "), NULL, 10), >=, 4);
  hub_harness_start_hub (harness);
}

/* A limit in hub.conf that is not a whole number above 0 stops linli-hub
 * with the file and the key named. */
static void
test_bad_config (void)
{
  const struct
  {
    const char *line;
    const char *key;
  } cases[] = {
    { "idle_timeout=abc", "idle_timeout" },
    { "max_connections=0", "max_connections" },
    { "request_timeout=-5", "request_timeout" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (harness->dir, "bad.conf", NULL);
      g_autofree char *text = g_strdup_printf ("[hub]\n%s\n", cases[i].line);
      g_autofree char *err = NULL;
      g_autoptr (GError) error = NULL;
      const char *argv[] = { harness->hub_bin, "serve", "--config", path, NULL };
      int status = 0;

      g_file_set_contents (path, text, -1, &error);
      g_assert_no_error (error);
      g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status,
                    &error);
      g_assert_no_error (error);
      g_test_message ("%s: %s", cases[i].line, err);
      g_assert_false (g_spawn_check_wait_status (status, NULL));
      g_assert_nonnull (strstr (err, path));
      g_assert_nonnull (strstr (err, cases[i].key));
    }
}

static void
write_config (void)
{
  g_autofree char *text = g_strdup_printf (
      "[hub]\nidle_timeout=%d\nmax_connections_per_kiosk=%d\nmax_connections=%d\nmax_bytes=%d\n",
      IDLE_TIMEOUT_S, MAX_PER_KIOSK, MAX_CONNECTIONS, RECORDS_MAX_BYTES);
  g_autoptr (GError) error = NULL;

  harness->hub_config = g_build_filename (harness->dir, "hub.conf", NULL);
  harness->hub_log = g_build_filename (harness->dir, "hub.log", NULL);
  g_file_set_contents (harness->hub_config, text, -1, &error);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_autofree char *why = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/hub/guard/body-limit-table", test_table);
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      g_test_message ("hub tests skipped: %s", why);
      return g_test_run ();
    }
  curl_global_init (CURL_GLOBAL_DEFAULT);
  write_config ();
  hub_harness_start_hub (harness);
  hub_harness_enrol (harness, "guard-b", &cert_b, &key_b);

  g_test_add_func ("/hub/guard/body-over-limit-413-nothing-stored", test_bodies);
  g_test_add_func ("/hub/guard/body-refused-before-memory", test_bodies_not_read);
  g_test_add_func ("/hub/guard/connections-closed", test_connections_closed);
  g_test_add_func ("/hub/guard/keepalive-then-idle-closed", test_keepalive_then_idle);
  g_test_add_func ("/hub/guard/bad-config-named", test_bad_config);
  g_test_add_func ("/hub/guard/listener-full-refused", test_listener_full);

  status = g_test_run ();
  hub_harness_free (harness);
  g_free (cert_b);
  g_free (key_b);
  curl_global_cleanup ();
  return status;
}
