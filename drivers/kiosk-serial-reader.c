/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-serial-reader"

#include "kiosk-serial-reader.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <termios.h>
#include <unistd.h>

#include "kiosk-debounce-private.h"
#include "kiosk-error.h"

#define STX 0x02
#define ETX 0x03
#define DEFAULT_REOPEN_MS 2000

struct _KioskSerialReader
{
  GObject parent_instance;

  KioskWedgeConfig config;
  guint baud;
  guint reopen_ms;
  gboolean started;
  gboolean connected;

  /* Owned */
  char *id;
  char *path;
  int fd;
  GSource *io_source;
  GSource *timeout_source;
  GSource *reopen_source;
  GString *line;
  KioskReaderHealth *health;
  KioskDebounce debounce;

  /* The line in progress */
  gboolean overlong;
  gint64 last_byte_us;
};

G_DEFINE_FINAL_TYPE (KioskSerialReader, kiosk_serial_reader, G_TYPE_OBJECT)

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

gboolean
kiosk_serial_baud_to_speed (guint baud, guint *speed)
{
  static const struct
  {
    guint baud;
    speed_t speed;
  } speeds[] = {
    { 1200, B1200 },     { 2400, B2400 },     { 4800, B4800 },     { 9600, B9600 },
    { 19200, B19200 },   { 38400, B38400 },   { 57600, B57600 },   { 115200, B115200 },
    { 230400, B230400 }, { 460800, B460800 }, { 921600, B921600 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (speeds[i].baud == baud)
      {
        if (speed != NULL)
          *speed = speeds[i].speed;
        return TRUE;
      }
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

static GSource *
attach (GSource *source, const char *name, GSourceFunc func, gpointer data)
{
  g_source_set_name (source, name);
  g_source_set_callback (source, func, data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

static void
set_connected (KioskSerialReader *self, gboolean connected)
{
  self->health->present = connected;
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
deliver (KioskSerialReader *self, KioskCardRead *read)
{
  g_autoptr (KioskCardRead) owned = read;

  if (read->kind != KIOSK_CARD_KIND_REJECTED
      && kiosk_debounce_is_duplicate (&self->debounce, read, self->config.debounce_us))
    {
      self->health->n_rejected[KIOSK_CARD_REJECT_DUPLICATE]++;
      return;
    }
  kiosk_reader_health_count (self->health, read, g_get_real_time ());
  g_signal_emit (self, signals[SIGNAL_READ], 0, self->id, read);
}

static void
end_line (KioskSerialReader *self, KioskCardReject reject, gint64 time_us)
{
  KioskCardRead *read;

  if (reject != KIOSK_CARD_REJECT_NONE)
    read = kiosk_card_read_new_rejected (reject, self->line->str, time_us);
  else
    {
      GDate today;

      kiosk_clock_get_today (self->config.clock, &today);
      read = kiosk_card_classify (self->line->str, self->config.uid_format, &today, time_us);
    }
  g_string_truncate (self->line, 0);
  self->overlong = FALSE;
  destroy_source (&self->timeout_source);
  deliver (self, read);
}

static gboolean
line_pending (KioskSerialReader *self)
{
  return self->line->len > 0 || self->overlong;
}

static gboolean
timeout_cb (gpointer user_data)
{
  KioskSerialReader *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  if (line_pending (self))
    end_line (self, self->overlong ? KIOSK_CARD_REJECT_TOO_LONG : KIOSK_CARD_REJECT_TIMEOUT,
              self->last_byte_us + self->config.timeout_us);
  return G_SOURCE_REMOVE;
}

static void
handle_bytes (KioskSerialReader *self, const guint8 *buf, gsize n, gint64 now_us)
{
  for (gsize i = 0; i < n; i++)
    {
      guint8 b = buf[i];

      if (b == STX)
        {
          if (line_pending (self))
            end_line (self, KIOSK_CARD_REJECT_LOST, now_us);
        }
      else if (b == '\r' || b == '\n' || b == ETX)
        {
          /* CR LF, and empty lines, end nothing. */
          if (line_pending (self))
            end_line (self, self->overlong ? KIOSK_CARD_REJECT_TOO_LONG : KIOSK_CARD_REJECT_NONE, now_us);
        }
      else if (self->line->len >= self->config.max_length)
        self->overlong = TRUE;
      else
        g_string_append_c (self->line, (char)b);
    }

  if (line_pending (self))
    {
      self->last_byte_us = now_us;
      destroy_source (&self->timeout_source);
      self->timeout_source = attach (g_timeout_source_new ((guint)(self->config.timeout_us / 1000) + 1),
                                     "[kiosk-serial-reader] timeout", timeout_cb, self);
    }
}

static void schedule_reopen (KioskSerialReader *self);

static void
close_port (KioskSerialReader *self)
{
  destroy_source (&self->io_source);
  destroy_source (&self->timeout_source);
  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
}

/* The port went away (unplugged adapter, hung-up line). */
static void
lost_port (KioskSerialReader *self)
{
  self->health->n_errors++;
  if (line_pending (self))
    end_line (self, KIOSK_CARD_REJECT_LOST, g_get_monotonic_time ());
  close_port (self);
  set_connected (self, FALSE);
  schedule_reopen (self);
}

static gboolean
io_cb (int fd, GIOCondition condition, gpointer user_data)
{
  g_autoptr (KioskSerialReader) self = g_object_ref (user_data);
  guint8 buf[256];

  for (;;)
    {
      ssize_t n = read (fd, buf, sizeof buf);

      if (n > 0)
        {
          handle_bytes (self, buf, (gsize)n, g_get_monotonic_time ());
          /* A "read" handler may have stopped the reader. */
          if (self->fd != fd)
            return G_SOURCE_REMOVE;
          continue;
        }
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN && !(condition & (G_IO_HUP | G_IO_ERR)))
        return G_SOURCE_CONTINUE;
      /* EOF, EIO from a hung-up line, ENODEV from a removed adapter. */
      g_clear_pointer (&self->io_source, g_source_unref);
      lost_port (self);
      return G_SOURCE_REMOVE;
    }
}

int
kiosk_serial_open_raw (const char *path, guint baud, GError **error)
{
  struct termios tio;
  speed_t speed = B9600;
  int fd;
  int saved;

  g_return_val_if_fail (path != NULL, -1);

  if (!kiosk_serial_baud_to_speed (baud, &speed))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "串口速率无效 / Serial speed %u baud is not supported", baud);
      return -1;
    }
  fd = open (path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, KIOSK_ERROR, saved == ENOENT ? KIOSK_ERROR_NOT_FOUND : KIOSK_ERROR_DEVICE,
                   "读卡器串口无法打开 / Reader port %s cannot be opened: %s", path, g_strerror (saved));
      return -1;
    }
  if (tcgetattr (fd, &tio) < 0)
    goto fail;
  cfmakeraw (&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
  /* VMIN 1: with O_NONBLOCK an idle port gives EAGAIN and only a hung-up
   * one gives 0 (VMIN 0 would give 0 for both). */
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  if (cfsetispeed (&tio, speed) < 0 || cfsetospeed (&tio, speed) < 0 || tcsetattr (fd, TCSANOW, &tio) < 0)
    goto fail;
  /* Whatever the reader sent before we listened belongs to nobody. */
  tcflush (fd, TCIFLUSH);
  return fd;

fail:
  saved = errno;
  close (fd);
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE,
               "读卡器串口无法设置 / Reader port %s cannot be set up: %s", path, g_strerror (saved));
  return -1;
}

static gboolean
open_port (KioskSerialReader *self, GError **error)
{
  int fd = kiosk_serial_open_raw (self->path, self->baud, error);

  if (fd < 0)
    return FALSE;
  self->fd = fd;
  self->io_source = attach (g_unix_fd_source_new (fd, G_IO_IN | G_IO_HUP | G_IO_ERR),
                            "[kiosk-serial-reader] io", (GSourceFunc)(void (*) (void))io_cb, self);
  g_free (self->health->path);
  self->health->path = g_strdup (self->path);
  set_connected (self, TRUE);
  return TRUE;
}

static gboolean
reopen_cb (gpointer user_data)
{
  KioskSerialReader *self = user_data;

  if (open_port (self, NULL))
    {
      g_clear_pointer (&self->reopen_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  self->health->n_errors++;
  return G_SOURCE_CONTINUE;
}

static void
schedule_reopen (KioskSerialReader *self)
{
  if (!self->started || self->reopen_source != NULL)
    return;
  self->reopen_source
      = attach (g_timeout_source_new (self->reopen_ms), "[kiosk-serial-reader] reopen", reopen_cb, self);
}

gboolean
kiosk_serial_reader_start (KioskSerialReader *self, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_SERIAL_READER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->started)
    return TRUE;
  self->started = TRUE;
  if (!open_port (self, error))
    {
      self->health->n_errors++;
      schedule_reopen (self);
      return FALSE;
    }
  return TRUE;
}

void
kiosk_serial_reader_stop (KioskSerialReader *self)
{
  g_return_if_fail (KIOSK_IS_SERIAL_READER (self));

  self->started = FALSE;
  destroy_source (&self->reopen_source);
  close_port (self);
  g_string_truncate (self->line, 0);
  self->overlong = FALSE;
  set_connected (self, FALSE);
}

void
kiosk_serial_reader_set_reopen_interval (KioskSerialReader *self, guint ms)
{
  g_return_if_fail (KIOSK_IS_SERIAL_READER (self));

  self->reopen_ms = MAX (ms, 1);
}

const char *
kiosk_serial_reader_get_id (KioskSerialReader *self)
{
  g_return_val_if_fail (KIOSK_IS_SERIAL_READER (self), NULL);

  return self->id;
}

gboolean
kiosk_serial_reader_get_connected (KioskSerialReader *self)
{
  g_return_val_if_fail (KIOSK_IS_SERIAL_READER (self), FALSE);

  return self->connected;
}

KioskReaderHealth *
kiosk_serial_reader_get_health (KioskSerialReader *self)
{
  g_return_val_if_fail (KIOSK_IS_SERIAL_READER (self), NULL);

  return kiosk_reader_health_copy (self->health);
}

static void
kiosk_serial_reader_dispose (GObject *object)
{
  KioskSerialReader *self = KIOSK_SERIAL_READER (object);

  self->started = FALSE;
  destroy_source (&self->reopen_source);
  close_port (self);

  G_OBJECT_CLASS (kiosk_serial_reader_parent_class)->dispose (object);
}

static void
kiosk_serial_reader_finalize (GObject *object)
{
  KioskSerialReader *self = KIOSK_SERIAL_READER (object);

  g_free (self->id);
  g_free (self->path);
  g_string_free (self->line, TRUE);
  kiosk_reader_health_free (self->health);
  kiosk_debounce_clear (&self->debounce);
  g_clear_object (&self->config.clock);

  G_OBJECT_CLASS (kiosk_serial_reader_parent_class)->finalize (object);
}

static void
kiosk_serial_reader_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskSerialReader *self = KIOSK_SERIAL_READER (object);

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
kiosk_serial_reader_class_init (KioskSerialReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_serial_reader_dispose;
  object_class->finalize = kiosk_serial_reader_finalize;
  object_class->get_property = kiosk_serial_reader_get_property;

  properties[PROP_CONNECTED] = g_param_spec_boolean (
      "connected", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* ::read (reader id, KioskCardRead): an accepted or rejected read. */
  signals[SIGNAL_READ] = g_signal_new ("read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                       NULL, G_TYPE_NONE, 2, G_TYPE_STRING, KIOSK_TYPE_CARD_READ);
}

static void
kiosk_serial_reader_init (KioskSerialReader *self)
{
  self->fd = -1;
  self->reopen_ms = DEFAULT_REOPEN_MS;
  self->line = g_string_new (NULL);
}

KioskSerialReader *
kiosk_serial_reader_new (const char *id, const char *path, guint baud, const KioskWedgeConfig *config)
{
  KioskSerialReader *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (KIOSK_TYPE_SERIAL_READER, NULL);
  self->id = g_strdup (id);
  self->path = g_strdup (path);
  self->baud = baud;
  if (config != NULL)
    self->config = *config;
  else
    kiosk_wedge_config_init (&self->config);
  self->config.max_length = CLAMP (self->config.max_length, 1, KIOSK_CARD_MAX_LENGTH);
  self->config.clock = self->config.clock ? g_object_ref (self->config.clock) : kiosk_clock_new_system (NULL);
  self->health = kiosk_reader_health_new (id);
  self->health->path = g_strdup (path);
  return self;
}
