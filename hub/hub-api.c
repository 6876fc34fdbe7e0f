/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-api"

#include "config.h"

#include "hub-api.h"
#include "hub-appointments.h"
#include "hub-cert.h"
#include "hub-content.h"
#include "kiosk-qr.h"

#define MEMBERS_DEFAULT_LIMIT 1000
#define MEMBERS_MAX_LIMIT 5000
#define CALLS_DEFAULT_LIMIT 500
#define CALLS_MAX_LIMIT 2000
#define APPOINTMENTS_DEFAULT_LIMIT 1000
#define APPOINTMENTS_MAX_LIMIT 5000

struct _HubApi
{
  GObject parent_instance;

  /* Owned */
  SoupServer *server;
  HubDb *db;
  HubGuard *guard;

  char *public_url; /* [hub] public_url, handed to kiosks; NULL: none */

  HubLimits limits;
  guint in_flight; /* requests handed to a worker thread, not yet answered */
};

G_DEFINE_FINAL_TYPE (HubApi, hub_api, G_TYPE_OBJECT)

typedef enum
{
  ENDPOINT_RECORDS,
  ENDPOINT_MEMBERS,
  ENDPOINT_HEARTBEAT,
  ENDPOINT_TIME,
  ENDPOINT_CALLS,
  ENDPOINT_APPOINTMENTS,
} Endpoint;

static const struct
{
  const char *path;
  const char *method;
} endpoints[] = {
  [ENDPOINT_RECORDS] = { "/v1/records", "POST" },     [ENDPOINT_MEMBERS] = { "/v1/members", "GET" },
  [ENDPOINT_HEARTBEAT] = { "/v1/heartbeat", "POST" }, [ENDPOINT_TIME] = { "/v1/time", "GET" },
  [ENDPOINT_CALLS] = { "/v1/calls", "GET" },          [ENDPOINT_APPOINTMENTS] = { "/v1/appointments", "GET" },
};

/* One request on its way through a worker thread. */
typedef struct
{
  /* Owned */
  HubApi *api;
  SoupServerMessage *msg;
  HubCertInfo *cert;
  GBytes *body;
  char *cursor;
  char *limit;
  char *reply;

  Endpoint endpoint;
  guint status;
  gboolean disconnected;
  gulong disconnected_id;
} HubRequest;

static void
hub_request_free (HubRequest *req)
{
  g_clear_signal_handler (&req->disconnected_id, req->msg);
  g_clear_object (&req->msg);
  g_clear_object (&req->api);
  g_clear_pointer (&req->cert, hub_cert_info_free);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->cursor);
  g_free (req->limit);
  g_free (req->reply);
  g_free (req);
}

static void
hub_api_finalize (GObject *object)
{
  HubApi *self = HUB_API (object);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->guard);
  g_clear_object (&self->db);
  g_free (self->public_url);
  G_OBJECT_CLASS (hub_api_parent_class)->finalize (object);
}

static void
hub_api_class_init (HubApiClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hub_api_finalize;
}

static void
hub_api_init (HubApi *self)
{
}

static void
respond (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                  G_STRINGIFY (HUB_RETRY_AFTER_SECONDS));
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
respond_error (SoupServerMessage *msg, const GError *error)
{
  g_autofree char *json = hub_error_to_json (error);
  respond (msg, hub_error_http_status (error), json);
}

static char *
run_endpoint (HubRequest *req, PGconn *conn, const char *kiosk_id, GError **error)
{
  HubApi *self = req->api;
  gsize size = 0;
  const char *data = req->body ? g_bytes_get_data (req->body, &size) : NULL;

  switch (req->endpoint)
    {
      case ENDPOINT_RECORDS:
        {
          g_autoptr (HubRecordBatch) batch = hub_record_batch_parse (data, size, &self->limits, error);
          if (batch == NULL || !hub_db_insert_records (conn, kiosk_id, batch, error))
            return NULL;
          /* Every uuid is now stored: new ones by this statement, the others before. */
          return hub_accepted_to_json (batch->uuids);
        }
      case ENDPOINT_MEMBERS:
        {
          gint64 cursor, limit = MEMBERS_DEFAULT_LIMIT;
          if (!hub_parse_cursor (req->cursor, &cursor, error)
              || (req->limit != NULL && !hub_parse_cursor (req->limit, &limit, error)))
            return NULL;
          return hub_db_members_since (conn, cursor, (guint)CLAMP (limit, 1, MEMBERS_MAX_LIMIT), error);
        }
      case ENDPOINT_CALLS:
        {
          gint64 cursor, limit = CALLS_DEFAULT_LIMIT;
          if (!hub_parse_cursor (req->cursor, &cursor, error)
              || (req->limit != NULL && !hub_parse_cursor (req->limit, &limit, error)))
            return NULL;
          return hub_db_calls_since (conn, kiosk_id, cursor, (guint)CLAMP (limit, 1, CALLS_MAX_LIMIT), error);
        }
      case ENDPOINT_APPOINTMENTS:
        {
          gint64 cursor, limit = APPOINTMENTS_DEFAULT_LIMIT;
          if (!hub_parse_cursor (req->cursor, &cursor, error)
              || (req->limit != NULL && !hub_parse_cursor (req->limit, &limit, error)))
            return NULL;
          return hub_appointments_since (conn, cursor, (guint)CLAMP (limit, 1, APPOINTMENTS_MAX_LIMIT),
                                         error);
        }
      case ENDPOINT_HEARTBEAT:
        {
          g_autoptr (HubHeartbeat) hb = hub_heartbeat_parse (data, size, &self->limits, error);
          gboolean sync_now = FALSE;
          if (hb == NULL || !hub_db_heartbeat (conn, kiosk_id, hb, &sync_now, error))
            return NULL;
          return hub_heartbeat_reply_json (sync_now, g_get_real_time (), self->public_url);
        }
      case ENDPOINT_TIME:
        {
          gint64 now = g_get_real_time ();
          g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
          g_autofree char *iso = g_date_time_format_iso8601 (dt);
          return g_strdup_printf ("{\"time_us\":%" G_GINT64_FORMAT ",\"time\":\"%s\"}", now, iso);
        }
      default:
        g_assert_not_reached ();
    }
}

static void
request_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  HubRequest *req = task_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *kiosk_id = NULL;
  PGconn *conn = hub_db_acquire (req->api->db, &error);

  if (conn != NULL)
    {
      kiosk_id = hub_db_authorize (conn, req->cert, &error);
      if (kiosk_id != NULL)
        req->reply = run_endpoint (req, conn, kiosk_id, &error);
      hub_db_release (req->api->db, conn);
    }

  if (req->reply != NULL)
    req->status = SOUP_STATUS_OK;
  else
    {
      req->status = hub_error_http_status (error);
      req->reply = hub_error_to_json (error);
      if (req->status >= 500)
        g_message ("%s from %s: %s", endpoints[req->endpoint].path, req->cert->common_name, error->message);
    }
  g_task_return_boolean (task, TRUE);
}

static void
request_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  HubRequest *req = g_task_get_task_data (G_TASK (result));

  req->api->in_flight--;
  /* A client that hung up has no message to answer. */
  if (req->disconnected)
    return;
  respond (req->msg, req->status, req->reply);
  soup_server_message_unpause (req->msg);
}

static void
on_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  HubRequest *req = user_data;
  req->disconnected = TRUE;
}

#define PEER_KEY "linli-hub-peer-certificate"

HubCertInfo *
hub_api_peer_certificate (SoupServerMessage *msg, GError **error)
{
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);
  GSocket *socket = soup_server_message_get_socket (msg);
  g_autoptr (GByteArray) der = NULL;

  /* libsoup 3.2 gives the peer certificate to the first message of a
   * connection only (later ones wait for a change that never comes). The
   * GSocket lives exactly as long as the connection, and its handshake
   * required and verified the certificate: keep it there for the rest. */
  if (peer != NULL && socket != NULL)
    g_object_set_data_full (G_OBJECT (socket), PEER_KEY, g_object_ref (peer), g_object_unref);
  else if (peer == NULL && socket != NULL)
    peer = g_object_get_data (G_OBJECT (socket), PEER_KEY);

  if (peer == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_UNKNOWN_KIOSK,
                           "需要终端证书 / A kiosk client certificate is required");
      return NULL;
    }
  g_object_get (peer, "certificate", &der, NULL);
  return hub_cert_info_from_der (der->data, der->len, error);
}

static gboolean
find_endpoint (const char *path, const char *method, Endpoint *out, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      if (g_strcmp0 (path, endpoints[i].path) != 0)
        continue;
      if (g_strcmp0 (method, endpoints[i].method) != 0)
        {
          g_set_error (error, HUB_ERROR, HUB_ERROR_METHOD, "方法不允许 / Method not allowed: %s wants %s",
                       path, endpoints[i].method);
          return FALSE;
        }
      *out = (Endpoint)i;
      return TRUE;
    }
  g_set_error (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此接口 / No such endpoint: %s", path);
  return FALSE;
}

static void
handle_request (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer user_data)
{
  HubApi *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;
  g_autoptr (HubCertInfo) cert = NULL;
  HubRequest *req;
  Endpoint endpoint;

  if (!find_endpoint (path, soup_server_message_get_method (msg), &endpoint, &error)
      || (cert = hub_api_peer_certificate (msg, &error)) == NULL)
    {
      respond_error (msg, error);
      return;
    }

  req = g_new0 (HubRequest, 1);
  req->api = g_object_ref (self);
  req->msg = g_object_ref (msg);
  req->cert = g_steal_pointer (&cert);
  req->endpoint = endpoint;
  req->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (query != NULL)
    {
      req->cursor = g_strdup (g_hash_table_lookup (query, "cursor"));
      req->limit = g_strdup (g_hash_table_lookup (query, "limit"));
    }
  req->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), req);

  soup_server_message_pause (msg);
  self->in_flight++;
  task = g_task_new (self, NULL, request_done, NULL);
  g_task_set_source_tag (task, handle_request);
  g_task_set_task_data (task, req, (GDestroyNotify)hub_request_free);
  g_task_run_in_thread (task, request_thread);
}

HubApi *
hub_api_new (HubDb *db, const HubLimits *limits, const HubGuardConfig *guard, GTlsCertificate *certificate,
             GTlsDatabase *client_ca, GError **error)
{
  g_autoptr (HubApi) self = g_object_new (HUB_TYPE_API, NULL);

  g_return_val_if_fail (HUB_IS_DB (db), NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);
  g_return_val_if_fail (G_IS_TLS_DATABASE (client_ca), NULL);

  self->db = g_object_ref (db);
  self->limits = *limits;
  self->server
      = soup_server_new ("tls-certificate", certificate, "server-header", "linli-hub/" PACKAGE_VERSION, NULL);
  /* Mutual TLS: a handshake without a certificate from our CA fails before any
   * HTTP is read. Which kiosk it is, and whether it is revoked, is then
   * checked per request against the database. */
  soup_server_set_tls_database (self->server, client_ca);
  soup_server_set_tls_auth_mode (self->server, G_TLS_AUTHENTICATION_REQUIRED);
  /* Body limits, timeouts and connection caps; also which client
   * certificates the handshake accepts. */
  self->guard = hub_guard_new (self->server, HUB_LISTENER_KIOSKS, guard);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);
  hub_content_serve (self->server, self->db);
  return g_steal_pointer (&self);
}

gboolean
hub_api_set_public_url (HubApi *self, const char *public_url, GError **error)
{
  g_return_val_if_fail (HUB_IS_API (self), FALSE);

  if (public_url != NULL && *public_url != '\0' && !kiosk_qr_check_public_url (public_url, error))
    return FALSE;
  g_free (self->public_url);
  self->public_url = public_url != NULL && *public_url != '\0' ? g_strdup (public_url) : NULL;
  return TRUE;
}

gboolean
hub_api_listen (HubApi *self, const char *address, guint port, guint *bound_port, GError **error)
{
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr (GSocketAddress) sockaddr = NULL;
  GSList *listeners;

  g_return_val_if_fail (HUB_IS_API (self), FALSE);

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not an IP address: %s", address);
      return FALSE;
    }
  sockaddr = g_inet_socket_address_new (inet, (guint16)port);
  if (!soup_server_listen (self->server, sockaddr, SOUP_SERVER_LISTEN_HTTPS, error))
    return FALSE;

  listeners = soup_server_get_listeners (self->server);
  if (bound_port != NULL && listeners != NULL)
    {
      g_autoptr (GSocketAddress) local = g_socket_get_local_address (listeners->data, error);
      if (local == NULL)
        {
          g_slist_free (listeners);
          return FALSE;
        }
      *bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_slist_free (listeners);
  return TRUE;
}

SoupServer *
hub_api_get_server (HubApi *self)
{
  g_return_val_if_fail (HUB_IS_API (self), NULL);
  return self->server;
}

HubGuard *
hub_api_get_guard (HubApi *self)
{
  g_return_val_if_fail (HUB_IS_API (self), NULL);
  return self->guard;
}

static gboolean
on_shutdown_deadline (gpointer user_data)
{
  *(gboolean *)user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
hub_api_shutdown (HubApi *self, guint timeout_ms)
{
  gboolean late = FALSE;
  guint id;

  g_return_if_fail (HUB_IS_API (self));

  id = g_timeout_add (timeout_ms, on_shutdown_deadline, &late);
  while (self->in_flight > 0 && !late)
    g_main_context_iteration (NULL, TRUE);
  /* Listeners and every client connection; their objects go on the next
   * iterations, not at exit. */
  soup_server_disconnect (self->server);
  while (g_main_context_iteration (NULL, FALSE) && !late)
    ;
  if (!late)
    g_source_remove (id);
}
