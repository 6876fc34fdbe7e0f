/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-id-reader"

#include "kiosk-id-reader.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include "kiosk-error.h"
#include "kiosk-ga450.h"
#include "kiosk-serial-reader.h"

#define DEFAULT_POLL_MS 250
#define DEFAULT_ANSWER_MS 1500 /* a base read at 115200 baud takes ~0.2 s; modules think for up to 1 s */
#define DEFAULT_REOPEN_MS 2000
/* Unanswered commands in a row before the reader counts as not answering. */
#define SILENT_LIMIT 3
/* Failed attempts at one placement before it is given up as unreadable. */
#define ATTEMPT_LIMIT 3
/* "No card" answers in a row that mean the card was taken away. */
#define GONE_LIMIT 2

struct _KioskIdReader
{
  GObject parent_instance;

  guint baud;
  guint poll_ms, answer_ms, reopen_ms;

  /* Owned, set before the thread starts and read-only while it runs */
  char *id;
  char *path;
  KioskClock *clock;
  GMainContext *context;

  /* Owned; main thread only */
  KioskReaderHealth *health;
  gboolean connected;
  GThread *thread;
  int wake[2]; /* stop() writes to wake[1]; the thread polls wake[0] */
  gint stopping;

  /* The thread's own */
  int fd;
  GByteArray *in;
};

G_DEFINE_FINAL_TYPE (KioskIdReader, kiosk_id_reader, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNECTED,
  N_PROPS
};

enum
{
  SIGNAL_READ,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* What the thread tells the main thread. */
typedef enum
{
  EVENT_PORT,      /* the port opened (TRUE) or went away (FALSE) */
  EVENT_ANSWERING, /* the reader answers again (TRUE) or not / its module failed (FALSE) */
  EVENT_READ,
} EventKind;

typedef struct
{
  KioskIdReader *self; /* a reference */
  EventKind kind;
  gboolean flag;
  KioskCardRead *read;
} Event;

static void
event_free (gpointer data)
{
  Event *event = data;

  g_object_unref (event->self);
  kiosk_card_read_free (event->read);
  g_free (event);
}

static void
set_connected (KioskIdReader *self, gboolean connected)
{
  self->health->present = connected;
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static gboolean
dispatch_event (gpointer data)
{
  Event *event = data;
  KioskIdReader *self = event->self;

  /* Events queued before stop() are stale. */
  if (self->thread == NULL)
    return G_SOURCE_REMOVE;
  switch (event->kind)
    {
      case EVENT_PORT:
        if (event->flag)
          {
            g_free (self->health->path);
            self->health->path = g_strdup (self->path);
          }
        else
          self->health->n_errors++;
        set_connected (self, event->flag);
        break;
      case EVENT_ANSWERING:
        if (!event->flag)
          self->health->n_errors++;
        set_connected (self, event->flag);
        break;
      case EVENT_READ:
        kiosk_reader_health_count (self->health, event->read, g_get_real_time ());
        g_signal_emit (self, signals[SIGNAL_READ], 0, self->id, event->read);
        break;
      default:
        g_assert_not_reached ();
    }
  return G_SOURCE_REMOVE;
}

static void
post (KioskIdReader *self, EventKind kind, gboolean flag, KioskCardRead *read)
{
  Event *event = g_new0 (Event, 1);
  g_autoptr (GSource) source = g_idle_source_new ();

  event->self = g_object_ref (self);
  event->kind = kind;
  event->flag = flag;
  event->read = read;

  /* Never g_main_context_invoke(): from this thread it may run the callback
   * right here when no one holds the context. */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_name (source, "[kiosk-id-reader] event");
  g_source_set_callback (source, dispatch_event, event, event_free);
  g_source_attach (source, self->context);
}

/* The thread's side */

typedef enum
{
  T_ANSWER,
  T_TIMEOUT,
  T_LOST,
  T_STOPPED,
} Transact;

static gboolean
stopping (KioskIdReader *self)
{
  return g_atomic_int_get (&self->stopping);
}

/* Waits up to @ms for the port to be readable (or writable). */
static Transact
wait_port (KioskIdReader *self, short events, int ms)
{
  struct pollfd fds[2] = { { self->fd, events, 0 }, { self->wake[0], POLLIN, 0 } };
  int n;

  do
    n = poll (fds, 2, ms);
  while (n < 0 && errno == EINTR);
  if (stopping (self) || (fds[1].revents & POLLIN))
    return T_STOPPED;
  if (n < 0 || (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
    return T_LOST;
  return n == 0 ? T_TIMEOUT : T_ANSWER;
}

/* Sleeps @ms unless stopped; FALSE when stopped. */
static gboolean
nap (KioskIdReader *self, guint ms)
{
  struct pollfd fd = { self->wake[0], POLLIN, 0 };
  int n;

  do
    n = poll (&fd, 1, (int)ms);
  while (n < 0 && errno == EINTR);
  return !stopping (self);
}

static void
wipe_input (KioskIdReader *self)
{
  /* A base read carries a name and a photo: nothing of it is left in memory. */
  sodium_memzero (self->in->data, self->in->len);
  g_byte_array_set_size (self->in, 0);
}

/* Sends @command and waits for one whole answer, dropping noise around it.
 * The answer's bytes stay in self->in until the next exchange. */
static Transact
transact (KioskIdReader *self, KioskGa450Command command, KioskGa450Answer *answer)
{
  g_autoptr (GBytes) frame = kiosk_ga450_encode_command (command, NULL, 0);
  gsize size;
  const guint8 *bytes = g_bytes_get_data (frame, &size);
  gint64 deadline;

  wipe_input (self);
  while (size > 0)
    {
      ssize_t n = write (self->fd, bytes, size);

      if (n > 0)
        bytes += n, size -= (gsize)n;
      else if (n < 0 && errno == EAGAIN)
        {
          Transact t = wait_port (self, POLLOUT, (int)self->answer_ms);
          if (t != T_ANSWER)
            return t;
        }
      else if (!(n < 0 && errno == EINTR))
        return T_LOST;
    }

  deadline = g_get_monotonic_time () + (gint64)self->answer_ms * 1000;
  for (;;)
    {
      guint8 buf[512];
      ssize_t n;
      gsize consumed;
      gint64 left = (deadline - g_get_monotonic_time ()) / 1000;

      switch (kiosk_ga450_decode (self->in->data, self->in->len, &consumed, answer))
        {
          case KIOSK_GA450_DECODE_FRAME:
            return T_ANSWER;
          case KIOSK_GA450_DECODE_GARBAGE:
          case KIOSK_GA450_DECODE_BAD_FRAME:
            sodium_memzero (self->in->data, consumed);
            g_byte_array_remove_range (self->in, 0, (guint)consumed);
            continue;
          case KIOSK_GA450_DECODE_NEED_MORE:
          default:
            break;
        }
      if (left <= 0)
        return T_TIMEOUT;
      switch (wait_port (self, POLLIN, (int)left))
        {
          case T_ANSWER:
            break;
          case T_TIMEOUT:
            return T_TIMEOUT;
          case T_STOPPED:
            return T_STOPPED;
          case T_LOST:
          default:
            /* Bytes may still be waiting behind a hang-up: read them first. */
            break;
        }
      n = read (self->fd, buf, sizeof buf);
      if (n > 0)
        {
          /* Noise without end is not an answer: keep the buffer bounded. */
          if (self->in->len + (gsize)n > 2 * (KIOSK_GA450_HEADER_SIZE + KIOSK_GA450_MAX_LENGTH))
            wipe_input (self);
          g_byte_array_append (self->in, buf, (guint)n);
          sodium_memzero (buf, sizeof buf);
        }
      else if (n == 0 || (errno != EAGAIN && errno != EINTR))
        return T_LOST;
    }
}

/* One placement's read: select, read, decode. Returns the read to deliver,
 * NULL to try again (with @t saying whether the port is still fine). */
static KioskCardRead *
read_card (KioskIdReader *self, Transact *t, gboolean *retry)
{
  KioskGa450Answer answer;
  const guint8 *text;
  gsize text_length, photo_length;
  g_autoptr (GError) error = NULL;
  KioskIdCard *card;
  GDate today;

  *retry = FALSE;
  *t = transact (self, KIOSK_GA450_SELECT_CARD, &answer);
  if (*t != T_ANSWER)
    return NULL;
  if (kiosk_ga450_status_action (answer.sw3) != KIOSK_GA450_ACTION_OK)
    goto status;
  *t = transact (self, KIOSK_GA450_READ_BASE, &answer);
  if (*t != T_ANSWER)
    return NULL;
  if (answer.sw3 != KIOSK_GA450_OK)
    goto status;
  if (!kiosk_ga450_split_base (answer.data, answer.data_length, &text, &text_length, &photo_length))
    {
      *retry = TRUE;
      return NULL;
    }
  /* The photo needs a licensed decoder and is not ours to keep: it is wiped
   * with the rest of the input when this returns. */
  card = kiosk_id_card_decode (text, text_length, &error);
  wipe_input (self);
  if (card == NULL)
    return kiosk_card_read_new_rejected (g_error_matches (error, KIOSK_ERROR, KIOSK_ERROR_DENIED)
                                             ? KIOSK_CARD_REJECT_UNSUPPORTED
                                             : KIOSK_CARD_REJECT_UNVERIFIED,
                                         "", g_get_monotonic_time ());
  /* The decoder checked the number and the date; not after today is ours
   * (kiosk_card_check_resident_id(), as for every reader). */
  kiosk_clock_get_today (self->clock, &today);
  if (kiosk_card_check_resident_id (card->number, &today) != KIOSK_CARD_REJECT_NONE)
    {
      kiosk_id_card_free (card);
      return kiosk_card_read_new_rejected (KIOSK_CARD_REJECT_BIRTH_DATE, "", g_get_monotonic_time ());
    }
  return kiosk_card_read_new_id_card (card, g_get_monotonic_time ());

status:
  switch (kiosk_ga450_status_action (answer.sw3))
    {
      case KIOSK_GA450_ACTION_REJECT:
        return kiosk_card_read_new_rejected (answer.sw3 == KIOSK_GA450_UNKNOWN_CARD
                                                 ? KIOSK_CARD_REJECT_UNSUPPORTED
                                                 : KIOSK_CARD_REJECT_UNVERIFIED,
                                             "", g_get_monotonic_time ());
      case KIOSK_GA450_ACTION_UNHEALTHY:
        post (self, EVENT_ANSWERING, FALSE, NULL);
        return NULL;
      default:
        *retry = TRUE;
        return NULL;
    }
}

static void
close_port (KioskIdReader *self)
{
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  wipe_input (self);
}

static gpointer
reader_thread (gpointer data)
{
  KioskIdReader *self = data;
  guint silent = 0, attempts = 0, gone = 0;
  gboolean held = FALSE, answering = TRUE;

  while (!stopping (self))
    {
      KioskGa450Answer answer;
      Transact t;

      if (self->fd < 0)
        {
          self->fd = kiosk_serial_open_raw (self->path, self->baud, NULL);
          if (self->fd < 0)
            {
              if (!nap (self, self->reopen_ms))
                break;
              continue;
            }
          post (self, EVENT_PORT, TRUE, NULL);
          silent = attempts = gone = 0;
          held = FALSE;
          answering = TRUE;
        }

      t = transact (self, KIOSK_GA450_FIND_CARD, &answer);
      if (t == T_ANSWER)
        {
          KioskGa450Action action = kiosk_ga450_status_action (answer.sw3);

          silent = 0;
          if (!answering && action != KIOSK_GA450_ACTION_UNHEALTHY)
            post (self, EVENT_ANSWERING, answering = TRUE, NULL);
          if (action == KIOSK_GA450_ACTION_NO_CARD)
            {
              if (++gone >= GONE_LIMIT)
                held = FALSE, attempts = 0;
            }
          else if (action == KIOSK_GA450_ACTION_UNHEALTHY)
            {
              if (answering)
                post (self, EVENT_ANSWERING, answering = FALSE, NULL);
            }
          else if (action == KIOSK_GA450_ACTION_OK && !held)
            {
              gboolean retry;
              KioskCardRead *read;

              gone = 0;
              read = read_card (self, &t, &retry);
              if (read != NULL)
                {
                  held = TRUE;
                  post (self, EVENT_READ, FALSE, read);
                }
              else if (t == T_ANSWER && retry && ++attempts >= ATTEMPT_LIMIT)
                {
                  held = TRUE;
                  post (self, EVENT_READ, FALSE,
                        kiosk_card_read_new_rejected (KIOSK_CARD_REJECT_UNVERIFIED, "",
                                                      g_get_monotonic_time ()));
                }
              else if (t == T_ANSWER && !retry)
                answering = FALSE; /* read_card said the module failed */
            }
          else
            gone = 0;
        }
      if (t == T_STOPPED)
        break;
      if (t == T_LOST)
        {
          close_port (self);
          post (self, EVENT_PORT, FALSE, NULL);
          if (!nap (self, self->reopen_ms))
            break;
          continue;
        }
      if (t == T_TIMEOUT && ++silent == SILENT_LIMIT && answering)
        post (self, EVENT_ANSWERING, answering = FALSE, NULL);
      if (!nap (self, self->poll_ms))
        break;
    }
  close_port (self);
  return NULL;
}

/* The main thread's side */

void
kiosk_id_reader_start (KioskIdReader *self)
{
  g_return_if_fail (KIOSK_IS_ID_READER (self));

  if (self->thread != NULL)
    return;
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  g_atomic_int_set (&self->stopping, FALSE);
  self->thread = g_thread_new ("kiosk-id-reader", reader_thread, self);
}

void
kiosk_id_reader_stop (KioskIdReader *self)
{
  g_return_if_fail (KIOSK_IS_ID_READER (self));

  if (self->thread == NULL)
    return;
  g_atomic_int_set (&self->stopping, TRUE);
  while (write (self->wake[1], "x", 1) < 0 && errno == EINTR)
    ;
  g_thread_join (g_steal_pointer (&self->thread));
  /* Drain the wake-up byte, so that a later start begins quiet. */
  {
    char c;
    while (read (self->wake[0], &c, 1) > 0)
      ;
  }
  set_connected (self, FALSE);
}

void
kiosk_id_reader_set_timing (KioskIdReader *self, guint poll_ms, guint answer_ms, guint reopen_ms)
{
  g_return_if_fail (KIOSK_IS_ID_READER (self));
  g_return_if_fail (self->thread == NULL);

  self->poll_ms = MAX (poll_ms, 1);
  self->answer_ms = MAX (answer_ms, 1);
  self->reopen_ms = MAX (reopen_ms, 1);
}

const char *
kiosk_id_reader_get_id (KioskIdReader *self)
{
  g_return_val_if_fail (KIOSK_IS_ID_READER (self), NULL);

  return self->id;
}

gboolean
kiosk_id_reader_get_connected (KioskIdReader *self)
{
  g_return_val_if_fail (KIOSK_IS_ID_READER (self), FALSE);

  return self->connected;
}

KioskReaderHealth *
kiosk_id_reader_get_health (KioskIdReader *self)
{
  g_return_val_if_fail (KIOSK_IS_ID_READER (self), NULL);

  return kiosk_reader_health_copy (self->health);
}

static void
kiosk_id_reader_dispose (GObject *object)
{
  kiosk_id_reader_stop (KIOSK_ID_READER (object));

  G_OBJECT_CLASS (kiosk_id_reader_parent_class)->dispose (object);
}

static void
kiosk_id_reader_finalize (GObject *object)
{
  KioskIdReader *self = KIOSK_ID_READER (object);

  g_free (self->id);
  g_free (self->path);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->context, g_main_context_unref);
  kiosk_reader_health_free (self->health);
  close (self->wake[0]);
  close (self->wake[1]);
  g_byte_array_unref (self->in);

  G_OBJECT_CLASS (kiosk_id_reader_parent_class)->finalize (object);
}

static void
kiosk_id_reader_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskIdReader *self = KIOSK_ID_READER (object);

  switch (prop_id)
    {
      case PROP_CONNECTED:
        g_value_set_boolean (value, self->connected);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_id_reader_class_init (KioskIdReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_id_reader_dispose;
  object_class->finalize = kiosk_id_reader_finalize;
  object_class->get_property = kiosk_id_reader_get_property;

  properties[PROP_CONNECTED] = g_param_spec_boolean (
      "connected", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* ::read (reader id, KioskCardRead): as the other readers' ::read. */
  signals[SIGNAL_READ] = g_signal_new ("read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                       NULL, G_TYPE_NONE, 2, G_TYPE_STRING, KIOSK_TYPE_CARD_READ);
}

static void
kiosk_id_reader_init (KioskIdReader *self)
{
  g_autoptr (GError) error = NULL;

  self->fd = -1;
  self->poll_ms = DEFAULT_POLL_MS;
  self->answer_ms = DEFAULT_ANSWER_MS;
  self->reopen_ms = DEFAULT_REOPEN_MS;
  self->in = g_byte_array_new ();
  if (!g_unix_open_pipe (self->wake, FD_CLOEXEC, &error)
      || !g_unix_set_fd_nonblocking (self->wake[0], TRUE, NULL)
      || !g_unix_set_fd_nonblocking (self->wake[1], TRUE, NULL))
    g_error ("No pipe for the ID card reader: %s", error != NULL ? error->message : g_strerror (errno));
}

KioskIdReader *
kiosk_id_reader_new (const char *id, const char *path, guint baud, KioskClock *clock)
{
  KioskIdReader *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (KIOSK_TYPE_ID_READER, NULL);
  self->id = g_strdup (id);
  self->path = g_strdup (path);
  self->baud = baud;
  self->clock = clock ? g_object_ref (clock) : kiosk_clock_new_system (NULL);
  self->health = kiosk_reader_health_new (id);
  self->health->path = g_strdup (path);
  return self;
}
