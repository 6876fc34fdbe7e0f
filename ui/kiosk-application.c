/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>

#include "kiosk-application-private.h"
#include "kiosk-sdnotify.h"
#include "kiosk-trace.h"
#include "kiosk-app-network.h"
#include "kiosk-display-power.h"
#include "kiosk-demo-bus.h"
#include "kiosk-error.h"
#include "kiosk-queue-setup.h"
#include "kiosk-feedback.h"
#include "kiosk-gate.h"
#include "kiosk-screenshot.h"
#include "kiosk-ui-text.h"
#include "kiosk-window.h"

G_DEFINE_FINAL_TYPE (KioskApplication, kiosk_application, GTK_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_CLOCK,
  PROP_LANGUAGE,
  PROP_LARGE_TEXT,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_CARD_READ,
  SIGNAL_FEEDBACK,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static int
kiosk_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  g_autoptr (GError) error = NULL;
  gboolean hash_pin = FALSE;

  KioskApplication *self = KIOSK_APPLICATION (app);

  if (g_variant_dict_lookup (options, "hash-pin", "b", &hash_pin) && hash_pin)
    return kiosk_app_print_pin_hash ();

  if (!kiosk_application_apply_options (self, options, &error))
    {
      g_printerr ("linli-kiosk: %s\n", error->message);
      return 2;
    }
  /* One-shot runs must not hand their work to a kiosk already running. */
  if (self->screenshot_path != NULL || self->startup_report)
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
  return -1;
}

/* ── Card reads, the club door and quitting ─────────────────────────── */

static void
emit_feedback (KioskApplication *self, KioskFeedback *feedback)
{
  g_signal_emit (self, signals[SIGNAL_FEEDBACK], 0, feedback);
}

static void
on_gate_read (KioskGate *gate, const char *reader_id, KioskCardRead *read, KioskApplication *self)
{
  kiosk_application_deliver_read (self, reader_id, read);
}

static void
on_gate_decided (KioskGate *gate, KioskEntryDecision *decision, KioskApplication *self)
{
  g_autoptr (KioskFeedback) feedback
      = kiosk_feedback_new_for_decision (decision, kiosk_clock_get_time_zone (self->clock));

  /* The record holds the card's hash; the log only the masked name. */
  g_info ("Entry %s: %s %s", decision->uuid, kiosk_entry_reason_to_code (decision->reason),
          decision->masked_name != NULL ? decision->masked_name : "");
  emit_feedback (self, feedback);
}

static gboolean
decide_entry (KioskApplication *self, const KioskCardRead *read)
{
  g_autoptr (KioskEntryDecision) decision = NULL;
  g_autoptr (KioskFeedback) feedback = NULL;
  g_autoptr (GError) error = NULL;

  if (self->store == NULL || !kiosk_store_get_healthy (self->store))
    feedback = kiosk_feedback_new_out_of_service ();
  else if (self->gate == NULL || kiosk_gate_get_entry (self->gate) == NULL)
    feedback = kiosk_feedback_new_no_club ();
  else
    {
      /* A decision shows through ::decided; only a failure is answered here. */
      decision = kiosk_gate_decide (self->gate, read->value, &error);
      if (decision != NULL)
        return TRUE;
      g_autofree char *masked = kiosk_card_mask (read->value);

      g_message ("Entry of card %s not recorded, door kept shut: %s", masked, error->message);
      feedback = kiosk_feedback_new_out_of_service ();
    }
  emit_feedback (self, feedback);
  return TRUE;
}

/* The default route of ::card-read, after every handler declined. */
static gboolean
kiosk_application_real_card_read (KioskApplication *self, const char *reader_id, KioskCardRead *read)
{
  g_autoptr (KioskFeedback) feedback = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *today = NULL;

  if (read->kind == KIOSK_CARD_KIND_CARD_UID)
    return decide_entry (self, read);
  now = kiosk_clock_now (self->clock);
  today = g_date_time_format (now, "%Y%m%d");
  feedback = kiosk_feedback_new_for_read (read, today);
  if (feedback == NULL)
    return FALSE;
  emit_feedback (self, feedback);
  return TRUE;
}

static gboolean
readers_configured (KioskConfig *config)
{
  const char *const *paths = kiosk_config_get_strv (config, "readers", "paths");
  const char *const *usb_ids = kiosk_config_get_strv (config, "readers", "usb_ids");
  const char *const *ports = kiosk_config_get_strv (config, "readers", "serial_ports");
  const char *const *id_ports = kiosk_config_get_strv (config, "readers", "id_card_ports");

  return (id_ports != NULL && id_ports[0] != NULL) || kiosk_config_get_bool (config, "readers", "udev_tag")
         || (paths != NULL && paths[0] != NULL) || (usb_ids != NULL && usb_ids[0] != NULL)
         || (ports != NULL && ports[0] != NULL);
}

static void
import_members (KioskApplication *self, const char *path)
{
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  gboolean imported = FALSE;

  if (!kiosk_gate_import_members (self->gate, path, problems, &imported, &error))
    {
      /* The old list stays; each bad line says why, never with a card number. */
      g_message ("Member list %s not imported: %s", path, error->message);
      for (guint i = 0; i < problems->len; i++)
        g_message ("  %s", (const char *)g_ptr_array_index (problems, i));
    }
  else if (imported)
    g_message ("Member list %s imported: %" G_GINT64_FORMAT " members", path,
               kiosk_credentials_get_count (kiosk_entry_get_credentials (kiosk_gate_get_entry (self->gate))));
}

/* Readers, door and club, each on its own: a missing card key must not stop
 * the readers that booking codes come through. */
static void
start_gate (KioskApplication *self)
{
  const char *members = kiosk_config_get_string (self->config, "fitness", "member_file");
  g_autoptr (GError) error = NULL;

  if (self->store == NULL || self->content == NULL)
    return;
  self->gate = kiosk_gate_new (self->config, self->store, self->content);
  g_signal_connect (self->gate, "read", G_CALLBACK (on_gate_read), self);
  g_signal_connect (self->gate, "decided", G_CALLBACK (on_gate_decided), self);
  if (!kiosk_gate_open_door (self->gate, &error))
    g_message ("Door relay: %s; the door will not open", error->message);
  g_clear_error (&error);
  /* Demo mode: the keyboard stands in (kiosk-window.c's demo card keys). */
  if (!self->demo && readers_configured (self->config) && !kiosk_gate_start_readers (self->gate, &error))
    g_message ("Card readers: %s", error->message);
  g_clear_error (&error);
  if (!kiosk_gate_open_club (self->gate, self->demo, &error))
    g_message ("Fitness club entry off: %s", error->message);
  else if (*members != '\0')
    import_members (self, members);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  KioskApplication *self = user_data;

  /* Through shutdown, so the door is switched off and the store closed.
   * The clean stop is recorded first: cage gets the same SIGTERM and closes
   * our Wayland connection, after which GDK exits without a shutdown. */
  g_message ("Quit signal received; stopping");
  kiosk_app_network_clean_stop (G_APPLICATION (self));
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_CONTINUE;
}

static void
stop_gate (KioskApplication *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (self->quit_sources); i++)
    g_clear_handle_id (&self->quit_sources[i], g_source_remove);
  if (self->gate != NULL)
    kiosk_gate_shut (self->gate);
}

static void
on_bundle_swapped (KioskApplication *self)
{
  /* Connected before any screen's handler, so screens redraw against a queue
   * that already knows the new services. */
  kiosk_queue_set_bundle (self->queue, kiosk_content_get_bundle (self->content));
}

/* The service-hall queue over the store and the bundle in force. Without it
 * the take-a-number screen sends people to a desk; the rest still works. */
static void
start_queue (KioskApplication *self)
{
  g_autoptr (GError) error = NULL;

  if (self->store == NULL || self->content == NULL)
    return;
  self->queue = kiosk_queue_new_from_config (self->config, self->store,
                                             kiosk_content_get_bundle (self->content), &error);
  if (self->queue == NULL)
    {
      g_message ("Queue: %s; no numbers issued here", error->message);
      return;
    }
  g_signal_connect_object (self->content, "notify::bundle", G_CALLBACK (on_bundle_swapped), self,
                           G_CONNECT_SWAPPED);
}

/* The receipt printer; its status changes become status records. */
static void
start_printer (KioskApplication *self)
{
  g_autoptr (GError) error = NULL;

  self->printer = kiosk_printer_new_from_config (self->config, self->store, &error);
  if (self->printer == NULL && error != NULL)
    g_message ("Printer: %s; slips on screen only", error->message);
}

static void
kiosk_application_startup (GApplication *app)
{
  KioskApplication *self = KIOSK_APPLICATION (app);

  G_APPLICATION_CLASS (kiosk_application_parent_class)->startup (app);

  if (self->config == NULL)
    self->config = kiosk_config_new ();
  if (self->language == NULL)
    self->language = g_strdup (kiosk_config_get_string (self->config, "kiosk", "language"));

  kiosk_ui_i18n_init (kiosk_app_running_from_build_tree () ? BUILD_LOCALEDIR : LOCALEDIR);
  kiosk_ui_apply_language (self->language);

  /* A small PC drives the screen: no animations, and our own stylesheet and icons. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  self->css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (self->css, "/org/linli/Kiosk/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (self->css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/org/linli/Kiosk/icons");

  if (self->clock == NULL)
    self->clock = kiosk_clock_new_system (kiosk_config_get_string (self->config, "kiosk", "time_zone"));
  kiosk_app_open_store (self);
  if (self->store != NULL)
    {
      /* Old history goes now, before anything else writes, then daily. */
      self->retention = kiosk_retention_new_from_config (self->config, self->store);
      g_signal_connect (self->retention, "finished", G_CALLBACK (kiosk_app_on_retention_finished), NULL);
      kiosk_retention_start (self->retention);
    }
  kiosk_app_load_content (self);
  start_queue (self);
  start_printer (self);
  start_gate (self);
  /* Ahead of the display's events, which may already say cage has gone. */
  self->quit_sources[0] = g_unix_signal_add_full (G_PRIORITY_HIGH, SIGTERM, on_quit_signal, self, NULL);
  self->quit_sources[1] = g_unix_signal_add_full (G_PRIORITY_HIGH, SIGINT, on_quit_signal, self, NULL);
  kiosk_app_network_setup (app, self->config, self->clock, self->store, self->content);
}

static void
kiosk_application_activate (GApplication *app)
{
  KioskApplication *self = KIOSK_APPLICATION (app);
  g_autoptr (GError) error = NULL;

  if (self->window == NULL)
    {
      self->window = kiosk_window_new (self);
      g_signal_connect (self->window, "map", G_CALLBACK (kiosk_app_on_window_mapped), self);
      kiosk_trace_attach (GTK_WINDOW (self->window));
      /* One-shot runs show the screen as it is by day. */
      if (self->screenshot_path == NULL && !self->startup_report)
        self->display_power = kiosk_display_power_new (self, self->window);
      if (self->presses != NULL
          && !kiosk_screenshot_press (GTK_WIDGET (self->window), (const char *const *)self->presses, &error))
        {
          g_printerr ("linli-kiosk: %s\n", error->message);
          self->exit_code = 2;
        }
    }
  gtk_window_present (GTK_WINDOW (self->window));
}

static void
kiosk_application_shutdown (GApplication *app)
{
  KioskApplication *self = KIOSK_APPLICATION (app);

  kiosk_sdnotify ("STOPPING=1", NULL);
  g_clear_handle_id (&self->watchdog_id, g_source_remove);

  stop_gate (self);
  kiosk_app_network_teardown (app);
  if (self->css != NULL)
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                   GTK_STYLE_PROVIDER (self->css));
  G_APPLICATION_CLASS (kiosk_application_parent_class)->shutdown (app);
}

/* A power command still running holds the object past the app; disposing
 * it now lets go of the clock and the app while they are alive. */
static void
drop_display_power (KioskApplication *self)
{
  if (self->display_power != NULL)
    g_object_run_dispose (G_OBJECT (self->display_power));
  g_clear_object (&self->display_power);
}

/* Demo mode's input path for programs (kiosk-demo-bus.h); nothing otherwise. */
static gboolean
kiosk_application_dbus_register (GApplication *app, GDBusConnection *connection, const char *object_path,
                                 GError **error)
{
  KioskApplication *self = KIOSK_APPLICATION (app);

  if (!G_APPLICATION_CLASS (kiosk_application_parent_class)
           ->dbus_register (app, connection, object_path, error))
    return FALSE;
  if (self->demo && self->demo_bus == NULL)
    self->demo_bus = kiosk_demo_bus_new (self, connection, object_path, error);
  return !self->demo || self->demo_bus != NULL;
}

static void
kiosk_application_dbus_unregister (GApplication *app, GDBusConnection *connection, const char *object_path)
{
  KioskApplication *self = KIOSK_APPLICATION (app);

  g_clear_pointer (&self->demo_bus, kiosk_demo_bus_free);
  G_APPLICATION_CLASS (kiosk_application_parent_class)->dbus_unregister (app, connection, object_path);
}

static void
on_window_removed (GtkApplication *app, GtkWindow *window)
{
  KioskApplication *self = KIOSK_APPLICATION (app);

  if (window == GTK_WINDOW (self->window))
    {
      drop_display_power (self);
      self->window = NULL;
    }
  GTK_APPLICATION_CLASS (kiosk_application_parent_class)->window_removed (app, window);
}

static void
kiosk_application_dispose (GObject *object)
{
  KioskApplication *self = KIOSK_APPLICATION (object);

  if (self->window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->window));
  if (self->css != NULL)
    gtk_style_context_remove_provider_for_display (gdk_display_get_default (),
                                                   GTK_STYLE_PROVIDER (self->css));
  drop_display_power (self);
  g_clear_object (&self->css);
  g_clear_pointer (&self->demo_bus, kiosk_demo_bus_free);
  g_clear_object (&self->printer);
  g_clear_object (&self->queue);
  stop_gate (self);
  g_clear_object (&self->gate);
  g_clear_object (&self->content);
  g_clear_object (&self->retention);
  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_clear_object (&self->config);
  G_OBJECT_CLASS (kiosk_application_parent_class)->dispose (object);
}

static void
kiosk_application_finalize (GObject *object)
{
  KioskApplication *self = KIOSK_APPLICATION (object);

  g_free (self->slip_dir);
  g_free (self->language);
  g_free (self->start_screen);
  g_free (self->screenshot_path);
  g_strfreev (self->presses);
  G_OBJECT_CLASS (kiosk_application_parent_class)->finalize (object);
}

static void
kiosk_application_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskApplication *self = KIOSK_APPLICATION (object);

  switch (prop_id)
    {
      case PROP_CLOCK:
        g_value_set_object (value, self->clock);
        break;
      case PROP_LANGUAGE:
        g_value_set_string (value, kiosk_application_get_language (self));
        break;
      case PROP_LARGE_TEXT:
        g_value_set_boolean (value, self->large_text);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_application_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  KioskApplication *self = KIOSK_APPLICATION (object);

  switch (prop_id)
    {
      case PROP_CLOCK:
        g_set_object (&self->clock, g_value_get_object (value));
        break;
      case PROP_LANGUAGE:
        kiosk_application_set_language (self, g_value_get_string (value));
        break;
      case PROP_LARGE_TEXT:
        kiosk_application_set_large_text (self, g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_application_class_init (KioskApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = kiosk_application_dispose;
  object_class->finalize = kiosk_application_finalize;
  object_class->get_property = kiosk_application_get_property;
  object_class->set_property = kiosk_application_set_property;
  app_class->handle_local_options = kiosk_application_handle_local_options;
  app_class->startup = kiosk_application_startup;
  app_class->activate = kiosk_application_activate;
  app_class->shutdown = kiosk_application_shutdown;
  app_class->dbus_register = kiosk_application_dbus_register;
  app_class->dbus_unregister = kiosk_application_dbus_unregister;
  GTK_APPLICATION_CLASS (klass)->window_removed = on_window_removed;

  /* Tests hand in a fake clock; otherwise the real one is made at startup. */
  properties[PROP_CLOCK]
      = g_param_spec_object ("clock", NULL, NULL, KIOSK_TYPE_CLOCK,
                             G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE]
      = g_param_spec_string ("language", NULL, NULL, KIOSK_LANG_ZH,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LARGE_TEXT] = g_param_spec_boolean (
      "large-text", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Every read of a reader (in demo mode, of the keyboard); see the header. */
  signals[SIGNAL_CARD_READ] = g_signal_new_class_handler (
      "card-read", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
      G_CALLBACK (kiosk_application_real_card_read), g_signal_accumulator_true_handled, NULL, NULL,
      G_TYPE_BOOLEAN, 2, G_TYPE_STRING, KIOSK_TYPE_CARD_READ | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* The full-screen answer to a card: (KioskFeedback *feedback). */
  signals[SIGNAL_FEEDBACK]
      = g_signal_new ("feedback", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 1, KIOSK_TYPE_FEEDBACK | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
kiosk_application_init (KioskApplication *self)
{
  self->started_us = g_get_monotonic_time ();
  self->start_screen = g_strdup ("home");
  g_application_add_main_option_entries (G_APPLICATION (self), kiosk_app_option_entries);
  g_application_set_option_context_summary (
      G_APPLICATION (self), "Linli Kiosk (邻里): the self-service kiosk of a community service centre.");
}

KioskApplication *
kiosk_application_new (void)
{
  /* Unique: a second start (a technician's double click) raises the first. */
  return g_object_new (KIOSK_TYPE_APPLICATION, "application-id", KIOSK_APPLICATION_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, NULL);
}

KioskConfig *
kiosk_application_get_config (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->config;
}

KioskClock *
kiosk_application_get_clock (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->clock;
}

KioskStore *
kiosk_application_get_store (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->store;
}

KioskContent *
kiosk_application_get_content (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->content;
}

KioskQueue *
kiosk_application_get_queue (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->queue;
}

KioskPrinter *
kiosk_application_get_printer (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->printer;
}

const char *
kiosk_application_get_state_dir (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return kiosk_config_get_string (self->config, "kiosk", "state_dir");
}

const char *
kiosk_application_get_slip_dir (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->slip_dir;
}

gboolean
kiosk_application_get_safe_mode (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), FALSE);
  return self->safe_mode;
}

gboolean
kiosk_application_get_demo (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), FALSE);
  return self->demo;
}

gboolean
kiosk_application_get_landscape (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), FALSE);
  return self->landscape;
}

gboolean
kiosk_application_get_fixed_size (KioskApplication *self, int *width, int *height)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), FALSE);

  if (self->fixed_width > 0)
    {
      *width = self->fixed_width;
      *height = self->fixed_height;
      return TRUE;
    }
  *width = kiosk_config_get_int (self->config, "kiosk", "width");
  *height = kiosk_config_get_int (self->config, "kiosk", "height");
  /* Demo mode runs on a desktop: a window, not the whole screen. */
  return self->demo;
}

int
kiosk_application_get_idle_timeout (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), 60);
  return kiosk_config_get_int (self->config, "kiosk", "idle_timeout_seconds");
}

const char *
kiosk_application_get_start_screen (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), "home");
  return self->start_screen;
}

int
kiosk_application_get_exit_code (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), 1);
  return self->exit_code;
}

const char *
kiosk_application_get_language (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), KIOSK_LANG_ZH);
  return kiosk_ui_normalize_language (self->language);
}

void
kiosk_application_set_language (KioskApplication *self, const char *lang)
{
  g_return_if_fail (KIOSK_IS_APPLICATION (self));

  lang = kiosk_ui_normalize_language (lang);
  if (g_strcmp0 (self->language, lang) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (lang);
  /* gettext first, so every handler of the notification relabels in the new language. */
  kiosk_ui_apply_language (lang);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

gboolean
kiosk_application_get_large_text (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), FALSE);
  return self->large_text;
}

void
kiosk_application_set_large_text (KioskApplication *self, gboolean large_text)
{
  g_return_if_fail (KIOSK_IS_APPLICATION (self));

  large_text = !!large_text;
  if (self->large_text == large_text)
    return;
  self->large_text = large_text;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LARGE_TEXT]);
}

void
kiosk_application_reset_session (KioskApplication *self)
{
  g_return_if_fail (KIOSK_IS_APPLICATION (self));

  kiosk_application_set_large_text (self, FALSE);
  kiosk_application_set_language (self, kiosk_config_get_string (self->config, "kiosk", "language"));
}

void
kiosk_application_card_read (KioskApplication *self, const char *number)
{
  g_autoptr (KioskCardRead) read = NULL;
  GDate today;

  g_return_if_fail (KIOSK_IS_APPLICATION (self));
  g_return_if_fail (number != NULL);

  kiosk_clock_get_today (self->clock, &today);
  read = kiosk_card_classify (number, KIOSK_CARD_UID_AUTO, &today, g_get_monotonic_time ());
  kiosk_application_deliver_read (self, KIOSK_KEYBOARD_READER_ID, read);
}

gboolean
kiosk_application_deliver_read (KioskApplication *self, const char *reader_id, const KioskCardRead *read)
{
  g_autofree char *masked = NULL;
  gboolean handled = FALSE;

  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (reader_id != NULL, FALSE);
  g_return_val_if_fail (read != NULL, FALSE);

  masked = kiosk_card_mask (read->value);
  g_debug ("Read on %s: %s %s", reader_id, kiosk_card_kind_to_code (read->kind), masked);
  g_signal_emit (self, signals[SIGNAL_CARD_READ], 0, reader_id, read, &handled);
  return handled;
}

KioskGate *
kiosk_application_get_gate (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->gate;
}

KioskDisplayPower *
kiosk_application_get_display_power (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return self->display_power;
}

GtkWindow *
kiosk_application_get_kiosk_window (KioskApplication *self)
{
  g_return_val_if_fail (KIOSK_IS_APPLICATION (self), NULL);
  return GTK_WINDOW (self->window);
}
