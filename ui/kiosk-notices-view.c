/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-notices-view.h"

struct _KioskNoticesView
{
  KioskScreen parent_instance;

  /* Template widgets */
  GtkLabel *title;
  GtkWidget *list;
};

G_DEFINE_FINAL_TYPE (KioskNoticesView, kiosk_notices_view, KIOSK_TYPE_SCREEN)

static GtkWidget *
notice_card_new (KioskScreen *screen, const KioskAnnouncement *notice)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);

  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card),
                  kiosk_label_new (kiosk_screen_text (screen, &notice->title), "section-title"));
  if (notice->image != NULL)
    {
      GtkWidget *picture = gtk_picture_new_for_filename (notice->image);

      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_widget_set_size_request (picture, -1, 360);
      gtk_box_append (GTK_BOX (card), picture);
    }
  gtk_box_append (GTK_BOX (card), kiosk_label_new (kiosk_screen_text (screen, &notice->body), "body"));
  if (notice->valid_until != NULL)
    {
      g_autofree char *until = g_date_time_format (notice->valid_until, "%Y-%m-%d");
      g_autofree char *text = g_strdup_printf (_ ("Valid until %s"), until);

      gtk_box_append (GTK_BOX (card), kiosk_label_new (text, "note"));
    }
  return card;
}

static void
kiosk_notices_view_refresh (KioskScreen *screen)
{
  KioskNoticesView *self = KIOSK_NOTICES_VIEW (screen);
  KioskBundle *bundle = kiosk_screen_get_bundle (screen);
  g_autoptr (GPtrArray) notices = NULL;

  gtk_label_set_text (self->title, _ ("Announcements"));
  kiosk_box_remove_all (self->list);

  if (bundle != NULL)
    {
      g_autoptr (GDateTime) now = kiosk_screen_now (screen);

      notices = kiosk_bundle_active_announcements (bundle, now);
    }
  if (notices == NULL || notices->len == 0)
    {
      gtk_box_append (GTK_BOX (self->list), kiosk_label_new (_ ("No announcements at the moment."), "body"));
      return;
    }
  for (guint i = 0; i < notices->len; i++)
    gtk_box_append (GTK_BOX (self->list), notice_card_new (screen, g_ptr_array_index (notices, i)));
}

static void
kiosk_notices_view_class_init (KioskNoticesViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  KIOSK_SCREEN_CLASS (klass)->refresh = kiosk_notices_view_refresh;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/linli/Kiosk/kiosk-notices-view.ui");
  gtk_widget_class_set_css_name (widget_class, "kiosk-notices");
  gtk_widget_class_bind_template_child (widget_class, KioskNoticesView, title);
  gtk_widget_class_bind_template_child (widget_class, KioskNoticesView, list);
}

static void
kiosk_notices_view_init (KioskNoticesView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kiosk_notices_view_refresh (KIOSK_SCREEN (self));
}
