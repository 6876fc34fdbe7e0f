/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-home-view.h"
#include "kiosk-serving-bar.h"

struct _KioskHomeView
{
  KioskScreen parent_instance;

  guint columns;

  /* Template widgets */
  GtkGrid *tiles;
  GtkWidget *ticket_tile;
  GtkWidget *fitness_tile;
  GtkWidget *guide_tile;
  GtkWidget *notices_tile;
  GtkWidget *ticket_box;
  GtkWidget *fitness_box;
  GtkWidget *guide_box;
  GtkWidget *notices_box;
  GtkLabel *greeting;
  KioskServingBar *serving_bar;
  GtkLabel *ticket_title;
  GtkLabel *ticket_hint;
  GtkLabel *fitness_title;
  GtkLabel *fitness_hint;
  GtkLabel *guide_title;
  GtkLabel *guide_hint;
  GtkLabel *notices_title;
  GtkLabel *notices_hint;
  GtkWidget *latest_notice;
  GtkLabel *latest_notice_label;
};

G_DEFINE_FINAL_TYPE (KioskHomeView, kiosk_home_view, KIOSK_TYPE_SCREEN)

static void
kiosk_home_view_refresh (KioskScreen *screen)
{
  KioskHomeView *self = KIOSK_HOME_VIEW (screen);
  KioskBundle *bundle = kiosk_screen_get_bundle (screen);
  g_autoptr (GPtrArray) notices = NULL;

  gtk_label_set_text (self->greeting, _ ("Hello! Please touch what you need"));
  gtk_label_set_text (self->ticket_title, _ ("Take a number"));
  gtk_label_set_text (self->ticket_hint, _ ("Queue for the service hall"));
  gtk_label_set_text (self->fitness_title, _ ("Fitness club"));
  gtk_label_set_text (self->fitness_hint, _ ("Hours, rules, entry by card"));
  gtk_label_set_text (self->guide_title, _ ("Services guide"));
  gtk_label_set_text (self->guide_hint, _ ("What to bring, where to go"));
  gtk_label_set_text (self->notices_title, _ ("Announcements"));
  gtk_label_set_text (self->notices_hint, _ ("News from the centre"));
  kiosk_serving_bar_set_language (self->serving_bar, kiosk_screen_get_language (screen));

  if (bundle != NULL)
    {
      g_autoptr (GDateTime) now = kiosk_screen_now (screen);

      notices = kiosk_bundle_active_announcements (bundle, now);
    }
  gtk_widget_set_visible (self->latest_notice, notices != NULL && notices->len > 0);
  if (notices != NULL && notices->len > 0)
    {
      const KioskAnnouncement *first = g_ptr_array_index (notices, 0);

      gtk_label_set_text (self->latest_notice_label, kiosk_screen_text (screen, &first->title));
    }
}

void
kiosk_home_view_set_layout (KioskHomeView *self, guint columns, gboolean icon_beside_text)
{
  GtkWidget *tiles[] = { self->ticket_tile, self->fitness_tile, self->guide_tile, self->notices_tile };
  GtkWidget *boxes[] = { self->ticket_box, self->fitness_box, self->guide_box, self->notices_box };
  GtkLabel *labels[] = { self->ticket_title, self->ticket_hint, self->fitness_title, self->fitness_hint,
                         self->guide_title,  self->guide_hint,  self->notices_title, self->notices_hint };
  GtkLayoutManager *grid = gtk_widget_get_layout_manager (GTK_WIDGET (self->tiles));

  g_return_if_fail (KIOSK_IS_HOME_VIEW (self));
  g_return_if_fail (columns == 1 || columns == 2 || columns == 4);

  self->columns = columns;
  for (guint i = 0; i < G_N_ELEMENTS (tiles); i++)
    {
      GtkLayoutChild *child = gtk_layout_manager_get_layout_child (grid, tiles[i]);

      gtk_grid_layout_child_set_column (GTK_GRID_LAYOUT_CHILD (child), (int)(i % columns));
      gtk_grid_layout_child_set_row (GTK_GRID_LAYOUT_CHILD (child), (int)(i / columns));
      gtk_orientable_set_orientation (GTK_ORIENTABLE (boxes[i]), icon_beside_text ? GTK_ORIENTATION_HORIZONTAL
                                                                                  : GTK_ORIENTATION_VERTICAL);
      gtk_widget_set_halign (boxes[i], icon_beside_text ? GTK_ALIGN_START : GTK_ALIGN_FILL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      gtk_label_set_xalign (labels[i], icon_beside_text ? 0.0f : 0.5f);
      gtk_label_set_justify (labels[i], icon_beside_text ? GTK_JUSTIFY_LEFT : GTK_JUSTIFY_CENTER);
    }
  /* Large text on a landscape screen (2×2, icons beside) leaves no row for the greeting. */
  gtk_widget_set_visible (GTK_WIDGET (self->greeting), !(icon_beside_text && columns == 2));
  if (icon_beside_text)
    gtk_widget_add_css_class (GTK_WIDGET (self), "icon-beside-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "icon-beside-text");
}

void
kiosk_home_view_set_queue (KioskHomeView *self, KioskQueue *queue)
{
  g_return_if_fail (KIOSK_IS_HOME_VIEW (self));
  kiosk_serving_bar_set_queue (self->serving_bar, queue);
}

guint
kiosk_home_view_get_columns (KioskHomeView *self)
{
  g_return_val_if_fail (KIOSK_IS_HOME_VIEW (self), 0);
  return self->columns;
}

static void
kiosk_home_view_class_init (KioskHomeViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  KIOSK_SCREEN_CLASS (klass)->refresh = kiosk_home_view_refresh;

  g_type_ensure (KIOSK_TYPE_SERVING_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/linli/Kiosk/kiosk-home-view.ui");
  gtk_widget_class_set_css_name (widget_class, "kiosk-home");
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, tiles);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, ticket_tile);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, fitness_tile);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, guide_tile);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, notices_tile);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, ticket_box);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, fitness_box);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, guide_box);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, notices_box);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, greeting);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, serving_bar);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, ticket_title);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, ticket_hint);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, fitness_title);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, fitness_hint);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, guide_title);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, guide_hint);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, notices_title);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, notices_hint);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, latest_notice);
  gtk_widget_class_bind_template_child (widget_class, KioskHomeView, latest_notice_label);
}

static void
kiosk_home_view_init (KioskHomeView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->columns = 2;
  kiosk_home_view_refresh (KIOSK_SCREEN (self));
}
