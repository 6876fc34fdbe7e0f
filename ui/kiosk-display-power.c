/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-display"

#include "kiosk-display-power.h"
#include "kiosk-display-schedule.h"
#include "kiosk-sdnotify.h"

/* How often the real clock is looked at: a wall clock set by time sync, or a
 * wake that ran out, is seen within this. */
#define CHECK_SECONDS 5

typedef enum
{
  POWER_UNKNOWN = -1,
  POWER_OFF = 0,
  POWER_ON = 1,
} Power;

struct _KioskDisplayPower
{
  GObject parent_instance;

  /* Borrowed: the application and its window outlive this object */
  KioskApplication *app;
  KioskWindow *window;
  KioskClock *clock;
  KioskContent *content;

  /* Owned */
  GPtrArray *hours; /* const KioskHours *, borrowed from the bundle in force */
  KioskBundle *bundle;
  GDateTime *next_change;
  GDateTime *computed_at; /* when next_change was worked out */
  GCancellable *cancellable;
  char *missing_program; /* logged once */
  KioskDisplayMargins margins;
  gboolean enabled;
  gboolean scheduled_on;
  gboolean blanked;
  gint64 wake_until_us; /* the clock's monotonic time */
  Power wanted;
  Power applied;
  gboolean running;
  guint commands_run;
  guint check_source;
  gulong clock_handler;
  gulong read_hook;
};

G_DEFINE_FINAL_TYPE (KioskDisplayPower, kiosk_display_power, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BLANKED,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void apply_power (KioskDisplayPower *self);

static KioskConfig *
config (KioskDisplayPower *self)
{
  return kiosk_application_get_config (self->app);
}

/* ── Powering the monitor ───────────────────────────────────────────── */

static void
on_command_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KioskDisplayPower) self = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  gboolean finished = g_subprocess_communicate_utf8_finish (process, result, NULL, &err, &error);

  /* Disposed meanwhile (the app is going): nothing more to switch. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!finished)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_message ("Display power: %s", error->message);
    }
  else if (!g_subprocess_get_successful (process))
    g_message ("Display power: \"%s\" failed (exit %d): %s",
               (const char *)g_object_get_data (source, "command-line"),
               g_subprocess_get_exit_status (process),
               err != NULL && *err != '\0' ? g_strstrip (err) : "no message");
  self->running = FALSE;
  apply_power (self);
}

/* Runs the command for the wanted state, one at a time; a change asked for
 * while one runs follows when it ends. A failure is logged, not retried
 * until the next change: the black cover is there either way. */
static void
apply_power (KioskDisplayPower *self)
{
  const char *key = self->wanted == POWER_ON ? "power_on_command" : "power_off_command";
  const char *command = kiosk_config_get_string (config (self), "display", key);
  g_auto (GStrv) argv = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;

  if (self->running || self->wanted == self->applied || self->wanted == POWER_UNKNOWN)
    return;
  self->applied = self->wanted;
  /* Demo mode runs on a developer's desktop: never switch its monitor off. */
  if (*command == '\0' || kiosk_application_get_demo (self->app))
    return;
  if (!g_shell_parse_argv (command, NULL, &argv, &error))
    {
      g_message ("Display power: [display] %s: %s", key, error->message);
      return;
    }
  if (g_strcmp0 (self->missing_program, argv[0]) == 0)
    return;
  process = g_subprocess_newv ((const char *const *)argv,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  if (process == NULL)
    {
      if (g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        {
          g_message ("Display power: %s is not installed (Debian package ddcutil for the default "
                     "commands); the screen is only blacked out, the monitor stays on",
                     argv[0]);
          g_free (self->missing_program);
          self->missing_program = g_strdup (argv[0]);
        }
      else
        g_message ("Display power: %s: %s", command, error->message);
      return;
    }
  self->running = TRUE;
  self->commands_run++;
  g_debug ("Display power: %s", command);
  g_object_set_data_full (G_OBJECT (process), "command-line", g_strdup (command), g_free);
  g_subprocess_communicate_utf8_async (process, NULL, self->cancellable, on_command_done,
                                       g_object_ref (self));
}

/* ── The schedule ───────────────────────────────────────────────────── */

static void
load_hours (KioskDisplayPower *self)
{
  KioskBundle *bundle = self->content != NULL ? kiosk_content_get_bundle (self->content) : NULL;
  g_autoptr (GError) error = NULL;

  if (bundle == self->bundle && self->hours != NULL)
    return;
  g_clear_pointer (&self->hours, g_ptr_array_unref);
  g_set_object (&self->bundle, bundle);
  g_clear_pointer (&self->next_change, g_date_time_unref);
  g_clear_pointer (&self->computed_at, g_date_time_unref);
  if (bundle != NULL)
    self->hours = kiosk_display_schedule_hours_from_bundle (
        bundle, kiosk_config_get_strv (config (self), "display", "hours"), &error);
  if (self->hours == NULL)
    {
      /* Unknown hours never leave the screen dark. */
      if (error != NULL)
        g_message ("Display: %s; the screen stays on", error->message);
      self->hours = g_ptr_array_new ();
    }
}

static void
set_blanked (KioskDisplayPower *self, gboolean blanked)
{
  if (self->blanked == blanked && self->wanted != POWER_UNKNOWN)
    return;
  self->blanked = blanked;
  kiosk_window_set_blanked (self->window, blanked);
  if (blanked)
    kiosk_sdnotify ("STATUS=屏幕关闭（非开放时间）/ Screen off (closed hours)", NULL);
  else
    kiosk_sdnotify ("STATUS=主页 / Home screen shown", NULL);
  g_message ("Screen %s", blanked ? "off: outside opening hours" : "on");
  self->wanted = blanked ? POWER_OFF : POWER_ON;
  apply_power (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLANKED]);
}

static void
update (KioskDisplayPower *self)
{
  g_autoptr (GDateTime) now = NULL;
  gboolean awake;

  if (!self->enabled)
    return;
  load_hours (self);
  now = kiosk_clock_now (self->clock);
  /* Worked out again when the change is due, or when the clock went back
   * past the moment it was worked out (time sync, a test's clock). */
  if (self->next_change == NULL || g_date_time_compare (now, self->next_change) >= 0
      || g_date_time_compare (now, self->computed_at) < 0)
    {
      g_clear_pointer (&self->next_change, g_date_time_unref);
      g_clear_pointer (&self->computed_at, g_date_time_unref);
      self->computed_at = g_date_time_ref (now);
      self->scheduled_on
          = kiosk_display_schedule_is_on (self->hours, &self->margins, now, &self->next_change);
      /* Nothing ahead: look again in an hour (and at every content swap). */
      if (self->next_change == NULL)
        self->next_change = g_date_time_add_hours (now, 1);
    }
  awake = self->scheduled_on || kiosk_clock_get_monotonic (self->clock) < self->wake_until_us;
  set_blanked (self, !awake);
}

static gboolean
on_check (gpointer user_data)
{
  update (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_bundle_swapped (KioskDisplayPower *self)
{
  g_clear_pointer (&self->hours, g_ptr_array_unref);
  update (self);
}

void
kiosk_display_power_wake (KioskDisplayPower *self)
{
  g_return_if_fail (KIOSK_IS_DISPLAY_POWER (self));

  self->wake_until_us
      = kiosk_clock_get_monotonic (self->clock)
        + (gint64)kiosk_config_get_int (config (self), "display", "wake_seconds") * G_USEC_PER_SEC;
  update (self);
}

/* An emission hook runs before every handler, even one that takes the read:
 * a read lights the screen, then goes on to the queue, the appointments or
 * the club door as it would by day. */
static gboolean
on_card_read_hook (GSignalInvocationHint *hint, guint n_values, const GValue *values, gpointer user_data)
{
  KioskDisplayPower *self = user_data;

  if (g_value_get_object (&values[0]) == (gpointer)self->app)
    kiosk_display_power_wake (self);
  return TRUE;
}

/* The first touch on a black screen only wakes it: a finger in the dark
 * must not press a button it cannot see. */
static gboolean
on_event (GtkEventControllerLegacy *controller, GdkEvent *event, KioskDisplayPower *self)
{
  GdkEventType type = gdk_event_get_event_type (event);
  gboolean press = type == GDK_BUTTON_PRESS || type == GDK_TOUCH_BEGIN || type == GDK_KEY_PRESS;
  gboolean was_blanked = self->blanked;

  if (!press)
    return GDK_EVENT_PROPAGATE;
  kiosk_display_power_wake (self);
  return was_blanked ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

/* ── Object ─────────────────────────────────────────────────────────── */

static void
kiosk_display_power_dispose (GObject *object)
{
  KioskDisplayPower *self = KIOSK_DISPLAY_POWER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->clock != NULL)
    g_clear_signal_handler (&self->clock_handler, self->clock);
  self->clock = NULL;
  if (self->read_hook != 0)
    g_signal_remove_emission_hook (g_signal_lookup ("card-read", KIOSK_TYPE_APPLICATION), self->read_hook);
  self->read_hook = 0;
  g_clear_pointer (&self->hours, g_ptr_array_unref);
  g_clear_object (&self->bundle);
  g_clear_pointer (&self->next_change, g_date_time_unref);
  g_clear_pointer (&self->computed_at, g_date_time_unref);
  G_OBJECT_CLASS (kiosk_display_power_parent_class)->dispose (object);
}

static void
kiosk_display_power_finalize (GObject *object)
{
  KioskDisplayPower *self = KIOSK_DISPLAY_POWER (object);

  g_clear_object (&self->cancellable);
  g_free (self->missing_program);
  G_OBJECT_CLASS (kiosk_display_power_parent_class)->finalize (object);
}

static void
kiosk_display_power_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_BLANKED:
        g_value_set_boolean (value, KIOSK_DISPLAY_POWER (object)->blanked);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_display_power_class_init (KioskDisplayPowerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_display_power_dispose;
  object_class->finalize = kiosk_display_power_finalize;
  object_class->get_property = kiosk_display_power_get_property;

  properties[PROP_BLANKED] = g_param_spec_boolean (
      "blanked", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_display_power_init (KioskDisplayPower *self)
{
  self->cancellable = g_cancellable_new ();
  self->wanted = POWER_UNKNOWN;
  self->applied = POWER_UNKNOWN;
}

KioskDisplayPower *
kiosk_display_power_new (KioskApplication *app, KioskWindow *window)
{
  KioskDisplayPower *self;
  GtkEventController *controller;

  g_return_val_if_fail (KIOSK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (KIOSK_IS_WINDOW (window), NULL);

  self = g_object_new (KIOSK_TYPE_DISPLAY_POWER, NULL);
  self->app = app;
  self->window = window;
  self->clock = kiosk_application_get_clock (app);
  self->content = kiosk_application_get_content (app);
  /* Demo mode runs on a developer's desktop, at any hour. */
  self->enabled = kiosk_config_get_bool (config (self), "display", "blank_when_closed")
                  && !kiosk_application_get_demo (app);
  self->margins.on_before_minutes = kiosk_config_get_int (config (self), "display", "on_before_minutes");
  self->margins.off_after_minutes = kiosk_config_get_int (config (self), "display", "off_after_minutes");
  self->margins.min_off_minutes = kiosk_config_get_int (config (self), "display", "min_off_minutes");
  if (!self->enabled)
    return self;

  self->clock_handler = g_signal_connect_swapped (self->clock, "changed", G_CALLBACK (update), self);
  self->read_hook = g_signal_add_emission_hook (g_signal_lookup ("card-read", KIOSK_TYPE_APPLICATION), 0,
                                                on_card_read_hook, self, NULL);
  if (self->content != NULL)
    g_signal_connect_object (self->content, "notify::bundle", G_CALLBACK (on_bundle_swapped), self,
                             G_CONNECT_SWAPPED);
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_name (controller, "display-wake");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "event", G_CALLBACK (on_event), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
  self->check_source = g_timeout_add_seconds (CHECK_SECONDS, on_check, self);
  update (self);
  return self;
}

gboolean
kiosk_display_power_get_blanked (KioskDisplayPower *self)
{
  g_return_val_if_fail (KIOSK_IS_DISPLAY_POWER (self), FALSE);
  return self->blanked;
}

guint
kiosk_display_power_get_commands_run (KioskDisplayPower *self)
{
  g_return_val_if_fail (KIOSK_IS_DISPLAY_POWER (self), 0);
  return self->commands_run;
}
