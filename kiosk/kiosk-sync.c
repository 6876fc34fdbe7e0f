/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-sync"

#include <json-glib/json-glib.h>

#include "kiosk-autocleanups.h"
#include "kiosk-error.h"
#include "kiosk-json.h"
#include "kiosk-sync-appointments.h"
#include "kiosk-sync.h"

/* State shared by the object (main thread) and its worker; refcounted so the
 * worker never touches a finalized object. Everything below @lock is guarded. */
typedef struct
{
  gatomicrefcount ref;
  GMutex lock;
  GCond cond;

  /* Owned; set once before the worker starts */
  char *db_path;
  KioskSyncConfig *config;
  GMainContext *context;
  GCancellable *cancellable;
  GWeakRef object;

  /* Borrowed from the object, which outlives the worker (dispose stops it):
   * pending idle callbacks must not keep the clock alive. */
  KioskClock *clock;

  /* Guarded by lock */
  gboolean running;
  gboolean woken;
  gboolean notify_queued;
  KioskSyncMembersFunc members_func;
  gpointer members_data;
  GDestroyNotify members_destroy;
  KioskSyncCallsFunc calls_func;
  gpointer calls_data;
  GDestroyNotify calls_destroy;
  gboolean appointments; /* pull the hub's bookings */
  char *software_version;
  char *content_release;
  char *printer_json;
  char *reader_json;
  gint64 last_touch_us;
  /* Published by the worker, read by the main thread */
  gint64 pending;
  gint64 last_success;
  char *last_error;
  gint64 clock_offset;
  gboolean sync_now;      /* a heartbeat reply asked for it; not yet signalled */
  gboolean calls_applied; /* counter actions were applied; not yet signalled */
} SyncShared;

struct _KioskSync
{
  GObject parent_instance;

  /* Owned */
  SyncShared *shared;
  KioskClock *clock;
  char *last_error;

  /* The values the properties last announced */
  gint64 pending;
  gint64 last_success;
  gint64 clock_offset;
  gint64 started_us;
};

G_DEFINE_FINAL_TYPE (KioskSync, kiosk_sync, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PENDING,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  PROP_CLOCK_OFFSET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_SYNC_NOW,
  SIGNAL_CALLS_APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static SyncShared *
shared_ref (SyncShared *s)
{
  g_atomic_ref_count_inc (&s->ref);
  return s;
}

static void
shared_unref (SyncShared *s)
{
  if (!g_atomic_ref_count_dec (&s->ref))
    return;
  g_weak_ref_clear (&s->object);
  g_clear_object (&s->cancellable);
  g_clear_pointer (&s->context, g_main_context_unref);
  g_clear_pointer (&s->config, kiosk_sync_config_free);
  g_free (s->db_path);
  g_free (s->software_version);
  g_free (s->content_release);
  g_free (s->printer_json);
  g_free (s->reader_json);
  g_free (s->last_error);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncShared, shared_unref)

/* Main context: copies what the worker published into the object and notifies. */
static gboolean
publish_on_main (gpointer user_data)
{
  SyncShared *s = user_data;
  g_autoptr (KioskSync) self = g_weak_ref_get (&s->object);
  gboolean pending_changed, success_changed, error_changed, offset_changed, sync_now, calls_applied;

  if (self == NULL)
    {
      g_mutex_lock (&s->lock);
      s->notify_queued = FALSE;
      g_mutex_unlock (&s->lock);
      return G_SOURCE_REMOVE;
    }

  g_mutex_lock (&s->lock);
  s->notify_queued = FALSE;
  pending_changed = self->pending != s->pending;
  success_changed = self->last_success != s->last_success;
  error_changed = g_strcmp0 (self->last_error, s->last_error) != 0;
  offset_changed = self->clock_offset != s->clock_offset;
  sync_now = s->sync_now;
  s->sync_now = FALSE;
  calls_applied = s->calls_applied;
  s->calls_applied = FALSE;
  self->pending = s->pending;
  self->last_success = s->last_success;
  self->clock_offset = s->clock_offset;
  if (error_changed)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (s->last_error);
    }
  g_mutex_unlock (&s->lock);

  if (pending_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  if (success_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
  if (error_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
  if (offset_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOCK_OFFSET]);
  if (sync_now)
    g_signal_emit (self, signals[SIGNAL_SYNC_NOW], 0);
  if (calls_applied)
    g_signal_emit (self, signals[SIGNAL_CALLS_APPLIED], 0);
  return G_SOURCE_REMOVE;
}

/* Worker: call with the lock held after changing published values. */
static void
queue_publish_locked (SyncShared *s)
{
  g_autoptr (GSource) source = NULL;

  if (s->notify_queued)
    return;
  s->notify_queued = TRUE;
  /* An idle source, never g_main_context_invoke(): that would run the
   * callback right here when the main thread is not iterating. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, publish_on_main, shared_ref (s), (GDestroyNotify)shared_unref);
  g_source_set_static_name (source, "[kiosk-sync] publish");
  g_source_attach (source, s->context);
}

static void
publish_error (SyncShared *s, const char *message)
{
  g_mutex_lock (&s->lock);
  if (g_strcmp0 (s->last_error, message) != 0)
    {
      g_free (s->last_error);
      s->last_error = g_strdup (message);
      queue_publish_locked (s);
    }
  g_mutex_unlock (&s->lock);
}

static void
publish_progress (SyncShared *s, KioskSyncClient *client, gboolean success)
{
  gint64 pending = kiosk_sync_client_pending (client);

  g_mutex_lock (&s->lock);
  if (pending != s->pending)
    s->pending = pending;
  if (success)
    {
      s->last_success = kiosk_clock_get_real_time (s->clock);
      g_clear_pointer (&s->last_error, g_free);
    }
  queue_publish_locked (s);
  g_mutex_unlock (&s->lock);
}

char *
kiosk_sync_heartbeat_json (const char *software_version, const char *content_release, gint64 uptime_s,
                           gint64 rss_kb, const char *printer_json, const char *reader_json,
                           gint64 last_touch_us, gint64 member_cursor)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr (JsonNode) root = NULL;
  const char *devices[][2] = { { "printer", printer_json }, { "reader", reader_json } };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "software_version");
  json_builder_add_string_value (b, software_version ? software_version : "");
  if (content_release != NULL)
    {
      json_builder_set_member_name (b, "content_release");
      json_builder_add_string_value (b, content_release);
    }
  json_builder_set_member_name (b, "uptime_s");
  json_builder_add_int_value (b, uptime_s);
  if (rss_kb >= 0)
    {
      json_builder_set_member_name (b, "rss_kb");
      json_builder_add_int_value (b, rss_kb);
    }
  for (guint i = 0; i < G_N_ELEMENTS (devices); i++)
    {
      g_autoptr (JsonNode) node = devices[i][1] ? kiosk_json_parse (devices[i][1], -1, NULL, NULL) : NULL;
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      json_builder_set_member_name (b, devices[i][0]);
      json_builder_add_value (b, g_steal_pointer (&node));
    }
  if (last_touch_us > 0)
    {
      json_builder_set_member_name (b, "last_touch_us");
      json_builder_add_int_value (b, last_touch_us);
    }
  json_builder_set_member_name (b, "member_cursor");
  json_builder_add_int_value (b, member_cursor);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* Resident set size of this process in KiB, or -1. */
static gint64
read_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, "VmRSS:")) == NULL)
    return -1;
  return g_ascii_strtoll (line + 6, NULL, 10);
}

static gboolean
send_heartbeat (SyncShared *s, KioskSyncClient *client, gint64 started_us, gboolean *sync_now, GError **error)
{
  g_autofree char *body = NULL;
  gint64 uptime = (kiosk_clock_get_monotonic (s->clock) - started_us) / G_USEC_PER_SEC;
  gint64 offset = 0;

  g_mutex_lock (&s->lock);
  body = kiosk_sync_heartbeat_json (s->software_version, s->content_release, uptime, read_rss_kb (),
                                    s->printer_json, s->reader_json, s->last_touch_us,
                                    kiosk_sync_client_get_members_cursor (client));
  g_mutex_unlock (&s->lock);

  if (!kiosk_sync_client_heartbeat (client, body, sync_now, error)
      || !kiosk_sync_client_clock_offset (client, &offset, error))
    return FALSE;
  g_mutex_lock (&s->lock);
  if (offset != s->clock_offset)
    {
      s->clock_offset = offset;
      queue_publish_locked (s);
    }
  g_mutex_unlock (&s->lock);
  return TRUE;
}

/* Sleeps until @deadline (monotonic µs), a wake-up or a stop. TRUE if woken. */
static gboolean
wait_until (SyncShared *s, gint64 deadline)
{
  gboolean woken;

  g_mutex_lock (&s->lock);
  while (!s->woken && !g_cancellable_is_cancelled (s->cancellable))
    if (!g_cond_wait_until (&s->cond, &s->lock, deadline))
      break;
  woken = s->woken;
  s->woken = FALSE;
  g_mutex_unlock (&s->lock);
  return woken;
}

static void
worker (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SyncShared *s = task_data;
  const KioskSyncConfig *c = s->config;
  g_autoptr (KioskSyncClient) client = NULL;
  g_autoptr (GError) error = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 next_heartbeat = 0, next_members = 0, next_calls = 0, next_appointments = 0;
  guint failures = 0;

  while (!g_cancellable_is_cancelled (cancellable))
    {
      gint64 now = g_get_monotonic_time (), wake_at;
      gboolean more = FALSE, failed = FALSE, answered = FALSE;
      KioskSyncMembersFunc members_func;
      gpointer members_data;
      KioskSyncCallsFunc calls_func;
      gpointer calls_data;
      gboolean appointments;

      g_clear_error (&error);
      if (client == NULL
          && (client = kiosk_sync_client_new (s->db_path, s->clock, c, cancellable, &error)) == NULL)
        failed = TRUE;

      if (!failed && c->heartbeat_interval_ms > 0 && now >= next_heartbeat)
        {
          gboolean sync_now = FALSE;
          next_heartbeat = now + (gint64)c->heartbeat_interval_ms * 1000;
          if (!send_heartbeat (s, client, started, &sync_now, &error))
            failed = TRUE;
          else
            answered = TRUE;
          if (sync_now)
            {
              next_members = 0;
              next_calls = 0;
              next_appointments = 0;
              /* Content updates listen too (the updater's sync_now). */
              g_mutex_lock (&s->lock);
              s->sync_now = TRUE;
              queue_publish_locked (s);
              g_mutex_unlock (&s->lock);
            }
        }

      g_mutex_lock (&s->lock);
      members_func = s->members_func;
      members_data = s->members_data;
      calls_func = s->calls_func;
      calls_data = s->calls_data;
      appointments = s->appointments;
      g_mutex_unlock (&s->lock);
      if (!failed && members_func != NULL && now >= next_members)
        {
          guint n = 0;
          next_members = now + (gint64)c->members_interval_ms * 1000;
          if (!kiosk_sync_client_pull_members (client, members_func, members_data, &n, &error))
            failed = TRUE;
          else
            answered = TRUE;
        }

      /* Bookings on the members' schedule: a booking made minutes ahead arrives in time. */
      if (!failed && appointments && now >= next_appointments)
        {
          guint n = 0;
          next_appointments = now + (gint64)c->members_interval_ms * 1000;
          if (!kiosk_sync_client_pull_appointments (client, &n, &error))
            failed = TRUE;
          else
            answered = TRUE;
        }

      if (!failed && calls_func != NULL && now >= next_calls)
        {
          guint n = 0;
          next_calls = now + (gint64)c->calls_interval_ms * 1000;
          if (!kiosk_sync_client_pull_calls (client, calls_func, calls_data, &n, &error))
            failed = TRUE;
          else
            answered = TRUE;
          if (n > 0)
            {
              /* The queue and "now serving" on the main context read them again. */
              g_mutex_lock (&s->lock);
              s->calls_applied = TRUE;
              queue_publish_locked (s);
              g_mutex_unlock (&s->lock);
            }
        }

      if (!failed)
        {
          g_autofree char *notice = NULL;
          guint n_sent = 0;

          if (kiosk_sync_client_upload (client, &n_sent, &more, &notice, &error))
            {
              publish_progress (s, client, answered || n_sent > 0);
              if (notice != NULL)
                publish_error (s, notice);
            }
          else
            failed = TRUE;
        }

      if (failed)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            break;
          failures++;
          publish_error (s, error->message);
          if (client != NULL)
            publish_progress (s, client, FALSE);
          /* A broken hub is asked again later, not hammered. */
          wake_at = now
                    + kiosk_sync_backoff_delay (failures, (gint64)c->backoff_min_ms * 1000,
                                                (gint64)c->backoff_max_ms * 1000, g_random_double ());
        }
      else
        {
          failures = 0;
          if (more)
            continue;
          wake_at = now + (gint64)c->idle_poll_ms * 1000;
          if (c->heartbeat_interval_ms > 0)
            wake_at = MIN (wake_at, next_heartbeat);
          if (members_func != NULL)
            wake_at = MIN (wake_at, next_members);
          if (calls_func != NULL)
            wake_at = MIN (wake_at, next_calls);
          if (appointments)
            wake_at = MIN (wake_at, next_appointments);
        }

      if (wait_until (s, wake_at))
        {
          /* Woken on purpose: retry now, the hub may be back. */
          failures = 0;
          next_members = 0;
          next_calls = 0;
          next_appointments = 0;
        }
    }

  g_clear_pointer (&client, kiosk_sync_client_free);
  g_mutex_lock (&s->lock);
  s->running = FALSE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  g_task_return_boolean (task, TRUE);
}

void
kiosk_sync_start (KioskSync *self)
{
  SyncShared *s;
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (KIOSK_IS_SYNC (self));
  s = self->shared;

  g_mutex_lock (&s->lock);
  if (s->running)
    {
      g_mutex_unlock (&s->lock);
      return;
    }
  s->running = TRUE;
  s->woken = FALSE;
  g_clear_object (&s->cancellable);
  s->cancellable = g_cancellable_new ();
  g_mutex_unlock (&s->lock);

  task = g_task_new (NULL, s->cancellable, NULL, NULL);
  g_task_set_source_tag (task, kiosk_sync_start);
  g_task_set_task_data (task, shared_ref (s), (GDestroyNotify)shared_unref);
  g_task_run_in_thread (task, worker);
}

void
kiosk_sync_stop (KioskSync *self)
{
  SyncShared *s;

  g_return_if_fail (KIOSK_IS_SYNC (self));
  s = self->shared;

  g_mutex_lock (&s->lock);
  if (s->cancellable != NULL)
    g_cancellable_cancel (s->cancellable);
  g_cond_broadcast (&s->cond);
  /* Bounded: curl's progress callback aborts a transfer within a second. */
  while (s->running)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
}

void
kiosk_sync_wake (KioskSync *self)
{
  g_return_if_fail (KIOSK_IS_SYNC (self));

  g_mutex_lock (&self->shared->lock);
  self->shared->woken = TRUE;
  g_cond_broadcast (&self->shared->cond);
  g_mutex_unlock (&self->shared->lock);
}

/* Where pulled pages go: set before start, since the worker then reads them
 * without the lock. TRUE with the lock held and the old data destroyed: the
 * caller stores the new function and unlocks. */
static gboolean
begin_set_page_func (SyncShared *s, const char *what, gpointer old_data, GDestroyNotify old_destroy)
{
  g_mutex_lock (&s->lock);
  if (s->running)
    {
      g_mutex_unlock (&s->lock);
      g_critical ("kiosk_sync_set_%s_func: set it before kiosk_sync_start()", what);
      return FALSE;
    }
  if (old_destroy != NULL)
    old_destroy (old_data);
  return TRUE;
}

void
kiosk_sync_set_members_func (KioskSync *self, KioskSyncMembersFunc func, gpointer user_data,
                             GDestroyNotify destroy)
{
  SyncShared *s;

  g_return_if_fail (KIOSK_IS_SYNC (self));
  s = self->shared;
  if (!begin_set_page_func (s, "members", s->members_data, s->members_destroy))
    return;
  s->members_func = func;
  s->members_data = user_data;
  s->members_destroy = destroy;
  g_mutex_unlock (&s->lock);
}

void
kiosk_sync_set_calls_func (KioskSync *self, KioskSyncCallsFunc func, gpointer user_data,
                           GDestroyNotify destroy)
{
  SyncShared *s;

  g_return_if_fail (KIOSK_IS_SYNC (self));
  s = self->shared;
  if (!begin_set_page_func (s, "calls", s->calls_data, s->calls_destroy))
    return;
  s->calls_func = func;
  s->calls_data = user_data;
  s->calls_destroy = destroy;
  g_mutex_unlock (&s->lock);
}

void
kiosk_sync_set_appointments (KioskSync *self, gboolean pull)
{
  g_return_if_fail (KIOSK_IS_SYNC (self));

  g_mutex_lock (&self->shared->lock);
  self->shared->appointments = pull;
  g_mutex_unlock (&self->shared->lock);
}

void
kiosk_sync_set_versions (KioskSync *self, const char *software_version, const char *content_release)
{
  g_return_if_fail (KIOSK_IS_SYNC (self));

  g_mutex_lock (&self->shared->lock);
  g_free (self->shared->software_version);
  g_free (self->shared->content_release);
  self->shared->software_version = g_strdup (software_version);
  self->shared->content_release = g_strdup (content_release);
  g_mutex_unlock (&self->shared->lock);
}

void
kiosk_sync_set_device_health (KioskSync *self, const char *device, gboolean ok, const char *detail)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr (JsonNode) root = NULL;
  char **slot;

  g_return_if_fail (KIOSK_IS_SYNC (self));
  g_return_if_fail (g_strcmp0 (device, "printer") == 0 || g_strcmp0 (device, "reader") == 0);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, ok);
  json_builder_set_member_name (b, "detail");
  json_builder_add_string_value (b, detail ? detail : "");
  json_builder_end_object (b);
  root = json_builder_get_root (b);

  g_mutex_lock (&self->shared->lock);
  slot = g_str_equal (device, "printer") ? &self->shared->printer_json : &self->shared->reader_json;
  g_free (*slot);
  *slot = json_to_string (root, FALSE);
  g_mutex_unlock (&self->shared->lock);
}

void
kiosk_sync_set_last_touch (KioskSync *self, gint64 last_touch_us)
{
  g_return_if_fail (KIOSK_IS_SYNC (self));

  g_mutex_lock (&self->shared->lock);
  self->shared->last_touch_us = last_touch_us;
  g_mutex_unlock (&self->shared->lock);
}

gint64
kiosk_sync_get_pending (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), -1);
  return self->pending;
}

gint64
kiosk_sync_get_last_success (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), 0);
  return self->last_success;
}

const char *
kiosk_sync_get_last_error (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), NULL);
  return self->last_error;
}

gint64
kiosk_sync_get_clock_offset (KioskSync *self)
{
  g_return_val_if_fail (KIOSK_IS_SYNC (self), 0);
  return self->clock_offset;
}

static void
kiosk_sync_dispose (GObject *object)
{
  KioskSync *self = KIOSK_SYNC (object);

  if (self->shared != NULL)
    kiosk_sync_stop (self);
  G_OBJECT_CLASS (kiosk_sync_parent_class)->dispose (object);
}

static void
kiosk_sync_finalize (GObject *object)
{
  KioskSync *self = KIOSK_SYNC (object);

  /* The worker has stopped (dispose): the callback data is ours to drop. */
  if (self->shared->members_destroy != NULL)
    self->shared->members_destroy (self->shared->members_data);
  self->shared->members_destroy = NULL;
  if (self->shared->calls_destroy != NULL)
    self->shared->calls_destroy (self->shared->calls_data);
  self->shared->calls_destroy = NULL;
  self->shared->clock = NULL;
  g_clear_pointer (&self->shared, shared_unref);
  g_clear_object (&self->clock);
  g_free (self->last_error);
  G_OBJECT_CLASS (kiosk_sync_parent_class)->finalize (object);
}

static void
kiosk_sync_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskSync *self = KIOSK_SYNC (object);

  switch (prop_id)
    {
      case PROP_PENDING:
        g_value_set_int64 (value, self->pending);
        break;
      case PROP_LAST_SUCCESS:
        g_value_set_int64 (value, self->last_success);
        break;
      case PROP_LAST_ERROR:
        g_value_set_string (value, self->last_error);
        break;
      case PROP_CLOCK_OFFSET:
        g_value_set_int64 (value, self->clock_offset);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_sync_class_init (KioskSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kiosk_sync_dispose;
  object_class->finalize = kiosk_sync_finalize;
  object_class->get_property = kiosk_sync_get_property;

  /* Records in the outbox not yet confirmed by the hub. */
  properties[PROP_PENDING] = g_param_spec_int64 ("pending", NULL, NULL, -1, G_MAXINT64, 0, flags);
  /* When the hub last confirmed an upload (µs since the epoch; 0: never). */
  properties[PROP_LAST_SUCCESS] = g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* Why the last attempt failed, for staff ("中文 / English"); NULL after a success. */
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  /* Hub clock minus kiosk clock (µs), from the last heartbeat. */
  properties[PROP_CLOCK_OFFSET]
      = g_param_spec_int64 ("clock-offset", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A heartbeat reply said "sync now": emitted on the main context, so the
   * content updater can check at once. */
  signals[SIGNAL_SYNC_NOW] = g_signal_new ("sync-now", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                           NULL, NULL, G_TYPE_NONE, 0);

  /* Counter actions were pulled and applied (kiosk_sync_set_calls_func()):
   * emitted on the main context, so the queue's estimates and the home
   * screen's "now serving" are read again. */
  signals[SIGNAL_CALLS_APPLIED] = g_signal_new ("calls-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* Before any thread can call into libcurl. */
  curl_global_init (CURL_GLOBAL_DEFAULT);
}

static void
kiosk_sync_init (KioskSync *self)
{
}

KioskSync *
kiosk_sync_new (const char *db_path, KioskClock *clock, const KioskSyncConfig *config)
{
  KioskSync *self;
  SyncShared *s;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (config != NULL && config->hub_url != NULL, NULL);

  self = g_object_new (KIOSK_TYPE_SYNC, NULL);
  s = g_new0 (SyncShared, 1);
  g_atomic_ref_count_init (&s->ref);
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->db_path = g_strdup (db_path);
  self->clock = g_object_ref (clock);
  s->clock = self->clock;
  s->config = kiosk_sync_config_copy (config);
  s->context = g_main_context_ref_thread_default ();
  s->pending = -1;
  g_weak_ref_init (&s->object, self);
  self->shared = s;
  self->pending = -1;
  return self;
}
