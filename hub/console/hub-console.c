/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-console"

#include "config.h"

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <string.h>

#include "hub-console-private.h"
#include "hub-guard.h"
#include "kiosk-release.h"
#include "hub-proto.h"

struct _HubConsole
{
  GObject parent_instance;

  HubConsoleTimes times;

  /* Owned */
  HubDb *db;
  guint8 *content_key; /* sodium_malloc'd, crypto_sign_SECRETKEYBYTES; NULL: none */
};

G_DEFINE_FINAL_TYPE (HubConsole, hub_console, G_TYPE_OBJECT)

/* One request on its way through a worker thread. */
typedef struct
{
  /* Owned */
  HubConsole *console;
  SoupServerMessage *msg;
  ConsoleRequest *req;
  gulong disconnected_id;
  gboolean disconnected;
} Job;

void
console_request_free (ConsoleRequest *req)
{
  if (req == NULL)
    return;
  g_free (req->cookie);
  g_free (req->csrf);
  g_free (req->address);
  g_free (req->target);
  g_free (req->name);
  if (req->password != NULL)
    memset (req->password, 0, strlen (req->password));
  g_free (req->password);
  if (req->new_password != NULL)
    memset (req->new_password, 0, strlen (req->new_password));
  g_free (req->new_password);
  g_free (req->display_name);
  g_free (req->role);
  g_free (req->hall);
  g_free (req->filter_action);
  g_free (req->filter_actor);
  g_free (req->content_target);
  g_free (req->announcements);
  g_free (req->hours);
  g_free (req->reply);
  g_free (req->set_cookie);
  g_free (req);
}

static void
job_free (Job *job)
{
  g_clear_signal_handler (&job->disconnected_id, job->msg);
  g_clear_object (&job->msg);
  g_clear_object (&job->console);
  console_request_free (job->req);
  g_free (job);
}

const HubConsoleTimes *
console_get_times (HubConsole *self)
{
  return &self->times;
}

static void
respond (SoupServerMessage *msg, guint status, const char *json, const char *set_cookie, guint retry_after_s)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  if (set_cookie != NULL)
    soup_message_headers_append (headers, "Set-Cookie", set_cookie);
  if (retry_after_s > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%u", retry_after_s);
      soup_message_headers_replace (headers, "Retry-After", seconds);
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
respond_error (SoupServerMessage *msg, const GError *error)
{
  g_autofree char *json = hub_error_to_json (error);

  respond (msg, hub_error_http_status (error), json, NULL, 0);
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr (GError) error = NULL;
  PGconn *conn = hub_db_acquire (job->console->db, &error);

  if (conn == NULL)
    {
      job->req->status = hub_error_http_status (error);
      job->req->reply = hub_error_to_json (error);
      job->req->retry_after_s = job->req->status == 503 ? HUB_RETRY_AFTER_SECONDS : 0;
    }
  else
    {
      console_run (job->console, conn, job->req);
      hub_db_release (job->console->db, conn);
    }
  g_task_return_boolean (task, TRUE);
}

static void
job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job *job = g_task_get_task_data (G_TASK (result));

  if (job->disconnected)
    return;
  respond (job->msg, job->req->status, job->req->reply, job->req->set_cookie, job->req->retry_after_s);
  soup_server_message_unpause (job->msg);
}

static void
on_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  ((Job *)user_data)->disconnected = TRUE;
}

/* A string member of @object, bounded; FALSE with @error when it is there but
 * is not a string. */
static gboolean
member_string (JsonObject *object, const char *name, char **out, gboolean *present, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (present != NULL)
    *present = node != NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
      || strlen (json_node_get_string (node)) > 256)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                   "字段无效 / %s must be a string of at most 256 bytes", name);
      return FALSE;
    }
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
parse_body (SoupServerMessage *msg, ConsoleRequest *req, GError **error)
{
  g_autoptr (GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  /* The guard refused a larger body before it was read (hub-guard.c's table). */
  gsize max
      = hub_guard_body_limit (HUB_LISTENER_PAGES, g_uri_get_path (soup_server_message_get_uri (msg)), NULL);
  JsonNode *root, *node;
  JsonObject *object;

  if (size == 0)
    return TRUE;
  if (size > max)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_TOO_LARGE,
                   "请求过大 / The body is over %" G_GSIZE_FORMAT " bytes", max);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, data, (gssize)size, NULL)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_INVALID_JSON,
                           "请求无效 / The body is not a JSON object");
      return FALSE;
    }
  object = json_node_get_object (root);
  if ((node = json_object_get_member (object, "version")) != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
          || json_node_get_int (node) < 0 || json_node_get_int (node) > G_MAXINT)
        {
          g_set_error_literal (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                               "字段无效 / version must be a whole number");
          return FALSE;
        }
      req->version = (int)json_node_get_int (node);
    }
  if ((node = json_object_get_member (object, "announcements")) != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          g_set_error_literal (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                               "字段无效 / announcements must be a list");
          return FALSE;
        }
      req->announcements = json_to_string (node, FALSE);
    }
  if ((node = json_object_get_member (object, "hours")) != NULL)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error_literal (error, HUB_ERROR, HUB_ERROR_BAD_FIELD, "字段无效 / hours must be an object");
          return FALSE;
        }
      req->hours = json_to_string (node, FALSE);
    }
  return member_string (object, "target", &req->content_target, NULL, error)
         && member_string (object, "name", &req->name, NULL, error)
         && member_string (object, "password", &req->password, NULL, error)
         && member_string (object, "new_password", &req->new_password, NULL, error)
         && member_string (object, "display_name", &req->display_name, NULL, error)
         && member_string (object, "role", &req->role, NULL, error)
         && member_string (object, "hall", &req->hall, &req->has_hall, error);
}

/* The operation a method and path ask for: /api/console/{session,password,
 * accounts[/NAME/{disable,enable,reset}],audit}. */
static gboolean
route (const char *method, char **parts, guint n, ConsoleRequest *req, GError **error)
{
  gboolean get = g_str_equal (method, "GET"), post = g_str_equal (method, "POST");

  if (n == 3 && g_str_equal (parts[2], "session"))
    {
      if (get)
        req->op = CONSOLE_SESSION;
      else if (post)
        req->op = CONSOLE_LOGIN;
      else if (g_str_equal (method, "DELETE"))
        req->op = CONSOLE_LOGOUT;
      else
        goto method;
      return TRUE;
    }
  if (n == 3 && g_str_equal (parts[2], "password"))
    {
      if (!post)
        goto method;
      req->op = CONSOLE_PASSWORD;
      return TRUE;
    }
  if (n == 3 && g_str_equal (parts[2], "accounts"))
    {
      if (!get && !post)
        goto method;
      req->op = get ? CONSOLE_ACCOUNTS : CONSOLE_ACCOUNT_ADD;
      return TRUE;
    }
  if (n == 5 && g_str_equal (parts[2], "accounts"))
    {
      if (!post)
        goto method;
      if (g_str_equal (parts[4], "disable"))
        req->op = CONSOLE_ACCOUNT_DISABLE;
      else if (g_str_equal (parts[4], "enable"))
        req->op = CONSOLE_ACCOUNT_ENABLE;
      else if (g_str_equal (parts[4], "reset"))
        req->op = CONSOLE_ACCOUNT_RESET;
      else
        goto missing;
      req->target = g_strndup (parts[3], 64);
      return TRUE;
    }
  if (n == 3 && g_str_equal (parts[2], "announcements"))
    {
      if (get)
        req->op = CONSOLE_ANNOUNCEMENTS;
      else if (g_str_equal (method, "PUT"))
        req->op = CONSOLE_ANNOUNCEMENTS_SAVE;
      else
        goto method;
      return TRUE;
    }
  if (n == 4 && g_str_equal (parts[2], "announcements") && g_str_equal (parts[3], "publish"))
    {
      if (!post)
        goto method;
      req->op = CONSOLE_ANNOUNCEMENTS_PUBLISH;
      return TRUE;
    }
  if (n == 3 && g_str_equal (parts[2], "hours"))
    {
      if (get)
        req->op = CONSOLE_HOURS;
      else if (g_str_equal (method, "PUT"))
        req->op = CONSOLE_HOURS_SAVE;
      else
        goto method;
      return TRUE;
    }
  if (n == 3 && g_str_equal (parts[2], "releases"))
    {
      if (!get)
        goto method;
      req->op = CONSOLE_RELEASES;
      return TRUE;
    }
  if (n == 5 && g_str_equal (parts[2], "releases") && g_str_equal (parts[4], "rollback"))
    {
      guint64 number;

      if (!post)
        goto method;
      if (!g_ascii_string_to_unsigned (parts[3], 10, 1, G_MAXINT64, &number, NULL))
        goto missing;
      req->op = CONSOLE_RELEASE_ROLLBACK;
      req->release = (gint64)number;
      return TRUE;
    }
  if (n == 3 && g_str_equal (parts[2], "audit"))
    {
      if (!get)
        goto method;
      req->op = CONSOLE_AUDIT;
      return TRUE;
    }
missing:
  g_set_error_literal (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此接口 / No such console call");
  return FALSE;
method:
  g_set_error_literal (error, HUB_ERROR, HUB_ERROR_METHOD, "方法不允许 / Method not allowed");
  return FALSE;
}

static char *
bounded_query (GHashTable *query, const char *name)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;

  return value != NULL && *value != '\0' ? g_strndup (value, 64) : NULL;
}

void
hub_console_handle (HubConsole *self, SoupServerMessage *msg, const char *path, GHashTable *query)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) parts = g_strsplit (path + 1, "/", 6);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  ConsoleRequest *req;
  g_autoptr (GTask) task = NULL;
  Job *job;

  g_return_if_fail (HUB_IS_CONSOLE (self));

  req = g_new0 (ConsoleRequest, 1);
  if (!route (soup_server_message_get_method (msg), parts, g_strv_length (parts), req, &error)
      || !parse_body (msg, req, &error))
    {
      console_request_free (req);
      respond_error (msg, error);
      return;
    }
  req->cookie = g_strdup (soup_message_headers_get_one (headers, "Cookie"));
  req->csrf = g_strndup (soup_message_headers_get_one (headers, "X-CSRF-Token"), 128);
  req->address = g_strdup (soup_server_message_get_remote_host (msg));
  if (req->address == NULL)
    req->address = g_strdup ("unknown");
  if (req->content_target == NULL)
    req->content_target = bounded_query (query, "target");
  req->filter_action = bounded_query (query, "action");
  req->filter_actor = bounded_query (query, "actor");

  job = g_new0 (Job, 1);
  job->console = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->req = req;
  job->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), job);
  soup_server_message_pause (msg);
  task = g_task_new (self, NULL, job_done, NULL);
  g_task_set_source_tag (task, hub_console_handle);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  g_task_run_in_thread (task, job_thread);
}

static void
hub_console_finalize (GObject *object)
{
  HubConsole *self = HUB_CONSOLE (object);

  g_clear_object (&self->db);
  g_clear_pointer (&self->content_key, sodium_free);
  G_OBJECT_CLASS (hub_console_parent_class)->finalize (object);
}

static void
hub_console_class_init (HubConsoleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = hub_console_finalize;
}

static void
hub_console_init (HubConsole *self)
{
  self->times = (HubConsoleTimes){ HUB_CONSOLE_IDLE_S, HUB_CONSOLE_ABSOLUTE_S, HUB_CONSOLE_LOCK_S };
}

gboolean
hub_console_set_content_key (HubConsole *self, const char *path, GError **error)
{
  guint8 *key;

  g_return_val_if_fail (HUB_IS_CONSOLE (self), FALSE);

  /* Locked memory, wiped when freed: the key signs what every kiosk shows. */
  if (sodium_init () < 0 || (key = sodium_malloc (crypto_sign_SECRETKEYBYTES)) == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_UNAVAILABLE, "no memory for the content key");
      return FALSE;
    }
  if (!kiosk_release_load_secret_key (path, key, error))
    {
      sodium_free (key);
      return FALSE;
    }
  g_clear_pointer (&self->content_key, sodium_free);
  self->content_key = key;
  return TRUE;
}

const guint8 *
console_get_content_key (HubConsole *self)
{
  return self->content_key;
}

HubConsole *
hub_console_new (HubDb *db, const HubConsoleTimes *times)
{
  HubConsole *self;

  g_return_val_if_fail (HUB_IS_DB (db), NULL);

  self = g_object_new (HUB_TYPE_CONSOLE, NULL);
  self->db = g_object_ref (db);
  if (times != NULL)
    self->times = *times;
  return self;
}
