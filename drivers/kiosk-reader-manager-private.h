/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* What kiosk-reader-manager.c (the object, its API, the creating thread's
 * side) and kiosk-reader-discovery.c (devices on the reader thread) share. */

#include <libevdev/libevdev.h>
#include <sys/types.h>

#include "kiosk-reader-manager.h"

G_BEGIN_DECLS

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
  GPtrArray *id_readers;   /* KioskIdReader */
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

/* kiosk-reader-discovery.c: the reader thread's side. */
void kiosk_reader_manager_destroy_source (GSource **source);
GSource *kiosk_reader_manager_attach (KioskReaderManager *self, GSource *source, const char *name,
                                      GSourceFunc func, gpointer data);
void kiosk_reader_free (Reader *reader);
void kiosk_reader_manager_worker_rescan (KioskReaderManager *self);
gboolean kiosk_reader_manager_rescan_cb (gpointer user_data);
void kiosk_reader_manager_monitor_changed_cb (GFileMonitor *monitor, GFile *file, GFile *other,
                                              GFileMonitorEvent event, KioskReaderManager *self);

/* kiosk-reader-manager.c: notes from the reader thread to the creating one. */
Note *kiosk_reader_note_new (NoteKind kind, const char *id);
void kiosk_reader_manager_post (KioskReaderManager *self, Note *note);

G_END_DECLS
