/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-card-keys.h"
#include "kiosk-entry-overlay.h"
#include "kiosk-fitness-view.h"
#include "kiosk-guide-view.h"
#include "kiosk-home-view.h"
#include "kiosk-monitor-watch.h"
#include "kiosk-notices-view.h"
#include "kiosk-staff-panel.h"
#include "kiosk-ticket-view.h"
#include "kiosk-ui-text.h"
#include "kiosk-window.h"

struct _KioskWindow
{
  GtkApplicationWindow parent_instance;

  /* Borrowed: the application outlives its window */
  KioskApplication *app;
  KioskClock *clock;
  KioskStore *store;
  KioskContent *content;

  /* Owned */
  char *language;
  gboolean large_text;
  gint64 last_activity_us;
  guint tick_source;
  char *shown_time;
  KioskCardKeys card_keys;
  gulong clock_handler;
  gulong store_handler;
  gulong feedback_handler;
  int fixed_width, fixed_height;    /* --size, else 0: full screen */
  GdkFrameClock *after_paint_clock; /* borrowed, while after_paint_handler is connected */
  gulong after_paint_handler;

  /* Template widgets */
  GtkLabel *centre_label;
  GtkLabel *time_label;
  GtkLabel *date_label;
  GtkStack *stack;
  KioskScreen *home_view;
  KioskScreen *ticket_view;
  KioskScreen *fitness_view;
  KioskScreen *guide_view;
  KioskScreen *notices_view;
  GtkWidget *home_button;
  GtkLabel *home_label;
  GtkLabel *language_label;
  GtkLabel *large_text_label;
  GtkWidget *out_of_service;
  GtkWidget *blank_cover;
  KioskStaffPanel *staff_panel;
  KioskEntryOverlay *entry_overlay;
};

G_DEFINE_FINAL_TYPE (KioskWindow, kiosk_window, GTK_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_LANGUAGE,
  PROP_LARGE_TEXT,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static KioskScreen *
screens (KioskWindow *self, guint i)
{
  KioskScreen *all[]
      = { self->home_view, self->ticket_view, self->fitness_view, self->guide_view, self->notices_view };

  return i < G_N_ELEMENTS (all) ? all[i] : NULL;
}

/* The centre's name wraps into as many lines as it needs, all about as
 * long: "邻里共享社区综合服务中" over a lone "心" reads badly. The label keeps
 * its text (and what a screen reader says); a margin narrows where it wraps. */
static void
balance_centre_name (KioskWindow *self)
{
  GtkWidget *label = GTK_WIDGET (self->centre_label);
  int full = gtk_widget_get_width (label) + gtk_widget_get_margin_end (label);
  g_autoptr (PangoLayout) layout = NULL;
  int width;

  if (full <= 0)
    return;
  layout = pango_layout_copy (gtk_label_get_layout (self->centre_label));
  width = kiosk_ui_balanced_width (layout, full);
  gtk_widget_set_margin_end (label, full - width);
}

/* GTK works out a toplevel's size in a frame before it applies that frame's
 * style changes, so a language switch measures the new words in the old
 * fonts ("Announcements" at the Chinese title size is wider than the
 * screen). In full screen the compositor puts the size back; a window of
 * fixed size (--size) under X would keep what it grew to. */
static void
restore_fixed_size (KioskWindow *self)
{
  int width, height, min_width, min_height;

  if (self->fixed_width == 0)
    return;
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width == self->fixed_width && height == self->fixed_height)
    return;
  /* Put the size back only when the content fits it, or a real overflow
   * would be resized every frame. */
  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (self), GTK_ORIENTATION_VERTICAL, self->fixed_width, &min_height, NULL, NULL,
                      NULL);
  if (min_width <= self->fixed_width && min_height <= self->fixed_height)
    gtk_window_set_default_size (GTK_WINDOW (self), self->fixed_width, self->fixed_height);
}

/* After a paint, styles and sizes are those of the new texts. */
static void
on_after_paint (GdkFrameClock *clock, KioskWindow *self)
{
  g_clear_signal_handler (&self->after_paint_handler, clock);
  self->after_paint_clock = NULL;
  restore_fixed_size (self);
  balance_centre_name (self);
}

/* The frame clock goes with the window's surface. */
static void
forget_after_paint (KioskWindow *self)
{
  if (self->after_paint_handler != 0)
    g_clear_signal_handler (&self->after_paint_handler, self->after_paint_clock);
  self->after_paint_clock = NULL;
}

/* Looks at the layout once the next frame is painted: after a change of
 * texts, of text size or of the window's size. */
static void
check_after_paint (KioskWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock == NULL || self->after_paint_handler != 0)
    return;
  self->after_paint_clock = clock;
  self->after_paint_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_clock (KioskWindow *self)
{
  g_autoptr (GDateTime) now = kiosk_clock_now (self->clock);
  g_autofree char *time_text = kiosk_ui_format_time (now);
  g_autofree char *date_text = NULL;

  /* Only when the minute turns: a relabel costs a relayout. */
  if (g_strcmp0 (time_text, self->shown_time) == 0)
    return;
  g_free (self->shown_time);
  self->shown_time = g_steal_pointer (&time_text);
  date_text = kiosk_ui_format_date (now);
  gtk_label_set_text (self->time_label, self->shown_time);
  gtk_label_set_text (self->date_label, date_text);

  /* "Open now" and today's announcements go stale with the time. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "home") != 0)
    kiosk_screen_refresh (KIOSK_SCREEN (gtk_stack_get_visible_child (self->stack)));
}

static void
update_texts (KioskWindow *self)
{
  KioskBundle *bundle = self->content != NULL ? kiosk_content_get_bundle (self->content) : NULL;
  gboolean en = g_strcmp0 (self->language, KIOSK_LANG_EN) == 0;

  gtk_label_set_text (self->centre_label,
                      bundle != NULL ? kiosk_text_get (kiosk_bundle_get_centre_name (bundle), self->language)
                                     : _ ("Community service centre"));
  gtk_label_set_text (self->home_label, _ ("Home"));
  gtk_label_set_text (self->large_text_label, _ ("Large text"));
  /* The toggle names the other language in that language, so a visitor
   * who cannot read the current one still finds it. */
  gtk_label_set_text (self->language_label, en ? "中文" : "English");
  g_clear_pointer (&self->shown_time, g_free);
  update_clock (self);
  check_after_paint (self);
}

static void
update_out_of_service (KioskWindow *self)
{
  gboolean broken = self->store == NULL || !kiosk_store_get_healthy (self->store) || self->content == NULL
                    || kiosk_application_get_safe_mode (self->app);

  gtk_widget_set_visible (self->out_of_service, broken);
}

static gboolean
at_rest (KioskWindow *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "home") == 0
         && g_strcmp0 (self->language, kiosk_ui_normalize_language (kiosk_config_get_string (
                                           kiosk_application_get_config (self->app), "kiosk", "language")))
                == 0
         && !self->large_text
         && g_strcmp0 (kiosk_guide_view_get_page (KIOSK_GUIDE_VIEW (self->guide_view)), "categories") == 0;
}

void
kiosk_window_note_activity (KioskWindow *self)
{
  g_return_if_fail (KIOSK_IS_WINDOW (self));
  self->last_activity_us = kiosk_clock_get_monotonic (self->clock);
}

void
kiosk_window_show_screen (KioskWindow *self, const char *name)
{
  GtkWidget *screen;

  g_return_if_fail (KIOSK_IS_WINDOW (self));

  screen = gtk_stack_get_child_by_name (self->stack, name);
  if (screen == NULL)
    return;
  /* Each visit starts at the screen's first page, with current content. */
  kiosk_screen_reset (KIOSK_SCREEN (screen));
  kiosk_screen_refresh (KIOSK_SCREEN (screen));
  gtk_stack_set_visible_child (self->stack, screen);
  gtk_widget_set_visible (self->home_button, g_strcmp0 (name, "home") != 0);
}

gboolean
kiosk_window_check_idle (KioskWindow *self)
{
  gint64 idle_us;

  g_return_val_if_fail (KIOSK_IS_WINDOW (self), FALSE);

  idle_us = kiosk_clock_get_monotonic (self->clock) - self->last_activity_us;
  if (idle_us < (gint64)kiosk_application_get_idle_timeout (self->app) * G_USEC_PER_SEC || at_rest (self))
    return FALSE;

  kiosk_window_show_screen (self, "home");
  for (guint i = 0; screens (self, i) != NULL; i++)
    kiosk_screen_reset (screens (self, i));
  kiosk_application_reset_session (self->app);
  kiosk_window_note_activity (self);
  return TRUE;
}

static gboolean
on_tick (gpointer user_data)
{
  KioskWindow *self = user_data;

  update_clock (self);
  kiosk_window_check_idle (self);
  return G_SOURCE_CONTINUE;
}

static void
on_clock_changed (KioskWindow *self)
{
  update_clock (self);
  kiosk_window_check_idle (self);
}

static void
show_screen_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  kiosk_window_note_activity (self);
  kiosk_window_show_screen (self, g_variant_get_string (parameter, NULL));
}

static void
home_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  kiosk_window_note_activity (self);
  kiosk_window_show_screen (self, "home");
}

static void
toggle_language_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);
  gboolean en = g_strcmp0 (self->language, KIOSK_LANG_EN) == 0;

  kiosk_window_note_activity (self);
  kiosk_application_set_language (self->app, en ? KIOSK_LANG_ZH : KIOSK_LANG_EN);
}

static void
set_language (KioskWindow *self, const char *lang)
{
  lang = kiosk_ui_normalize_language (lang);
  if (g_strcmp0 (self->language, lang) == 0)
    return;
  g_free (self->language);
  self->language = g_strdup (lang);
  /* English words are long and cannot break anywhere: a smaller title size. */
  gtk_widget_remove_css_class (GTK_WIDGET (self), "lang-zh");
  gtk_widget_remove_css_class (GTK_WIDGET (self), "lang-en");
  gtk_widget_add_css_class (GTK_WIDGET (self), g_strcmp0 (lang, KIOSK_LANG_EN) == 0 ? "lang-en" : "lang-zh");
  /* The application has already switched gettext; relabel everything. */
  update_texts (self);
  for (guint i = 0; screens (self, i) != NULL; i++)
    kiosk_screen_set_language (screens (self, i), lang);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

static void
update_home_layout (KioskWindow *self)
{
  gboolean landscape = gtk_widget_has_css_class (GTK_WIDGET (self), "landscape");
  /* Portrait: 2×2, or one a row for large text. Landscape: one row of four,
   * or 2×2 for large text. Large words sit beside their icon. */
  guint columns = landscape ? (self->large_text ? 2 : 4) : (self->large_text ? 1 : 2);

  kiosk_home_view_set_layout (KIOSK_HOME_VIEW (self->home_view), columns, self->large_text);
}

static void
set_large_text (KioskWindow *self, gboolean large_text)
{
  large_text = !!large_text;
  if (self->large_text == large_text)
    return;
  self->large_text = large_text;
  if (large_text)
    gtk_widget_add_css_class (GTK_WIDGET (self), "large-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "large-text");
  update_home_layout (self);
  check_after_paint (self);
  kiosk_window_note_activity (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LARGE_TEXT]);
}

/* The answer to a card, over whatever screen is up, drawn on the next frame. */
static void
on_feedback (KioskWindow *self, KioskFeedback *feedback)
{
  kiosk_entry_overlay_show (self->entry_overlay, feedback);
}

static void
staff_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskWindow *self = KIOSK_WINDOW (widget);

  kiosk_window_note_activity (self);
  kiosk_staff_panel_open (self->staff_panel);
}

static void
on_long_press (GtkGestureLongPress *gesture, double x, double y, KioskWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.staff", NULL);
}

/* The card answer and the staff panel: a long press on the centre's name
 * (the header's left corner) asks for the staff PIN. */
static void
attach_fitness (KioskWindow *self, KioskApplication *app)
{
  GtkGesture *long_press = gtk_gesture_long_press_new ();

  kiosk_entry_overlay_set_clock (self->entry_overlay, self->clock);
  kiosk_staff_panel_attach (self->staff_panel, app);
  self->feedback_handler = g_signal_connect_swapped (app, "feedback", G_CALLBACK (on_feedback), self);
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (long_press), "staff-long-press");
  g_signal_connect (long_press, "pressed", G_CALLBACK (on_long_press), self);
  gtk_widget_add_controller (GTK_WIDGET (self->centre_label), GTK_EVENT_CONTROLLER (long_press));
}

KioskEntryOverlay *
kiosk_window_get_entry_overlay (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return self->entry_overlay;
}

KioskStaffPanel *
kiosk_window_get_staff_panel (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return self->staff_panel;
}

static gboolean
on_demo_key (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state,
             KioskWindow *self)
{
  gboolean consumed;
  g_autofree char *number = kiosk_card_keys_feed (&self->card_keys, keyval, &consumed);

  if (number != NULL)
    kiosk_application_card_read (self->app, number);
  return consumed;
}

static gboolean
on_any_event (GtkEventControllerLegacy *controller, GdkEvent *event, KioskWindow *self)
{
  switch (gdk_event_get_event_type (event))
    {
      case GDK_BUTTON_PRESS:
      case GDK_TOUCH_BEGIN:
      case GDK_KEY_PRESS:
      case GDK_SCROLL:
        kiosk_window_note_activity (self);
        break;
      default:
        break;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
kiosk_window_dispose (GObject *object)
{
  KioskWindow *self = KIOSK_WINDOW (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->app != NULL)
    {
      g_clear_signal_handler (&self->clock_handler, self->clock);
      if (self->store != NULL)
        g_clear_signal_handler (&self->store_handler, self->store);
      g_clear_signal_handler (&self->feedback_handler, self->app);
      self->app = NULL;
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_WINDOW);
  G_OBJECT_CLASS (kiosk_window_parent_class)->dispose (object);
}

static void
kiosk_window_finalize (GObject *object)
{
  KioskWindow *self = KIOSK_WINDOW (object);

  g_free (self->language);
  g_free (self->shown_time);
  G_OBJECT_CLASS (kiosk_window_parent_class)->finalize (object);
}

static void
kiosk_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskWindow *self = KIOSK_WINDOW (object);

  switch (prop_id)
    {
      case PROP_LANGUAGE:
        g_value_set_string (value, self->language);
        break;
      case PROP_LARGE_TEXT:
        g_value_set_boolean (value, self->large_text);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  KioskWindow *self = KIOSK_WINDOW (object);

  switch (prop_id)
    {
      case PROP_LANGUAGE:
        set_language (self, g_value_get_string (value));
        break;
      case PROP_LARGE_TEXT:
        set_large_text (self, g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_window_class_init (KioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_window_dispose;
  object_class->finalize = kiosk_window_finalize;
  object_class->get_property = kiosk_window_get_property;
  object_class->set_property = kiosk_window_set_property;

  properties[PROP_LANGUAGE]
      = g_param_spec_string ("language", NULL, NULL, KIOSK_LANG_ZH,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LARGE_TEXT] = g_param_spec_boolean (
      "large-text", NULL, NULL, FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KIOSK_TYPE_HOME_VIEW);
  g_type_ensure (KIOSK_TYPE_TICKET_VIEW);
  g_type_ensure (KIOSK_TYPE_FITNESS_VIEW);
  g_type_ensure (KIOSK_TYPE_GUIDE_VIEW);
  g_type_ensure (KIOSK_TYPE_NOTICES_VIEW);
  g_type_ensure (KIOSK_TYPE_STAFF_PANEL);
  g_type_ensure (KIOSK_TYPE_ENTRY_OVERLAY);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/linli/Kiosk/kiosk-window.ui");
  gtk_widget_class_set_css_name (widget_class, "kiosk-window");
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, centre_label);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, date_label);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, home_view);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, ticket_view);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, fitness_view);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, guide_view);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, notices_view);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, home_button);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, home_label);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, language_label);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, large_text_label);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, staff_panel);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, entry_overlay);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, out_of_service);
  gtk_widget_class_bind_template_child (widget_class, KioskWindow, blank_cover);

  gtk_widget_class_install_action (widget_class, "kiosk.show", "s", show_screen_action);
  gtk_widget_class_install_action (widget_class, "kiosk.home", NULL, home_action);
  gtk_widget_class_install_action (widget_class, "kiosk.toggle-language", NULL, toggle_language_action);
  gtk_widget_class_install_action (widget_class, "kiosk.staff", NULL, staff_action);
  gtk_widget_class_install_property_action (widget_class, "kiosk.large-text", "large-text");
}

static void
kiosk_window_init (KioskWindow *self)
{
  self->language = g_strdup (KIOSK_LANG_ZH);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_add_css_class (GTK_WIDGET (self), "lang-zh");
  gtk_widget_set_visible (self->home_button, FALSE);
}

static void
attach (KioskWindow *self, KioskApplication *app)
{
  GtkEventController *controller;
  gboolean fullscreen;
  int width, height;

  self->app = app;
  self->clock = kiosk_application_get_clock (app);
  self->store = kiosk_application_get_store (app);
  self->content = kiosk_application_get_content (app);

  for (guint i = 0; screens (self, i) != NULL; i++)
    {
      kiosk_screen_set_clock (screens (self, i), self->clock);
      kiosk_screen_set_content (screens (self, i), self->content);
    }
  /* Take a number issues from the application's queue and prints on its printer. */
  kiosk_ticket_view_set_application (KIOSK_TICKET_VIEW (self->ticket_view), app);
  /* "Now serving" at home: the hall's calls the sync brings into the queue. */
  kiosk_home_view_set_queue (KIOSK_HOME_VIEW (self->home_view), kiosk_application_get_queue (app));

  if (kiosk_application_get_landscape (app))
    gtk_widget_add_css_class (GTK_WIDGET (self), "landscape");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self), "portrait");

  update_home_layout (self);
  g_object_bind_property (app, "language", self, "language", G_BINDING_SYNC_CREATE);
  g_object_bind_property (app, "large-text", self, "large-text",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  self->clock_handler
      = g_signal_connect_swapped (self->clock, "changed", G_CALLBACK (on_clock_changed), self);
  if (self->store != NULL)
    self->store_handler
        = g_signal_connect_swapped (self->store, "notify::healthy", G_CALLBACK (update_out_of_service), self);
  attach_fitness (self, app);
  if (self->content != NULL)
    g_signal_connect_object (self->content, "notify::bundle", G_CALLBACK (update_texts), self,
                             G_CONNECT_SWAPPED);

  /* Any touch restarts the idle timeout; seen first, never consumed. */
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (on_any_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  if (kiosk_application_get_demo (app))
    {
      /* The keyboard stands in for a badge reader: digits then Enter. */
      controller = gtk_event_controller_key_new ();
      gtk_event_controller_set_name (controller, "demo-card-keys");
      gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
      g_signal_connect (controller, "key-pressed", G_CALLBACK (on_demo_key), self);
      gtk_widget_add_controller (GTK_WIDGET (self), controller);
    }

  if (kiosk_config_get_bool (kiosk_application_get_config (app), "kiosk", "hide_cursor"))
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");

  /* GTK sizes a window by its height at its narrowest, where every label
   * wraps most: asking for the screen's width keeps it to the screen. */
  fullscreen = !kiosk_application_get_fixed_size (app, &width, &height);
  if (fullscreen)
    gtk_window_fullscreen (GTK_WINDOW (self));
  /* A monitor unplugged and plugged back: full screen again on it. */
  kiosk_monitor_watch_attach (GTK_WINDOW (self), fullscreen);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  gtk_widget_set_size_request (gtk_window_get_child (GTK_WINDOW (self)), width, -1);
  if (!fullscreen)
    {
      self->fixed_width = width;
      self->fixed_height = height;
    }
  g_signal_connect (self, "map", G_CALLBACK (check_after_paint), NULL);
  g_signal_connect (self, "unrealize", G_CALLBACK (forget_after_paint), NULL);
  g_signal_connect (self, "notify::default-width", G_CALLBACK (check_after_paint), NULL);
  g_signal_connect (self, "notify::default-height", G_CALLBACK (check_after_paint), NULL);

  update_texts (self);
  update_out_of_service (self);
  kiosk_window_note_activity (self);
  kiosk_window_show_screen (self, kiosk_application_get_start_screen (app));
  self->tick_source = g_timeout_add_seconds (1, on_tick, self);
}

KioskWindow *
kiosk_window_new (KioskApplication *app)
{
  KioskWindow *self;

  g_return_val_if_fail (KIOSK_IS_APPLICATION (app), NULL);

  self = g_object_new (KIOSK_TYPE_WINDOW, "application", app, NULL);
  attach (self, app);
  return self;
}

const char *
kiosk_window_get_screen (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
kiosk_window_get_screen_widget (KioskWindow *self, const char *name)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), NULL);
  return gtk_stack_get_child_by_name (self->stack, name);
}

gboolean
kiosk_window_get_out_of_service (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->out_of_service);
}

void
kiosk_window_set_blanked (KioskWindow *self, gboolean blanked)
{
  g_return_if_fail (KIOSK_IS_WINDOW (self));
  gtk_widget_set_visible (self->blank_cover, blanked);
}

gboolean
kiosk_window_get_blanked (KioskWindow *self)
{
  g_return_val_if_fail (KIOSK_IS_WINDOW (self), FALSE);
  return gtk_widget_get_visible (self->blank_cover);
}
