/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "kiosk-entry-overlay.h"

struct _KioskEntryOverlay
{
  GtkWidget parent_instance;

  /* Borrowed */
  KioskClock *clock;

  /* Owned */
  KioskFeedback *feedback;
  gint64 shown_us;
  guint hide_source;
  gulong clock_handler;

  /* Template widgets */
  GtkImage *icon;
  GtkLabel *name_label;
  GtkLabel *title_zh;
  GtkLabel *title_en;
  GtkLabel *hint_zh;
  GtkLabel *hint_en;
};

G_DEFINE_FINAL_TYPE (KioskEntryOverlay, kiosk_entry_overlay, GTK_TYPE_WIDGET)

static gint64
now_us (KioskEntryOverlay *self)
{
  return self->clock != NULL ? kiosk_clock_get_monotonic (self->clock) : g_get_monotonic_time ();
}

void
kiosk_entry_overlay_dismiss (KioskEntryOverlay *self)
{
  g_return_if_fail (KIOSK_IS_ENTRY_OVERLAY (self));

  g_clear_handle_id (&self->hide_source, g_source_remove);
  g_clear_pointer (&self->feedback, kiosk_feedback_free);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static gboolean hide_cb (gpointer user_data);

/* Hides when the time is up on the kiosk's clock, else waits for the rest. A
 * fake clock moves by itself (its "changed" brings us here too), so the real
 * timer only ever waits for what is left. */
static void
check_time (KioskEntryOverlay *self)
{
  gint64 left_us;

  if (self->feedback == NULL)
    return;
  left_us = self->shown_us + KIOSK_ENTRY_OVERLAY_SECONDS * G_USEC_PER_SEC - now_us (self);
  if (left_us <= 0)
    {
      kiosk_entry_overlay_dismiss (self);
      return;
    }
  g_clear_handle_id (&self->hide_source, g_source_remove);
  self->hide_source = g_timeout_add ((guint)((left_us + 999) / 1000), hide_cb, self);
}

static gboolean
hide_cb (gpointer user_data)
{
  KioskEntryOverlay *self = user_data;

  self->hide_source = 0;
  check_time (self);
  return G_SOURCE_REMOVE;
}

static void
set_text (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

void
kiosk_entry_overlay_show (KioskEntryOverlay *self, const KioskFeedback *feedback)
{
  GtkWidget *widget = GTK_WIDGET (self);

  g_return_if_fail (KIOSK_IS_ENTRY_OVERLAY (self));
  g_return_if_fail (feedback != NULL);

  g_clear_pointer (&self->feedback, kiosk_feedback_free);
  self->feedback = kiosk_feedback_copy (feedback);
  self->shown_us = now_us (self);

  gtk_widget_remove_css_class (widget, feedback->granted ? "denied" : "granted");
  gtk_widget_add_css_class (widget, feedback->granted ? "granted" : "denied");
  gtk_image_set_from_icon_name (self->icon,
                                feedback->granted ? "kiosk-granted-symbolic" : "kiosk-denied-symbolic");
  set_text (self->name_label, feedback->name);
  set_text (self->title_zh, feedback->title_zh);
  set_text (self->title_en, feedback->title_en);
  set_text (self->hint_zh, feedback->hint_zh);
  set_text (self->hint_en, feedback->hint_en);
  gtk_widget_set_visible (widget, TRUE);
  check_time (self);
}

const KioskFeedback *
kiosk_entry_overlay_get_feedback (KioskEntryOverlay *self)
{
  g_return_val_if_fail (KIOSK_IS_ENTRY_OVERLAY (self), NULL);
  return self->feedback;
}

void
kiosk_entry_overlay_set_clock (KioskEntryOverlay *self, KioskClock *clock)
{
  g_return_if_fail (KIOSK_IS_ENTRY_OVERLAY (self));

  if (self->clock != NULL)
    g_clear_signal_handler (&self->clock_handler, self->clock);
  self->clock = clock;
  if (clock != NULL)
    self->clock_handler = g_signal_connect_swapped (clock, "changed", G_CALLBACK (check_time), self);
}

static void
on_pressed (GtkGestureClick *gesture, int n_press, double x, double y, KioskEntryOverlay *self)
{
  /* A touch while it shows ends it, and never reaches the screen below. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  kiosk_entry_overlay_dismiss (self);
}

static void
kiosk_entry_overlay_dispose (GObject *object)
{
  GtkWidget *child;
  KioskEntryOverlay *self = KIOSK_ENTRY_OVERLAY (object);

  kiosk_entry_overlay_set_clock (self, NULL);
  g_clear_handle_id (&self->hide_source, g_source_remove);
  g_clear_pointer (&self->feedback, kiosk_feedback_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_ENTRY_OVERLAY);
  /* The template's top box has no id, so nothing above unparented it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (kiosk_entry_overlay_parent_class)->dispose (object);
}

static void
kiosk_entry_overlay_class_init (KioskEntryOverlayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_entry_overlay_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/linli/Kiosk/kiosk-entry-overlay.ui");
  gtk_widget_class_set_css_name (widget_class, "kiosk-entry-overlay");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KioskEntryOverlay, icon);
  gtk_widget_class_bind_template_child (widget_class, KioskEntryOverlay, name_label);
  gtk_widget_class_bind_template_child (widget_class, KioskEntryOverlay, title_zh);
  gtk_widget_class_bind_template_child (widget_class, KioskEntryOverlay, title_en);
  gtk_widget_class_bind_template_child (widget_class, KioskEntryOverlay, hint_zh);
  gtk_widget_class_bind_template_child (widget_class, KioskEntryOverlay, hint_en);
}

static void
kiosk_entry_overlay_init (KioskEntryOverlay *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}
