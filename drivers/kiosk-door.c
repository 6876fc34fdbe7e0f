/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-door"

#include "kiosk-door.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kiosk-error.h"

/* A relay that can never be left on:
 * - every pulse has a timer that switches off, in the main context;
 * - an off that fails is retried until it works (state FAULT meanwhile);
 * - dispose switches off, and so does exit() through an atexit handler for
 *   doors still alive (the program turns SIGTERM into a normal exit; the GPIO
 *   line's value after the process dies without that is up to the driver, so
 *   we never rely on the kernel releasing it). */

#define OFF_RETRY_MS 250

typedef enum
{
  BACKEND_LOG,
  BACKEND_GPIO,
} Backend;

struct _KioskDoor
{
  GObject parent_instance;

  Backend backend;
  KioskDoorState state;
  gint64 off_at_us; /* monotonic time the running pulse ends */

  /* Owned */
  char *chip_path;
  int line_fd; /* GPIO line request, -1 for the log backend */
  GSource *off_source;

  guint line;
};

G_DEFINE_ENUM_TYPE (KioskDoorState, kiosk_door_state, G_DEFINE_ENUM_VALUE (KIOSK_DOOR_STATE_CLOSED, "closed"),
                    G_DEFINE_ENUM_VALUE (KIOSK_DOOR_STATE_OPEN, "open"),
                    G_DEFINE_ENUM_VALUE (KIOSK_DOOR_STATE_FAULT, "fault"))

G_DEFINE_FINAL_TYPE (KioskDoor, kiosk_door, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Doors alive, for the exit handler. */
G_LOCK_DEFINE_STATIC (live_doors);
static GList *live_doors;

static gboolean
backend_set (KioskDoor *self, gboolean on, GError **error)
{
  struct gpio_v2_line_values values = { 0 };

  switch (self->backend)
    {
      case BACKEND_LOG:
        g_info ("%s", on ? "开门继电器接通 / Door relay on" : "开门继电器断开 / Door relay off");
        return TRUE;
      case BACKEND_GPIO:
        values.mask = 1;
        values.bits = on ? 1 : 0;
        if (ioctl (self->line_fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &values) < 0)
          {
            int saved = errno;
            g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE,
                         "门继电器无法切换 / Door relay could not be switched (%s line %u): %s",
                         self->chip_path, self->line, g_strerror (saved));
            return FALSE;
          }
        return TRUE;
      default:
        g_assert_not_reached ();
    }
}

static void
set_state (KioskDoor *self, KioskDoorState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
door_atexit (void)
{
  G_LOCK (live_doors);
  for (GList *l = live_doors; l != NULL; l = l->next)
    {
      KioskDoor *self = l->data;

      if (self->state != KIOSK_DOOR_STATE_CLOSED)
        backend_set (self, FALSE, NULL);
    }
  G_UNLOCK (live_doors);
}

static void
clear_off_source (KioskDoor *self)
{
  if (self->off_source != NULL)
    {
      g_source_destroy (self->off_source);
      g_clear_pointer (&self->off_source, g_source_unref);
    }
}

static gboolean off_timeout_cb (gpointer user_data);

static void
schedule_off (KioskDoor *self, guint ms)
{
  clear_off_source (self);
  self->off_source = g_timeout_source_new (ms);
  g_source_set_name (self->off_source, "[kiosk-door] off");
  g_source_set_priority (self->off_source, G_PRIORITY_HIGH);
  g_source_set_callback (self->off_source, off_timeout_cb, self, NULL);
  g_source_attach (self->off_source, g_main_context_get_thread_default ());
}

static gboolean
off_timeout_cb (gpointer user_data)
{
  KioskDoor *self = user_data;

  /* The source is done either way; schedule_off() may make a new one. */
  g_clear_pointer (&self->off_source, g_source_unref);
  if (!backend_set (self, FALSE, NULL))
    {
      set_state (self, KIOSK_DOOR_STATE_FAULT);
      schedule_off (self, OFF_RETRY_MS);
      return G_SOURCE_REMOVE;
    }
  self->off_at_us = 0;
  set_state (self, KIOSK_DOOR_STATE_CLOSED);
  return G_SOURCE_REMOVE;
}

gboolean
kiosk_door_pulse (KioskDoor *self, guint ms, GError **error)
{
  gint64 now;
  gint64 off_at;

  g_return_val_if_fail (KIOSK_IS_DOOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (ms == 0 || ms > KIOSK_DOOR_MAX_PULSE_MS)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "开门时长无效 / Door pulse of %u ms is not within 1..%u ms", ms, KIOSK_DOOR_MAX_PULSE_MS);
      return FALSE;
    }

  now = g_get_monotonic_time ();
  off_at = now + (gint64)ms * G_TIME_SPAN_MILLISECOND;
  /* Arm the off timer before switching on, so no path leaves the relay on. */
  if (self->state != KIOSK_DOOR_STATE_OPEN || off_at > self->off_at_us)
    {
      schedule_off (self, (guint)((MAX (off_at, self->off_at_us) - now) / G_TIME_SPAN_MILLISECOND));
      self->off_at_us = MAX (off_at, self->off_at_us);
    }
  if (!backend_set (self, TRUE, error))
    {
      set_state (self, KIOSK_DOOR_STATE_FAULT);
      return FALSE;
    }
  set_state (self, KIOSK_DOOR_STATE_OPEN);
  return TRUE;
}

gboolean
kiosk_door_switch_off (KioskDoor *self, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_DOOR (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  clear_off_source (self);
  if (!backend_set (self, FALSE, error))
    {
      set_state (self, KIOSK_DOOR_STATE_FAULT);
      schedule_off (self, OFF_RETRY_MS);
      return FALSE;
    }
  self->off_at_us = 0;
  set_state (self, KIOSK_DOOR_STATE_CLOSED);
  return TRUE;
}

KioskDoorState
kiosk_door_get_state (KioskDoor *self)
{
  g_return_val_if_fail (KIOSK_IS_DOOR (self), KIOSK_DOOR_STATE_FAULT);

  return self->state;
}

static void
kiosk_door_dispose (GObject *object)
{
  KioskDoor *self = KIOSK_DOOR (object);

  clear_off_source (self);
  if (self->state != KIOSK_DOOR_STATE_CLOSED)
    {
      /* Nobody is left to hear of a failure; the line is released below. */
      backend_set (self, FALSE, NULL);
      self->state = KIOSK_DOOR_STATE_CLOSED;
    }
  G_LOCK (live_doors);
  live_doors = g_list_remove (live_doors, self);
  G_UNLOCK (live_doors);
  if (self->line_fd >= 0)
    {
      close (self->line_fd);
      self->line_fd = -1;
    }

  G_OBJECT_CLASS (kiosk_door_parent_class)->dispose (object);
}

static void
kiosk_door_finalize (GObject *object)
{
  KioskDoor *self = KIOSK_DOOR (object);

  g_free (self->chip_path);

  G_OBJECT_CLASS (kiosk_door_parent_class)->finalize (object);
}

static void
kiosk_door_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskDoor *self = KIOSK_DOOR (object);

  switch (prop_id)
    {
      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_door_class_init (KioskDoorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_door_dispose;
  object_class->finalize = kiosk_door_finalize;
  object_class->get_property = kiosk_door_get_property;

  properties[PROP_STATE]
      = g_param_spec_enum ("state", NULL, NULL, KIOSK_TYPE_DOOR_STATE, KIOSK_DOOR_STATE_CLOSED,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_door_init (KioskDoor *self)
{
  static gsize atexit_once = 0;

  self->line_fd = -1;
  self->state = KIOSK_DOOR_STATE_CLOSED;
  if (g_once_init_enter (&atexit_once))
    {
      atexit (door_atexit);
      g_once_init_leave (&atexit_once, 1);
    }
  G_LOCK (live_doors);
  live_doors = g_list_prepend (live_doors, self);
  G_UNLOCK (live_doors);
}

KioskDoor *
kiosk_door_new_log (void)
{
  KioskDoor *self = g_object_new (KIOSK_TYPE_DOOR, NULL);

  self->backend = BACKEND_LOG;
  return self;
}

KioskDoor *
kiosk_door_new_gpio (const char *chip_path, guint line, gboolean active_low, GError **error)
{
  g_autoptr (KioskDoor) self = NULL;
  struct gpio_v2_line_request request = { 0 };
  int chip_fd;
  int saved;

  g_return_val_if_fail (chip_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  chip_fd = open (chip_path, O_RDWR | O_CLOEXEC);
  if (chip_fd < 0)
    {
      saved = errno;
      g_set_error (error, KIOSK_ERROR, saved == ENOENT ? KIOSK_ERROR_NOT_FOUND : KIOSK_ERROR_DEVICE,
                   "找不到门继电器 / Door relay GPIO chip %s cannot be opened: %s", chip_path,
                   g_strerror (saved));
      return NULL;
    }

  request.offsets[0] = line;
  request.num_lines = 1;
  request.config.flags = GPIO_V2_LINE_FLAG_OUTPUT | (active_low ? GPIO_V2_LINE_FLAG_ACTIVE_LOW : 0);
  /* Claimed with the output already off: the line never glitches on. */
  request.config.num_attrs = 1;
  request.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
  request.config.attrs[0].attr.values = 0;
  request.config.attrs[0].mask = 1;
  g_strlcpy (request.consumer, "linli-kiosk-door", sizeof request.consumer);
  if (ioctl (chip_fd, GPIO_V2_GET_LINE_IOCTL, &request) < 0)
    {
      saved = errno;
      close (chip_fd);
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE,
                   "门继电器线路不可用 / Door relay line %u on %s cannot be claimed: %s", line, chip_path,
                   g_strerror (saved));
      return NULL;
    }
  close (chip_fd);

  self = g_object_new (KIOSK_TYPE_DOOR, NULL);
  self->backend = BACKEND_GPIO;
  self->chip_path = g_strdup (chip_path);
  self->line = line;
  self->line_fd = request.fd;
  return g_steal_pointer (&self);
}
