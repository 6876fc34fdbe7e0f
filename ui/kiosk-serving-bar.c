/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-serving-bar.h"
#include "kiosk-ui-text.h"

struct _KioskServingBar
{
  GtkWidget parent_instance;

  /* Owned */
  KioskQueue *queue;
  char *language;
  GPtrArray *texts; /* char *, what the labels show */
  gulong changed_id;
  guint reload_id;
  guint tick_id;

  /* Children: the title, then one label a call, newest first */
  GtkWidget *title;
};

/* Between the title and the calls, and between calls. */
#define TITLE_SPACING 32
#define CALL_SPACING 40

G_DEFINE_FINAL_TYPE (KioskServingBar, kiosk_serving_bar, GTK_TYPE_WIDGET)

char *
kiosk_serving_bar_format_call (const KioskNowServing *call, const char *lang)
{
  gboolean en = g_strcmp0 (lang, KIOSK_LANG_EN) == 0;
  const char *first = en ? call->desk_en : call->desk_zh;
  const char *second = en ? call->desk_zh : call->desk_en;
  const char *desk = first != NULL && *first ? first : second;

  if (desk == NULL || *desk == '\0')
    return g_strdup (call->label);
  return g_strdup_printf ("%s → %s", call->label, desk);
}

static void
clear_calls (KioskServingBar *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_next_sibling (self->title)) != NULL)
    gtk_widget_unparent (child);
  g_ptr_array_set_size (self->texts, 0);
}

static void
reload (KioskServingBar *self)
{
  g_autoptr (GPtrArray) calls = NULL;
  g_autoptr (GError) error = NULL;

  clear_calls (self);
  gtk_label_set_text (GTK_LABEL (self->title), _ ("Now serving"));
  if (self->queue != NULL)
    {
      calls = kiosk_queue_list_now_serving (self->queue, KIOSK_SERVING_BAR_MAX_CALLS, &error);
      if (calls == NULL)
        g_warning ("Now serving: %s", error->message);
    }
  for (guint i = 0; calls != NULL && i < calls->len; i++)
    {
      char *text = kiosk_serving_bar_format_call (g_ptr_array_index (calls, i), self->language);
      GtkWidget *label = gtk_label_new (text);

      /* Never "…": the newest call wraps if it must (a long desk name on a
       * narrow screen), earlier ones are left out when they do not fit. */
      if (i == 0)
        {
          gtk_label_set_wrap (GTK_LABEL (label), TRUE);
          gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
        }
      gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
      gtk_widget_add_css_class (label, i == 0 ? "serving-latest" : "serving-earlier");
      gtk_widget_insert_before (label, GTK_WIDGET (self), NULL);
      g_ptr_array_add (self->texts, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), self->texts->len > 0);
}

static gboolean
on_reload_idle (gpointer user_data)
{
  KioskServingBar *self = user_data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

/* A page of calls changes every queue at once, and a ticket taken changes
 * its own: one reload when the main loop is next idle, not one each. */
static void
on_queue_changed (KioskServingBar *self)
{
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (on_reload_idle, self);
}

static gboolean
on_tick (gpointer user_data)
{
  reload (user_data);
  return G_SOURCE_CONTINUE;
}

void
kiosk_serving_bar_set_queue (KioskServingBar *self, KioskQueue *queue)
{
  g_return_if_fail (KIOSK_IS_SERVING_BAR (self));
  g_return_if_fail (queue == NULL || KIOSK_IS_QUEUE (queue));

  if (self->queue != NULL)
    g_clear_signal_handler (&self->changed_id, self->queue);
  g_set_object (&self->queue, queue);
  if (queue != NULL)
    self->changed_id = g_signal_connect_swapped (queue, "changed", G_CALLBACK (on_queue_changed), self);
  reload (self);
}

void
kiosk_serving_bar_set_language (KioskServingBar *self, const char *lang)
{
  g_return_if_fail (KIOSK_IS_SERVING_BAR (self));

  g_free (self->language);
  self->language = g_strdup (kiosk_ui_normalize_language (lang));
  reload (self);
}

GPtrArray *
kiosk_serving_bar_get_texts (KioskServingBar *self)
{
  g_return_val_if_fail (KIOSK_IS_SERVING_BAR (self), NULL);
  return self->texts;
}

/* The width each child gets in @width: the title and the newest call
 * always (the call shrinking, wrapped, to what is left), then earlier calls
 * while each fits whole; 0 for those left out. */
static void
lay_out_row (KioskServingBar *self, int width, int *widths, guint n)
{
  int x = 0;
  guint i = 0;
  gboolean full = FALSE;

  for (GtkWidget *child = self->title; child != NULL && i < n;
       child = gtk_widget_get_next_sibling (child), i++)
    {
      int min, nat, gap = i == 0 ? 0 : i == 1 ? TITLE_SPACING : CALL_SPACING;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      if (i <= 1)
        widths[i] = MAX (min, MIN (nat, width - x - gap));
      else if (!full && x + gap + nat <= width)
        widths[i] = nat;
      else
        {
          widths[i] = 0;
          full = TRUE;
          continue;
        }
      x += gap + widths[i];
    }
}

static guint
n_children (KioskServingBar *self)
{
  guint n = 0;

  for (GtkWidget *child = self->title; child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static void
kiosk_serving_bar_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                           int *natural, int *minimum_baseline, int *natural_baseline)
{
  KioskServingBar *self = KIOSK_SERVING_BAR (widget);
  guint n = n_children (self), i = 0;
  g_autofree int *widths = g_new0 (int, n);

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* At least the title and the newest call at its narrowest; at best all. */
      for (GtkWidget *child = self->title; child != NULL; child = gtk_widget_get_next_sibling (child), i++)
        {
          int min, nat, gap = i == 0 ? 0 : i == 1 ? TITLE_SPACING : CALL_SPACING;

          gtk_widget_measure (child, orientation, -1, &min, &nat, NULL, NULL);
          if (i <= 1)
            *minimum += gap + min;
          *natural += gap + nat;
        }
      return;
    }

  if (for_size >= 0)
    lay_out_row (self, for_size, widths, n);
  for (GtkWidget *child = self->title; child != NULL; child = gtk_widget_get_next_sibling (child), i++)
    {
      int min, nat;

      if (for_size >= 0 && widths[i] == 0)
        continue;
      gtk_widget_measure (child, orientation, for_size >= 0 ? widths[i] : -1, &min, &nat, NULL, NULL);
      *minimum = MAX (*minimum, min);
      *natural = MAX (*natural, nat);
    }
}

static void
kiosk_serving_bar_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  KioskServingBar *self = KIOSK_SERVING_BAR (widget);
  guint n = n_children (self), i = 0;
  g_autofree int *widths = g_new0 (int, n);
  int x = 0;

  lay_out_row (self, width, widths, n);
  for (GtkWidget *child = self->title; child != NULL; child = gtk_widget_get_next_sibling (child), i++)
    {
      int child_height;

      /* What is left out is not drawn and, unmapped, not read out. */
      gtk_widget_set_child_visible (child, widths[i] > 0);
      if (widths[i] == 0)
        continue;
      x += i == 0 ? 0 : i == 1 ? TITLE_SPACING : CALL_SPACING;
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, widths[i], &child_height, NULL, NULL, NULL);
      child_height = MIN (child_height, height);
      gtk_widget_size_allocate (
          child, &(GtkAllocation){ x, (height - child_height) / 2, widths[i], child_height }, -1);
      x += widths[i];
    }
}

static GtkSizeRequestMode
kiosk_serving_bar_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
kiosk_serving_bar_dispose (GObject *object)
{
  KioskServingBar *self = KIOSK_SERVING_BAR (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->queue != NULL)
    g_clear_signal_handler (&self->changed_id, self->queue);
  g_clear_object (&self->queue);
  if (self->title != NULL)
    clear_calls (self);
  g_clear_pointer (&self->title, gtk_widget_unparent);
  G_OBJECT_CLASS (kiosk_serving_bar_parent_class)->dispose (object);
}

static void
kiosk_serving_bar_finalize (GObject *object)
{
  KioskServingBar *self = KIOSK_SERVING_BAR (object);

  g_free (self->language);
  g_ptr_array_unref (self->texts);
  G_OBJECT_CLASS (kiosk_serving_bar_parent_class)->finalize (object);
}

static void
kiosk_serving_bar_class_init (KioskServingBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_serving_bar_dispose;
  object_class->finalize = kiosk_serving_bar_finalize;
  gtk_widget_class_set_css_name (widget_class, "kiosk-serving-bar");
  widget_class->measure = kiosk_serving_bar_measure;
  widget_class->size_allocate = kiosk_serving_bar_size_allocate;
  widget_class->get_request_mode = kiosk_serving_bar_get_request_mode;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
kiosk_serving_bar_init (KioskServingBar *self)
{
  self->language = g_strdup (KIOSK_LANG_ZH);
  self->texts = g_ptr_array_new_with_free_func (g_free);

  self->title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->title, "serving-title");
  gtk_widget_set_parent (self->title, GTK_WIDGET (self));

  /* A new service day empties the list with nobody calling. */
  self->tick_id = g_timeout_add_seconds (60, on_tick, self);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
kiosk_serving_bar_new (void)
{
  return g_object_new (KIOSK_TYPE_SERVING_BAR, NULL);
}
