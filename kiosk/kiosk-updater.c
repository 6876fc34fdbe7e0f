/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-updater"

#include <curl/curl.h>
#include <errno.h>
#include <glib/gstdio.h>

#include "kiosk-error.h"
#include "kiosk-release.h"
#include "kiosk-updater-private.h"

/* The main-thread half of KioskUpdater: start-up bookkeeping, crash-loop
 * rollback, the poll timer, and applying a finished check. */

/* Keys in the store's meta table. A run of a release is open from its start
 * (or activation) until it is healthy or stops cleanly; a run still open at
 * the next start died: a crash, a hang the watchdog killed, a power cut. */
#define META_RELEASE "content.release"           /* release "current" pointed at when last seen */
#define META_ACTIVATED_US "content.activated_us" /* when that release was activated */
#define META_HEALTHY "content.healthy"           /* 1: that release has been healthy */
#define META_RUNNING "content.running"           /* 1: a run of it, not yet healthy, is open */
#define META_FAILURES "content.failures"         /* its runs that died before it was healthy */
#define META_REFUSED "content.refused"           /* highest release rolled back */

#define DEFAULT_HEALTHY_SECONDS 60
#define DEFAULT_CRASH_LIMIT 3

/* What the store knows of the release in force. */
typedef struct
{
  gint64 release;
  gint64 activated_us;
  gboolean healthy;
  gboolean running;
  gint64 failures;
} Health;

struct _KioskUpdater
{
  GObject parent_instance;

  /* Owned */
  KioskStore *store;
  KioskContent *content;
  char *hub_url;
  char *ca_file;
  char *cert_file;
  char *key_file;
  char *kiosk_id;
  char *hall;
  char *releases_dir;
  char *fallback_dir;
  char *stop_marker;
  GStrv public_keys;
  GCancellable *cancellable;
  char *etag;
  char *last_error;
  char *last_reported; /* "code release" of the last report: a repeat is not reported again */
  GDateTime *last_check;

  /* State */
  guint poll_seconds;
  guint healthy_seconds;
  guint crash_limit;
  guint healthy_id; /* the healthy_seconds timer, once shown */
  gboolean shown;
  Health health;
  guint connect_timeout_seconds;
  guint timeout_seconds;
  gint64 max_bytes;
  gint64 current_release;
  gint64 refused;
  int last_error_code;
  gboolean last_error_transient;
  guint poll_id;
  gboolean busy;
  gboolean again;
};

G_DEFINE_FINAL_TYPE (KioskUpdater, kiosk_updater, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONTENT,
  PROP_CURRENT_RELEASE,
  PROP_LAST_ERROR,
  PROP_LAST_CHECK,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
kiosk_updater_options_from_config (KioskUpdaterOptions *options, KioskConfig *config)
{
  memset (options, 0, sizeof *options);
  options->hub_url = kiosk_config_get_string (config, "hub", "url");
  options->ca_file = kiosk_config_get_string (config, "hub", "ca_file");
  options->cert_file = kiosk_config_get_string (config, "hub", "cert_file");
  options->key_file = kiosk_config_get_string (config, "hub", "key_file");
  options->connect_timeout_seconds = kiosk_config_get_int (config, "hub", "connect_timeout_seconds");
  options->timeout_seconds = kiosk_config_get_int (config, "hub", "timeout_seconds");
  options->kiosk_id = kiosk_config_get_string (config, "kiosk", "id");
  options->hall = kiosk_config_get_string (config, "kiosk", "hall");
  options->fallback_dir = kiosk_config_get_string (config, "kiosk", "content_dir");
  options->releases_dir = kiosk_config_get_string (config, "content", "releases_dir");
  options->public_keys = kiosk_config_get_strv (config, "content", "public_keys");
  options->poll_seconds = kiosk_config_get_int (config, "content", "poll_seconds");
  options->healthy_seconds = kiosk_config_get_int (config, "content", "healthy_seconds");
  options->crash_limit = kiosk_config_get_int (config, "content", "crash_limit");
  options->max_bytes = (gint64)kiosk_config_get_int (config, "content", "max_size_mb") * 1024 * 1024;
}

static void
kiosk_updater_dispose (GObject *object)
{
  kiosk_updater_stop (KIOSK_UPDATER (object));
  g_clear_handle_id (&KIOSK_UPDATER (object)->healthy_id, g_source_remove);
  G_OBJECT_CLASS (kiosk_updater_parent_class)->dispose (object);
}

static void
kiosk_updater_finalize (GObject *object)
{
  KioskUpdater *self = KIOSK_UPDATER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->content);
  g_free (self->hub_url);
  g_free (self->ca_file);
  g_free (self->cert_file);
  g_free (self->key_file);
  g_free (self->kiosk_id);
  g_free (self->hall);
  g_free (self->releases_dir);
  g_free (self->fallback_dir);
  g_free (self->stop_marker);
  g_strfreev (self->public_keys);
  g_clear_object (&self->cancellable);
  g_free (self->etag);
  g_free (self->last_error);
  g_free (self->last_reported);
  g_clear_pointer (&self->last_check, g_date_time_unref);
  G_OBJECT_CLASS (kiosk_updater_parent_class)->finalize (object);
}

static void
kiosk_updater_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskUpdater *self = KIOSK_UPDATER (object);

  switch (prop_id)
    {
      case PROP_CONTENT:
        g_value_set_object (value, self->content);
        break;
      case PROP_CURRENT_RELEASE:
        g_value_set_int64 (value, self->current_release);
        break;
      case PROP_LAST_ERROR:
        g_value_set_string (value, self->last_error);
        break;
      case PROP_LAST_CHECK:
        g_value_set_boxed (value, self->last_check);
        break;
      case PROP_BUSY:
        g_value_set_boolean (value, self->busy);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_updater_class_init (KioskUpdaterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kiosk_updater_dispose;
  object_class->finalize = kiosk_updater_finalize;
  object_class->get_property = kiosk_updater_get_property;

  properties[PROP_CONTENT] = g_param_spec_object ("content", NULL, NULL, KIOSK_TYPE_CONTENT, flags);
  properties[PROP_CURRENT_RELEASE]
      = g_param_spec_int64 ("current-release", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  properties[PROP_LAST_CHECK] = g_param_spec_boxed ("last-check", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* libcurl's global set-up is not thread-safe: do it once, here. */
  curl_global_init (CURL_GLOBAL_DEFAULT);
}

static void
kiosk_updater_init (KioskUpdater *self)
{
  self->last_error_code = -1;
  self->cancellable = g_cancellable_new ();
}

static gint64
meta_get (KioskUpdater *self, const char *key)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (self->store, "SELECT value FROM meta WHERE key = ?1", NULL);
  gint64 value = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_ascii_strtoll ((const char *)sqlite3_column_text (stmt, 0), NULL, 10);
  sqlite3_reset (stmt);
  return value;
}

static gboolean
meta_set (KioskUpdater *self, const char *key, gint64 value, GError **error)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (
      self->store, "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2",
      error);
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
  return kiosk_store_step_done (self->store, stmt, error);
}

static void
load_health (KioskUpdater *self)
{
  self->health.release = meta_get (self, META_RELEASE);
  self->health.activated_us = meta_get (self, META_ACTIVATED_US);
  self->health.healthy = meta_get (self, META_HEALTHY) != 0;
  self->health.running = meta_get (self, META_RUNNING) != 0;
  self->health.failures = meta_get (self, META_FAILURES);
}

/* Records self->health and the refused release in one transaction, so a
 * crash leaves all or none. */
static gboolean
save_health (KioskUpdater *self, GError **error)
{
  const Health *h = &self->health;

  if (!kiosk_store_begin (self->store, error))
    return FALSE;
  if (!meta_set (self, META_RELEASE, h->release, error)
      || !meta_set (self, META_ACTIVATED_US, h->activated_us, error)
      || !meta_set (self, META_HEALTHY, h->healthy, error)
      || !meta_set (self, META_RUNNING, h->running, error)
      || !meta_set (self, META_FAILURES, h->failures, error)
      || !meta_set (self, META_REFUSED, self->refused, error))
    {
      kiosk_store_rollback (self->store);
      return FALSE;
    }
  return kiosk_store_commit (self->store, error);
}

static void
replace_str (char **slot, const char *value)
{
  if (*slot == value)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
}

static gint64
now_us (KioskUpdater *self)
{
  return kiosk_clock_get_real_time (kiosk_store_get_clock (self->store));
}

static void
set_last_error (KioskUpdater *self, int code, gboolean transient, const char *message)
{
  if (g_strcmp0 (self->last_error, message) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  self->last_error_code = code;
  self->last_error_transient = transient;
}

/* Reports @kind once per (@kind, @detail): a rejection seen at every poll
 * reaches the hub once, not every 30 seconds. A failed report is not fatal:
 * the store's own health shows the disk trouble. */
static void
report (KioskUpdater *self, const char *kind, const char *detail)
{
  g_autofree char *key = g_strdup_printf ("%s %s", kind, detail);

  if (g_strcmp0 (self->last_reported, key) == 0)
    return;
  g_free (self->last_reported);
  self->last_reported = g_steal_pointer (&key);
  kiosk_store_report (self->store, kind, detail, NULL);
}

/* Points "current" back at "previous" (or at nothing: the packaged bundle)
 * and refuses @bad from now on; the hub must publish a newer release. */
static void
roll_back (KioskUpdater *self, gint64 bad, const char *why)
{
  gint64 previous = kiosk_updater_read_link (self->releases_dir, KIOSK_UPDATER_PREVIOUS);
  g_autofree char *previous_dir
      = previous > 0 ? kiosk_updater_release_dir (self->releases_dir, previous) : NULL;
  g_autofree char *target = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *message = NULL;
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (previous > 0 && g_file_test (previous_dir, G_FILE_TEST_IS_DIR))
    {
      target = g_strdup_printf (KIOSK_UPDATER_RELEASES "/%" G_GINT64_FORMAT, previous);
      ok = kiosk_updater_replace_link (self->releases_dir, KIOSK_UPDATER_CURRENT, target, &error)
           && kiosk_updater_remove_link (self->releases_dir, KIOSK_UPDATER_PREVIOUS, &error);
    }
  else
    {
      previous = 0;
      ok = kiosk_updater_remove_link (self->releases_dir, KIOSK_UPDATER_CURRENT, &error);
    }

  self->refused = MAX (self->refused, bad);
  /* The release rolled back to was in force before: it counts as healthy. */
  self->health = (Health){ .release = previous, .healthy = TRUE };
  save_health (self, NULL);
  detail = g_strdup_printf ("release %" G_GINT64_FORMAT " → %s: %s%s%s", bad,
                            previous > 0 ? target + strlen (KIOSK_UPDATER_RELEASES "/") : "packaged default",
                            why, ok ? "" : "; ", ok ? "" : error->message);
  report (self, "content-rolled-back", detail);
  message = g_strdup_printf ("内容已回滚 / Content rolled back: %s", detail);
  set_last_error (self, -1, FALSE, message);
}

/* A start of @current: a run left open by the last start died before the
 * release was healthy (a clean stop or health would have closed it), and
 * crash_limit such runs roll back. TRUE if it rolled back. */
static gboolean
count_start (KioskUpdater *self, gint64 current)
{
  g_autofree char *why = NULL;

  load_health (self);
  /* "current" moved without the store knowing (a crash between the rename
   * and the record): the activation happened just now. */
  if (self->health.release != current)
    self->health = (Health){ .release = current, .activated_us = now_us (self) };
  if (self->health.healthy)
    return FALSE;
  /* Open and no marker: the run died (crash, watchdog, power cut). */
  if (self->health.running && !g_file_test (self->stop_marker, G_FILE_TEST_EXISTS))
    self->health.failures++;
  if (self->health.failures < self->crash_limit)
    {
      self->health.running = TRUE;
      save_health (self, NULL);
      return FALSE;
    }
  why = g_strdup_printf ("stopped %" G_GINT64_FORMAT " times before it was healthy (%u s on screen)",
                         self->health.failures, self->healthy_seconds);
  roll_back (self, current, why);
  return TRUE;
}

static KioskBundle *
load_start_bundle (KioskUpdater *self, GError **error)
{
  gint64 current = kiosk_updater_read_link (self->releases_dir, KIOSK_UPDATER_CURRENT);

  if (current > 0 && count_start (self, current))
    current = kiosk_updater_read_link (self->releases_dir, KIOSK_UPDATER_CURRENT);
  while (current > 0)
    {
      g_autofree char *dir = kiosk_updater_release_dir (self->releases_dir, current);
      g_autoptr (GError) local_error = NULL;
      g_autofree char *why = NULL;
      KioskBundle *bundle = kiosk_bundle_load (dir, &local_error);

      if (bundle != NULL)
        {
          self->current_release = current;
          return bundle;
        }
      why = g_strdup_printf ("does not load: %s", local_error->message);
      roll_back (self, current, why);
      current = kiosk_updater_read_link (self->releases_dir, KIOSK_UPDATER_CURRENT);
    }

  {
    KioskBundle *bundle = kiosk_bundle_load (self->fallback_dir, error);

    if (bundle != NULL)
      self->current_release = kiosk_bundle_get_release (bundle);
    return bundle;
  }
}

static char *
strdup_nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? g_strdup (s) : NULL;
}

KioskUpdater *
kiosk_updater_new (KioskStore *store, const KioskUpdaterOptions *options, GError **error)
{
  g_autoptr (KioskUpdater) self = NULL;
  g_autoptr (KioskBundle) bundle = NULL;
  g_autofree char *releases = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);
  g_return_val_if_fail (options != NULL && options->releases_dir != NULL && options->fallback_dir != NULL,
                        NULL);

  self = g_object_new (KIOSK_TYPE_UPDATER, NULL);
  self->store = g_object_ref (store);
  self->hub_url = strdup_nonempty (options->hub_url);
  if (self->hub_url != NULL && g_str_has_suffix (self->hub_url, "/"))
    self->hub_url[strlen (self->hub_url) - 1] = '\0';
  self->ca_file = strdup_nonempty (options->ca_file);
  self->cert_file = strdup_nonempty (options->cert_file);
  self->key_file = strdup_nonempty (options->key_file);
  self->kiosk_id = g_strdup (options->kiosk_id);
  self->hall = g_strdup (options->hall);
  self->releases_dir = g_strdup (options->releases_dir);
  self->fallback_dir = g_strdup (options->fallback_dir);
  self->public_keys = g_strdupv ((GStrv)options->public_keys);
  self->poll_seconds = MAX (options->poll_seconds, 1);
  self->healthy_seconds = options->healthy_seconds ? options->healthy_seconds : DEFAULT_HEALTHY_SECONDS;
  self->crash_limit = options->crash_limit ? options->crash_limit : DEFAULT_CRASH_LIMIT;
  self->max_bytes = options->max_bytes > 0 ? options->max_bytes : G_MAXINT64;
  self->connect_timeout_seconds = options->connect_timeout_seconds ? options->connect_timeout_seconds : 10;
  self->timeout_seconds = options->timeout_seconds ? options->timeout_seconds : 30;

  releases = g_build_filename (self->releases_dir, KIOSK_UPDATER_RELEASES, NULL);
  if (g_mkdir_with_parents (releases, 0755) < 0)
    {
      int saved = errno;

      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_READ_ONLY, "%s: %s", releases, g_strerror (saved));
      return NULL;
    }
  self->refused = meta_get (self, META_REFUSED);
  kiosk_updater_prune (self->releases_dir,
                       kiosk_updater_read_link (self->releases_dir, KIOSK_UPDATER_CURRENT),
                       kiosk_updater_read_link (self->releases_dir, KIOSK_UPDATER_PREVIOUS));

  self->stop_marker = g_build_filename (self->releases_dir, KIOSK_UPDATER_STOP_MARKER, NULL);
  bundle = load_start_bundle (self, error);
  /* It spoke for the last run only. */
  g_unlink (self->stop_marker);
  if (bundle == NULL)
    return NULL;
  self->content = kiosk_content_new (bundle);
  return g_steal_pointer (&self);
}

static gboolean
on_healthy (gpointer user_data)
{
  KioskUpdater *self = user_data;

  self->healthy_id = 0;
  kiosk_updater_mark_healthy (self);
  return G_SOURCE_REMOVE;
}

void
kiosk_updater_shown (KioskUpdater *self)
{
  g_return_if_fail (KIOSK_IS_UPDATER (self));

  self->shown = TRUE;
  g_clear_handle_id (&self->healthy_id, g_source_remove);
  if (!kiosk_updater_get_healthy (self))
    self->healthy_id = g_timeout_add_seconds (self->healthy_seconds, on_healthy, self);
}

/* Only a release from the releases folder is counted: the packaged bundle
 * has nothing to roll back to. */
static gboolean
counted (KioskUpdater *self)
{
  return self->current_release > 0 && self->health.release == self->current_release;
}

void
kiosk_updater_mark_healthy (KioskUpdater *self)
{
  g_return_if_fail (KIOSK_IS_UPDATER (self));

  if (!counted (self) || self->health.healthy)
    return;
  self->health.healthy = TRUE;
  self->health.running = FALSE;
  self->health.failures = 0;
  save_health (self, NULL);
}

gboolean
kiosk_updater_get_healthy (KioskUpdater *self)
{
  g_return_val_if_fail (KIOSK_IS_UPDATER (self), FALSE);
  return !counted (self) || self->health.healthy;
}

void
kiosk_updater_record_clean_stop (KioskUpdater *self)
{
  g_return_if_fail (KIOSK_IS_UPDATER (self));

  g_clear_handle_id (&self->healthy_id, g_source_remove);
  if (!counted (self) || !self->health.running)
    return;
  self->health.running = FALSE;
  save_health (self, NULL);
}

const char *
kiosk_updater_get_stop_marker (KioskUpdater *self)
{
  g_return_val_if_fail (KIOSK_IS_UPDATER (self), NULL);
  return self->stop_marker;
}

KioskContent *
kiosk_updater_get_content (KioskUpdater *self)
{
  g_return_val_if_fail (KIOSK_IS_UPDATER (self), NULL);
  return self->content;
}

gint64
kiosk_updater_get_current_release (KioskUpdater *self)
{
  g_return_val_if_fail (KIOSK_IS_UPDATER (self), 0);
  return self->current_release;
}

const char *
kiosk_updater_get_last_error (KioskUpdater *self)
{
  g_return_val_if_fail (KIOSK_IS_UPDATER (self), NULL);
  return self->last_error;
}

int
kiosk_updater_get_last_error_code (KioskUpdater *self)
{
  g_return_val_if_fail (KIOSK_IS_UPDATER (self), -1);
  return self->last_error_code;
}

GDateTime *
kiosk_updater_get_last_check (KioskUpdater *self)
{
  g_return_val_if_fail (KIOSK_IS_UPDATER (self), NULL);
  return self->last_check;
}

gboolean
kiosk_updater_get_busy (KioskUpdater *self)
{
  g_return_val_if_fail (KIOSK_IS_UPDATER (self), FALSE);
  return self->busy;
}

static void
set_busy (KioskUpdater *self, gboolean busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Failures worth retrying at the next poll: the same release may come
 * through whole next time. */
static gboolean
is_transient (const GError *error)
{
  return error->domain != KIOSK_RELEASE_ERROR || error->code == KIOSK_RELEASE_ERROR_TRUNCATED
         || error->code == KIOSK_RELEASE_ERROR_DISK_FULL || error->code == KIOSK_RELEASE_ERROR_IO;
}

static void
apply_activated (KioskUpdater *self, KioskCheckJob *job)
{
  g_autofree char *detail = NULL;

  self->current_release = job->release;
  /* This run now shows the new release: open, until healthy or a clean stop. */
  self->health = (Health){ .release = job->release, .activated_us = now_us (self), .running = TRUE };
  save_health (self, NULL);
  if (self->shown)
    kiosk_updater_shown (self);
  detail = g_strdup_printf ("release %" G_GINT64_FORMAT ": %u files fetched (%" G_GINT64_FORMAT
                            " bytes), %u reused",
                            job->release, job->files_fetched, job->bytes_fetched, job->files_reused);
  report (self, "content-activated", detail);
  set_last_error (self, -1, FALSE, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_RELEASE]);
  /* Screens redraw from the new bundle in the notify handler: no blank frame. */
  kiosk_content_swap (self->content, job->bundle);
}

static void
apply_failure (KioskUpdater *self, KioskCheckJob *job, const GError *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error->domain == KIOSK_RELEASE_ERROR)
    {
      g_autofree char *detail
          = g_strdup_printf ("%s: %s", kiosk_release_error_code (error->code), error->message);

      message = g_strdup_printf ("%s: %s", kiosk_release_error_title (error->code), error->message);
      report (self, "content-rejected", detail);
    }
  else
    message = g_strdup_printf ("无法获取内容更新 / Cannot reach the hub for content: %s", error->message);
  set_last_error (self, error->domain == KIOSK_RELEASE_ERROR ? error->code : -1, is_transient (error),
                  message);
}

static void check_now (KioskUpdater *self);

static void
on_thread_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KioskUpdater *self = KIOSK_UPDATER (source);
  g_autoptr (GTask) outer = user_data;
  KioskCheckJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->last_check, g_date_time_unref);
  self->last_check = kiosk_clock_now (kiosk_store_get_clock (self->store));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CHECK]);

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (job->outcome != KIOSK_CHECK_DEFERRED)
        replace_str (&self->etag, job->new_etag ? job->new_etag : self->etag);
      if (job->outcome == KIOSK_CHECK_ACTIVATED)
        apply_activated (self, job);
      else if (self->last_error_transient)
        set_last_error (self, -1, FALSE, NULL);
      g_task_return_boolean (outer, TRUE);
    }
  else
    {
      /* A refusal for good is remembered by its ETag, so the same release is
       * not fetched again; a failure worth retrying is not. */
      if (!is_transient (error) && job->new_etag != NULL)
        replace_str (&self->etag, job->new_etag);
      apply_failure (self, job, error);
      g_task_return_error (outer, g_steal_pointer (&error));
    }

  set_busy (self, FALSE);
  if (self->again)
    {
      self->again = FALSE;
      check_now (self);
    }
}

void
kiosk_updater_check_async (KioskUpdater *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autoptr (GTask) outer = NULL;
  g_autoptr (GTask) inner = NULL;
  KioskCheckJob *job;

  g_return_if_fail (KIOSK_IS_UPDATER (self));

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, kiosk_updater_check_async);
  if (self->hub_url == NULL)
    {
      g_task_return_new_error (outer, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "no hub is configured ([hub] url)");
      return;
    }
  if (self->busy)
    {
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_PENDING, "a content check is under way");
      return;
    }

  job = g_new0 (KioskCheckJob, 1);
  job->hub_url = g_strdup (self->hub_url);
  job->ca_file = g_strdup (self->ca_file);
  job->cert_file = g_strdup (self->cert_file);
  job->key_file = g_strdup (self->key_file);
  job->kiosk_id = g_strdup (self->kiosk_id);
  job->hall = g_strdup (self->hall);
  job->releases_dir = g_strdup (self->releases_dir);
  job->public_keys = g_strdupv (self->public_keys);
  job->max_bytes = self->max_bytes;
  job->connect_timeout_seconds = self->connect_timeout_seconds;
  job->timeout_seconds = self->timeout_seconds;
  job->floor = MAX (self->current_release, self->refused);
  job->in_force = self->current_release > self->refused ? self->current_release : 0;
  job->current_dir = kiosk_updater_release_dir (self->releases_dir, self->current_release);
  job->etag = g_strdup (self->etag);
  job->now_us = now_us (self);

  set_busy (self, TRUE);
  inner = g_task_new (self, cancellable, on_thread_done, g_steal_pointer (&outer));
  g_task_set_task_data (inner, job, (GDestroyNotify)kiosk_check_job_free);
  g_task_run_in_thread (inner, kiosk_updater_check_thread);
}

gboolean
kiosk_updater_check_finish (KioskUpdater *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
check_now (KioskUpdater *self)
{
  if (self->busy)
    self->again = TRUE;
  else
    kiosk_updater_check_async (self, self->cancellable, NULL, NULL);
}

static gboolean
on_poll (gpointer user_data)
{
  check_now (KIOSK_UPDATER (user_data));
  return G_SOURCE_CONTINUE;
}

void
kiosk_updater_start (KioskUpdater *self)
{
  g_return_if_fail (KIOSK_IS_UPDATER (self));

  if (self->poll_id != 0 || self->hub_url == NULL)
    return;
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
    }
  self->poll_id = g_timeout_add_seconds (self->poll_seconds, on_poll, self);
  check_now (self);
}

void
kiosk_updater_stop (KioskUpdater *self)
{
  g_return_if_fail (KIOSK_IS_UPDATER (self));

  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->again = FALSE;
  g_cancellable_cancel (self->cancellable);
}

void
kiosk_updater_sync_now (KioskUpdater *self)
{
  g_return_if_fail (KIOSK_IS_UPDATER (self));

  if (self->hub_url != NULL)
    check_now (self);
}
