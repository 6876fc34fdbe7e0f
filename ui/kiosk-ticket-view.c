/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-ticket-view.h"
#include "kiosk-ui-text.h"

struct _KioskTicketView
{
  KioskScreen parent_instance;

  /* Template widgets */
  GtkLabel *title;
  GtkWidget *list;
};

G_DEFINE_FINAL_TYPE (KioskTicketView, kiosk_ticket_view, KIOSK_TYPE_SCREEN)

static GtkWidget *
queue_card_new (KioskScreen *screen, const KioskQueueDef *queue, GDateTime *now)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  char prefix[2] = { queue->prefix, '\0' };
  GtkWidget *badge = gtk_label_new (prefix);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (badge, "queue-badge");
  gtk_widget_set_valign (badge, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (card), badge);

  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text),
                  kiosk_label_new (kiosk_screen_text (screen, &queue->name), "section-title"));
  if (queue->hours != NULL)
    {
      g_autofree char *state = kiosk_ui_format_open_state (queue->hours, now);
      g_autofree char *spans = kiosk_ui_format_spans (kiosk_hours_spans_on (queue->hours, now));
      g_autofree char *today = g_strdup_printf (_ ("Today: %s"), spans);
      GtkWidget *state_label = kiosk_label_new (state, "body");

      gtk_widget_add_css_class (state_label, kiosk_hours_is_open (queue->hours, now) ? "open" : "closed");
      gtk_box_append (GTK_BOX (text), state_label);
      gtk_box_append (GTK_BOX (text), kiosk_label_new (today, "note"));
    }
  gtk_box_append (GTK_BOX (card), text);
  return card;
}

static void
kiosk_ticket_view_refresh (KioskScreen *screen)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (screen);
  KioskBundle *bundle = kiosk_screen_get_bundle (screen);
  g_autoptr (GDateTime) now = kiosk_screen_now (screen);
  GPtrArray *queues;

  gtk_label_set_text (self->title, _ ("Take a number"));
  kiosk_box_remove_all (self->list);
  gtk_box_append (GTK_BOX (self->list),
                  kiosk_label_new (_ ("The service hall's queues today. Numbers are given at the front desk "
                                      "until this kiosk's printer is set up."),
                                   "body"));
  if (bundle == NULL)
    return;

  queues = kiosk_bundle_get_queues (bundle);
  for (guint i = 0; i < queues->len; i++)
    gtk_box_append (GTK_BOX (self->list), queue_card_new (screen, g_ptr_array_index (queues, i), now));
}

static void
kiosk_ticket_view_class_init (KioskTicketViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  KIOSK_SCREEN_CLASS (klass)->refresh = kiosk_ticket_view_refresh;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/linli/Kiosk/kiosk-ticket-view.ui");
  gtk_widget_class_set_css_name (widget_class, "kiosk-ticket");
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, title);
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, list);
}

static void
kiosk_ticket_view_init (KioskTicketView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kiosk_ticket_view_refresh (KIOSK_SCREEN (self));
}
