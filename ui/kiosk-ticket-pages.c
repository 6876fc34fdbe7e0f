/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-queue-text.h"
#include "kiosk-ticket-view-private.h"
#include "kiosk-ui-text.h"

/* The pages of take a number, built in code from the view's state. */

static const char *const keypad_rows[] = { "1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM" };

static const char *
language (KioskTicketView *self)
{
  return kiosk_screen_get_language (KIOSK_SCREEN (self));
}

static const char *
other_language (KioskTicketView *self)
{
  return g_strcmp0 (language (self), KIOSK_LANG_EN) == 0 ? KIOSK_LANG_ZH : KIOSK_LANG_EN;
}

static gboolean
landscape (KioskTicketView *self)
{
  return self->app != NULL && kiosk_application_get_landscape (self->app);
}

static gboolean
large_text (KioskTicketView *self)
{
  return self->app != NULL && kiosk_application_get_large_text (self->app);
}

static GtkWidget *
centred_label (const char *text, const char *css_class)
{
  GtkWidget *label = kiosk_label_new (text, css_class);

  gtk_label_set_xalign (GTK_LABEL (label), 0.5f);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  return label;
}

/* A name in the screen's language, and under it, smaller, in the other:
 * counters are signed in Chinese, and a helper may read only one of them. */
static void
append_both_names (KioskTicketView *self, GtkWidget *box, const KioskText *name, const char *css_class,
                   gboolean centred)
{
  const char *first = kiosk_text_get (name, language (self));
  const char *second = kiosk_text_get (name, other_language (self));
  GtkWidget *(*make) (const char *, const char *) = centred ? centred_label : kiosk_label_new;

  gtk_box_append (GTK_BOX (box), make (first, css_class));
  if (second != NULL && g_strcmp0 (first, second) != 0)
    gtk_box_append (GTK_BOX (box), make (second, "other-language"));
}

static GtkWidget *
flow_box_new (guint columns)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), columns);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), columns);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 24);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 24);
  gtk_widget_set_valign (flow, GTK_ALIGN_START);
  return flow;
}

/* Categories */

void
kiosk_ticket_build_categories (KioskTicketView *self, KioskBundle *bundle)
{
  GPtrArray *categories = kiosk_bundle_get_categories (bundle);
  GtkWidget *flow = flow_box_new (landscape (self) ? 3 : 2);

  gtk_label_set_text (self->title, _ ("Take a number: choose a category"));
  for (guint i = 0; i < categories->len; i++)
    {
      const KioskCategory *category = g_ptr_array_index (categories, i);
      g_autoptr (GPtrArray) services = kiosk_bundle_services_in (bundle, category);
      GtkWidget *button;
      GtkWidget *box;
      GtkWidget *name;

      if (services->len == 0)
        continue;
      button = gtk_button_new ();
      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
      name = centred_label (kiosk_screen_text (KIOSK_SCREEN (self), &category->name), "tile-title");
      gtk_box_append (GTK_BOX (box),
                      kiosk_bundle_icon_new (bundle, category->icon, "kiosk-ticket-symbolic", 96));
      gtk_box_append (GTK_BOX (box), name);
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "ticket.category");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", category->id);
      gtk_widget_add_css_class (button, "category-tile");
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
    }
  gtk_box_append (GTK_BOX (self->categories_page), flow);
  gtk_box_append (GTK_BOX (self->categories_page),
                  kiosk_icon_button_new ("kiosk-clock-symbolic", _ ("I have an appointment"),
                                         "ticket.appointment", NULL, "list-button"));
}

/* Services */

static char *
service_state (KioskTicketView *self, const KioskService *service, gboolean *open)
{
  KioskQueue *queue = self->app != NULL ? kiosk_application_get_queue (self->app) : NULL;
  g_autoptr (KioskRefusal) refusal = NULL;
  KioskQueueStatus status;

  *open = FALSE;
  if (queue == NULL)
    return g_strdup (_ ("Please ask at a service desk"));
  if (!kiosk_queue_check (queue, service->id, KIOSK_LANE_NORMAL, &refusal, NULL))
    return refusal != NULL ? g_strdup (kiosk_text_get (&refusal->text, language (self)))
                           : g_strdup (_ ("Please ask at a service desk"));
  *open = TRUE;
  if (!kiosk_queue_get_status (queue, service->queue->id, &status, NULL))
    return NULL;
  return kiosk_ui_format_queue_state (&status, language (self));
}

static GtkWidget *
service_tile_new (KioskTicketView *self, KioskBundle *bundle, const KioskService *service)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *icon = kiosk_bundle_icon_new (bundle, service->icon, "kiosk-document-symbolic", 72);
  g_autofree char *documents = kiosk_ui_join_documents (service->documents, language (self));
  gboolean open;
  g_autofree char *state = service_state (self, service, &open);

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), icon);
  append_both_names (self, text, &service->name, "service-name", FALSE);
  if (documents != NULL)
    {
      g_autofree char *bring = g_strdup_printf (_ ("Bring: %s"), documents);

      gtk_box_append (GTK_BOX (text), kiosk_label_new (bring, "note"));
    }
  if (state != NULL)
    gtk_box_append (GTK_BOX (text), kiosk_label_new (state, open ? "open" : "closed"));
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (box), text);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "ticket.service");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", service->id);
  gtk_widget_add_css_class (button, "service-tile");
  gtk_widget_set_hexpand (button, TRUE);
  gtk_box_append (GTK_BOX (row), button);

  /* Priority is the exception: a smaller button beside the tile. */
  if (service->priority_lanes)
    {
      GtkWidget *priority = gtk_button_new ();
      GtkWidget *label = centred_label (_ ("Priority"), NULL);

      gtk_widget_set_hexpand (label, FALSE);
      gtk_button_set_child (GTK_BUTTON (priority), label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (priority), "ticket.priority");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (priority), "s", service->id);
      gtk_widget_add_css_class (priority, "priority-button");
      gtk_box_append (GTK_BOX (row), priority);
    }
  return row;
}

void
kiosk_ticket_build_services (KioskTicketView *self, KioskBundle *bundle, const KioskCategory *category)
{
  g_autoptr (GPtrArray) services = kiosk_bundle_services_in (bundle, category);
  GtkWidget *flow = flow_box_new (landscape (self) && !large_text (self) ? 2 : 1);

  /* Each row as tall as its own text: more services on one screen. */
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), FALSE);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 16);
  gtk_label_set_text (self->title, kiosk_screen_text (KIOSK_SCREEN (self), &category->name));
  gtk_box_append (GTK_BOX (self->services_page),
                  kiosk_label_new (_ ("Touch your service: the number prints at once."), "body"));
  for (guint i = 0; i < services->len; i++)
    gtk_flow_box_append (GTK_FLOW_BOX (flow),
                         service_tile_new (self, bundle, g_ptr_array_index (services, i)));
  gtk_box_append (GTK_BOX (self->services_page), flow);
}

/* Priority lanes */

void
kiosk_ticket_build_lanes (KioskTicketView *self, const KioskService *service)
{
  static const KioskLane priority[] = { KIOSK_LANE_ELDERLY, KIOSK_LANE_PREGNANT, KIOSK_LANE_DISABLED };
  GtkWidget *regular;
  GtkWidget *others = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);

  gtk_label_set_text (self->title, _ ("Who is the number for?"));
  append_both_names (self, self->lanes_page, &service->name, "section-title", FALSE);

  /* Regular is what nearly everyone needs: the big button. */
  regular = kiosk_icon_button_new ("kiosk-ticket-symbolic",
                                   kiosk_lane_get_label (KIOSK_LANE_NORMAL, language (self)), "ticket.lane",
                                   g_variant_new_string ("normal"), "lane-regular");
  gtk_box_append (GTK_BOX (self->lanes_page), regular);

  gtk_box_append (GTK_BOX (self->lanes_page),
                  kiosk_label_new (_ ("Priority numbers are for seniors, pregnant women and people with "
                                      "disabilities. Please show proof at the counter."),
                                   "body"));
  gtk_box_set_homogeneous (GTK_BOX (others), TRUE);
  if (large_text (self) && !landscape (self))
    gtk_orientable_set_orientation (GTK_ORIENTABLE (others), GTK_ORIENTATION_VERTICAL);
  for (gsize i = 0; i < G_N_ELEMENTS (priority); i++)
    {
      GtkWidget *button = gtk_button_new ();

      gtk_button_set_child (GTK_BUTTON (button),
                            centred_label (kiosk_lane_get_label (priority[i], language (self)), NULL));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "ticket.lane");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", kiosk_lane_to_string (priority[i]));
      gtk_widget_add_css_class (button, "lane-button");
      gtk_box_append (GTK_BOX (others), button);
    }
  gtk_box_append (GTK_BOX (self->lanes_page), others);
}

/* Confirmation */

static GtkWidget *
qr_picture_new (GdkTexture *texture)
{
  GtkWidget *image = gtk_image_new_from_paintable (GDK_PAINTABLE (texture));

  /* Exactly its own size: a scaled, blurred module edge is a QR a phone
   * cannot read. (A QR is square, as an image's icon size is.) */
  gtk_image_set_pixel_size (GTK_IMAGE (image), gdk_texture_get_width (texture));
  gtk_widget_set_halign (image, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (image, "qr");
  return image;
}

static GtkWidget *
documents_box_new (KioskTicketView *self, const KioskService *service)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_widget_set_hexpand (box, TRUE);
  gtk_box_append (GTK_BOX (box), kiosk_label_new (_ ("Please bring"), "section-title"));
  if (service == NULL || service->documents == NULL || service->documents->len == 0)
    gtk_box_append (GTK_BOX (box), kiosk_label_new (_ ("Nothing: just come in person"), "body"));
  for (guint i = 0; service != NULL && service->documents != NULL && i < service->documents->len; i++)
    {
      const KioskText *document = g_ptr_array_index (service->documents, i);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
      GtkWidget *image = gtk_image_new_from_icon_name ("kiosk-document-symbolic");

      gtk_widget_add_css_class (image, "button-icon");
      gtk_widget_set_valign (image, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (row), image);
      gtk_box_append (GTK_BOX (row),
                      kiosk_label_new (kiosk_screen_text (KIOSK_SCREEN (self), document), "body"));
      gtk_widget_add_css_class (row, "document");
      gtk_box_append (GTK_BOX (box), row);
    }
  return box;
}

/* The label very large, the service, the lane. */
static GtkWidget *
number_box_new (KioskTicketView *self, const KioskService *service)
{
  const KioskTicket *ticket = self->ticket;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  /* Landscape's rows are few, and the number speaks for itself there. */
  if (!landscape (self))
    gtk_box_append (GTK_BOX (box), centred_label (_ ("Your number"), "section-title"));
  gtk_box_append (GTK_BOX (box), centred_label (ticket->label, "ticket-number"));
  if (service != NULL)
    append_both_names (self, box, &service->name, "ticket-service", TRUE);
  if (kiosk_lane_is_priority (ticket->lane))
    gtk_box_append (GTK_BOX (box),
                    centred_label (kiosk_lane_get_label (ticket->lane, language (self)), "lane-badge"));
  return box;
}

/* People ahead and the wait range. */
static void
append_wait (KioskTicketView *self, GtkWidget *box)
{
  g_autofree char *ahead = kiosk_ui_format_people_ahead (self->ticket->people_ahead);
  g_autofree char *wait
      = kiosk_ui_format_wait (self->ticket->wait_low, self->ticket->wait_high, language (self));

  gtk_box_append (GTK_BOX (box), centred_label (ahead, "status"));
  gtk_box_append (GTK_BOX (box), centred_label (wait, "status"));
}

static GtkWidget *
qr_box_new (KioskTicketView *self, gboolean photo)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GdkTexture *texture = photo && self->qr_large != NULL ? self->qr_large : self->qr;

  if (texture != NULL)
    gtk_box_append (GTK_BOX (box), qr_picture_new (texture));
  /* No QR without the hub's public address: say how the turn comes instead. */
  gtk_box_append (GTK_BOX (box),
                  centred_label (texture != NULL ? _ ("Scan to follow your place in the queue")
                                                 : _ ("Watch the hall screen and listen for your number"),
                                 "note"));
  return box;
}

static GtkWidget *
print_status_new (KioskTicketView *self)
{
  switch (self->print_state)
    {
      case KIOSK_PRINT_PRINTING:
        return centred_label (_ ("Printing your slip…"), "print-status");
      case KIOSK_PRINT_PRINTED:
        return centred_label (_ ("Please take your slip below"), "print-status");
      case KIOSK_PRINT_FAILED:
        {
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
          KioskPrinter *printer = self->app != NULL ? kiosk_application_get_printer (self->app) : NULL;

          gtk_widget_add_css_class (box, "print-failed");
          gtk_box_append (
              GTK_BOX (box),
              centred_label (self->qr_text == NULL
                                 ? (printer != NULL ? _ ("Printing failed — please note your number")
                                                    : _ ("No slip here — please note your number"))
                             : printer != NULL ? _ ("Printing failed — please photograph the QR code")
                                               : _ ("No slip here — please photograph the QR code"),
                             "print-failed-title"));
          if (printer != NULL)
            gtk_box_append (GTK_BOX (box), centred_label (kiosk_ui_describe_print_failure (self->print_status,
                                                                                           self->print_error),
                                                          "body"));
          gtk_box_append (GTK_BOX (box),
                          centred_label (_ ("Your number is valid. Staff have been told."), "body"));
          return box;
        }
      case KIOSK_PRINT_NONE:
      default:
        return NULL;
    }
}

static GtkWidget *
done_button_new (void)
{
  GtkWidget *done
      = kiosk_icon_button_new ("kiosk-home-symbolic", _ ("Done"), "kiosk.home", NULL, "primary-button");

  gtk_widget_set_hexpand (done, TRUE);
  return done;
}

/* Portrait: the number, then the QR beside the documents, the print state,
 * and Done under the card. When the slip failed, the message first and the
 * QR large. */
static void
build_ticket_portrait (KioskTicketView *self, const KioskService *service, GtkWidget *card)
{
  gboolean failed = self->print_state == KIOSK_PRINT_FAILED;
  GtkWidget *status = print_status_new (self);

  if (failed && status != NULL)
    gtk_box_append (GTK_BOX (card), g_steal_pointer (&status));
  gtk_box_append (GTK_BOX (card), number_box_new (self, service));
  append_wait (self, card);
  if (failed)
    {
      gtk_box_append (GTK_BOX (card), qr_box_new (self, TRUE));
      gtk_box_append (GTK_BOX (card), documents_box_new (self, service));
    }
  else
    {
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 32);

      gtk_box_append (GTK_BOX (row), qr_box_new (self, FALSE));
      gtk_box_append (GTK_BOX (row), documents_box_new (self, service));
      gtk_box_append (GTK_BOX (card), row);
    }
  if (status != NULL)
    gtk_box_append (GTK_BOX (card), status);
  gtk_box_append (GTK_BOX (self->ticket_page), card);
  gtk_box_append (GTK_BOX (self->ticket_page), done_button_new ());
  gtk_box_append (GTK_BOX (self->ticket_page),
                  centred_label (_ ("The screen returns home by itself in a few seconds."), "note"));
}

/* Landscape has 1080 rows, so columns: the number; the wait, the documents,
 * the print state and Done; the QR. When the slip failed, the message over
 * the first two and the QR large. */
static void
build_ticket_landscape (KioskTicketView *self, const KioskService *service, GtkWidget *card)
{
  gboolean failed = self->print_state == KIOSK_PRINT_FAILED;
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 40);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 32);
  GtkWidget *middle = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *status = print_status_new (self);
  GtkWidget *qr = qr_box_new (self, failed);

  gtk_widget_set_hexpand (left, TRUE);
  gtk_widget_set_hexpand (middle, TRUE);
  gtk_widget_set_valign (middle, GTK_ALIGN_CENTER);
  if (failed && status != NULL)
    gtk_box_append (GTK_BOX (left), g_steal_pointer (&status));
  gtk_box_append (GTK_BOX (columns), number_box_new (self, service));
  append_wait (self, middle);
  if (failed)
    {
      g_autofree char *documents
          = service != NULL ? kiosk_ui_join_documents (service->documents, language (self)) : NULL;
      g_autofree char *bring = documents != NULL ? g_strdup_printf (_ ("Bring: %s"), documents) : NULL;

      if (bring != NULL)
        gtk_box_append (GTK_BOX (middle), centred_label (bring, "body"));
    }
  else
    gtk_box_append (GTK_BOX (middle), documents_box_new (self, service));
  if (status != NULL)
    gtk_box_append (GTK_BOX (middle), status);
  gtk_box_append (GTK_BOX (middle), done_button_new ());
  gtk_box_append (GTK_BOX (columns), middle);
  gtk_box_append (GTK_BOX (left), columns);
  gtk_box_append (GTK_BOX (row), left);
  gtk_widget_set_valign (qr, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (qr, FALSE);
  gtk_box_append (GTK_BOX (row), qr);
  gtk_box_append (GTK_BOX (card), row);
  gtk_box_append (GTK_BOX (self->ticket_page), card);
}

void
kiosk_ticket_build_ticket (KioskTicketView *self, KioskBundle *bundle)
{
  const KioskService *service = kiosk_bundle_find_service (bundle, self->ticket->service_id);
  gboolean failed = self->print_state == KIOSK_PRINT_FAILED;
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);

  if (self->greeting != NULL && !failed)
    {
      g_autofree char *title = g_strdup_printf (_ ("Hello, %s. Your number is ready"), self->greeting);
      gtk_label_set_text (self->title, title);
    }
  else
    gtk_label_set_text (self->title, failed ? _ ("Your number (no slip)") : _ ("Your number is ready"));
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "ticket-card");
  if (landscape (self))
    build_ticket_landscape (self, service, card);
  else
    build_ticket_portrait (self, service, card);
}

/* Refusals */

void
kiosk_ticket_build_refused (KioskTicketView *self, KioskBundle *bundle)
{
  const KioskService *service
      = self->service_id != NULL ? kiosk_bundle_find_service (bundle, self->service_id) : NULL;
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *icon = gtk_image_new_from_icon_name ("kiosk-clock-symbolic");

  gtk_label_set_text (self->title, _ ("No number right now"));
  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "refusal-card");
  gtk_widget_add_css_class (icon, "refusal-icon");
  gtk_box_append (GTK_BOX (card), icon);
  if (service != NULL)
    append_both_names (self, card, &service->name, "section-title", TRUE);

  if (self->refusal == NULL)
    {
      gtk_box_append (
          GTK_BOX (card),
          centred_label (_ ("Numbers cannot be issued here right now. Please ask at a service desk."),
                         "refusal-text"));
    }
  else
    {
      /* Plainly, Chinese first, whatever the screen's language. */
      gtk_box_append (GTK_BOX (card), centred_label (self->refusal->text.zh, "refusal-text"));
      if (self->refusal->text.en != NULL)
        gtk_box_append (GTK_BOX (card), centred_label (self->refusal->text.en, "refusal-text-en"));
      if (self->refusal->next_opening != NULL)
        {
          g_autoptr (GDateTime) now = kiosk_screen_now (KIOSK_SCREEN (self));
          g_autofree char *when = kiosk_format_when (self->refusal->next_opening, now, language (self));
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);

          /* The one thing to remember, large: when to come back. */
          gtk_widget_add_css_class (box, "next-opening-box");
          gtk_box_append (GTK_BOX (box), centred_label (_ ("Please come back"), "section-title"));
          gtk_box_append (GTK_BOX (box), centred_label (when, "next-opening"));
          gtk_box_append (GTK_BOX (card), box);
        }
    }
  gtk_box_append (GTK_BOX (self->refused_page), card);
  gtk_box_append (GTK_BOX (self->refused_page),
                  kiosk_icon_button_new ("kiosk-back-symbolic", _ ("Choose another service"), "ticket.back",
                                         NULL, "list-button"));
}

/* Appointment check-in */

static const char *
check_in_message (KioskTicketView *self)
{
  if (self->check_in_refusal != NULL)
    return kiosk_text_get (&self->check_in_refusal->text, language (self));
  switch (self->check_in_hint)
    {
      case KIOSK_CHECK_IN_HINT_TOO_SHORT:
        return _ ("A booking code has 4 to 32 letters and digits.");
      case KIOSK_CHECK_IN_HINT_UNREADABLE:
        return _ ("The card or code could not be read. Please try again, or type the booking code.");
      case KIOSK_CHECK_IN_HINT_UNAVAILABLE:
        return _ ("Check-in is not possible here right now. Please ask at a service desk.");
      case KIOSK_CHECK_IN_HINT_NONE:
      default:
        return NULL;
    }
}

void
kiosk_ticket_update_code (KioskTicketView *self)
{
  gboolean empty = self->code->len == 0;

  if (self->code_label == NULL)
    return;
  gtk_label_set_text (self->code_label, empty ? _ ("Booking code") : self->code->str);
  if (empty)
    gtk_widget_add_css_class (GTK_WIDGET (self->code_label), "placeholder");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->code_label), "placeholder");
}

static GtkWidget *
key_new (const char *text, const char *action, GVariant *target, const char *css_class)
{
  GtkWidget *button = gtk_button_new_with_label (text);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  if (target != NULL)
    gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  gtk_widget_add_css_class (button, css_class);
  return button;
}

static GtkWidget *
keypad_new (void)
{
  GtkWidget *grid = gtk_grid_new ();
  int last_row = G_N_ELEMENTS (keypad_rows) - 1;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_homogeneous (GTK_GRID (grid), TRUE);
  gtk_grid_set_column_homogeneous (GTK_GRID (grid), TRUE);
  gtk_widget_add_css_class (grid, "keypad");
  for (int row = 0; row <= last_row; row++)
    for (int col = 0; keypad_rows[row][col] != '\0'; col++)
      {
        char key[2] = { keypad_rows[row][col], '\0' };

        gtk_grid_attach (GTK_GRID (grid), key_new (key, "ticket.key", g_variant_new_string (key), "key"), col,
                         row, 1, 1);
      }
  gtk_grid_attach (GTK_GRID (grid), key_new ("⌫", "ticket.delete", NULL, "key"),
                   (int)strlen (keypad_rows[last_row]), last_row, 10 - (int)strlen (keypad_rows[last_row]),
                   1);
  return grid;
}

void
kiosk_ticket_build_appointment (KioskTicketView *self)
{
  GtkWidget *page = self->appointment_page;
  const char *message = check_in_message (self);
  GtkWidget *code = gtk_label_new (NULL);
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *check_in;

  gtk_label_set_text (self->title, _ ("I have an appointment"));
  gtk_box_append (GTK_BOX (page), kiosk_label_new (_ ("Type the booking code from your confirmation message, "
                                                      "scan its QR code, or tap your ID card on the reader."),
                                                   "body"));
  gtk_widget_add_css_class (code, "code-display");
  self->code_label = GTK_LABEL (code);
  kiosk_ticket_update_code (self);
  gtk_box_append (GTK_BOX (page), code);
  if (message != NULL)
    gtk_box_append (GTK_BOX (page), centred_label (message, "check-in-message"));
  gtk_box_append (GTK_BOX (page), keypad_new ());

  gtk_box_set_homogeneous (GTK_BOX (actions), TRUE);
  gtk_box_append (GTK_BOX (actions),
                  kiosk_icon_button_new (NULL, _ ("Clear"), "ticket.clear", NULL, "list-button"));
  check_in = kiosk_icon_button_new ("kiosk-ticket-symbolic", _ ("Check in"), "ticket.check-in", NULL,
                                    "primary-button");
  gtk_box_append (GTK_BOX (actions), check_in);
  gtk_box_append (GTK_BOX (page), actions);
}
