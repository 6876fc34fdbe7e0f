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
#include "kiosk-serial-reader.h"

#define DEFAULT_RESCAN_MS 2000
/* After a node appears, udev still sets its group and links: look again soon. */
#define RESCAN_SOON_MS 150

typedef struct
{
  guint16 vendor;
  guint16 product;
} UsbId;

/* What sysfs and udev say about one event node, before opening it. */
typedef struct
{
  char *node;
  dev_t rdev;
  guint16 vendor;
  guint16 product;
  char *phys;
  gboolean tagged;
} Identity;

typedef struct
{
  /* Borrowed */
  KioskReaderManager *manager;

  /* Owned */
  char *id;
  char *node;
  struct libevdev *dev;
  KioskWedge *wedge;
  GSource *io_source;
  GSource *timeout_source;

  int fd;
  dev_t rdev;
  gboolean candidate; /* auto-detected keyboard not yet shown to be a reader */
} Reader;

/* What the reader thread tells the main context, in order. */
typedef enum
{
  NOTE_OPENED,      /* node opened; announce: grabbed as a reader (not a candidate) */
  NOTE_OPEN_FAILED, /* a reader's node could not be opened or grabbed */
  NOTE_PROMOTED,    /* a candidate keyboard typed a card and is now grabbed */
  NOTE_ERROR,       /* a candidate could not be grabbed */
  NOTE_DUPLICATE,   /* the decoder dropped a repeated card */
  NOTE_READ,
  NOTE_REMOVED, /* announce: reader-removed is due; failed: count an error */
} NoteKind;

typedef struct
{
  NoteKind kind;
  gboolean announce;
  gboolean failed;
  gint64 wall_us;
  char *id;
  char *node;
  KioskCardRead *read;
} Note;

/* A function run on the reader thread while the caller waits. */
typedef struct
{
  KioskReaderManager *manager;
  gboolean (*func) (KioskReaderManager *self, gpointer data, GError **error);
  gpointer data;
  GError *error;
  gboolean ok;
  gboolean done;
} Call;

/* Threads: the reader thread owns the devices, the decoders and discovery
 * (readers, not_readers, monitor, rescan sources, paths, usb_ids,
 * auto_detect once started), so a busy UI thread never leaves the kernel's
 * 64-event buffer unread. The creating thread owns health and emits every
 * signal; notes cross over through @notes. */
struct _KioskReaderManager
{
  GObject parent_instance;

  KioskWedgeConfig config;
  gboolean auto_detect;
  gboolean no_udev_tag; /* discovery setting: reader thread */
  gboolean started;     /* creating thread */
  gboolean watching;    /* reader thread */
  gint stopping;        /* atomic */
  guint rescan_ms;

  /* Owned */
  char *input_dir;
  char *sys_dir;
  char *udev_data_dir;
  GPtrArray *paths;        /* configured device paths */
  GArray *usb_ids;         /* UsbId */
  GHashTable *readers;     /* node → Reader */
  GHashTable *health;      /* reader id → KioskReaderHealth, kept across unplugs */
  GHashTable *not_readers; /* node → dev_t of keyboards-or-not already opened and found wanting */
  GPtrArray *serial;       /* KioskSerialReader */
  GFileMonitor *monitor;
  GSource *rescan_source;
  GSource *rescan_soon_source;

  GThread *owner;         /* the creating thread, where signals are emitted */
  GMainContext *main_ctx; /* its thread-default context at creation */
  GSource *notes_source;  /* on main_ctx: drains notes */
  GMainContext *worker_ctx;
  GThread *worker;
  GMutex lock; /* notes, and Call.done */
  GCond cond;
  GQueue notes; /* Note */
};

G_DEFINE_FINAL_TYPE (KioskReaderManager, kiosk_reader_manager, G_TYPE_OBJECT)

enum
{
  SIGNAL_READ,
  SIGNAL_READER_ADDED,
  SIGNAL_READER_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
kiosk_usb_id_parse (const char *text, guint16 *vendor, guint16 *product, GError **error)
{
  guint64 v, p;
  char *end;

  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) != 9 || text[4] != ':' || !g_ascii_isxdigit (text[0]) || !g_ascii_isxdigit (text[5]))
    goto bad;
  v = g_ascii_strtoull (text, &end, 16);
  if (end != text + 4)
    goto bad;
  p = g_ascii_strtoull (text + 5, &end, 16);
  if (*end != '\0')
    goto bad;
  if (vendor != NULL)
    *vendor = (guint16)v;
  if (product != NULL)
    *product = (guint16)p;
  return TRUE;

bad:
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
               "USB 设备号无效 / USB id \"%s\" is not vendor:product in hex", text);
  return FALSE;
}

gboolean
kiosk_udev_data_has_reader_tag (const char *contents)
{
  g_auto (GStrv) lines = NULL;

  g_return_val_if_fail (contents != NULL, FALSE);

  /* One property a line, "E:KEY=VALUE"; other letters are links, tags, ... */
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_equal (g_strchomp (lines[i]), "E:ID_LINLI_READER=1"))
      return TRUE;
  return FALSE;
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Every device, timer and scan source runs on the reader thread. */
static GSource *
attach (KioskReaderManager *self, GSource *source, const char *name, GSourceFunc func, gpointer data)
{
  g_source_set_name (source, name);
  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, self->worker_ctx);
  return source;
}

/* Identity */

static void
identity_clear (Identity *id)
{
  g_clear_pointer (&id->node, g_free);
  g_clear_pointer (&id->phys, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Identity, identity_clear)

static guint16
read_sysfs_hex (const char *path)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  return (guint16)g_ascii_strtoull (text, NULL, 16);
}

static gboolean
identity_load (KioskReaderManager *self, const char *name, Identity *id)
{
  g_autofree char *dev_dir = g_build_filename (self->sys_dir, "class", "input", name, "device", NULL);
  g_autofree char *vendor = g_build_filename (dev_dir, "id", "vendor", NULL);
  g_autofree char *product = g_build_filename (dev_dir, "id", "product", NULL);
  g_autofree char *phys = g_build_filename (dev_dir, "phys", NULL);
  g_autofree char *udev = NULL;
  g_autofree char *udev_data = NULL;
  struct stat st;

  id->node = g_build_filename (self->input_dir, name, NULL);
  if (stat (id->node, &st) < 0 || !S_ISCHR (st.st_mode))
    return FALSE;
  id->rdev = st.st_rdev;
  id->vendor = read_sysfs_hex (vendor);
  id->product = read_sysfs_hex (product);
  if (g_file_get_contents (phys, &id->phys, NULL, NULL))
    g_strchomp (id->phys);
  udev = g_strdup_printf ("%s/c%u:%u", self->udev_data_dir, major (st.st_rdev), minor (st.st_rdev));
  id->tagged
      = g_file_get_contents (udev, &udev_data, NULL, NULL) && kiosk_udev_data_has_reader_tag (udev_data);
  return TRUE;
}

/* The configured path that leads to @node, if any. */
static const char *
configured_path_for (KioskReaderManager *self, const char *node)
{
  for (guint i = 0; i < self->paths->len; i++)
    {
      const char *path = g_ptr_array_index (self->paths, i);
      g_autofree char *target = realpath (path, NULL);

      if (target != NULL && g_str_equal (target, node))
        return path;
    }
  return NULL;
}

static gboolean
usb_id_configured (KioskReaderManager *self, const Identity *id)
{
  for (guint i = 0; i < self->usb_ids->len; i++)
    {
      const UsbId *u = &g_array_index (self->usb_ids, UsbId, i);

      if (u->vendor == id->vendor && u->product == id->product)
        return TRUE;
    }
  return FALSE;
}

/* A stable name: the configured link's name, else vendor:product and the USB
 * port (phys), which stay the same when the reader is plugged back in. */
static char *
reader_id_for (const Identity *id, const char *configured_path)
{
  if (configured_path != NULL)
    return g_path_get_basename (configured_path);
  if (id->phys != NULL && id->phys[0] != '\0')
    return g_strdup_printf ("%04x:%04x@%s", id->vendor, id->product, id->phys);
  {
    g_autofree char *base = g_path_get_basename (id->node);
    return g_strdup_printf ("%04x:%04x@%s", id->vendor, id->product, base);
  }
}

/* Readers */

static void schedule_rescan_soon (KioskReaderManager *self);

static void
reader_free (Reader *reader)
{
  destroy_source (&reader->io_source);
  destroy_source (&reader->timeout_source);
  g_clear_pointer (&reader->dev, libevdev_free);
  if (reader->fd >= 0)
    close (reader->fd);
  g_clear_pointer (&reader->wedge, kiosk_wedge_free);
  g_free (reader->id);
  g_free (reader->node);
  g_free (reader);
}

static void
note_free (Note *note)
{
  g_free (note->id);
  g_free (note->node);
  g_clear_pointer (&note->read, kiosk_card_read_free);
  g_free (note);
}

static Note *
note_new (NoteKind kind, const char *id)
{
  Note *note = g_new0 (Note, 1);

  note->kind = kind;
  note->id = g_strdup (id);
  note->wall_us = g_get_real_time ();
  return note;
}

/* Reader thread: queues @note for the creating thread and wakes it. */
static void
post (KioskReaderManager *self, Note *note)
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

/* Reader thread: is a reader (or candidate) with this id open already? */
static gboolean
reader_id_open (KioskReaderManager *self, const char *id)
{
  GHashTableIter iter;
  Reader *reader;

  g_hash_table_iter_init (&iter, self->readers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&reader))
    if (g_str_equal (reader->id, id))
      return TRUE;
  return FALSE;
}

static void
deliver (Reader *reader, KioskCardRead *read)
{
  g_autoptr (KioskCardRead) owned = read;
  KioskReaderManager *self = reader->manager;
  Note *note;

  if (reader->candidate)
    {
      /* A keyboard typing slowly is a person: not ours, not an error. */
      if (read->kind == KIOSK_CARD_KIND_REJECTED)
        return;
      if (libevdev_grab (reader->dev, LIBEVDEV_GRAB) < 0)
        {
          post (self, note_new (NOTE_ERROR, reader->id));
          return;
        }
      reader->candidate = FALSE;
      post (self, note_new (NOTE_PROMOTED, reader->id));
    }
  note = note_new (NOTE_READ, reader->id);
  note->read = g_steal_pointer (&owned);
  post (self, note);
}

/* Removes @reader from the table; the caller must not touch it afterwards. */
static void
reader_remove (Reader *reader, gboolean failed)
{
  KioskReaderManager *self = reader->manager;
  g_autofree char *id = g_strdup (reader->id);
  gboolean announced = !reader->candidate;
  KioskCardRead *lost = kiosk_wedge_abort (reader->wedge, g_get_monotonic_time ());
  Note *note;

  if (lost != NULL)
    deliver (reader, lost);
  g_hash_table_remove (self->readers, reader->node);
  note = note_new (NOTE_REMOVED, id);
  note->announce = announced;
  note->failed = failed;
  post (self, note);
  schedule_rescan_soon (self);
}

static gboolean reader_timeout_cb (gpointer user_data);

static void
reader_arm_timeout (Reader *reader)
{
  gint64 deadline = kiosk_wedge_get_deadline (reader->wedge);
  gint64 wait;

  destroy_source (&reader->timeout_source);
  if (deadline < 0)
    return;
  wait = deadline - g_get_monotonic_time ();
  reader->timeout_source = attach (reader->manager, g_timeout_source_new ((guint)MAX (wait / 1000 + 1, 1)),
                                   "[kiosk-reader-manager] read timeout", reader_timeout_cb, reader);
}

static gboolean
reader_timeout_cb (gpointer user_data)
{
  Reader *reader = user_data;
  KioskCardRead *read;

  g_clear_pointer (&reader->timeout_source, g_source_unref);
  read = kiosk_wedge_check_timeout (reader->wedge, g_get_monotonic_time ());
  if (read != NULL)
    deliver (reader, read);
  reader_arm_timeout (reader);
  return G_SOURCE_REMOVE;
}

static void
reader_feed (Reader *reader, const struct input_event *ev)
{
  guint duplicates = kiosk_wedge_get_n_rejected (reader->wedge, KIOSK_CARD_REJECT_DUPLICATE);
  KioskCardRead *read = kiosk_wedge_feed (reader->wedge, ev);

  if (kiosk_wedge_get_n_rejected (reader->wedge, KIOSK_CARD_REJECT_DUPLICATE) != duplicates)
    post (reader->manager, note_new (NOTE_DUPLICATE, reader->id));
  if (read != NULL)
    deliver (reader, read);
}

static gboolean
reader_io_cb (int fd, GIOCondition condition, gpointer user_data)
{
  Reader *reader = user_data;
  struct input_event ev;
  int rc;

  for (;;)
    {
      rc = libevdev_next_event (reader->dev, LIBEVDEV_READ_FLAG_NORMAL, &ev);
      if (rc == LIBEVDEV_READ_STATUS_SUCCESS)
        reader_feed (reader, &ev);
      else if (rc == LIBEVDEV_READ_STATUS_SYNC)
        {
          /* The kernel's buffer overflowed: keys of the read in progress are
           * gone. Drop the catch-up events, they describe held keys only. */
          KioskCardRead *lost = kiosk_wedge_abort (reader->wedge, g_get_monotonic_time ());

          if (lost != NULL)
            deliver (reader, lost);
          do
            rc = libevdev_next_event (reader->dev, LIBEVDEV_READ_FLAG_SYNC, &ev);
          while (rc == LIBEVDEV_READ_STATUS_SYNC);
        }
      else if (rc == -EAGAIN || rc == -EINTR)
        break;
      else
        {
          /* -ENODEV: unplugged. Anything else is as good as unplugged. */
          reader->io_source = (g_source_unref (reader->io_source), NULL);
          reader_remove (reader, TRUE);
          return G_SOURCE_REMOVE;
        }
    }
  reader_arm_timeout (reader);
  return G_SOURCE_CONTINUE;
}

static gboolean
is_keyboard (struct libevdev *dev)
{
  return libevdev_has_event_code (dev, EV_KEY, KEY_ENTER) && libevdev_has_event_code (dev, EV_KEY, KEY_0)
         && libevdev_has_event_code (dev, EV_KEY, KEY_9) && !libevdev_has_event_type (dev, EV_ABS)
         && !libevdev_has_event_type (dev, EV_REL);
}

/* Opens @ident's node as a reader, or as a candidate keyboard (not grabbed).
 * A reader that cannot be opened or grabbed counts an error in its health
 * and is tried again at the next rescan. */
static void
reader_open (KioskReaderManager *self, const Identity *ident, const char *reader_id, gboolean candidate)
{
  g_autoptr (libevdev) dev = NULL;
  Reader *reader;
  Note *note;
  int fd;
  int rc;

  fd = open (ident->node, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    goto fail;
  rc = libevdev_new_from_fd (fd, &dev);
  if (rc < 0)
    goto fail_fd;
  if (candidate && !is_keyboard (dev))
    {
      g_hash_table_insert (self->not_readers, g_strdup (ident->node), GSIZE_TO_POINTER (ident->rdev));
      close (fd);
      return;
    }
  /* Event times on the clock that g_get_monotonic_time() reads, so the
   * decoder's timeouts and the main loop agree. */
  libevdev_set_clock_id (dev, CLOCK_MONOTONIC);
  if (!candidate && libevdev_grab (dev, LIBEVDEV_GRAB) < 0)
    goto fail_fd;

  reader = g_new0 (Reader, 1);
  reader->manager = self;
  reader->id = g_strdup (reader_id);
  reader->node = g_strdup (ident->node);
  reader->rdev = ident->rdev;
  reader->fd = fd;
  reader->dev = g_steal_pointer (&dev);
  reader->wedge = kiosk_wedge_new (&self->config);
  reader->candidate = candidate;
  reader->io_source
      = attach (self, g_unix_fd_source_new (fd, G_IO_IN | G_IO_HUP | G_IO_ERR), "[kiosk-reader-manager] io",
                (GSourceFunc)(void (*) (void))reader_io_cb, reader);
  g_hash_table_insert (self->readers, reader->node, reader);
  note = note_new (NOTE_OPENED, reader_id);
  note->node = g_strdup (ident->node);
  note->announce = !candidate;
  post (self, note);
  return;

fail_fd:
  close (fd);
fail:
  if (!candidate)
    {
      note = note_new (NOTE_OPEN_FAILED, reader_id);
      note->node = g_strdup (ident->node);
      post (self, note);
    }
}

static void
probe (KioskReaderManager *self, const char *name)
{
  g_auto (Identity) ident = { 0 };
  const char *configured;
  g_autofree char *reader_id = NULL;
  Reader *open_reader;
  gpointer known_rdev;

  if (!identity_load (self, name, &ident))
    return;

  open_reader = g_hash_table_lookup (self->readers, ident.node);
  if (open_reader != NULL)
    {
      if (open_reader->rdev == ident.rdev)
        return;
      /* A different device took the node's name: the old one is gone. */
      reader_remove (open_reader, TRUE);
    }

  configured = configured_path_for (self, ident.node);
  reader_id = reader_id_for (&ident, configured);
  if (configured != NULL || usb_id_configured (self, &ident) || (ident.tagged && !self->no_udev_tag))
    {
      if (reader_id_open (self, reader_id))
        return; /* the same reader through another node is already open */
      reader_open (self, &ident, reader_id, FALSE);
    }
  else if (self->auto_detect)
    {
      if (g_hash_table_lookup_extended (self->not_readers, ident.node, NULL, &known_rdev)
          && GPOINTER_TO_SIZE (known_rdev) == ident.rdev)
        return;
      reader_open (self, &ident, reader_id, TRUE);
    }
}

/* Reader thread (or the caller, before start). */
static void
worker_rescan (KioskReaderManager *self)
{
  g_autoptr (GDir) dir = NULL;
  g_autoptr (GPtrArray) gone = g_ptr_array_new ();
  GHashTableIter iter;
  Reader *reader;
  const char *name;

  /* Nodes that vanished without an error on their fd. */
  g_hash_table_iter_init (&iter, self->readers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&reader))
    {
      struct stat st;

      if (stat (reader->node, &st) < 0 || st.st_rdev != reader->rdev)
        g_ptr_array_add (gone, reader);
    }
  for (guint i = 0; i < gone->len; i++)
    reader_remove (g_ptr_array_index (gone, i), TRUE);

  dir = g_dir_open (self->input_dir, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "event"))
      probe (self, name);
}

static gboolean
rescan_soon_cb (gpointer user_data)
{
  KioskReaderManager *self = user_data;

  g_clear_pointer (&self->rescan_soon_source, g_source_unref);
  worker_rescan (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_rescan_soon (KioskReaderManager *self)
{
  if (!self->watching || self->rescan_soon_source != NULL)
    return;
  self->rescan_soon_source = attach (self, g_timeout_source_new (RESCAN_SOON_MS),
                                     "[kiosk-reader-manager] rescan soon", rescan_soon_cb, self);
}

static gboolean
rescan_cb (gpointer user_data)
{
  worker_rescan (user_data);
  return G_SOURCE_CONTINUE;
}

static void
monitor_changed_cb (GFileMonitor *monitor, GFile *file, GFile *other, GFileMonitorEvent event,
                    KioskReaderManager *self)
{
  g_autofree char *name = g_file_get_basename (file);

  if (g_str_has_prefix (name, "event"))
    schedule_rescan_soon (self);
}

static void
serial_read_cb (KioskSerialReader *serial, const char *id, KioskCardRead *read, KioskReaderManager *self)
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
  worker_rescan (self);
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
  g_signal_connect (self->monitor, "changed", G_CALLBACK (monitor_changed_cb), self);
  self->watching = TRUE;
  if (self->rescan_ms > 0)
    self->rescan_source = attach (self, g_timeout_source_new (self->rescan_ms),
                                  "[kiosk-reader-manager] rescan", rescan_cb, self);
  worker_rescan (self);
  return TRUE;
}

/* Reader thread, on its way out: closing the fds ends the grabs. */
static void
worker_stop (KioskReaderManager *self)
{
  self->watching = FALSE;
  destroy_source (&self->rescan_source);
  destroy_source (&self->rescan_soon_source);
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
  return list;
}

static void
kiosk_reader_manager_dispose (GObject *object)
{
  KioskReaderManager *self = KIOSK_READER_MANAGER (object);

  self->started = FALSE;
  /* First the thread (it may still be posting), then what it posted. */
  stop_worker (self);
  destroy_source (&self->notes_source);
  g_queue_clear_full (&self->notes, (GDestroyNotify)note_free);
  for (guint i = 0; i < self->serial->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->serial, i), self);
  g_ptr_array_set_size (self->serial, 0);

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
  g_ptr_array_unref (self->paths);
  g_array_unref (self->usb_ids);
  g_free (self->input_dir);
  g_free (self->sys_dir);
  g_free (self->udev_data_dir);
  g_main_context_unref (self->worker_ctx);
  g_main_context_unref (self->main_ctx);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

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
  self->readers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)reader_free);
  self->health
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)kiosk_reader_health_free);
  self->not_readers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->serial = g_ptr_array_new_with_free_func (g_object_unref);
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
  return self;
}
