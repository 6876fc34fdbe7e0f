/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-updater"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiosk-autocleanups.h"
#include "kiosk-bundle-limits.h"
#include "kiosk-clock.h"
#include "kiosk-error.h"
#include "kiosk-release.h"
#include "kiosk-updater-private.h"

/* The worker-thread half of KioskUpdater: fetch, stage, check, activate. */

/* release.json and release.sig are small; anything bigger is not ours. */
#define MAX_RELEASE_JSON (4 * 1024 * 1024)
#define MAX_RELEASE_SIG 1024

void
kiosk_check_job_free (KioskCheckJob *job)
{
  g_free (job->hub_url);
  g_free (job->ca_file);
  g_free (job->cert_file);
  g_free (job->key_file);
  g_free (job->kiosk_id);
  g_free (job->hall);
  g_free (job->releases_dir);
  g_strfreev (job->public_keys);
  g_free (job->current_dir);
  g_free (job->etag);
  g_free (job->new_etag);
  g_clear_object (&job->bundle);
  g_free (job);
}

/* Where one response goes: a capped buffer, or a file of a known size. */
typedef struct
{
  CURL *curl;
  GCancellable *cancellable;
  char error_text[CURL_ERROR_SIZE];
  char *etag;
  GByteArray *body;
  gsize body_max;
  int fd;
  gint64 expected;
  gint64 written;
  int write_errno;
  gboolean overflow;
} Http;

static size_t
on_write (char *data, size_t size, size_t nmemb, void *user_data)
{
  Http *http = user_data;
  size_t n = size * nmemb;

  if (http->body != NULL)
    {
      if (http->body->len + n > http->body_max)
        {
          http->overflow = TRUE;
          return 0;
        }
      g_byte_array_append (http->body, (const guint8 *)data, n);
      return n;
    }
  if (http->written + (gint64)n > http->expected)
    {
      http->overflow = TRUE;
      return 0;
    }
  for (size_t done = 0; done < n;)
    {
      gssize w = write (http->fd, data + done, n - done);

      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        {
          http->write_errno = errno;
          return 0;
        }
      done += w;
    }
  http->written += n;
  return n;
}

static size_t
on_header (char *data, size_t size, size_t nmemb, void *user_data)
{
  Http *http = user_data;
  size_t n = size * nmemb;

  if (n > 5 && g_ascii_strncasecmp (data, "ETag:", 5) == 0)
    {
      g_free (http->etag);
      http->etag = g_strstrip (g_strndup (data + 5, n - 5));
    }
  return n;
}

static int
on_progress (void *user_data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
  Http *http = user_data;

  return g_cancellable_is_cancelled (http->cancellable) ? 1 : 0;
}

static void
http_init (Http *http, const KioskCheckJob *job, GCancellable *cancellable)
{
  memset (http, 0, sizeof *http);
  http->curl = curl_easy_init ();
  http->cancellable = cancellable;
  http->fd = -1;
  curl_easy_setopt (http->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (http->curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt (http->curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt (http->curl, CURLOPT_ERRORBUFFER, http->error_text);
  curl_easy_setopt (http->curl, CURLOPT_CONNECTTIMEOUT, (long)job->connect_timeout_seconds);
  curl_easy_setopt (http->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt (http->curl, CURLOPT_LOW_SPEED_TIME, (long)job->timeout_seconds);
  curl_easy_setopt (http->curl, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt (http->curl, CURLOPT_WRITEDATA, http);
  curl_easy_setopt (http->curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt (http->curl, CURLOPT_HEADERDATA, http);
  curl_easy_setopt (http->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt (http->curl, CURLOPT_XFERINFODATA, http);
  curl_easy_setopt (http->curl, CURLOPT_NOPROGRESS, 0L);
  if (job->ca_file != NULL && *job->ca_file != '\0')
    curl_easy_setopt (http->curl, CURLOPT_CAINFO, job->ca_file);
  if (job->cert_file != NULL && *job->cert_file != '\0')
    curl_easy_setopt (http->curl, CURLOPT_SSLCERT, job->cert_file);
  if (job->key_file != NULL && *job->key_file != '\0')
    curl_easy_setopt (http->curl, CURLOPT_SSLKEY, job->key_file);
}

static void
http_clear (Http *http)
{
  g_clear_pointer (&http->curl, curl_easy_cleanup);
  g_clear_pointer (&http->etag, g_free);
  g_clear_pointer (&http->body, g_byte_array_unref);
}

/* GETs @url into the sink set up in @http; *@status is the HTTP status. */
static gboolean
http_get (Http *http, const char *url, const char *if_none_match, long *status, GError **error)
{
  struct curl_slist *headers = NULL;
  g_autofree char *header = NULL;
  CURLcode rc;

  http->error_text[0] = '\0';
  http->overflow = FALSE;
  http->write_errno = 0;
  http->written = 0;
  g_clear_pointer (&http->etag, g_free);
  if (if_none_match != NULL)
    {
      header = g_strdup_printf ("If-None-Match: %s", if_none_match);
      headers = curl_slist_append (headers, header);
    }
  curl_easy_setopt (http->curl, CURLOPT_URL, url);
  curl_easy_setopt (http->curl, CURLOPT_HTTPHEADER, headers);
  rc = curl_easy_perform (http->curl);
  curl_easy_setopt (http->curl, CURLOPT_HTTPHEADER, NULL);
  curl_slist_free_all (headers);
  curl_easy_getinfo (http->curl, CURLINFO_RESPONSE_CODE, status);

  if (rc == CURLE_OK)
    return TRUE;
  if (rc == CURLE_ABORTED_BY_CALLBACK)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "GET %s: cancelled", url);
  else if (rc == CURLE_WRITE_ERROR && http->write_errno != 0)
    g_set_error (error, KIOSK_RELEASE_ERROR,
                 http->write_errno == ENOSPC || http->write_errno == EDQUOT ? KIOSK_RELEASE_ERROR_DISK_FULL
                                                                            : KIOSK_RELEASE_ERROR_IO,
                 "staging %s: %s", url, g_strerror (http->write_errno));
  else if (rc == CURLE_WRITE_ERROR && http->overflow)
    g_set_error (error, KIOSK_RELEASE_ERROR,
                 http->body ? KIOSK_RELEASE_ERROR_MALFORMED : KIOSK_RELEASE_ERROR_TRUNCATED,
                 "GET %s: longer than %" G_GINT64_FORMAT " bytes", url,
                 http->body ? (gint64)http->body_max : http->expected);
  else if (rc == CURLE_PARTIAL_FILE)
    g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_TRUNCATED, "GET %s: download cut short",
                 url);
  else
    g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK, "GET %s: %s", url,
                 http->error_text[0] ? http->error_text : curl_easy_strerror (rc));
  return FALSE;
}

static GBytes *
http_get_small (Http *http, const char *url, gsize max, const char *if_none_match, long *status,
                GError **error)
{
  g_autoptr (GByteArray) body = g_byte_array_new ();

  http->body = g_byte_array_ref (body);
  http->body_max = max;
  if (!http_get (http, url, if_none_match, status, error))
    {
      g_clear_pointer (&http->body, g_byte_array_unref);
      return NULL;
    }
  g_clear_pointer (&http->body, g_byte_array_unref);
  return g_byte_array_free_to_bytes (g_steal_pointer (&body));
}

static gboolean
staging_error (GError **error, int saved_errno, const char *what, const char *path)
{
  g_set_error (error, KIOSK_RELEASE_ERROR,
               saved_errno == ENOSPC || saved_errno == EDQUOT ? KIOSK_RELEASE_ERROR_DISK_FULL
                                                              : KIOSK_RELEASE_ERROR_IO,
               "%s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
fsync_close (int fd, const char *path, GError **error)
{
  if (fsync (fd) < 0)
    {
      int saved = errno;

      close (fd);
      return staging_error (error, saved, "fsync", path);
    }
  if (close (fd) < 0)
    return staging_error (error, errno, "close", path);
  return TRUE;
}

static gboolean
fsync_path (const char *path, GError **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return staging_error (error, errno, "open", path);
  return fsync_close (fd, path, error);
}

static gboolean
write_whole (const char *path, const guint8 *data, gsize length, GError **error)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

  if (fd < 0)
    return staging_error (error, errno, "create", path);
  for (gsize done = 0; done < length;)
    {
      gssize w = write (fd, data + done, length - done);

      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        {
          int saved = errno;

          close (fd);
          return staging_error (error, saved, "write", path);
        }
      done += w;
    }
  return fsync_close (fd, path, error);
}

/* A file of the release in force with the same content: linked (or copied
 * across file systems) instead of fetched again. */
static gboolean
reuse_file (const char *src, const char *dest, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;

  if (link (src, dest) == 0)
    return TRUE;
  if (errno == ENOSPC || errno == EDQUOT)
    return staging_error (error, errno, "link", dest);
  if (!g_file_get_contents (src, &data, &length, NULL))
    return FALSE;
  return write_whole (dest, (const guint8 *)data, length, error);
}

/* sha256 → absolute path, for the files of the release in force. */
static GHashTable *
index_current (const char *current_dir)
{
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = current_dir ? g_build_filename (current_dir, KIOSK_RELEASE_JSON, NULL) : NULL;
  g_autofree char *json = NULL;
  g_autoptr (KioskRelease) current = NULL;
  gsize length;

  /* Only a hint: every staged file is hashed again before it counts. */
  if (path == NULL || !g_file_get_contents (path, &json, &length, NULL)
      || (current = kiosk_release_parse (json, length, NULL)) == NULL)
    return index;
  for (guint i = 0; i < current->files->len; i++)
    {
      const KioskReleaseFile *file = current->files->pdata[i];

      g_hash_table_replace (index, g_strdup (file->sha256), g_build_filename (current_dir, file->path, NULL));
    }
  return index;
}

static gboolean
fsync_dirs (const char *path, GError **error)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK)
          && !fsync_dirs (child, error))
        return FALSE;
    }
  return fsync_path (path, error);
}

static gboolean
fetch_file (Http *http, KioskCheckJob *job, const KioskReleaseFile *file, const char *dest, GError **error)
{
  g_autofree char *url = g_strdup_printf ("%s/v1/content/files/%s", job->hub_url, file->sha256);
  long status = 0;
  gboolean ok;

  http->fd = open (dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (http->fd < 0)
    return staging_error (error, errno, "create", dest);
  http->expected = file->size;
  ok = http_get (http, url, NULL, &status, error);
  if (!ok)
    {
      close (http->fd);
      http->fd = -1;
      g_prefix_error (error, "%s: ", file->path);
      return FALSE;
    }
  ok = fsync_close (http->fd, dest, error);
  http->fd = -1;
  job->files_fetched++;
  job->bytes_fetched += http->written;
  return ok;
}

/* Every listed file into @staging: reused from the release in force when
 * its hash matches, fetched from the hub otherwise. */
static gboolean
stage_files (Http *http, KioskCheckJob *job, const KioskRelease *release, const char *staging, GError **error)
{
  g_autoptr (GHashTable) have = index_current (job->current_dir);

  for (guint i = 0; i < release->files->len; i++)
    {
      const KioskReleaseFile *file = release->files->pdata[i];
      g_autofree char *dest = g_build_filename (staging, file->path, NULL);
      g_autofree char *parent = g_path_get_dirname (dest);
      const char *src = g_hash_table_lookup (have, file->sha256);

      if (g_mkdir_with_parents (parent, 0755) < 0)
        return staging_error (error, errno, "mkdir", parent);
      if (src != NULL && reuse_file (src, dest, NULL))
        {
          job->files_reused++;
          continue;
        }
      if (g_file_test (dest, G_FILE_TEST_EXISTS))
        g_unlink (dest);
      if (!fetch_file (http, job, file, dest, error))
        return FALSE;
    }
  return TRUE;
}

/* Moves the checked @staging into releases/<N>, loads it, and points
 * "previous" at the old release and "current" at the new one. */
static gboolean
activate (KioskCheckJob *job, const char *staging, GError **error)
{
  g_autofree char *releases = g_build_filename (job->releases_dir, KIOSK_UPDATER_RELEASES, NULL);
  g_autofree char *final = kiosk_updater_release_dir (job->releases_dir, job->release);
  g_autofree char *target = g_strdup_printf (KIOSK_UPDATER_RELEASES "/%" G_GINT64_FORMAT, job->release);
  g_autofree char *old = NULL;
  g_autoptr (GError) local_error = NULL;
  gint64 current = kiosk_updater_read_link (job->releases_dir, KIOSK_UPDATER_CURRENT);

  if (!fsync_dirs (staging, error))
    return FALSE;
  kiosk_updater_remove_tree (final); /* a leftover of an earlier try, never the release in force */
  if (rename (staging, final) < 0)
    return staging_error (error, errno, "rename", final);
  if (!fsync_path (releases, error))
    return FALSE;

  job->bundle = kiosk_bundle_load (final, &local_error);
  if (job->bundle != NULL && kiosk_bundle_get_release (job->bundle) != job->release)
    {
      g_set_error (&local_error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_BAD_BUNDLE,
                   "manifest.json says release %" G_GINT64_FORMAT ", release.json %" G_GINT64_FORMAT,
                   kiosk_bundle_get_release (job->bundle), job->release);
      g_clear_object (&job->bundle);
    }
  if (job->bundle == NULL)
    {
      kiosk_updater_remove_tree (final);
      g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_BAD_BUNDLE, "%s", local_error->message);
      return FALSE;
    }

  if (current > 0)
    {
      old = g_strdup_printf (KIOSK_UPDATER_RELEASES "/%" G_GINT64_FORMAT, current);
      if (!kiosk_updater_replace_link (job->releases_dir, KIOSK_UPDATER_PREVIOUS, old, error))
        return FALSE;
    }
  if (!kiosk_updater_replace_link (job->releases_dir, KIOSK_UPDATER_CURRENT, target, error))
    return FALSE;
  kiosk_updater_prune (job->releases_dir, job->release, current);
  return TRUE;
}

static gboolean
run_check (Http *http, KioskCheckJob *job, GCancellable *cancellable, GError **error)
{
  g_autofree char *json_url = g_strdup_printf ("%s/v1/content/" KIOSK_RELEASE_JSON, job->hub_url);
  g_autofree char *sig_url = g_strdup_printf ("%s/v1/content/" KIOSK_RELEASE_SIG, job->hub_url);
  g_autofree char *staging = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *sig_path = NULL;
  g_autofree char *sig_text = NULL;
  g_autoptr (GBytes) json = NULL;
  g_autoptr (GBytes) sig = NULL;
  g_autoptr (KioskRelease) release = NULL;
  g_autoptr (GError) over = NULL;
  g_autoptr (KioskRelease) checked = NULL;
  long status = 0;
  gboolean ok;

  json = http_get_small (http, json_url, MAX_RELEASE_JSON, job->etag, &status, error);
  if (json == NULL)
    return FALSE;
  if (status == 304)
    {
      job->outcome = KIOSK_CHECK_NOT_MODIFIED;
      return TRUE;
    }
  job->new_etag = g_steal_pointer (&http->etag);
  sig = http_get_small (http, sig_url, MAX_RELEASE_SIG, NULL, &status, error);
  if (sig == NULL)
    return FALSE;
  sig_text = g_strndup (g_bytes_get_data (sig, NULL), g_bytes_get_size (sig));

  /* Everything that needs no file is checked before anything is fetched. */
  release = kiosk_release_verify_signature (g_bytes_get_data (json, NULL), g_bytes_get_size (json), sig_text,
                                            (const char *const *)job->public_keys, error);
  /* After a start the kiosk has no ETag yet, and the hub answers with the
   * release it already runs: up to date, not a replay. */
  if (release != NULL && job->in_force > 0 && release->release == job->in_force)
    {
      job->outcome = KIOSK_CHECK_NOT_MODIFIED;
      return TRUE;
    }
  if (release == NULL || !kiosk_release_check_newer (release->release, job->floor, error)
      || !kiosk_release_check_target (release, job->kiosk_id, job->hall, error))
    return FALSE;
  job->release = release->release;
  if (kiosk_release_total_size (release) > job->max_bytes)
    {
      g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_TOO_LARGE,
                   "release %" G_GINT64_FORMAT " has %" G_GINT64_FORMAT " bytes, at most %" G_GINT64_FORMAT
                   " are accepted",
                   release->release, kiosk_release_total_size (release), job->max_bytes);
      return FALSE;
    }
  /* A bundle over the limits would not load: no need to fetch it. */
  if (!kiosk_bundle_check_listing (release, &over))
    {
      g_set_error (error, KIOSK_RELEASE_ERROR, KIOSK_RELEASE_ERROR_BAD_BUNDLE,
                   "release %" G_GINT64_FORMAT ": %s", release->release, over->message);
      return FALSE;
    }
  if (release->not_before != NULL && kiosk_date_time_to_usec (release->not_before) > job->now_us)
    {
      job->outcome = KIOSK_CHECK_DEFERRED;
      return TRUE;
    }

  staging = g_build_filename (job->releases_dir, "staging-XXXXXX", NULL);
  if (g_mkdtemp_full (staging, 0755) == NULL)
    return staging_error (error, errno, "mkdir", staging);
  json_path = g_build_filename (staging, KIOSK_RELEASE_JSON, NULL);
  sig_path = g_build_filename (staging, KIOSK_RELEASE_SIG, NULL);
  ok = stage_files (http, job, release, staging, error)
       && write_whole (json_path, g_bytes_get_data (json, NULL), g_bytes_get_size (json), error)
       && write_whole (sig_path, g_bytes_get_data (sig, NULL), g_bytes_get_size (sig), error)
       && !g_cancellable_set_error_if_cancelled (cancellable, error)
       && (checked
           = kiosk_release_verify_dir (staging, (const char *const *)job->public_keys, job->floor, error))
              != NULL
       && activate (job, staging, error);
  kiosk_updater_remove_tree (staging); /* gone already when activated */
  if (ok)
    job->outcome = KIOSK_CHECK_ACTIVATED;
  return ok;
}

void
kiosk_updater_check_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  KioskCheckJob *job = task_data;
  g_autoptr (GError) error = NULL;
  Http http;

  http_init (&http, job, cancellable);
  if (run_check (&http, job, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
  http_clear (&http);
}

char *
kiosk_updater_release_dir (const char *releases_dir, gint64 release)
{
  g_autofree char *name = g_strdup_printf ("%" G_GINT64_FORMAT, release);

  return g_build_filename (releases_dir, KIOSK_UPDATER_RELEASES, name, NULL);
}

gint64
kiosk_updater_read_link (const char *releases_dir, const char *name)
{
  g_autofree char *path = g_build_filename (releases_dir, name, NULL);
  g_autofree char *target = g_file_read_link (path, NULL);
  gint64 release = 0;

  if (target == NULL || !g_str_has_prefix (target, KIOSK_UPDATER_RELEASES "/")
      || !g_ascii_string_to_signed (target + strlen (KIOSK_UPDATER_RELEASES "/"), 10, 1, G_MAXINT32, &release,
                                    NULL))
    return 0;
  return release;
}

gboolean
kiosk_updater_replace_link (const char *releases_dir, const char *name, const char *target, GError **error)
{
  g_autofree char *path = g_build_filename (releases_dir, name, NULL);
  g_autofree char *tmp = g_strdup_printf ("%s.tmp-%08x", path, g_random_int ());

  if (symlink (target, tmp) < 0)
    return staging_error (error, errno, "symlink", tmp);
  if (rename (tmp, path) < 0)
    {
      int saved = errno;

      g_unlink (tmp);
      return staging_error (error, saved, "rename", path);
    }
  return fsync_path (releases_dir, error);
}

gboolean
kiosk_updater_remove_link (const char *releases_dir, const char *name, GError **error)
{
  g_autofree char *path = g_build_filename (releases_dir, name, NULL);

  if (g_unlink (path) < 0 && errno != ENOENT)
    return staging_error (error, errno, "unlink", path);
  return fsync_path (releases_dir, error);
}

void
kiosk_updater_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      struct stat st;

      if (lstat (child, &st) == 0 && S_ISDIR (st.st_mode))
        kiosk_updater_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
kiosk_updater_prune (const char *releases_dir, gint64 keep_a, gint64 keep_b)
{
  g_autofree char *releases = g_build_filename (releases_dir, KIOSK_UPDATER_RELEASES, NULL);
  g_autoptr (GDir) top = g_dir_open (releases_dir, 0, NULL);
  g_autoptr (GDir) dir = g_dir_open (releases, 0, NULL);
  const char *name;

  while (top != NULL && (name = g_dir_read_name (top)) != NULL)
    if (g_str_has_prefix (name, "staging-") || strstr (name, ".tmp-") != NULL)
      {
        g_autofree char *child = g_build_filename (releases_dir, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          g_unlink (child);
        else
          kiosk_updater_remove_tree (child);
      }
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (releases, name, NULL);
      gint64 n = g_ascii_strtoll (name, NULL, 10);

      if (n != keep_a && n != keep_b)
        kiosk_updater_remove_tree (child);
    }
}
