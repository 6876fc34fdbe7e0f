/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-guide-view.h"
#include "kiosk-ui-text.h"

struct _KioskGuideView
{
  KioskScreen parent_instance;

  /* Owned: where the visitor is, kept across language switches */
  char *category_id;
  char *service_id;

  /* Template widgets */
  GtkWidget *back_button;
  GtkLabel *back_label;
  GtkLabel *title;
  GtkStack *pages;
  GtkWidget *categories;
  GtkWidget *services;
  GtkWidget *detail;
};

G_DEFINE_FINAL_TYPE (KioskGuideView, kiosk_guide_view, KIOSK_TYPE_SCREEN)

static void
build_categories (KioskGuideView *self, KioskBundle *bundle)
{
  GPtrArray *categories = kiosk_bundle_get_categories (bundle);

  gtk_label_set_text (self->title, _ ("Services guide: choose a category"));
  for (guint i = 0; i < categories->len; i++)
    {
      const KioskCategory *category = g_ptr_array_index (categories, i);
      g_autoptr (GPtrArray) items = kiosk_bundle_services_in (bundle, category);
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      GtkWidget *name
          = kiosk_label_new (kiosk_screen_text (KIOSK_SCREEN (self), &category->name), "tile-title");
      g_autofree char *count_text
          = g_strdup_printf (ngettext ("%u service", "%u services", items->len), items->len);

      gtk_box_append (GTK_BOX (box),
                      kiosk_bundle_icon_new (bundle, category->icon, "kiosk-guide-symbolic", 96));
      gtk_label_set_xalign (GTK_LABEL (name), 0.5f);
      gtk_label_set_justify (GTK_LABEL (name), GTK_JUSTIFY_CENTER);
      gtk_box_append (GTK_BOX (box), name);
      gtk_box_append (GTK_BOX (box), gtk_label_new (count_text));
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "guide.category");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", category->id);
      gtk_widget_add_css_class (button, "category-tile");
      gtk_flow_box_append (GTK_FLOW_BOX (self->categories), button);
    }
}

static void
build_services (KioskGuideView *self, KioskBundle *bundle, const KioskCategory *category)
{
  g_autoptr (GPtrArray) items = kiosk_bundle_services_in (bundle, category);

  gtk_label_set_text (self->title, kiosk_screen_text (KIOSK_SCREEN (self), &category->name));
  for (guint i = 0; i < items->len; i++)
    {
      const KioskService *service = g_ptr_array_index (items, i);
      GtkWidget *button = kiosk_icon_button_new (
          "kiosk-document-symbolic", kiosk_screen_text (KIOSK_SCREEN (self), &service->name), "guide.service",
          g_variant_new_string (service->id), "list-button");

      gtk_box_append (GTK_BOX (self->services), button);
    }
}

static void
build_detail (KioskGuideView *self, KioskBundle *bundle, const KioskService *service)
{
  KioskScreen *screen = KIOSK_SCREEN (self);
  g_autoptr (GDateTime) now = kiosk_screen_now (screen);
  const KioskHours *hours = service->hours;
  const char *description = kiosk_screen_text (screen, &service->description);
  GtkWidget *box = self->detail;

  gtk_label_set_text (self->title, kiosk_screen_text (screen, &service->name));
  if (description != NULL && *description != '\0')
    gtk_box_append (GTK_BOX (box), kiosk_label_new (description, "body"));

  gtk_box_append (GTK_BOX (box), kiosk_label_new (_ ("Please bring"), "section-title"));
  if (service->documents == NULL || service->documents->len == 0)
    gtk_box_append (GTK_BOX (box), kiosk_label_new (_ ("Nothing: just come in person"), "body"));
  for (guint i = 0; service->documents != NULL && i < service->documents->len; i++)
    {
      const KioskText *document = g_ptr_array_index (service->documents, i);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
      GtkWidget *image = gtk_image_new_from_icon_name ("kiosk-document-symbolic");

      gtk_widget_add_css_class (image, "button-icon");
      gtk_widget_set_valign (image, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (row), image);
      gtk_box_append (GTK_BOX (row), kiosk_label_new (kiosk_screen_text (screen, document), "body"));
      gtk_widget_add_css_class (row, "document");
      gtk_box_append (GTK_BOX (box), row);
    }

  if (service->queue != NULL)
    {
      g_autofree char *queue_text = g_strdup_printf (_ ("Queue: %c · %s"), service->queue->prefix,
                                                     kiosk_screen_text (screen, &service->queue->name));

      gtk_box_append (GTK_BOX (box), kiosk_label_new (_ ("Where"), "section-title"));
      gtk_box_append (GTK_BOX (box), kiosk_label_new (queue_text, "body"));
      if (hours == NULL)
        hours = service->queue->hours;
    }
  if (hours != NULL)
    {
      g_autofree char *spans = kiosk_ui_format_spans (kiosk_hours_spans_on (hours, now));
      g_autofree char *hours_text = g_strdup_printf (_ ("Today: %s"), spans);

      gtk_box_append (GTK_BOX (box), kiosk_label_new (_ ("Opening hours"), "section-title"));
      gtk_box_append (GTK_BOX (box), kiosk_label_new (hours_text, "body"));
    }
  if (service->priority_lanes)
    gtk_box_append (GTK_BOX (box),
                    kiosk_label_new (_ ("Priority for the elderly, pregnant women, people with disabilities "
                                        "and appointments."),
                                     "body"));

  gtk_box_append (GTK_BOX (box),
                  kiosk_icon_button_new ("kiosk-ticket-symbolic", _ ("Take a number"), "kiosk.show",
                                         g_variant_new_string ("ticket"), "primary-button"));
}

static void
kiosk_guide_view_refresh (KioskScreen *screen)
{
  KioskGuideView *self = KIOSK_GUIDE_VIEW (screen);
  KioskBundle *bundle = kiosk_screen_get_bundle (screen);
  const KioskCategory *category = NULL;
  const KioskService *service = NULL;
  const char *page = "categories";

  kiosk_box_remove_all (self->categories);
  kiosk_box_remove_all (self->services);
  kiosk_box_remove_all (self->detail);
  gtk_label_set_text (self->back_label, _ ("Back"));

  if (bundle == NULL)
    {
      gtk_label_set_text (self->title, _ ("Services guide"));
      gtk_stack_set_visible_child_name (self->pages, page);
      return;
    }

  /* After a content swap the visitor's service may be gone: start over. */
  if (self->category_id != NULL)
    category = kiosk_bundle_find_category (bundle, self->category_id);
  if (self->service_id != NULL)
    service = kiosk_bundle_find_service (bundle, self->service_id);

  if (service != NULL)
    {
      build_detail (self, bundle, service);
      page = "detail";
    }
  else if (category != NULL)
    {
      build_services (self, bundle, category);
      page = "services";
    }
  else
    build_categories (self, bundle);

  gtk_widget_set_visible (self->back_button, g_strcmp0 (page, "categories") != 0);
  gtk_stack_set_visible_child_name (self->pages, page);
}

static void
kiosk_guide_view_reset (KioskScreen *screen)
{
  KioskGuideView *self = KIOSK_GUIDE_VIEW (screen);

  g_clear_pointer (&self->category_id, g_free);
  g_clear_pointer (&self->service_id, g_free);
  kiosk_guide_view_refresh (screen);
}

static void
open_category (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskGuideView *self = KIOSK_GUIDE_VIEW (widget);

  g_free (self->category_id);
  self->category_id = g_variant_dup_string (parameter, NULL);
  g_clear_pointer (&self->service_id, g_free);
  kiosk_guide_view_refresh (KIOSK_SCREEN (self));
}

static void
open_service (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskGuideView *self = KIOSK_GUIDE_VIEW (widget);
  KioskBundle *bundle = kiosk_screen_get_bundle (KIOSK_SCREEN (self));
  const KioskService *service = NULL;

  if (bundle != NULL)
    service = kiosk_bundle_find_service (bundle, g_variant_get_string (parameter, NULL));
  if (service == NULL)
    return;
  g_free (self->service_id);
  self->service_id = g_strdup (service->id);
  /* Back from a service goes to its category, however it was reached. */
  if (service->category != NULL)
    {
      g_free (self->category_id);
      self->category_id = g_strdup (service->category->id);
    }
  kiosk_guide_view_refresh (KIOSK_SCREEN (self));
}

static void
go_back (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskGuideView *self = KIOSK_GUIDE_VIEW (widget);

  if (self->service_id != NULL)
    g_clear_pointer (&self->service_id, g_free);
  else
    g_clear_pointer (&self->category_id, g_free);
  kiosk_guide_view_refresh (KIOSK_SCREEN (self));
}

const char *
kiosk_guide_view_get_page (KioskGuideView *self)
{
  g_return_val_if_fail (KIOSK_IS_GUIDE_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->pages);
}

static void
kiosk_guide_view_finalize (GObject *object)
{
  KioskGuideView *self = KIOSK_GUIDE_VIEW (object);

  g_free (self->category_id);
  g_free (self->service_id);
  G_OBJECT_CLASS (kiosk_guide_view_parent_class)->finalize (object);
}

static void
kiosk_guide_view_class_init (KioskGuideViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = kiosk_guide_view_finalize;
  KIOSK_SCREEN_CLASS (klass)->refresh = kiosk_guide_view_refresh;
  KIOSK_SCREEN_CLASS (klass)->reset = kiosk_guide_view_reset;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/linli/Kiosk/kiosk-guide-view.ui");
  gtk_widget_class_set_css_name (widget_class, "kiosk-guide");
  gtk_widget_class_bind_template_child (widget_class, KioskGuideView, back_button);
  gtk_widget_class_bind_template_child (widget_class, KioskGuideView, back_label);
  gtk_widget_class_bind_template_child (widget_class, KioskGuideView, title);
  gtk_widget_class_bind_template_child (widget_class, KioskGuideView, pages);
  gtk_widget_class_bind_template_child (widget_class, KioskGuideView, categories);
  gtk_widget_class_bind_template_child (widget_class, KioskGuideView, services);
  gtk_widget_class_bind_template_child (widget_class, KioskGuideView, detail);

  gtk_widget_class_install_action (widget_class, "guide.category", "s", open_category);
  gtk_widget_class_install_action (widget_class, "guide.service", "s", open_service);
  gtk_widget_class_install_action (widget_class, "guide.back", NULL, go_back);
}

static void
kiosk_guide_view_init (KioskGuideView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kiosk_guide_view_refresh (KIOSK_SCREEN (self));
}
