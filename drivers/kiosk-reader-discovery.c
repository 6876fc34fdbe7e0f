/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-reader-manager"

/* The reader thread's side of KioskReaderManager: what sysfs and udev say of
 * each event node, opening and grabbing readers, feeding their events to the
 * decoder, and noticing nodes come and go. What it finds reaches the
 * creating thread as notes (kiosk-reader-manager.c). */

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

void
kiosk_reader_manager_destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Every device, timer and scan source runs on the reader thread. */
GSource *
kiosk_reader_manager_attach (KioskReaderManager *self, GSource *source, const char *name, GSourceFunc func,
                             gpointer data)
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

void
kiosk_reader_free (Reader *reader)
{
  kiosk_reader_manager_destroy_source (&reader->io_source);
  kiosk_reader_manager_destroy_source (&reader->timeout_source);
  g_clear_pointer (&reader->dev, libevdev_free);
  if (reader->fd >= 0)
    close (reader->fd);
  g_clear_pointer (&reader->wedge, kiosk_wedge_free);
  g_free (reader->id);
  g_free (reader->node);
  g_free (reader);
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
          kiosk_reader_manager_post (self, kiosk_reader_note_new (NOTE_ERROR, reader->id));
          return;
        }
      reader->candidate = FALSE;
      kiosk_reader_manager_post (self, kiosk_reader_note_new (NOTE_PROMOTED, reader->id));
    }
  note = kiosk_reader_note_new (NOTE_READ, reader->id);
  note->read = g_steal_pointer (&owned);
  kiosk_reader_manager_post (self, note);
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
  note = kiosk_reader_note_new (NOTE_REMOVED, id);
  note->announce = announced;
  note->failed = failed;
  kiosk_reader_manager_post (self, note);
  schedule_rescan_soon (self);
}

static gboolean reader_timeout_cb (gpointer user_data);

static void
reader_arm_timeout (Reader *reader)
{
  gint64 deadline = kiosk_wedge_get_deadline (reader->wedge);
  gint64 wait;

  kiosk_reader_manager_destroy_source (&reader->timeout_source);
  if (deadline < 0)
    return;
  wait = deadline - g_get_monotonic_time ();
  reader->timeout_source
      = kiosk_reader_manager_attach (reader->manager, g_timeout_source_new ((guint)MAX (wait / 1000 + 1, 1)),
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
    kiosk_reader_manager_post (reader->manager, kiosk_reader_note_new (NOTE_DUPLICATE, reader->id));
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
  reader->io_source = kiosk_reader_manager_attach (
      self, g_unix_fd_source_new (fd, G_IO_IN | G_IO_HUP | G_IO_ERR), "[kiosk-reader-manager] io",
      (GSourceFunc)(void (*) (void))reader_io_cb, reader);
  g_hash_table_insert (self->readers, reader->node, reader);
  note = kiosk_reader_note_new (NOTE_OPENED, reader_id);
  note->node = g_strdup (ident->node);
  note->announce = !candidate;
  kiosk_reader_manager_post (self, note);
  return;

fail_fd:
  close (fd);
fail:
  if (!candidate)
    {
      note = kiosk_reader_note_new (NOTE_OPEN_FAILED, reader_id);
      note->node = g_strdup (ident->node);
      kiosk_reader_manager_post (self, note);
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
void
kiosk_reader_manager_worker_rescan (KioskReaderManager *self)
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
  kiosk_reader_manager_worker_rescan (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_rescan_soon (KioskReaderManager *self)
{
  if (!self->watching || self->rescan_soon_source != NULL)
    return;
  self->rescan_soon_source
      = kiosk_reader_manager_attach (self, g_timeout_source_new (RESCAN_SOON_MS),
                                     "[kiosk-reader-manager] rescan soon", rescan_soon_cb, self);
}

gboolean
kiosk_reader_manager_rescan_cb (gpointer user_data)
{
  kiosk_reader_manager_worker_rescan (user_data);
  return G_SOURCE_CONTINUE;
}

void
kiosk_reader_manager_monitor_changed_cb (GFileMonitor *monitor, GFile *file, GFile *other,
                                         GFileMonitorEvent event, KioskReaderManager *self)
{
  g_autofree char *name = g_file_get_basename (file);

  if (g_str_has_prefix (name, "event"))
    schedule_rescan_soon (self);
}
