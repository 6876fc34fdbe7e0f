/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-content"

#include <stdio.h>
#include <stdlib.h>

#include "hub-api.h"
#include "hub-content.h"
#include "kiosk-release.h"

#define CONTENT_PREFIX "/v1/content/"

/* One GET /v1/content/… on its way through a worker thread. */
typedef struct
{
  /* Owned */
  HubDb *db;
  SoupServerMessage *msg;
  HubCertInfo *cert;
  char *name;
  GBytes *body;
  char *etag;
  GError *error;

  gboolean disconnected;
  gulong disconnected_id;
} ContentRequest;

static void
content_request_free (ContentRequest *req)
{
  g_clear_signal_handler (&req->disconnected_id, req->msg);
  g_clear_object (&req->msg);
  g_clear_object (&req->db);
  g_clear_pointer (&req->cert, hub_cert_info_free);
  g_free (req->name);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->etag);
  g_clear_error (&req->error);
  g_free (req);
}

static void
respond_error (SoupServerMessage *msg, const GError *error)
{
  g_autofree char *json = hub_error_to_json (error);
  guint status = hub_error_http_status (error);

  soup_server_message_set_status (msg, status, NULL);
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                  G_STRINGIFY (HUB_RETRY_AFTER_SECONDS));
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
content_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ContentRequest *req = task_data;
  g_autofree char *kiosk_id = NULL;
  PGconn *conn = hub_db_acquire (req->db, &req->error);

  if (conn != NULL)
    {
      kiosk_id = hub_db_authorize (conn, req->cert, &req->error);
      if (kiosk_id != NULL)
        hub_content_lookup (conn, kiosk_id, req->name, &req->body, &req->etag, &req->error);
      hub_db_release (req->db, conn);
    }
  g_task_return_boolean (task, TRUE);
}

/* An If-None-Match list ("a", "b" or *) naming @etag. */
static gboolean
etag_matches (const char *if_none_match, const char *etag)
{
  g_auto (GStrv) tags = NULL;

  if (if_none_match == NULL)
    return FALSE;
  tags = g_strsplit (if_none_match, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);
      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }
  return FALSE;
}

static void
content_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ContentRequest *req = g_task_get_task_data (G_TASK (result));
  SoupMessageHeaders *headers;

  if (req->disconnected)
    return;
  headers = soup_server_message_get_response_headers (req->msg);
  if (req->error != NULL)
    {
      if (hub_error_http_status (req->error) >= 500)
        g_message ("%s from %s: %s", req->name, req->cert->common_name, req->error->message);
      respond_error (req->msg, req->error);
    }
  else
    {
      soup_message_headers_replace (headers, "ETag", req->etag);
      /* Files are named by their hash and never change; the release may. */
      soup_message_headers_replace (
          headers, "Cache-Control",
          g_str_has_prefix (req->name, "files/") ? "private, max-age=31536000, immutable" : "no-cache");
      if (etag_matches (soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                      "If-None-Match"),
                        req->etag))
        soup_server_message_set_status (req->msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      else
        {
          soup_server_message_set_status (req->msg, SOUP_STATUS_OK, NULL);
          soup_server_message_set_response (
              req->msg,
              g_str_equal (req->name, KIOSK_RELEASE_JSON) ? "application/json" : "application/octet-stream",
              SOUP_MEMORY_COPY, g_bytes_get_data (req->body, NULL), g_bytes_get_size (req->body));
        }
    }
  soup_server_message_unpause (req->msg);
}

static void
on_disconnected (SoupServerMessage *msg, gpointer user_data)
{
  ContentRequest *req = user_data;
  req->disconnected = TRUE;
}

static void
handle_content (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
                gpointer user_data)
{
  HubDb *db = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GTask) task = NULL;
  g_autoptr (HubCertInfo) cert = NULL;
  const char *method = soup_server_message_get_method (msg);
  ContentRequest *req;

  if (!g_str_has_prefix (path, CONTENT_PREFIX))
    g_set_error (&error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此接口 / No such endpoint: %s", path);
  else if (g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "HEAD") != 0)
    g_set_error (&error, HUB_ERROR, HUB_ERROR_METHOD, "方法不允许 / Method not allowed: %s wants GET", path);
  if (error != NULL || (cert = hub_api_peer_certificate (msg, &error)) == NULL)
    {
      respond_error (msg, error);
      return;
    }

  req = g_new0 (ContentRequest, 1);
  req->db = g_object_ref (db);
  req->msg = g_object_ref (msg);
  req->cert = g_steal_pointer (&cert);
  req->name = g_strdup (path + strlen (CONTENT_PREFIX));
  req->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_disconnected), req);

  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, content_done, NULL);
  g_task_set_source_tag (task, handle_content);
  g_task_set_task_data (task, req, (GDestroyNotify)content_request_free);
  g_task_run_in_thread (task, content_thread);
}

void
hub_content_serve (SoupServer *server, HubDb *db)
{
  /* A more specific path than the API's catch-all handler: libsoup picks this one. */
  soup_server_add_handler (server, "/v1/content", handle_content, g_object_ref (db), g_object_unref);
}

static gboolean
load_key (const char *key_path, guint8 secret[crypto_sign_SECRETKEYBYTES], GError **error)
{
  if (key_path == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "content publish and rollback need --key (the publishing secret key)");
      return FALSE;
    }
  return kiosk_release_load_secret_key (key_path, secret, error);
}

int
hub_content_command (const char *conninfo, const char *key_path, const char *target, const char *not_before,
                     int argc, char **argv, GError **error)
{
  g_autoptr (PGconn) conn = NULL;
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GDateTime) when = NULL;
  guint8 secret[crypto_sign_SECRETKEYBYTES];
  const char *verb = argc > 2 ? argv[2] : "";
  gint64 number = 0, release = 0;
  gboolean ok;

  if (not_before != NULL && (when = g_date_time_new_from_iso8601 (not_before, utc)) == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--not-before \"%s\" is not a time like 2026-12-01T08:00:00+08:00", not_before);
      return 2;
    }
  if (!((argc == 3 && g_str_equal (verb, "list")) || (argc == 4 && g_str_equal (verb, "publish"))
        || (argc == 4 && g_str_equal (verb, "rollback")
            && g_ascii_string_to_signed (argv[3], 10, 1, G_MAXINT32, &number, NULL))
        || (argc == 5 && g_str_equal (verb, "hall"))))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "content publish DIR --key KEY [--target T] [--not-before TIME] | content list"
                           " | content rollback N --key KEY | content hall KIOSK HALL");
      return 2;
    }
  if ((conn = hub_db_connect (conninfo, error)) == NULL || !hub_db_migrate (conn, error))
    return EXIT_FAILURE;

  if (g_str_equal (verb, "list"))
    {
      g_autofree char *text = hub_content_list (conn, error);
      if (text == NULL)
        return EXIT_FAILURE;
      fputs (text, stdout);
      return EXIT_SUCCESS;
    }
  if (g_str_equal (verb, "hall"))
    {
      if (!hub_content_set_hall (conn, argv[3], argv[4], error))
        return EXIT_FAILURE;
      printf ("kiosk %s in hall %s\n", argv[3], argv[4]);
      return EXIT_SUCCESS;
    }

  if (!load_key (key_path, secret, error))
    return EXIT_FAILURE;
  if (g_str_equal (verb, "publish"))
    ok = hub_content_publish_dir (conn, argv[3], secret, target, when, 0, &release, error);
  else
    ok = hub_content_rollback (conn, number, secret, target, &release, error);
  sodium_memzero (secret, sizeof secret);
  if (!ok)
    return EXIT_FAILURE;
  if (number > 0)
    printf ("published release %" G_GINT64_FORMAT " (the content of release %" G_GINT64_FORMAT ")\n", release,
            number);
  else
    printf ("published release %" G_GINT64_FORMAT "\n", release);
  return EXIT_SUCCESS;
}
