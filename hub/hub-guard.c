/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-guard"

#include "config.h"

#include <errno.h>
#include <sys/socket.h>

#include "hub-guard.h"
#include "hub-proto.h"

#define KIB 1024
#define CONN_KEY "hub-guard-connection"
/* A refusal or timeout is logged when it first happens, then at most once a
 * minute with the count since: a flood must not flood the journal too. */
#define LOG_INTERVAL_US (60 * G_USEC_PER_SEC)
#define MAX_IDLE_WAKEUPS 64
#define CLOSE_DELAY_MS 100

/* The largest body of every endpoint, in one place. A path ending in '/' is a
 * prefix; the longest match wins; no match: 0. Bodies are refused from their
 * Content-Length before they are read, or (chunked) as soon as the bytes
 * received pass the limit, and never kept in memory past it. */
static const struct
{
  HubListener listener;
  const char *path;
  gsize max_body; /* 0 with records: [hub] max_bytes */
  gboolean records;
} body_limits[] = {
  /* Kiosks: a heartbeat is a few hundred bytes; a record batch is up to
   * max_records records (a kiosk halves its batch on a 413). Every other
   * endpoint (members, calls, appointments, time, content) is a GET. */
  { HUB_LISTENER_KIOSKS, "/v1/heartbeat", 16 * KIB, FALSE },
  { HUB_LISTENER_KIOSKS, "/v1/records", 0, TRUE },
  { HUB_LISTENER_KIOSKS, "/", 0, FALSE },
  /* Pages: a counter action carries a number or a service id; a console
   * call a few fields (sign-in, password, account, rollback); what a centre
   * publishes (announcements, opening hours) the most. hub-console.c reads
   * the same limits from here when it parses. */
  { HUB_LISTENER_PAGES, "/api/counter/", 4 * KIB, FALSE },
  { HUB_LISTENER_PAGES, "/api/console/", 4 * KIB, FALSE },
  { HUB_LISTENER_PAGES, "/api/console/announcements", 256 * KIB, FALSE },
  { HUB_LISTENER_PAGES, "/api/console/hours", 256 * KIB, FALSE },
  { HUB_LISTENER_PAGES, "/", 0, FALSE },
};

typedef enum
{
  PHASE_HANDSHAKE, /* TLS handshake under way */
  PHASE_REQUEST,   /* reading a request's headers and body */
  PHASE_HANDLER,   /* the request is read; its answer is being made or written */
  PHASE_IDLE,      /* kept alive, waiting for the next request */
  PHASE_CLOSING,   /* closed by us; waiting for libsoup to let go */
} Phase;

typedef enum
{
  NOTE_FULL,
  NOTE_CLIENT,
  NOTE_HANDSHAKES,
  NOTE_TIMEOUT,
  NOTE_TOO_LARGE,
  N_NOTES,
} Note;

struct _HubGuard
{
  GObject parent_instance;

  HubListener listener;
  HubGuardConfig config;
  HubGuardStats stats;

  /* Owned */
  GHashTable *clients; /* certificate SHA-256 → Client */
  GQueue handshakes;   /* Conn, oldest first, those in PHASE_HANDSHAKE */

  struct
  {
    guint64 unlogged;
    gint64 last_us;
  } notes[N_NOTES];
};

G_DEFINE_FINAL_TYPE (HubGuard, hub_guard, G_TYPE_OBJECT)

typedef struct
{
  guint open;
} Client;

/* One connection, from the first message libsoup makes for it (before the
 * TLS handshake) until it is closed. libsoup 3.2 says so only while a
 * request is under way: it never frees its connection objects (nor their
 * GSocket), and a kept-alive connection that the client closes between
 * requests it does not even close (fixed in 3.3, GNOME/libsoup commit
 * d20c6601). Between requests the guard therefore watches the socket itself,
 * and closes the descriptor of a connection whose client has gone. */
typedef struct
{
  /* Owned */
  HubGuard *guard;
  GSocket *socket;
  char *client;   /* certificate SHA-256 once the handshake accepted it */
  GSource *watch; /* PHASE_IDLE: the client closing or sending */

  /* Borrowed, weak */
  SoupServerMessage *msg; /* the request under way */

  Phase phase;
  gboolean refused; /* closed at once, never counted as open */
  gboolean queued;  /* in the guard's handshakes */
  guint timer_id;
  guint after_id;     /* on_after_finished */
  guint idle_wakeups; /* PHASE_IDLE: times the watch woke with no end in sight */
  GList handshake_link;
  gsize body_limit;
  guint64 body_seen;
} Conn;

static const char *
listener_name (HubGuard *self)
{
  return self->listener == HUB_LISTENER_KIOSKS ? "kiosks' listener" : "pages listener";
}

static void note (HubGuard *self, Note what, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
note (HubGuard *self, Note what, const char *format, ...)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;
  va_list args;

  self->notes[what].unlogged++;
  if (self->notes[what].last_us != 0 && now - self->notes[what].last_us < LOG_INTERVAL_US)
    return;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_message ("%s: %s (%" G_GUINT64_FORMAT " since the last such message)", listener_name (self), text,
             self->notes[what].unlogged);
  self->notes[what].unlogged = 0;
  self->notes[what].last_us = now;
}

void
hub_guard_config_init (HubGuardConfig *config)
{
  *config = (HubGuardConfig){
    .handshake_timeout_s = HUB_GUARD_DEFAULT_HANDSHAKE_TIMEOUT_S,
    .request_timeout_s = HUB_GUARD_DEFAULT_REQUEST_TIMEOUT_S,
    .idle_timeout_s = HUB_GUARD_DEFAULT_IDLE_TIMEOUT_S,
    .max_connections = HUB_GUARD_DEFAULT_MAX_CONNECTIONS,
    .max_per_client = HUB_GUARD_DEFAULT_MAX_PER_CLIENT,
    .max_handshakes = HUB_GUARD_DEFAULT_MAX_HANDSHAKES,
    .records_max_bytes = HUB_DEFAULT_MAX_BYTES,
  };
}

gsize
hub_guard_body_limit (HubListener listener, const char *path, const HubGuardConfig *config)
{
  gsize best_len = 0, limit = 0;

  for (guint i = 0; i < G_N_ELEMENTS (body_limits); i++)
    {
      const char *entry = body_limits[i].path;
      gsize len = strlen (entry);
      gboolean prefix = len > 0 && entry[len - 1] == '/';

      if (body_limits[i].listener != listener || path == NULL
          || !(prefix ? strncmp (path, entry, len) == 0 : strcmp (path, entry) == 0) || len <= best_len)
        continue;
      best_len = len;
      limit = !body_limits[i].records ? body_limits[i].max_body
              : config != NULL        ? config->records_max_bytes
                                      : HUB_DEFAULT_MAX_BYTES;
    }
  return limit;
}

static void
handshakes_remove (HubGuard *self, Conn *conn)
{
  if (conn->queued)
    g_queue_unlink (&self->handshakes, &conn->handshake_link);
  conn->queued = FALSE;
}

static void conn_end (Conn *conn);

static gboolean
on_close_socket (gpointer user_data)
{
  g_socket_close (user_data, NULL);
  return G_SOURCE_REMOVE;
}

/* Ends the connection whatever libsoup or glib-networking is waiting for:
 * a shut-down socket reads as end of file in either, and libsoup then closes
 * it as it would any connection the client dropped. Between requests
 * libsoup 3.2 would not, so there the connection is over for us at once and
 * its descriptor is closed here, a moment later (once libsoup has read the
 * end of file; were it later still, its read would fail on the closed
 * GSocket and it would let go all the same). */
static void
conn_close (Conn *conn)
{
  gboolean idle = conn->phase == PHASE_IDLE;

  g_clear_handle_id (&conn->timer_id, g_source_remove);
  if (conn->watch != NULL)
    {
      g_source_destroy (conn->watch);
      g_clear_pointer (&conn->watch, g_source_unref);
    }
  handshakes_remove (conn->guard, conn);
  conn->phase = PHASE_CLOSING;
  if (!g_socket_is_closed (conn->socket))
    g_socket_shutdown (conn->socket, TRUE, TRUE, NULL);
  if (idle)
    {
      g_timeout_add_full (G_PRIORITY_DEFAULT, CLOSE_DELAY_MS, on_close_socket, g_object_ref (conn->socket),
                          g_object_unref);
      conn_end (conn);
    }
}

static gboolean
on_timeout (gpointer user_data)
{
  Conn *conn = user_data;
  HubGuard *self = conn->guard;

  conn->timer_id = 0;
  switch (conn->phase)
    {
      case PHASE_HANDSHAKE:
        self->stats.timed_out_handshake++;
        note (self, NOTE_TIMEOUT, "closed a connection whose TLS handshake took over %u s",
              self->config.handshake_timeout_s);
        break;
      case PHASE_REQUEST:
        self->stats.timed_out_request++;
        note (self, NOTE_TIMEOUT, "closed a connection whose request took over %u s",
              self->config.request_timeout_s);
        break;
      case PHASE_IDLE:
        self->stats.timed_out_idle++;
        break;
      case PHASE_HANDLER:
      case PHASE_CLOSING:
        g_assert_not_reached ();
    }
  conn_close (conn);
  return G_SOURCE_REMOVE;
}

/* Between requests: whether the client has closed (or reset) the connection.
 * Data is left for libsoup, which announces the next request. */
static gboolean
on_idle_watch (GSocket *socket, GIOCondition condition, gpointer user_data)
{
  Conn *conn = user_data;
  char byte;
  gssize n;

  if (g_socket_is_closed (socket))
    {
      conn_end (conn);
      return G_SOURCE_REMOVE;
    }
  n = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  /* Bytes libsoup keeps not reading (it gave up on the connection after a
   * bad TLS record, say) would wake this forever. */
  if ((n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)))
      && ++conn->idle_wakeups < MAX_IDLE_WAKEUPS)
    return G_SOURCE_CONTINUE;
  conn_close (conn);
  return G_SOURCE_REMOVE;
}

static void
conn_set_phase (Conn *conn, Phase phase)
{
  HubGuard *self = conn->guard;
  guint seconds = 0;

  if (conn->phase == PHASE_CLOSING)
    return;
  g_clear_handle_id (&conn->timer_id, g_source_remove);
  if (conn->watch != NULL)
    {
      g_source_destroy (conn->watch);
      g_clear_pointer (&conn->watch, g_source_unref);
    }
  handshakes_remove (self, conn);
  conn->phase = phase;
  /* The socket's own timeout (for reads and writes that make no progress)
   * only while an answer is written: the other phases have timers here, and
   * a read source of ours must not time out. */
  g_socket_set_timeout (conn->socket, phase == PHASE_HANDLER ? self->config.idle_timeout_s : 0);
  switch (phase)
    {
      case PHASE_HANDSHAKE:
        seconds = self->config.handshake_timeout_s;
        g_queue_push_tail_link (&self->handshakes, &conn->handshake_link);
        conn->queued = TRUE;
        break;
      case PHASE_REQUEST:
        seconds = self->config.request_timeout_s;
        break;
      case PHASE_IDLE:
        seconds = self->config.idle_timeout_s;
        conn->idle_wakeups = 0;
        conn->watch = g_socket_create_source (conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
        g_source_set_callback (conn->watch, G_SOURCE_FUNC (on_idle_watch), conn, NULL);
        g_source_attach (conn->watch, NULL);
        break;
      case PHASE_HANDLER:
      case PHASE_CLOSING:
        break;
    }
  if (seconds > 0)
    conn->timer_id = g_timeout_add (seconds * 1000, on_timeout, conn);
}

static void on_msg_freed (gpointer user_data, GObject *where);

/* Stops following @conn's current message. */
static void
conn_forget_msg (Conn *conn)
{
  if (conn->msg == NULL)
    return;
  g_signal_handlers_disconnect_by_data (conn->msg, conn);
  g_object_weak_unref (G_OBJECT (conn->msg), on_msg_freed, conn);
  conn->msg = NULL;
}

static void
conn_end (Conn *conn)
{
  HubGuard *self = conn->guard;

  conn_forget_msg (conn);
  g_clear_handle_id (&conn->timer_id, g_source_remove);
  g_clear_handle_id (&conn->after_id, g_source_remove);
  if (conn->watch != NULL)
    {
      g_source_destroy (conn->watch);
      g_clear_pointer (&conn->watch, g_source_unref);
    }
  handshakes_remove (self, conn);
  if (conn->client != NULL)
    {
      Client *client = g_hash_table_lookup (self->clients, conn->client);
      if (--client->open == 0)
        g_hash_table_remove (self->clients, conn->client);
    }
  if (!conn->refused)
    self->stats.open--;
  if (g_object_get_data (G_OBJECT (conn->socket), CONN_KEY) == conn)
    g_object_set_data (G_OBJECT (conn->socket), CONN_KEY, NULL);
  g_free (conn->client);
  g_object_unref (conn->socket);
  g_object_unref (conn->guard);
  g_free (conn);
}

static void
on_msg_freed (gpointer user_data, GObject *where)
{
  Conn *conn = user_data;

  conn->msg = NULL;
  conn_end (conn);
}

static void
on_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  conn_end (user_data);
}

/* What soup_server_message_is_keepalive() (not public) decides. */
static gboolean
is_keepalive (SoupServerMessage *msg)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

  if (soup_message_headers_get_encoding (response) == SOUP_ENCODING_EOF)
    return FALSE;
  if (soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0)
    return soup_message_headers_header_contains (response, "Connection", "Keep-Alive");
  return !soup_message_headers_header_contains (request, "Connection", "close")
         && !soup_message_headers_header_contains (response, "Connection", "close");
}

typedef struct
{
  Conn *conn;
  SoupServerMessage *msg;
} Finished;

/* Right after the answer: libsoup has by now closed the connection, or kept
 * it alive for the next request (it clears the message's socket when it
 * closes). */
static gboolean
on_after_finished (gpointer user_data)
{
  Finished *f = user_data;
  Conn *conn = f->conn;

  conn->after_id = 0;
  if (conn->phase != PHASE_CLOSING && is_keepalive (f->msg)
      && soup_server_message_get_socket (f->msg) != NULL)
    conn_set_phase (conn, PHASE_IDLE);
  else
    conn_end (conn);
  return G_SOURCE_REMOVE;
}

static void
finished_free (Finished *f)
{
  g_object_unref (f->msg);
  g_free (f);
}

static void
on_finished (SoupServerMessage *msg, gpointer user_data)
{
  Conn *conn = user_data;
  Finished *f = g_new0 (Finished, 1);

  conn_forget_msg (conn);
  f->conn = conn;
  f->msg = g_object_ref (msg);
  /* Before libsoup reads anything more of the connection. */
  g_clear_handle_id (&conn->after_id, g_source_remove);
  conn->after_id = g_idle_add_full (G_PRIORITY_HIGH, on_after_finished, f, (GDestroyNotify)finished_free);
}

/* The SHA-256 of the certificate's DER: the kiosk's identity here. */
static char *
certificate_id (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  return der ? g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len) : NULL;
}

/* glib-networking asks a server about every client certificate, even one that
 * verified against the CA; nobody answering means "refuse". Accept exactly
 * the verified ones (chain to our CA, in date) whose kiosk has fewer than
 * max_per_client connections open. */
static gboolean
on_accept_certificate (SoupServerMessage *msg, GTlsCertificate *certificate, GTlsCertificateFlags errors,
                       gpointer user_data)
{
  Conn *conn = user_data;
  HubGuard *self = conn->guard;
  g_autofree char *id = NULL;
  Client *client;

  if (errors != 0 || (id = certificate_id (certificate)) == NULL)
    return FALSE;
  if (conn->client != NULL)
    return g_str_equal (conn->client, id);
  client = g_hash_table_lookup (self->clients, id);
  if (client == NULL)
    {
      client = g_new0 (Client, 1);
      g_hash_table_insert (self->clients, g_strdup (id), client);
    }
  if (client->open >= self->config.max_per_client)
    {
      self->stats.refused_client++;
      note (self, NOTE_CLIENT, "refused a connection: certificate %.16s… already has %u open", id,
            client->open);
      if (client->open == 0)
        g_hash_table_remove (self->clients, id);
      return FALSE;
    }
  client->open++;
  conn->client = g_steal_pointer (&id);
  /* A kiosk's handshake all but done is no longer one to drop for others. */
  handshakes_remove (self, conn);
  return TRUE;
}

static void
on_connected (SoupServerMessage *msg, gpointer user_data)
{
  Conn *conn = user_data;

  if (conn->phase == PHASE_HANDSHAKE)
    conn_set_phase (conn, PHASE_REQUEST);
}

static void
refuse_body (HubGuard *self, SoupServerMessage *msg, Conn *conn, guint64 size)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;

  if (soup_server_message_get_status (msg) != 0)
    return;
  self->stats.too_large++;
  note (self, NOTE_TOO_LARGE,
        "refused a body of %" G_GUINT64_FORMAT " bytes to %s (limit %" G_GSIZE_FORMAT ")", size,
        g_uri_get_path (soup_server_message_get_uri (msg)), conn->body_limit);
  g_set_error (&error, HUB_ERROR, HUB_ERROR_TOO_LARGE,
               "请求过大 / Request too large: more than %" G_GSIZE_FORMAT " bytes for %s", conn->body_limit,
               g_uri_get_path (soup_server_message_get_uri (msg)));
  json = hub_error_to_json (error);
  soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
  /* libsoup reads a body to its end before it answers (unless the client
   * asked "Expect: 100-continue"): what is left goes nowhere, within the
   * request timeout, and the connection closes after the answer. */
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
}

static void
on_got_headers (SoupServerMessage *msg, gpointer user_data)
{
  Conn *conn = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));

  conn->body_limit = hub_guard_body_limit (conn->guard->listener, path, &conn->guard->config);
  conn->body_seen = 0;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64)soup_message_headers_get_content_length (headers) > conn->body_limit)
    refuse_body (conn->guard, msg, conn, (guint64)soup_message_headers_get_content_length (headers));
}

static void
on_got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  Conn *conn = user_data;

  conn->body_seen += g_bytes_get_size (chunk);
  if (conn->body_seen > conn->body_limit)
    refuse_body (conn->guard, msg, conn, conn->body_seen);
}

static void
on_got_body (SoupServerMessage *msg, gpointer user_data)
{
  /* The handler may wait on the database as long as it must; a client that
   * then stops reading its answer meets the socket's idle timeout. */
  conn_set_phase (user_data, PHASE_HANDLER);
}

/* Follows @msg, the request under way on @conn. */
static void
conn_follow (Conn *conn, SoupServerMessage *msg)
{
  conn->msg = msg;
  g_object_weak_ref (G_OBJECT (msg), on_msg_freed, conn);
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), conn);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), conn);
  g_signal_connect (msg, "got-body", G_CALLBACK (on_got_body), conn);
  g_signal_connect (msg, "finished", G_CALLBACK (on_finished), conn);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), conn);
}

static void
conn_new (HubGuard *self, SoupServerMessage *msg, GSocket *socket, gboolean tls)
{
  Conn *conn = g_new0 (Conn, 1);

  conn->guard = g_object_ref (self);
  conn->socket = g_object_ref (socket);
  conn->handshake_link.data = conn;
  conn->phase = PHASE_REQUEST;
  g_object_set_data (G_OBJECT (socket), CONN_KEY, conn);
  conn_follow (conn, msg);

  if (self->stats.open >= self->config.max_connections)
    {
      conn->refused = TRUE;
      self->stats.refused_full++;
      note (self, NOTE_FULL, "refused a connection: %u open, the most allowed", self->config.max_connections);
      conn_close (conn);
      return;
    }
  self->stats.accepted++;
  self->stats.open++;
  self->stats.peak = MAX (self->stats.peak, self->stats.open);

  /* (The pages listener serves HTTPS when it has a certificate.) */
  if (tls)
    {
      if (self->listener == HUB_LISTENER_KIOSKS)
        g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), conn);
      g_signal_connect (msg, "connected", G_CALLBACK (on_connected), conn);
      conn_set_phase (conn, PHASE_HANDSHAKE);
      /* A handshake takes milliseconds; the oldest one left is the likeliest
       * to be a client that never finishes. */
      if (self->handshakes.length > self->config.max_handshakes)
        {
          self->stats.dropped_handshakes++;
          note (self, NOTE_HANDSHAKES, "dropped the oldest of %u unfinished TLS handshakes",
                self->handshakes.length);
          conn_close (self->handshakes.head->data);
        }
    }
}

static void
on_request_started (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  HubGuard *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);
  Conn *conn;

  if (socket == NULL)
    return;
  /* The first message of a connection starts before its TLS handshake;
   * the next ones, kept alive, with the first byte of their request. */
  conn = g_object_get_data (G_OBJECT (socket), CONN_KEY);
  if (conn == NULL)
    conn_new (self, msg, socket, soup_server_is_https (server));
  else if (conn->phase != PHASE_CLOSING)
    {
      /* The last answer's connection was kept alive, whatever was pending. */
      g_clear_handle_id (&conn->after_id, g_source_remove);
      conn_forget_msg (conn);
      conn_follow (conn, msg);
      conn_set_phase (conn, PHASE_REQUEST);
    }
}

static void
hub_guard_finalize (GObject *object)
{
  HubGuard *self = HUB_GUARD (object);

  g_clear_pointer (&self->clients, g_hash_table_unref);
  G_OBJECT_CLASS (hub_guard_parent_class)->finalize (object);
}

static void
hub_guard_class_init (HubGuardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hub_guard_finalize;
}

static void
hub_guard_init (HubGuard *self)
{
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->handshakes);
}

HubGuard *
hub_guard_new (SoupServer *server, HubListener listener, const HubGuardConfig *config)
{
  HubGuard *self;

  g_return_val_if_fail (SOUP_IS_SERVER (server), NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_object_new (HUB_TYPE_GUARD, NULL);
  self->listener = listener;
  self->config = *config;
  /* Every connection holds a reference; the server may outlive us. */
  g_signal_connect_object (server, "request-started", G_CALLBACK (on_request_started), self, 0);
  return self;
}

void
hub_guard_get_stats (HubGuard *self, HubGuardStats *stats)
{
  g_return_if_fail (HUB_IS_GUARD (self));
  *stats = self->stats;
}

char *
hub_guard_stats_to_string (const HubGuardStats *stats)
{
  return g_strdup_printf ("%u open (peak %u), %" G_GUINT64_FORMAT " accepted, refused %" G_GUINT64_FORMAT
                          " (listener full) and %" G_GUINT64_FORMAT " (per-kiosk cap), %" G_GUINT64_FORMAT
                          " unfinished handshakes dropped, timed out %" G_GUINT64_FORMAT
                          " (handshake) and %" G_GUINT64_FORMAT " (request), %" G_GUINT64_FORMAT
                          " idle closed, %" G_GUINT64_FORMAT " bodies too large",
                          stats->open, stats->peak, stats->accepted, stats->refused_full,
                          stats->refused_client, stats->dropped_handshakes, stats->timed_out_handshake,
                          stats->timed_out_request, stats->timed_out_idle, stats->too_large);
}
