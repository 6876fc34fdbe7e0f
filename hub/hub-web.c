/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-web"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "hub-calling.h"
#include "hub-console-auth.h"
#include "hub-console.h"
#include "hub-web.h"
#include "hub-web-resources.h"

#define WEB_RESOURCE_DIR "/org/linli/hub/web/"
#define KEEPALIVE_SECONDS 15
#define MAX_BODY 4096

struct _HubWeb
{
  GObject parent_instance;

  /* Owned */
  SoupServer *server;
  HubDb *db;
  HubGuard *guard;
  HubConsole *console;
  char *staff_token;
  GPtrArray *listeners; /* SoupServerMessage *, open /events streams */

  guint keepalive_id;
};

G_DEFINE_FINAL_TYPE (HubWeb, hub_web, G_TYPE_OBJECT)

typedef enum
{
  WEB_ACT,
  WEB_DESK,
  WEB_DISPLAY,
  WEB_TICKET,
  WEB_LINES,
} WebQuery;

/* One database request on its way through a worker thread. */
typedef struct
{
  /* Owned */
  HubWeb *web;
  SoupServerMessage *msg;
  char *desk;
  char *argument;
  char *code;
  char *hall; /* WEB_DISPLAY, WEB_LINES: whose announcements and lines, NULL for the centre */
  char *day;
  char *reply;
  /* Counter actions: a console session instead of the staff token */
  char *cookie;
  char *csrf;
  gboolean token_ok;

  WebQuery query;
  HubCallAction action;
  guint status;
  gboolean disconnected;
  gulong disconnected_id;
} WebRequest;

static void
web_request_free (WebRequest *req)
{
  g_clear_signal_handler (&req->disconnected_id, req->msg);
  g_clear_object (&req->msg);
  g_clear_object (&req->web);
  g_free (req->desk);
  g_free (req->argument);
  g_free (req->code);
  g_free (req->hall);
  g_free (req->day);
  g_free (req->reply);
  g_free (req->cookie);
  g_free (req->csrf);
  g_free (req);
}

static void
hub_web_finalize (GObject *object)
{
  HubWeb *self = HUB_WEB (object);

  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_pointer (&self->listeners, g_ptr_array_unref);
  g_clear_object (&self->server);
  g_clear_object (&self->guard);
  g_clear_object (&self->console);
  g_clear_object (&self->db);
  g_free (self->staff_token);
  G_OBJECT_CLASS (hub_web_parent_class)->finalize (object);
}

static void
hub_web_class_init (HubWebClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hub_web_finalize;
}

static void
hub_web_init (HubWeb *self)
{
  self->listeners = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
respond (SoupServerMessage *msg, guint status, const char *type, const char *body, gsize length)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                  G_STRINGIFY (HUB_RETRY_AFTER_SECONDS));
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY, body, length);
}

static void
respond_error (SoupServerMessage *msg, const GError *error)
{
  g_autofree char *json = hub_error_to_json (error);
  respond (msg, hub_error_http_status (error), "application/json", json, strlen (json));
}

/* Sends @text to every /events stream as one server-sent event. */
static void
broadcast (HubWeb *self, const char *text)
{
  for (guint i = 0; i < self->listeners->len; i++)
    {
      SoupServerMessage *msg = self->listeners->pdata[i];
      soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_COPY, text,
                                strlen (text));
      soup_server_message_unpause (msg);
    }
}

static gboolean
on_keepalive (gpointer user_data)
{
  /* A comment line: keeps proxies and the TV's browser from timing out. */
  broadcast (user_data, ": keepalive\n\n");
  return G_SOURCE_CONTINUE;
}

static void
on_listener_gone (SoupServerMessage *msg, gpointer user_data)
{
  HubWeb *self = user_data;
  g_signal_handlers_disconnect_by_data (msg, self);
  g_ptr_array_remove (self->listeners, msg);
}

static void
start_events (HubWeb *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  static const char hello[] = "retry: 2000\n\n";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  /* Chunks already written need not be kept. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  soup_message_body_append (soup_server_message_get_response_body (msg), SOUP_MEMORY_STATIC, hello,
                            strlen (hello));
  g_ptr_array_add (self->listeners, g_object_ref (msg));
  g_signal_connect (msg, "finished", G_CALLBACK (on_listener_gone), self);
  g_signal_connect (msg, "disconnected", G_CALLBACK (on_listener_gone), self);
}

static void
request_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  WebRequest *req = task_data;
  g_autoptr (GError) error = NULL;
  PGconn *conn = hub_db_acquire (req->web->db, &error);

  /* Without the (deprecated) staff token, a counter account's session. */
  if (conn != NULL && (req->query == WEB_ACT || req->query == WEB_DESK) && !req->token_ok)
    {
      g_autoptr (HubStaffAccount) account = hub_console_authorize (
          req->web->console, conn, req->cookie, req->csrf, req->query == WEB_ACT, HUB_ROLE_COUNTER, &error);

      if (account == NULL)
        {
          hub_db_release (req->web->db, conn);
          conn = NULL;
        }
    }
  if (conn != NULL)
    {
      switch (req->query)
        {
          case WEB_ACT:
            req->reply = hub_calling_act (conn, req->desk, req->action, req->argument, req->day, &error);
            break;
          case WEB_DESK:
            req->reply = hub_calling_desk_json (conn, req->desk, req->day, &error);
            break;
          case WEB_DISPLAY:
            req->reply = hub_calling_display_json (conn, req->hall, &error);
            break;
          case WEB_TICKET:
            req->reply = hub_calling_ticket_json (conn, req->code, req->day, &error);
            break;
          case WEB_LINES:
            req->reply = hub_calling_lines_json (conn, req->day, req->hall, &error);
            break;
        }
      hub_db_release (req->web->db, conn);
    }
  if (req->reply != NULL)
    req->status = SOUP_STATUS_OK;
  else
    {
      req->status = hub_error_http_status (error);
      req->reply = hub_error_to_json (error);
      if (req->status >= 500)
        g_message ("web request: %s", error->message);
    }
  g_task_return_boolean (task, TRUE);
}

static void
request_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  WebRequest *req = g_task_get_task_data (G_TASK (result));

  /* The call happened whether or not the staff browser is still there. */
  if (req->query == WEB_ACT && req->status == SOUP_STATUS_OK)
    {
      g_autofree char *event = g_strdup_printf ("data: %s\n\n", req->reply);
      broadcast (req->web, event);
    }
  if (req->disconnected)
    return;
  respond (req->msg, req->status, "application/json", req->reply, strlen (req->reply));
  soup_server_message_unpause (req->msg);
}

static void
on_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  ((WebRequest *)user_data)->disconnected = TRUE;
}

static char *
service_day_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  return g_date_time_format (now, "%Y-%m-%d");
}

static void
start_query (HubWeb *self, SoupServerMessage *msg, WebRequest *req)
{
  g_autoptr (GTask) task = NULL;

  req->web = g_object_ref (self);
  req->msg = g_object_ref (msg);
  req->day = service_day_now ();
  req->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), req);
  soup_server_message_pause (msg);
  task = g_task_new (self, NULL, request_done, NULL);
  g_task_set_source_tag (task, start_query);
  g_task_set_task_data (task, req, (GDestroyNotify)web_request_free);
  g_task_run_in_thread (task, request_thread);
}

/* Constant time in the token's length: the comparison says nothing about
 * how much of a guess was right. */
static gboolean
token_matches (const char *expected, const char *given)
{
  gsize n = strlen (expected), m = given ? strlen (given) : 0;
  guint diff = n != m;

  for (gsize i = 0; i < n; i++)
    diff |= (guint)(expected[i] ^ (i < m ? given[i] : 0));
  return n > 0 && diff == 0;
}

/* The shared staff token (deprecated: counter accounts replace it). */
static gboolean
staff_token_given (HubWeb *self, SoupServerMessage *msg)
{
  const char *auth
      = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  const char *given = auth && g_str_has_prefix (auth, "Bearer ") ? auth + strlen ("Bearer ") : NULL;

  return self->staff_token != NULL && token_matches (self->staff_token, given);
}

/* Whether a session cookie came at all: without one (and without the token)
 * the answer needs no database. */
static gboolean
has_session_cookie (SoupServerMessage *msg)
{
  g_autofree char *token = hub_console_cookie_token (
      soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Cookie"));

  return token != NULL;
}

/* {"number":"A023"} or {"service":"pension"}; an empty body is fine. */
static gboolean
parse_argument (SoupServerMessage *msg, HubCallAction action, char **argument, GError **error)
{
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *member = action == HUB_CALL_NUMBER ? "number" : action == HUB_CALL_TRANSFER ? "service" : NULL;
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  JsonNode *root, *value;

  if (member == NULL || size == 0)
    return TRUE;
  if (size > MAX_BODY || !json_parser_load_from_data (parser, data, (gssize)size, NULL)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_INVALID_JSON,
                           "请求无效 / The body is not a JSON object");
      return FALSE;
    }
  value = json_object_get_member (json_node_get_object (root), member);
  if (value != NULL && (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD, "字段无效 / %s must be a string", member);
      return FALSE;
    }
  if (value != NULL)
    *argument = g_strdup (json_node_get_string (value));
  return TRUE;
}

static void
serve_resource (SoupServerMessage *msg, const char *name)
{
  g_autofree char *path = g_strconcat (WEB_RESOURCE_DIR, name, NULL);
  g_autoptr (GBytes) data = NULL;
  const char *type = g_str_has_suffix (name, ".html")  ? "text/html; charset=utf-8"
                     : g_str_has_suffix (name, ".css") ? "text/css; charset=utf-8"
                     : g_str_has_suffix (name, ".js")  ? "text/javascript; charset=utf-8"
                                                       : "application/octet-stream";

  if (strstr (name, "..") != NULL
      || (data = g_resource_lookup_data (hub_web_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL))
             == NULL)
    {
      static const char missing[] = "没有此页 / Not found\n";
      respond (msg, SOUP_STATUS_NOT_FOUND, "text/plain; charset=utf-8", missing, strlen (missing));
      return;
    }
  respond (msg, SOUP_STATUS_OK, type, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
}

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer user_data)
{
  HubWeb *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean get = g_str_equal (method, "GET") || g_str_equal (method, "HEAD");
  g_auto (GStrv) parts = g_strsplit (path + 1, "/", 0);
  guint n = g_strv_length (parts);
  g_autoptr (GError) error = NULL;
  WebRequest *req;

  if (n >= 3 && g_str_equal (parts[0], "api") && g_str_equal (parts[1], "console"))
    hub_console_handle (self->console, msg, path, query);
  else if (get && n == 1 && g_str_equal (parts[0], "console"))
    serve_resource (msg, "console.html");
  else if (get && n == 1 && g_str_equal (parts[0], "events"))
    start_events (self, msg);
  else if (get && n == 1 && g_str_equal (parts[0], "display"))
    serve_resource (msg, "display.html");
  else if (get && n == 2 && g_str_equal (parts[0], "counter"))
    serve_resource (msg, "counter.html");
  else if (get && n == 2 && g_str_equal (parts[0], "t"))
    serve_resource (msg, "ticket.html");
  else if (get && n == 2 && g_str_equal (parts[0], "static"))
    serve_resource (msg, parts[1]);
  else if (get && n == 2 && g_str_equal (parts[0], "api") && g_str_equal (parts[1], "display"))
    {
      req = g_new0 (WebRequest, 1);
      req->query = WEB_DISPLAY;
      req->hall = query ? g_strdup (g_hash_table_lookup (query, "hall")) : NULL;
      start_query (self, msg, req);
    }
  else if (get && n == 2 && g_str_equal (parts[0], "api") && g_str_equal (parts[1], "lines"))
    {
      req = g_new0 (WebRequest, 1);
      req->query = WEB_LINES;
      req->hall = query ? g_strdup (g_hash_table_lookup (query, "hall")) : NULL;
      start_query (self, msg, req);
    }
  else if (get && n == 3 && g_str_equal (parts[0], "api") && g_str_equal (parts[1], "ticket"))
    {
      req = g_new0 (WebRequest, 1);
      req->query = WEB_TICKET;
      req->code = g_strdup (parts[2]);
      start_query (self, msg, req);
    }
  else if (n >= 3 && n <= 4 && g_str_equal (parts[0], "api") && g_str_equal (parts[1], "counter"))
    {
      HubCallAction action = HUB_CALL_NEXT;
      g_autofree char *argument = NULL;

      if ((n == 3 && !get) || (n == 4 && !g_str_equal (method, "POST")))
        g_set_error_literal (&error, HUB_ERROR, HUB_ERROR_METHOD, "方法不允许 / Method not allowed");
      else if (n == 4 && !hub_call_action_from_string (parts[3], &action))
        g_set_error (&error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此操作 / No such action: %s", parts[3]);
      if (error == NULL && !staff_token_given (self, msg) && !has_session_cookie (msg))
        g_set_error_literal (&error, HUB_ERROR, HUB_ERROR_UNAUTHENTICATED, "请先登录 / Please sign in");
      if (error == NULL && (n == 3 || parse_argument (msg, action, &argument, &error)))
        {
          SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

          req = g_new0 (WebRequest, 1);
          req->token_ok = staff_token_given (self, msg);
          req->cookie = g_strdup (soup_message_headers_get_one (headers, "Cookie"));
          req->csrf = g_strndup (soup_message_headers_get_one (headers, "X-CSRF-Token"), 128);
          req->query = n == 3 ? WEB_DESK : WEB_ACT;
          req->desk = g_strdup (parts[2]);
          req->action = action;
          req->argument = g_steal_pointer (&argument);
          start_query (self, msg, req);
          return;
        }
      respond_error (msg, error);
    }
  else
    {
      g_set_error (&error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此页 / Not found: %s", path);
      respond_error (msg, error);
    }
}

HubWeb *
hub_web_new (HubDb *db, const char *staff_token, GTlsCertificate *certificate)
{
  HubWeb *self = g_object_new (HUB_TYPE_WEB, NULL);

  g_return_val_if_fail (HUB_IS_DB (db), NULL);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), NULL);

  self->db = g_object_ref (db);
  self->console = hub_console_new (db, NULL);
  self->staff_token = staff_token && *staff_token ? g_strdup (staff_token) : NULL;
  /* No client certificate is asked for: phones and staff browsers have none. */
  self->server
      = soup_server_new ("server-header", "linli-hub/" PACKAGE_VERSION, "tls-certificate", certificate, NULL);
  soup_server_add_handler (self->server, NULL, handle, self, NULL);
  self->keepalive_id = g_timeout_add_seconds (KEEPALIVE_SECONDS, on_keepalive, self);
  return self;
}

gboolean
hub_web_listen (HubWeb *self, const char *address, guint port, guint *bound_port, GError **error)
{
  g_autoptr (GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr (GSocketAddress) sockaddr = NULL;
  GSList *listeners;
  gboolean ok = TRUE;

  g_return_val_if_fail (HUB_IS_WEB (self), FALSE);

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not an IP address: %s", address);
      return FALSE;
    }
  sockaddr = g_inet_socket_address_new (inet, (guint16)port);
  if (!soup_server_listen (self->server, sockaddr,
                           soup_server_is_https (self->server) ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    return FALSE;
  listeners = soup_server_get_listeners (self->server);
  if (bound_port != NULL && listeners != NULL)
    {
      g_autoptr (GSocketAddress) local = g_socket_get_local_address (listeners->data, error);
      if (local == NULL)
        ok = FALSE;
      else
        *bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }
  g_slist_free (listeners);
  return ok;
}

void
hub_web_guard (HubWeb *self, const HubGuardConfig *config)
{
  g_return_if_fail (HUB_IS_WEB (self));
  g_return_if_fail (self->guard == NULL);
  self->guard = hub_guard_new (self->server, HUB_LISTENER_PAGES, config);
}

HubGuard *
hub_web_get_guard (HubWeb *self)
{
  g_return_val_if_fail (HUB_IS_WEB (self), NULL);
  return self->guard;
}

HubConsole *
hub_web_get_console (HubWeb *self)
{
  g_return_val_if_fail (HUB_IS_WEB (self), NULL);
  return self->console;
}

guint
hub_web_get_n_listeners (HubWeb *self)
{
  g_return_val_if_fail (HUB_IS_WEB (self), 0);
  return self->listeners->len;
}

void
hub_web_shutdown (HubWeb *self)
{
  g_return_if_fail (HUB_IS_WEB (self));

  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  /* End every stream so the connections can close. */
  while (self->listeners->len > 0)
    {
      SoupServerMessage *msg = g_object_ref (self->listeners->pdata[0]);
      on_listener_gone (msg, self);
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      soup_server_message_unpause (msg);
      g_object_unref (msg);
    }
  soup_server_disconnect (self->server);
}
