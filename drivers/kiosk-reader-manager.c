/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-reader-manager"

#include "kiosk-reader-manager.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <libevdev/libevdev.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kiosk-autocleanups.h"
#include "kiosk-error.h"
#include "kiosk-reader-manager-private.h"
#include "kiosk-id-reader.h"
#include "kiosk-serial-reader.h"

G_DEFINE_FINAL_TYPE (KioskReaderManager, kiosk_reader_manager, G_TYPE_OBJECT)

enum
{
  SIGNAL_READ,
  SIGNAL_READER_ADDED,
  SIGNAL_READER_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
note_free (Note *note)
{
  g_free (note->id);
  g_free (note->node);
  g_clear_pointer (&note->read, kiosk_card_read_free);
  g_free (note);
}

Note *
kiosk_reader_note_new (NoteKind kind, const char *id)
{
  Note *note = g_new0 (Note, 1);

  note->kind = kind;
  note->id = g_strdup (id);
  note->wall_us = g_get_real_time ();
  return note;
}

/* Reader thread: queues @note for the creating thread and wakes it. */
void
kiosk_reader_manager_post (KioskReaderManager *self, Note *note)
{
  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->notes, note);
  g_mutex_unlock (&self->lock);
  g_source_set_ready_time (self->notes_source, 0);
}

static KioskReaderHealth *
health_for (KioskReaderManager *self, const char *id)
{
  KioskReaderHealth *health = g_hash_table_lookup (self->health, id);

  if (health == NULL)
    {
      health = kiosk_reader_health_new (id);
      g_hash_table_insert (self->health, health->id, health);
    }
  return health;
}

static void
set_path (KioskReaderHealth *health, const char *node)
{
  g_free (health->path);
  health->path = g_strdup (node);
}

/* Creating thread: updates health and emits the signal a note stands for. */
static void
apply (KioskReaderManager *self, Note *note)
{
  KioskReaderHealth *health = health_for (self, note->id);

  switch (note->kind)
    {
      case NOTE_OPENED:
        set_path (health, note->node);
        health->present = TRUE;
        health->grabbed = note->announce;
        if (note->announce)
          g_signal_emit (self, signals[SIGNAL_READER_ADDED], 0, note->id);
        break;
      case NOTE_OPEN_FAILED:
        health->n_errors++;
        set_path (health, note->node);
        break;
      case NOTE_PROMOTED:
        health->grabbed = TRUE;
        g_signal_emit (self, signals[SIGNAL_READER_ADDED], 0, note->id);
        break;
      case NOTE_ERROR:
        health->n_errors++;
        break;
      case NOTE_DUPLICATE:
        health->n_rejected[KIOSK_CARD_REJECT_DUPLICATE]++;
        break;
      case NOTE_READ:
        kiosk_reader_health_count (health, note->read, note->wall_us);
        g_signal_emit (self, signals[SIGNAL_READ], 0, note->id, note->read);
        break;
      case NOTE_REMOVED:
        if (note->failed)
          health->n_errors++;
        health->present = FALSE;
        health->grabbed = FALSE;
        if (note->announce)
          g_signal_emit (self, signals[SIGNAL_READER_REMOVED], 0, note->id);
        break;
      default:
        g_assert_not_reached ();
    }
}

/* Creating thread: applies every queued note, in order. A handler may drop
 * the last other reference or call back in; the queue is popped one note at
 * a time so either is safe. */
static void
drain (KioskReaderManager *self)
{
  g_autoptr (KioskReaderManager) hold = g_object_ref (self);

  for (;;)
    {
      Note *note;

      g_mutex_lock (&self->lock);
      note = g_queue_pop_head (&self->notes);
      g_mutex_unlock (&self->lock);
      if (note == NULL)
        break;
      apply (self, note);
      note_free (note);
    }
}

static gboolean
notes_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs notes_funcs = { .dispatch = notes_dispatch };

static gboolean
notes_cb (gpointer user_data)
{
  drain (user_data);
  return G_SOURCE_CONTINUE;
}

/* ::read of the serial and ID card readers, passed on as the manager's. */
static void
serial_read_cb (GObject *reader, const char *id, KioskCardRead *read, KioskReaderManager *self)
{
  g_signal_emit (self, signals[SIGNAL_READ], 0, id, read);
}

static gboolean
call_cb (gpointer user_data)
{
  Call *call = user_data;
  KioskReaderManager *self = call->manager;

  call->ok = call->func (self, call->data, &call->error);
  g_mutex_lock (&self->lock);
  call->done = TRUE; /* the caller's stack frame: not touched after this */
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

/* Runs @func where the reader state lives: on the reader thread once it
 * runs (waiting for it), else right here. */
static gboolean
run_on_reader_thread (KioskReaderManager *self, gboolean (*func) (KioskReaderManager *, gpointer, GError **),
                      gpointer data, GError **error)
{
  Call call = { self, func, data, NULL, FALSE, FALSE };

  if (self->worker == NULL)
    return func (self, data, error);
  g_main_context_invoke_full (self->worker_ctx, G_PRIORITY_HIGH, call_cb, &call, NULL);
  g_mutex_lock (&self->lock);
  while (!call.done)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.ok;
}

/* The creating thread applies what the reader thread found at once, so a
 * caller sees the readers' health and signals as soon as a scan returns. */
static void
drain_if_owner (KioskReaderManager *self)
{
  if (g_thread_self () == self->owner)
    drain (self);
}

static gboolean
worker_rescan_call (KioskReaderManager *self, gpointer data, GError **error)
{
  kiosk_reader_manager_worker_rescan (self);
  return TRUE;
}

void
kiosk_reader_manager_rescan (KioskReaderManager *self)
{
  g_return_if_fail (KIOSK_IS_READER_MANAGER (self));

  run_on_reader_thread (self, worker_rescan_call, NULL, NULL);
  drain_if_owner (self);
}

static gboolean
worker_start (KioskReaderManager *self, gpointer data, GError **error)
{
  g_autoptr (GFile) dir = g_file_new_for_path (self->input_dir);

  /* Created here, the monitor reports in the reader thread's context. */
  self->monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_NONE, NULL, error);
  if (self->monitor == NULL)
    {
      g_prefix_error (error, "无法监视输入设备 / Cannot watch %s: ", self->input_dir);
      return FALSE;
    }
  g_signal_connect (self->monitor, "changed", G_CALLBACK (kiosk_reader_manager_monitor_changed_cb), self);
  self->watching = TRUE;
  if (self->rescan_ms > 0)
    self->rescan_source
        = kiosk_reader_manager_attach (self, g_timeout_source_new (self->rescan_ms),
                                       "[kiosk-reader-manager] rescan", kiosk_reader_manager_rescan_cb, self);
  kiosk_reader_manager_worker_rescan (self);
  return TRUE;
}

/* Reader thread, on its way out: closing the fds ends the grabs. */
static void
worker_stop (KioskReaderManager *self)
{
  self->watching = FALSE;
  kiosk_reader_manager_destroy_source (&self->rescan_source);
  kiosk_reader_manager_destroy_source (&self->rescan_soon_source);
  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->monitor, self);
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }
  g_hash_table_remove_all (self->readers);
}

static gpointer
worker_main (gpointer data)
{
  KioskReaderManager *self = data;

  g_main_context_push_thread_default (self->worker_ctx);
  while (!g_atomic_int_get (&self->stopping))
    g_main_context_iteration (self->worker_ctx, TRUE);
  worker_stop (self);
  g_main_context_pop_thread_default (self->worker_ctx);
  return NULL;
}

static void
stop_worker (KioskReaderManager *self)
{
  if (self->worker == NULL)
    {
      worker_stop (self);
      return;
    }
  g_atomic_int_set (&self->stopping, TRUE);
  g_main_context_wakeup (self->worker_ctx);
  g_clear_pointer (&self->worker, g_thread_join);
}

gboolean
kiosk_reader_manager_start (KioskReaderManager *self, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_READER_MANAGER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->started)
    return TRUE;
  self->worker = g_thread_try_new ("kiosk-readers", worker_main, self, error);
  if (self->worker == NULL)
    return FALSE;
  if (!run_on_reader_thread (self, worker_start, NULL, error))
    {
      stop_worker (self);
      g_atomic_int_set (&self->stopping, FALSE);
      return FALSE;
    }
  self->started = TRUE;
  drain_if_owner (self);
  /* Serial ports that fail now keep retrying on their own. */
  for (guint i = 0; i < self->serial->len; i++)
    kiosk_serial_reader_start (g_ptr_array_index (self->serial, i), NULL);
  for (guint i = 0; i < self->id_readers->len; i++)
    kiosk_id_reader_start (g_ptr_array_index (self->id_readers, i));
  return TRUE;
}

void
kiosk_reader_manager_set_roots (KioskReaderManager *self, const char *input_dir, const char *sys_dir,
                                const char *udev_data_dir)
{
  g_return_if_fail (KIOSK_IS_READER_MANAGER (self));
  g_return_if_fail (!self->started);

  if (input_dir != NULL)
    {
      g_free (self->input_dir);
      self->input_dir = g_strdup (input_dir);
    }
  if (sys_dir != NULL)
    {
      g_free (self->sys_dir);
      self->sys_dir = g_strdup (sys_dir);
    }
  if (udev_data_dir != NULL)
    {
      g_free (self->udev_data_dir);
      self->udev_data_dir = g_strdup (udev_data_dir);
    }
}

/* Discovery settings belong to the reader thread once it runs. */
static gboolean
worker_add_path (KioskReaderManager *self, gpointer data, GError **error)
{
  g_ptr_array_add (self->paths, data);
  return TRUE;
}

static gboolean
worker_add_usb_id (KioskReaderManager *self, gpointer data, GError **error)
{
  g_array_append_vals (self->usb_ids, data, 1);
  return TRUE;
}

static gboolean
worker_set_auto_detect (KioskReaderManager *self, gpointer data, GError **error)
{
  self->auto_detect = GPOINTER_TO_INT (data);
  return TRUE;
}

void
kiosk_reader_manager_add_path (KioskReaderManager *self, const char *path)
{
  g_return_if_fail (KIOSK_IS_READER_MANAGER (self));
  g_return_if_fail (path != NULL);

  run_on_reader_thread (self, worker_add_path, g_strdup (path), NULL);
}

void
kiosk_reader_manager_add_usb_id (KioskReaderManager *self, guint16 vendor, guint16 product)
{
  UsbId id = { vendor, product };

  g_return_if_fail (KIOSK_IS_READER_MANAGER (self));

  run_on_reader_thread (self, worker_add_usb_id, &id, NULL);
}

void
kiosk_reader_manager_set_auto_detect (KioskReaderManager *self, gboolean auto_detect)
{
  g_return_if_fail (KIOSK_IS_READER_MANAGER (self));

  run_on_reader_thread (self, worker_set_auto_detect, GINT_TO_POINTER (auto_detect), NULL);
}

void
kiosk_reader_manager_set_udev_tag (KioskReaderManager *self, gboolean use_tag)
{
  g_return_if_fail (KIOSK_IS_READER_MANAGER (self));
  /* Read by the reader thread; start() hands it over, so set it before. */
  g_return_if_fail (!self->started);

  self->no_udev_tag = !use_tag;
}

void
kiosk_reader_manager_set_rescan_interval (KioskReaderManager *self, guint ms)
{
  g_return_if_fail (KIOSK_IS_READER_MANAGER (self));
  g_return_if_fail (!self->started);

  self->rescan_ms = ms;
}

void
kiosk_reader_manager_add_serial (KioskReaderManager *self, const char *id, const char *path, guint baud)
{
  KioskSerialReader *serial;

  g_return_if_fail (KIOSK_IS_READER_MANAGER (self));

  serial = kiosk_serial_reader_new (id, path, baud, &self->config);
  g_signal_connect (serial, "read", G_CALLBACK (serial_read_cb), self);
  g_ptr_array_add (self->serial, serial);
  if (self->started)
    kiosk_serial_reader_start (serial, NULL);
}

void
kiosk_reader_manager_add_id_reader (KioskReaderManager *self, const char *id, const char *path, guint baud)
{
  KioskIdReader *reader;

  g_return_if_fail (KIOSK_IS_READER_MANAGER (self));

  reader = kiosk_id_reader_new (id, path, baud, self->config.clock);
  g_signal_connect (reader, "read", G_CALLBACK (serial_read_cb), self);
  g_ptr_array_add (self->id_readers, reader);
  if (self->started)
    kiosk_id_reader_start (reader);
}

GPtrArray *
kiosk_reader_manager_list_health (KioskReaderManager *self)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_reader_health_free);
  GHashTableIter iter;
  KioskReaderHealth *health;

  g_return_val_if_fail (KIOSK_IS_READER_MANAGER (self), list);

  g_hash_table_iter_init (&iter, self->health);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&health))
    g_ptr_array_add (list, kiosk_reader_health_copy (health));
  for (guint i = 0; i < self->serial->len; i++)
    g_ptr_array_add (list, kiosk_serial_reader_get_health (g_ptr_array_index (self->serial, i)));
  for (guint i = 0; i < self->id_readers->len; i++)
    g_ptr_array_add (list, kiosk_id_reader_get_health (g_ptr_array_index (self->id_readers, i)));
  return list;
}

static void
kiosk_reader_manager_dispose (GObject *object)
{
  KioskReaderManager *self = KIOSK_READER_MANAGER (object);

  self->started = FALSE;
  /* First the thread (it may still be posting), then what it posted. */
  stop_worker (self);
  kiosk_reader_manager_destroy_source (&self->notes_source);
  g_queue_clear_full (&self->notes, (GDestroyNotify)note_free);
  for (guint i = 0; i < self->serial->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->serial, i), self);
  g_ptr_array_set_size (self->serial, 0);
  for (guint i = 0; i < self->id_readers->len; i++)
    {
      kiosk_id_reader_stop (g_ptr_array_index (self->id_readers, i));
      g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->id_readers, i), self);
    }
  g_ptr_array_set_size (self->id_readers, 0);

  G_OBJECT_CLASS (kiosk_reader_manager_parent_class)->dispose (object);
}

static void
kiosk_reader_manager_finalize (GObject *object)
{
  KioskReaderManager *self = KIOSK_READER_MANAGER (object);

  g_hash_table_unref (self->readers);
  g_hash_table_unref (self->health);
  g_hash_table_unref (self->not_readers);
  g_ptr_array_unref (self->serial);
  g_ptr_array_unref (self->id_readers);
  g_ptr_array_unref (self->paths);
  g_array_unref (self->usb_ids);
  g_free (self->input_dir);
  g_free (self->sys_dir);
  g_free (self->udev_data_dir);
  g_main_context_unref (self->worker_ctx);
  g_main_context_unref (self->main_ctx);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_clear_object (&self->config.clock);

  G_OBJECT_CLASS (kiosk_reader_manager_parent_class)->finalize (object);
}

static void
kiosk_reader_manager_class_init (KioskReaderManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_reader_manager_dispose;
  object_class->finalize = kiosk_reader_manager_finalize;

  signals[SIGNAL_READ] = g_signal_new ("read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                       NULL, G_TYPE_NONE, 2, G_TYPE_STRING, KIOSK_TYPE_CARD_READ);
  signals[SIGNAL_READER_ADDED] = g_signal_new ("reader-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                               0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_READER_REMOVED]
      = g_signal_new ("reader-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kiosk_reader_manager_init (KioskReaderManager *self)
{
  self->input_dir = g_strdup ("/dev/input");
  self->sys_dir = g_strdup ("/sys");
  self->udev_data_dir = g_strdup ("/run/udev/data");
  self->rescan_ms = DEFAULT_RESCAN_MS;
  self->paths = g_ptr_array_new_with_free_func (g_free);
  self->usb_ids = g_array_new (FALSE, FALSE, sizeof (UsbId));
  self->readers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)kiosk_reader_free);
  self->health
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)kiosk_reader_health_free);
  self->not_readers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->serial = g_ptr_array_new_with_free_func (g_object_unref);
  self->id_readers = g_ptr_array_new_with_free_func (g_object_unref);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->notes);
  self->owner = g_thread_self ();
  self->main_ctx = g_main_context_ref_thread_default ();
  self->worker_ctx = g_main_context_new ();
  self->notes_source = g_source_new (&notes_funcs, sizeof (GSource));
  g_source_set_name (self->notes_source, "[kiosk-reader-manager] notes");
  g_source_set_callback (self->notes_source, notes_cb, self, NULL);
  g_source_attach (self->notes_source, self->main_ctx);
}

KioskReaderManager *
kiosk_reader_manager_new (const KioskWedgeConfig *config)
{
  KioskReaderManager *self = g_object_new (KIOSK_TYPE_READER_MANAGER, NULL);

  if (config != NULL)
    self->config = *config;
  else
    kiosk_wedge_config_init (&self->config);
  /* One clock for every reader it makes. */
  self->config.clock = self->config.clock ? g_object_ref (self->config.clock) : kiosk_clock_new_system (NULL);
  return self;
}
