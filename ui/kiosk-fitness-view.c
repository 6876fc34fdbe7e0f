/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-fitness-view.h"
#include "kiosk-ui-text.h"

struct _KioskFitnessView
{
  KioskScreen parent_instance;

  /* Template widgets */
  GtkLabel *title;
  GtkWidget *list;
};

G_DEFINE_FINAL_TYPE (KioskFitnessView, kiosk_fitness_view, KIOSK_TYPE_SCREEN)

static void
append_hours_row (GtkWidget *box, const char *who, const KioskHours *hours, GDateTime *now)
{
  g_autofree char *spans = kiosk_ui_format_spans (kiosk_hours_spans_on (hours, now));
  /* TRANSLATORS: who may come, then today's hours, e.g. "Residents: 08:00–20:00". */
  g_autofree char *text = g_strdup_printf (_ ("%s: %s"), who, spans);

  gtk_box_append (GTK_BOX (box), kiosk_label_new (text, "body"));
}

static void
kiosk_fitness_view_refresh (KioskScreen *screen)
{
  KioskFitnessView *self = KIOSK_FITNESS_VIEW (screen);
  KioskBundle *bundle = kiosk_screen_get_bundle (screen);
  const KioskFitnessRules *club = bundle != NULL ? kiosk_bundle_get_fitness (bundle) : NULL;
  g_autoptr (GDateTime) now = kiosk_screen_now (screen);
  GtkWidget *card;
  GtkWidget *row;
  GtkWidget *image;
  GtkWidget *label;

  kiosk_box_remove_all (self->list);
  if (club == NULL)
    {
      gtk_label_set_text (self->title, _ ("Fitness club"));
      gtk_box_append (GTK_BOX (self->list), kiosk_label_new (_ ("This centre has no fitness club."), "body"));
      return;
    }
  gtk_label_set_text (self->title, kiosk_screen_text (screen, &club->name));

  if (club->hours != NULL)
    {
      g_autofree char *state = kiosk_ui_format_open_state (club->hours, now);
      label = kiosk_label_new (state, "status");
      gtk_widget_add_css_class (label, kiosk_hours_is_open (club->hours, now) ? "open" : "closed");
      gtk_box_append (GTK_BOX (self->list), label);
    }

  /* How to get in, the first thing a worker on a break needs. */
  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  gtk_widget_add_css_class (row, "card");
  gtk_widget_add_css_class (row, "highlight");
  image = gtk_image_new_from_icon_name ("kiosk-card-symbolic");
  gtk_widget_add_css_class (image, "card-icon");
  gtk_box_append (GTK_BOX (row), image);
  gtk_box_append (
      GTK_BOX (row),
      kiosk_label_new (_ ("Tap your work badge or community activity card on the reader to enter. "
                          "Entry is free."),
                       "section-title"));
  gtk_box_append (GTK_BOX (self->list), row);

  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), kiosk_label_new (_ ("Opening hours today"), "section-title"));
  for (guint i = 0; club->groups != NULL && i < club->groups->len; i++)
    {
      const KioskFitnessGroup *group = g_ptr_array_index (club->groups, i);

      if (group->hours != NULL)
        append_hours_row (card, kiosk_screen_text (screen, &group->name), group->hours, now);
    }
  if (club->capacity > 0)
    {
      g_autofree char *text
          = g_strdup_printf (ngettext ("At most %d person inside at a time.",
                                       "At most %d people inside at a time.", club->capacity),
                             club->capacity);

      gtk_box_append (GTK_BOX (card), kiosk_label_new (text, "note"));
    }
  gtk_box_append (GTK_BOX (self->list), card);

  card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), kiosk_label_new (_ ("House rules"), "section-title"));
  gtk_box_append (GTK_BOX (card), kiosk_label_new (kiosk_screen_text (screen, &club->rules), "body"));
  gtk_box_append (GTK_BOX (self->list), card);
}

static void
kiosk_fitness_view_class_init (KioskFitnessViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  KIOSK_SCREEN_CLASS (klass)->refresh = kiosk_fitness_view_refresh;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/linli/Kiosk/kiosk-fitness-view.ui");
  gtk_widget_class_set_css_name (widget_class, "kiosk-fitness");
  gtk_widget_class_bind_template_child (widget_class, KioskFitnessView, title);
  gtk_widget_class_bind_template_child (widget_class, KioskFitnessView, list);
}

static void
kiosk_fitness_view_init (KioskFitnessView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kiosk_fitness_view_refresh (KIOSK_SCREEN (self));
}
