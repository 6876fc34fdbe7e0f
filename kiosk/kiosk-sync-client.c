/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-sync"

#include "kiosk-autocleanups.h"
#include "kiosk-error.h"
#include "kiosk-sync-client-private.h"

/* A reply larger than this is not one our hub sends. */
#define MAX_REPLY_BYTES KIOSK_SYNC_MAX_REPLY_BYTES

struct _KioskSyncClient
{
  /* Owned */
  KioskSyncConfig *config;
  KioskStore *store;
  CURL *curl;
  struct curl_slist *headers;
  GByteArray *reply;
  GCancellable *cancellable;

  guint batch_limit; /* batch_size, or less while isolating a refused row */
  char error_buffer[CURL_ERROR_SIZE];
};

typedef struct
{
  gint64 seq;
  char *uuid;
} SentRow;

static void
sent_row_clear (SentRow *row)
{
  g_free (row->uuid);
}

void
kiosk_sync_config_init (KioskSyncConfig *config)
{
  *config = (KioskSyncConfig){
    .batch_size = KIOSK_SYNC_DEFAULT_BATCH,
    .connect_timeout_ms = 5000,
    .total_timeout_ms = 30000,
    .backoff_min_ms = 1000,
    .backoff_max_ms = 5 * 60 * 1000,
    .idle_poll_ms = 5000,
    .members_interval_ms = 60 * 1000,
    .heartbeat_interval_ms = 60 * 1000,
    .calls_interval_ms = 5000,
  };
}

KioskSyncConfig *
kiosk_sync_config_copy (const KioskSyncConfig *config)
{
  KioskSyncConfig *copy = g_memdup2 (config, sizeof *config);

  copy->hub_url = g_strdup (config->hub_url);
  copy->ca_file = g_strdup (config->ca_file);
  copy->cert_file = g_strdup (config->cert_file);
  copy->key_file = g_strdup (config->key_file);
  return copy;
}

void
kiosk_sync_config_clear (KioskSyncConfig *config)
{
  g_clear_pointer (&config->hub_url, g_free);
  g_clear_pointer (&config->ca_file, g_free);
  g_clear_pointer (&config->cert_file, g_free);
  g_clear_pointer (&config->key_file, g_free);
}

void
kiosk_sync_config_free (KioskSyncConfig *config)
{
  if (config == NULL)
    return;
  kiosk_sync_config_clear (config);
  g_free (config);
}

static size_t
on_write (char *data, size_t size, size_t n, void *user_data)
{
  GByteArray *reply = user_data;

  if (reply->len + size * n > MAX_REPLY_BYTES)
    return 0; /* curl fails the transfer: CURLE_WRITE_ERROR */
  g_byte_array_append (reply, (const guint8 *)data, (guint)(size * n));
  return size * n;
}

static int
on_progress (void *user_data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
  /* Lets kiosk_sync_stop() end a transfer without waiting for its timeout. */
  return g_cancellable_is_cancelled (user_data) ? 1 : 0;
}

static gboolean
setup_curl (KioskSyncClient *self, GError **error)
{
  const KioskSyncConfig *c = self->config;
  CURL *h = self->curl;

  self->headers = curl_slist_append (NULL, "Content-Type: application/json");
  /* No "Expect: 100-continue" pause before large batches. */
  self->headers = curl_slist_append (self->headers, "Expect:");
  if (curl_easy_setopt (h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_CONNECTTIMEOUT_MS, (long)c->connect_timeout_ms) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_TIMEOUT_MS, (long)c->total_timeout_ms) != CURLE_OK
      /* Only the hub's CA, never the system store. */
      || curl_easy_setopt (h, CURLOPT_CAINFO, c->ca_file) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_CAPATH, NULL) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_SSLCERT, c->cert_file) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_SSLKEY, c->key_file) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_PROTOCOLS_STR, "https") != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_HTTPHEADER, self->headers) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_WRITEFUNCTION, on_write) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_WRITEDATA, self->reply) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_NOPROGRESS, 0L) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_XFERINFOFUNCTION, on_progress) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_XFERINFODATA, self->cancellable) != CURLE_OK
      || curl_easy_setopt (h, CURLOPT_ERRORBUFFER, self->error_buffer) != CURLE_OK)
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_FAILED, "libcurl lacks an option the sync needs");
      return FALSE;
    }
  return TRUE;
}

KioskSyncClient *
kiosk_sync_client_new (const char *db_path, KioskClock *clock, const KioskSyncConfig *config,
                       GCancellable *cancellable, GError **error)
{
  g_autoptr (KioskSyncClient) self = NULL;

  g_return_val_if_fail (config->hub_url != NULL && config->ca_file != NULL, NULL);

  self = g_new0 (KioskSyncClient, 1);
  self->config = kiosk_sync_config_copy (config);
  self->batch_limit = MAX (config->batch_size, 1);
  self->reply = g_byte_array_new ();
  self->cancellable = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  self->curl = curl_easy_init ();
  if (self->curl == NULL)
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_FAILED, "libcurl could not start");
      return NULL;
    }
  if (!setup_curl (self, error))
    return NULL;
  /* Our own connection: KioskStore is not shared between threads. */
  self->store = kiosk_store_open (db_path, clock, error);
  if (self->store == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

void
kiosk_sync_client_free (KioskSyncClient *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->curl, curl_easy_cleanup);
  g_clear_pointer (&self->headers, curl_slist_free_all);
  g_clear_pointer (&self->reply, g_byte_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->config, kiosk_sync_config_free);
  g_free (self);
}

KioskStore *
kiosk_sync_client_get_store (KioskSyncClient *self)
{
  return self->store;
}

static void
set_curl_error (KioskSyncClient *self, CURLcode rc, GError **error)
{
  const char *detail = self->error_buffer[0] ? self->error_buffer : curl_easy_strerror (rc);

  switch (rc)
    {
      case CURLE_PEER_FAILED_VERIFICATION:
        g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK,
                     "中心服务器证书不可信 / Hub certificate not trusted: %s", detail);
        break;
      case CURLE_SSL_CONNECT_ERROR:
      case CURLE_SSL_CERTPROBLEM:
      case CURLE_SSL_CACERT_BADFILE:
        g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK, "安全连接失败 / TLS with the hub failed: %s",
                     detail);
        break;
      case CURLE_OPERATION_TIMEDOUT:
        g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_TIMEOUT, "中心服务器无应答 / Hub did not answer: %s",
                     detail);
        break;
      case CURLE_ABORTED_BY_CALLBACK:
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "同步已停止 / Sync stopped");
        break;
      default:
        g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK, "无法连接中心服务器 / Cannot reach the hub: %s",
                     detail);
    }
}

/* One request on the kept-alive handle; the body of the reply is in self->reply. */
static gboolean
perform (KioskSyncClient *self, const char *path, const GString *body, long *status, GError **error)
{
  g_autofree char *url = g_strconcat (self->config->hub_url, path, NULL);
  CURLcode rc;

  g_byte_array_set_size (self->reply, 0);
  self->error_buffer[0] = '\0';
  curl_easy_setopt (self->curl, CURLOPT_URL, url);
  if (body != NULL)
    {
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
      curl_easy_setopt (self->curl, CURLOPT_POSTFIELDS, body->str);
    }
  else
    curl_easy_setopt (self->curl, CURLOPT_HTTPGET, 1L);

  rc = curl_easy_perform (self->curl);
  if (rc != CURLE_OK)
    {
      set_curl_error (self, rc, error);
      return FALSE;
    }
  curl_easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, status);
  return TRUE;
}

/* An error for a reply that is not 200, with the hub's reason when it gave one. */
static void
set_status_error (KioskSyncClient *self, long status, GError **error)
{
  g_autofree char *reason = kiosk_sync_parse_error_reason ((const char *)self->reply->data, self->reply->len);
  int code = status == 403 ? KIOSK_ERROR_DENIED : KIOSK_ERROR_NETWORK;

  g_set_error (error, KIOSK_ERROR, code, "中心服务器拒绝 / Hub answered %ld: %s", status,
               reason ? reason : "(no reason given)");
}

gint64
kiosk_sync_client_pending (KioskSyncClient *self)
{
  return kiosk_store_outbox_pending (self->store);
}

/* Sets one row aside so the rows behind it can go. */
static gboolean
set_aside (KioskSyncClient *self, gint64 seq, long status, const char *reason, GError **error)
{
  sqlite3_stmt *stmt
      = kiosk_store_prepare (self->store,
                             "INSERT OR REPLACE INTO outbox_rejected (seq, at_us, status, reason)"
                             " VALUES (?1, ?2, ?3, ?4)",
                             error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, kiosk_clock_get_real_time (kiosk_store_get_clock (self->store)));
  sqlite3_bind_int (stmt, 3, (int)status);
  sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_TRANSIENT);
  return kiosk_store_step_done (self->store, stmt, error);
}

/* Reads the next batch into @rows and @body; rows that cannot be sent at all
 * are set aside on the way. */
static gboolean
read_batch (KioskSyncClient *self, GArray *rows, GString *body, char **notice, GError **error)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (self->store,
                                            "SELECT seq, uuid, kind, payload FROM outbox o"
                                            " WHERE sent_us IS NULL AND NOT EXISTS"
                                            "  (SELECT 1 FROM outbox_rejected r WHERE r.seq = o.seq)"
                                            " ORDER BY seq LIMIT ?1",
                                            error);
  g_autoptr (GArray) unsendable = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int)self->batch_limit);
  kiosk_sync_records_begin (body);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *uuid = (const char *)sqlite3_column_text (stmt, 1);
      const char *payload = (const char *)sqlite3_column_text (stmt, 3);
      g_autoptr (GError) bad = NULL;
      SentRow row = { sqlite3_column_int64 (stmt, 0), NULL };

      if (!kiosk_sync_row_is_sendable (uuid, payload, &bad))
        {
          g_array_append_val (unsendable, row.seq);
          g_free (*notice);
          *notice = g_strdup (bad->message);
          continue;
        }
      row.uuid = g_ascii_strdown (uuid, -1);
      g_array_append_val (rows, row);
      kiosk_sync_records_add (body, row.uuid, (const char *)sqlite3_column_text (stmt, 2), payload);
    }
  sqlite3_reset (stmt);
  kiosk_sync_records_end (body);
  if (rc != SQLITE_DONE)
    {
      kiosk_store_set_error (self->store, rc, "read outbox", error);
      return FALSE;
    }
  for (guint i = 0; i < unsendable->len; i++)
    if (!set_aside (self, g_array_index (unsendable, gint64, i), 0, *notice, error))
      return FALSE;
  return TRUE;
}

static gboolean
mark_sent (KioskSyncClient *self, GArray *rows, GHashTable *accepted, guint *n_sent, GError **error)
{
  gint64 now = kiosk_clock_get_real_time (kiosk_store_get_clock (self->store));
  sqlite3_stmt *stmt;

  *n_sent = 0;
  if (!kiosk_store_begin (self->store, error))
    return FALSE;
  stmt = kiosk_store_prepare (self->store,
                              "UPDATE outbox SET sent_us = ?1 WHERE seq = ?2 AND sent_us IS NULL", error);
  if (stmt == NULL)
    goto fail;
  for (guint i = 0; i < rows->len; i++)
    {
      const SentRow *row = &g_array_index (rows, SentRow, i);

      /* Only what the hub says it has: anything else is sent again. */
      if (!g_hash_table_contains (accepted, row->uuid))
        continue;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_int64 (stmt, 2, row->seq);
      if (!kiosk_store_step_done (self->store, stmt, error))
        goto fail;
      (*n_sent)++;
    }
  return kiosk_store_commit (self->store, error);

fail:
  kiosk_store_rollback (self->store);
  *n_sent = 0;
  return FALSE;
}

gboolean
kiosk_sync_client_upload (KioskSyncClient *self, guint *n_sent, gboolean *more, char **notice, GError **error)
{
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (SentRow));
  g_autoptr (GString) body = g_string_sized_new (64 * 1024);
  g_autoptr (GHashTable) accepted = NULL;
  gboolean full;
  long status = 0;

  g_array_set_clear_func (rows, (GDestroyNotify)sent_row_clear);
  *n_sent = 0;
  *more = FALSE;

  if (!read_batch (self, rows, body, notice, error))
    return FALSE;
  if (rows->len == 0)
    {
      /* Nothing sendable; rows set aside on the way may hide more behind them. */
      *more = *notice != NULL;
      return TRUE;
    }
  if (!perform (self, "/v1/records", body, &status, error))
    return FALSE;

  if (status == 400 || status == 413)
    {
      g_autofree char *reason
          = kiosk_sync_parse_error_reason ((const char *)self->reply->data, self->reply->len);
      g_free (*notice);
      *notice = g_strdup_printf ("中心服务器拒收记录 / Hub refused records (%ld): %s", status,
                                 reason ? reason : "(no reason given)");
      /* Halve until the bad row is alone, then set it aside. */
      if (rows->len > 1)
        self->batch_limit = MAX (rows->len / 2, 1);
      else if (!set_aside (self, g_array_index (rows, SentRow, 0).seq, status, *notice, error))
        return FALSE;
      *more = TRUE;
      return TRUE;
    }
  if (status != 200)
    {
      set_status_error (self, status, error);
      return FALSE;
    }

  accepted = kiosk_sync_parse_accepted ((const char *)self->reply->data, self->reply->len, error);
  if (accepted == NULL || !mark_sent (self, rows, accepted, n_sent, error))
    return FALSE;

  full = rows->len >= self->batch_limit;
  self->batch_limit = MIN (self->batch_limit * 2, MAX (self->config->batch_size, 1));
  if (*n_sent == 0)
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK,
                           "中心服务器未确认任何记录 / Hub confirmed none of the records sent");
      return FALSE;
    }
  *more = full || *n_sent < rows->len;
  return TRUE;
}

static gint64
get_cursor (KioskSyncClient *self, const char *key)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (self->store, "SELECT value FROM meta WHERE key = ?1", NULL);
  gint64 cursor = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    cursor = g_ascii_strtoll ((const char *)sqlite3_column_text (stmt, 0), NULL, 10);
  sqlite3_reset (stmt);
  return cursor;
}

gint64
kiosk_sync_client_get_members_cursor (KioskSyncClient *self)
{
  return get_cursor (self, KIOSK_SYNC_MEMBERS_CURSOR_KEY);
}

gint64
kiosk_sync_client_get_calls_cursor (KioskSyncClient *self)
{
  return get_cursor (self, KIOSK_SYNC_CALLS_CURSOR_KEY);
}

/* One page: @rows given to @func and the cursor stored under @key, in one
 * transaction. */
static gboolean
apply_page (KioskSyncClient *self, const char *key, gint64 cursor_value, GPtrArray *rows,
            KioskSyncMembersFunc func, gpointer user_data, GError **error)
{
  g_autofree char *cursor = g_strdup_printf ("%" G_GINT64_FORMAT, cursor_value);
  sqlite3_stmt *stmt;

  if (!kiosk_store_begin (self->store, error))
    return FALSE;
  if (rows->len > 0 && !func (self->store, rows, user_data, error))
    goto fail;
  stmt = kiosk_store_prepare (self->store, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, cursor, -1, SQLITE_STATIC);
  if (!kiosk_store_step_done (self->store, stmt, error))
    goto fail;
  return kiosk_store_commit (self->store, error);

fail:
  kiosk_store_rollback (self->store);
  return FALSE;
}

gboolean
kiosk_sync_client_pull_members (KioskSyncClient *self, KioskSyncMembersFunc func, gpointer user_data,
                                guint *n_applied, GError **error)
{
  gboolean more = TRUE;

  *n_applied = 0;
  while (more)
    {
      gint64 cursor = kiosk_sync_client_get_members_cursor (self);
      g_autofree char *path = g_strdup_printf ("/v1/members?cursor=%" G_GINT64_FORMAT, cursor);
      g_autoptr (KioskSyncMemberPage) page = NULL;
      long status = 0;

      if (!perform (self, path, NULL, &status, error))
        return FALSE;
      if (status != 200)
        {
          set_status_error (self, status, error);
          return FALSE;
        }
      page = kiosk_sync_parse_members ((const char *)self->reply->data, self->reply->len, cursor, error);
      if (page == NULL
          || !apply_page (self, KIOSK_SYNC_MEMBERS_CURSOR_KEY, page->cursor, page->members, func, user_data,
                          error))
        return FALSE;
      *n_applied += page->members->len;
      more = page->more;
    }
  return TRUE;
}

gboolean
kiosk_sync_client_pull_calls (KioskSyncClient *self, KioskSyncCallsFunc func, gpointer user_data,
                              guint *n_applied, GError **error)
{
  gboolean more = TRUE;

  *n_applied = 0;
  while (more)
    {
      gint64 cursor = kiosk_sync_client_get_calls_cursor (self);
      g_autofree char *path = g_strdup_printf ("/v1/calls?cursor=%" G_GINT64_FORMAT, cursor);
      g_autoptr (KioskSyncCallPage) page = NULL;
      long status = 0;

      if (!perform (self, path, NULL, &status, error))
        return FALSE;
      /* A hub from before counter calling: nothing to pull, nothing wrong. */
      if (status == 404)
        return TRUE;
      if (status != 200)
        {
          set_status_error (self, status, error);
          return FALSE;
        }
      page = kiosk_sync_parse_calls ((const char *)self->reply->data, self->reply->len, cursor, error);
      if (page == NULL)
        return FALSE;
      /* Polled every few seconds: an empty page that moves nothing writes nothing. */
      if ((page->calls->len > 0 || page->cursor != cursor)
          && !apply_page (self, KIOSK_SYNC_CALLS_CURSOR_KEY, page->cursor, page->calls, func, user_data,
                          error))
        return FALSE;
      *n_applied += page->calls->len;
      more = page->more;
    }
  return TRUE;
}

gboolean
kiosk_sync_client_heartbeat (KioskSyncClient *self, const char *body_json, gboolean *sync_now, GError **error)
{
  g_autoptr (GString) body = g_string_new (body_json);
  g_autofree char *public_url = NULL;
  g_autofree char *stored = NULL;
  gint64 server_time = 0;
  long status = 0;

  if (!perform (self, "/v1/heartbeat", body, &status, error))
    return FALSE;
  if (status != 200)
    {
      set_status_error (self, status, error);
      return FALSE;
    }
  if (!kiosk_sync_parse_heartbeat_reply ((const char *)self->reply->data, self->reply->len, sync_now,
                                         &server_time, error)
      || !kiosk_sync_parse_public_url ((const char *)self->reply->data, self->reply->len, &public_url, error))
    return FALSE;
  /* Written only when it changed: a heartbeat a minute need not touch the disk. */
  if (public_url == NULL)
    return TRUE;
  stored = kiosk_store_get_public_url (self->store);
  if (g_strcmp0 (stored, *public_url != '\0' ? public_url : NULL) == 0)
    return TRUE;
  return kiosk_store_set_public_url (self->store, *public_url != '\0' ? public_url : NULL, error);
}

gboolean
kiosk_sync_client_clock_offset (KioskSyncClient *self, gint64 *offset_us, GError **error)
{
  KioskClock *clock = kiosk_store_get_clock (self->store);
  gint64 before = kiosk_clock_get_real_time (clock), after, server = 0;
  long status = 0;

  if (!perform (self, "/v1/time", NULL, &status, error))
    return FALSE;
  after = kiosk_clock_get_real_time (clock);
  if (status != 200)
    {
      set_status_error (self, status, error);
      return FALSE;
    }
  if (!kiosk_sync_parse_time ((const char *)self->reply->data, self->reply->len, &server, error))
    return FALSE;
  *offset_us = server - (before + (after - before) / 2);
  return TRUE;
}

gboolean
kiosk_sync_client_get (KioskSyncClient *self, const char *path, long *status, const char **data,
                       gsize *length, GError **error)
{
  if (!perform (self, path, NULL, status, error))
    return FALSE;
  *data = (const char *)self->reply->data;
  *length = self->reply->len;
  return TRUE;
}

void
kiosk_sync_client_set_status_error (KioskSyncClient *self, long status, GError **error)
{
  set_status_error (self, status, error);
}

gint64
kiosk_sync_client_get_cursor (KioskSyncClient *self, const char *key)
{
  return get_cursor (self, key);
}

gboolean
kiosk_sync_client_apply_page (KioskSyncClient *self, const char *key, gint64 cursor, GPtrArray *rows,
                              KioskSyncMembersFunc func, gpointer user_data, GError **error)
{
  return apply_page (self, key, cursor, rows, func, user_data, error);
}
