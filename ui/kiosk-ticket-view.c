/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "kiosk-appointment.h"
#include "kiosk-card.h"
#include "kiosk-error.h"
#include "kiosk-qr-texture.h"
#include "kiosk-ticket-slip.h"
#include "kiosk-ticket-view-private.h"
#include "kiosk-ui-text.h"

/* The QR on the confirmation page, and the one to photograph when the slip
 * did not print (in pixels; modules are whole pixels, so it is at most this). */
#define QR_SCREEN_PX 300
#define QR_PHOTO_PX 600
#define QR_PHOTO_LANDSCAPE_PX 480
/* A person who must photograph the screen needs longer than one taking a slip. */
#define PHOTO_RETURN_FACTOR 4
#define CODE_MAX_LENGTH 32

G_DEFINE_FINAL_TYPE (KioskTicketView, kiosk_ticket_view, KIOSK_TYPE_SCREEN)

static KioskQueue *
get_queue (KioskTicketView *self)
{
  return self->app != NULL ? kiosk_application_get_queue (self->app) : NULL;
}

static KioskConfig *
get_config (KioskTicketView *self)
{
  return self->app != NULL ? kiosk_application_get_config (self->app) : NULL;
}

/* The hub's public address for people, as the sync last stored it; NULL
 * (no QR) when the kiosk was never told one. */
static char *
public_url (KioskTicketView *self)
{
  KioskStore *store = self->app != NULL ? kiosk_application_get_store (self->app) : NULL;

  return store != NULL ? kiosk_store_get_public_url (store) : NULL;
}

/* Return home */

static void
disarm_return_home (KioskTicketView *self)
{
  g_clear_handle_id (&self->return_source, g_source_remove);
  if (self->app != NULL && self->clock_handler != 0)
    g_clear_signal_handler (&self->clock_handler, kiosk_application_get_clock (self->app));
  self->return_deadline_us = 0;
}

static void
check_return_home (KioskTicketView *self)
{
  KioskClock *clock;

  if (self->return_deadline_us == 0 || self->app == NULL)
    return;
  clock = kiosk_application_get_clock (self->app);
  if (kiosk_clock_get_monotonic (clock) < self->return_deadline_us)
    return;
  disarm_return_home (self);
  /* Only from the confirmation on screen: never pull a later visitor away. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && g_strcmp0 (self->page, "ticket") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "kiosk.home", NULL);
}

static gboolean
on_return_tick (gpointer user_data)
{
  KioskTicketView *self = user_data;

  check_return_home (self);
  return self->return_deadline_us != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* Home after @seconds of the kiosk's clock (a fake clock in tests moves it). */
static void
arm_return_home (KioskTicketView *self, guint seconds)
{
  KioskClock *clock = kiosk_application_get_clock (self->app);

  self->return_deadline_us = kiosk_clock_get_monotonic (clock) + (gint64)seconds * G_USEC_PER_SEC;
  if (self->return_source == 0)
    {
      self->return_source = g_timeout_add_seconds (1, on_return_tick, self);
      g_source_set_name_by_id (self->return_source, "[kiosk] ticket return home");
    }
  if (self->clock_handler == 0)
    self->clock_handler = g_signal_connect_swapped (clock, "changed", G_CALLBACK (check_return_home), self);
}

static guint
return_home_seconds (KioskTicketView *self)
{
  return (guint)kiosk_config_get_int (get_config (self), "queue", "return_home_seconds");
}

/* Pages */

static void
forget_ticket (KioskTicketView *self)
{
  g_clear_pointer (&self->ticket, kiosk_ticket_free);
  g_clear_pointer (&self->qr_text, g_free);
  g_clear_pointer (&self->public_url, g_free);
  g_clear_object (&self->qr);
  g_clear_object (&self->qr_large);
  g_clear_error (&self->print_error);
  self->print_state = KIOSK_PRINT_NONE;
  self->print_status = KIOSK_PRINTER_STATUS_READY;
  disarm_return_home (self);
}

static void
show_page (KioskTicketView *self, const char *page)
{
  self->page = page;
  kiosk_screen_refresh (KIOSK_SCREEN (self));
}

static void
kiosk_ticket_view_refresh (KioskScreen *screen)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (screen);
  KioskBundle *bundle = kiosk_screen_get_bundle (screen);
  const KioskCategory *category = NULL;
  const KioskService *service = NULL;
  GtkWidget *boxes[] = { self->categories_page, self->services_page, self->lanes_page,
                         self->ticket_page,     self->refused_page,  self->appointment_page };
  const char *page = self->page;

  for (gsize i = 0; i < G_N_ELEMENTS (boxes); i++)
    kiosk_box_remove_all (boxes[i]);
  self->code_label = NULL;
  gtk_label_set_text (self->back_label, _ ("Back"));

  if (bundle != NULL && self->category_id != NULL)
    category = kiosk_bundle_find_category (bundle, self->category_id);
  if (bundle != NULL && self->service_id != NULL)
    service = kiosk_bundle_find_service (bundle, self->service_id);

  /* After a content swap the visitor's choice may be gone: start over. An
   * issued ticket stays on screen whatever the bundle says now. */
  if (bundle == NULL || (g_str_equal (page, "services") && category == NULL)
      || (g_str_equal (page, "lanes") && service == NULL)
      || (g_str_equal (page, "ticket") && self->ticket == NULL))
    page = "categories";
  self->page = page;

  if (g_str_equal (page, "services"))
    kiosk_ticket_build_services (self, bundle, category);
  else if (g_str_equal (page, "lanes"))
    kiosk_ticket_build_lanes (self, service);
  else if (g_str_equal (page, "ticket"))
    kiosk_ticket_build_ticket (self, bundle);
  else if (g_str_equal (page, "refused"))
    kiosk_ticket_build_refused (self, bundle);
  else if (g_str_equal (page, "appointment"))
    kiosk_ticket_build_appointment (self);
  else if (bundle != NULL)
    kiosk_ticket_build_categories (self, bundle);
  else
    gtk_label_set_text (self->title, _ ("Take a number"));

  /* The confirmation has no way back: the number is issued. On a landscape
   * screen it needs every row, and says what it is in large type anyway. */
  gtk_widget_set_visible (self->back_button,
                          !g_str_equal (page, "categories") && !g_str_equal (page, "ticket"));
  gtk_widget_set_visible (
      gtk_widget_get_parent (self->back_button),
      !(g_str_equal (page, "ticket") && self->app != NULL && kiosk_application_get_landscape (self->app)));
  gtk_stack_set_visible_child_name (self->pages, page);
}

static void
kiosk_ticket_view_reset (KioskScreen *screen)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (screen);

  forget_ticket (self);
  g_clear_pointer (&self->category_id, g_free);
  g_clear_pointer (&self->service_id, g_free);
  g_clear_pointer (&self->refusal, kiosk_refusal_free);
  g_clear_pointer (&self->check_in_refusal, kiosk_refusal_free);
  g_clear_pointer (&self->greeting, g_free);
  self->check_in_hint = KIOSK_CHECK_IN_HINT_NONE;
  g_string_truncate (self->code, 0);
  show_page (self, "categories");
}

/* Printing */

/* A slip on its way. Weak: the printer finishes whatever happens to the
 * screen, and a print must not keep a closed window alive. */
typedef struct
{
  GWeakRef view;
  char *uuid;
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_weak_ref_clear (&job->view);
  g_free (job->uuid);
  g_free (job);
}

/* Staff must hear of a ticket whose slip did not print, even when the
 * printer's status did not change (its own records cover changes). */
static void
report_unprinted (KioskTicketView *self)
{
  KioskStore *store = kiosk_application_get_store (self->app);
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *detail = NULL;
  g_autoptr (GError) error = NULL;

  if (store == NULL || !kiosk_store_get_healthy (store))
    return;
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ticket");
  json_builder_add_string_value (builder, self->ticket->uuid);
  json_builder_set_member_name (builder, "label");
  json_builder_add_string_value (builder, self->ticket->label);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, self->print_error != NULL ? self->print_error->message : "");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  detail = json_to_string (root, FALSE);
  if (!kiosk_store_report (store, "slip-not-printed", detail, &error))
    g_debug ("unprinted slip not recorded: %s", error->message);
}

static void
print_failed (KioskTicketView *self, GError *error)
{
  KioskPrinter *printer = kiosk_application_get_printer (self->app);

  self->print_state = KIOSK_PRINT_FAILED;
  self->print_status = printer != NULL ? kiosk_printer_get_status (printer) : KIOSK_PRINTER_STATUS_READY;
  g_clear_error (&self->print_error);
  self->print_error = error;
  if (error != NULL)
    g_message ("Slip %s not printed: %s", self->ticket->label, error->message);
  if (printer != NULL)
    report_unprinted (self);
  arm_return_home (self, return_home_seconds (self) * PHOTO_RETURN_FACTOR);
  if (self->qr_large == NULL && self->qr_text != NULL)
    self->qr_large = kiosk_qr_texture_new (
        self->qr_text, kiosk_application_get_landscape (self->app) ? QR_PHOTO_LANDSCAPE_PX : QR_PHOTO_PX,
        NULL);
}

static void
on_printed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  PrintJob *job = user_data;
  g_autoptr (KioskTicketView) self = g_weak_ref_get (&job->view);
  g_autoptr (GError) error = NULL;
  gboolean printed = kiosk_printer_print_finish (KIOSK_PRINTER (source), result, &error);

  /* The view went away, or shows another visitor's ticket by now. */
  if (self == NULL || self->app == NULL || self->ticket == NULL
      || g_strcmp0 (self->ticket->uuid, job->uuid) != 0)
    {
      if (!printed)
        g_message ("Slip not printed: %s", error->message);
      print_job_free (job);
      return;
    }
  if (printed)
    self->print_state = KIOSK_PRINT_PRINTED;
  else
    print_failed (self, g_steal_pointer (&error));
  if (g_strcmp0 (self->page, "ticket") == 0)
    kiosk_screen_refresh (KIOSK_SCREEN (self));
  print_job_free (job);
}

static void
print_slip (KioskTicketView *self)
{
  KioskPrinter *printer = kiosk_application_get_printer (self->app);
  KioskBundle *bundle = kiosk_queue_get_bundle (get_queue (self));
  g_autoptr (KioskTicketSlip) slip = NULL;
  g_autoptr (KioskBitmap) bitmap = NULL;
  g_autoptr (GError) error = NULL;
  PrintJob *job;

  if (printer == NULL)
    {
      print_failed (self, NULL);
      return;
    }
  slip = kiosk_ticket_slip_new (self->ticket, bundle, self->public_url, &error);
  if (slip != NULL)
    bitmap = kiosk_slip_render (&slip->data,
                                kiosk_config_get_int (get_config (self), "printer", "width_dots"), &error);
  if (bitmap == NULL)
    {
      print_failed (self, g_steal_pointer (&error));
      return;
    }
  self->print_state = KIOSK_PRINT_PRINTING;
  job = g_new0 (PrintJob, 1);
  g_weak_ref_init (&job->view, self);
  job->uuid = g_strdup (self->ticket->uuid);
  kiosk_printer_print_async (printer, bitmap, self->cancellable, on_printed, job);
}

/* Issuing */

static void
show_ticket (KioskTicketView *self, KioskTicket *ticket)
{
  g_autoptr (GError) error = NULL;

  forget_ticket (self);
  self->ticket = ticket;
  /* One address for the screen and the slip, so both carry the same QR. */
  self->public_url = public_url (self);
  self->qr_text = kiosk_ticket_qr_text (ticket, self->public_url, &error);
  if (error != NULL)
    {
      /* The store checks what it gives, so this is a code the URL cannot take. */
      g_message ("QR: %s; none on this ticket", error->message);
      g_clear_pointer (&self->public_url, g_free);
    }
  if (self->qr_text != NULL)
    self->qr = kiosk_qr_texture_new (self->qr_text, QR_SCREEN_PX, NULL);
  g_clear_pointer (&self->check_in_refusal, kiosk_refusal_free);
  self->check_in_hint = KIOSK_CHECK_IN_HINT_NONE;
  g_string_truncate (self->code, 0);
  arm_return_home (self, return_home_seconds (self));
  print_slip (self);
  show_page (self, "ticket");
}

/* Storage trouble: the store's health is off and the window's 暂停服务 /
 * Out of service cover is up; nothing was issued, so start over. Any other
 * error sends the visitor to a desk. */
static gboolean
handle_issue_error (KioskTicketView *self, const GError *error)
{
  KioskStore *store = kiosk_application_get_store (self->app);

  g_message ("Take a number: %s", error->message);
  if (store == NULL || !kiosk_store_get_healthy (store))
    {
      kiosk_ticket_view_reset (KIOSK_SCREEN (self));
      return TRUE;
    }
  return FALSE;
}

static void
issue (KioskTicketView *self, const char *service_id, KioskLane lane)
{
  KioskQueue *queue = get_queue (self);
  g_autoptr (KioskRefusal) refusal = NULL;
  g_autoptr (GError) error = NULL;
  KioskTicket *ticket;

  g_clear_pointer (&self->refusal, kiosk_refusal_free);
  if (queue != NULL)
    {
      ticket = kiosk_queue_issue_full (queue, service_id, lane, &refusal, &error);
      if (ticket != NULL)
        {
          show_ticket (self, ticket);
          return;
        }
      if (refusal == NULL && handle_issue_error (self, error))
        return;
    }
  self->refusal = g_steal_pointer (&refusal);
  show_page (self, "refused");
}

static void
check_in (KioskTicketView *self, KioskCheckIn how, const char *input)
{
  KioskQueue *queue = get_queue (self);
  g_autoptr (KioskRefusal) refusal = NULL;
  g_autoptr (GError) error = NULL;
  KioskTicket *ticket;

  g_clear_pointer (&self->check_in_refusal, kiosk_refusal_free);
  self->check_in_hint = KIOSK_CHECK_IN_HINT_NONE;
  if (queue == NULL)
    self->check_in_hint = KIOSK_CHECK_IN_HINT_UNAVAILABLE;
  else
    {
      ticket = kiosk_appointment_check_in (queue, how, input, &refusal, &error);
      if (ticket != NULL)
        {
          g_clear_pointer (&self->service_id, g_free);
          self->service_id = g_strdup (ticket->service_id);
          show_ticket (self, ticket);
          return;
        }
      if (refusal == NULL && handle_issue_error (self, error))
        return;
      if (refusal == NULL)
        self->check_in_hint = KIOSK_CHECK_IN_HINT_UNAVAILABLE;
    }
  self->check_in_refusal = g_steal_pointer (&refusal);
  g_string_truncate (self->code, 0);
  show_page (self, "appointment");
}

static gboolean
id_card_expired (KioskTicketView *self, const KioskIdCard *card)
{
  g_autoptr (GDateTime) now = kiosk_clock_now (kiosk_application_get_clock (self->app));
  g_autofree char *today = g_date_time_format (now, "%Y%m%d");

  return kiosk_id_card_is_expired (card, today);
}

/* ::card-read handler (see kiosk-application.h): takes every read while the
 * visitor is checking a booking in, and nothing otherwise. */
static gboolean
on_card_read (KioskTicketView *self, const char *reader_id, KioskCardRead *read)
{
  if (g_strcmp0 (self->page, "appointment") != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;
  /* A chip card names its holder: the ticket greets them (masked). */
  g_clear_pointer (&self->greeting, g_free);
  if (read->id_card != NULL)
    self->greeting = kiosk_id_card_mask_name (read->id_card->name);
  switch (read->kind)
    {
      case KIOSK_CARD_KIND_RESIDENT_ID:
        if (read->id_card != NULL && id_card_expired (self, read->id_card))
          {
            /* A booking made with the number is not served on an expired card. */
            g_autoptr (GDateTime) now = kiosk_clock_now (kiosk_application_get_clock (self->app));

            g_clear_pointer (&self->check_in_refusal, kiosk_refusal_free);
            self->check_in_refusal = kiosk_refusal_new (KIOSK_REFUSAL_ID_CARD_EXPIRED, NULL, now);
            show_page (self, "appointment");
            break;
          }
        check_in (self, KIOSK_CHECK_IN_ID_NUMBER, read->value);
        break;
      case KIOSK_CARD_KIND_QR:
      case KIOSK_CARD_KIND_CARD_UID:
        /* A scanner that types a plain booking code reads like a card number. */
        check_in (self, KIOSK_CHECK_IN_QR, read->value);
        break;
      case KIOSK_CARD_KIND_REJECTED:
      default:
        g_clear_pointer (&self->check_in_refusal, kiosk_refusal_free);
        self->check_in_hint = KIOSK_CHECK_IN_HINT_UNREADABLE;
        show_page (self, "appointment");
        break;
    }
  return TRUE;
}

/* Actions */

static void
open_category (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (widget);

  g_free (self->category_id);
  self->category_id = g_variant_dup_string (parameter, NULL);
  show_page (self, "services");
}

/* The service tile: the third tap from home, and the ticket. */
static void
take_number (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (widget);

  g_free (self->service_id);
  self->service_id = g_variant_dup_string (parameter, NULL);
  issue (self, self->service_id, KIOSK_LANE_NORMAL);
}

static void
open_lanes (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (widget);

  g_free (self->service_id);
  self->service_id = g_variant_dup_string (parameter, NULL);
  show_page (self, "lanes");
}

static void
take_lane (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (widget);
  KioskLane lane;

  if (self->service_id == NULL || !kiosk_lane_from_string (g_variant_get_string (parameter, NULL), &lane)
      || lane == KIOSK_LANE_APPOINTMENT)
    return;
  issue (self, self->service_id, lane);
}

static void
go_back (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (widget);

  if ((g_strcmp0 (self->page, "lanes") == 0 || g_strcmp0 (self->page, "refused") == 0)
      && self->category_id != NULL)
    show_page (self, "services");
  else
    kiosk_ticket_view_reset (KIOSK_SCREEN (self));
}

static void
open_appointment (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (widget);

  g_string_truncate (self->code, 0);
  g_clear_pointer (&self->check_in_refusal, kiosk_refusal_free);
  self->check_in_hint = KIOSK_CHECK_IN_HINT_NONE;
  show_page (self, "appointment");
}

static void
type_key (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (widget);
  const char *key = g_variant_get_string (parameter, NULL);

  if (strlen (key) != 1 || !g_ascii_isalnum (key[0]) || self->code->len >= CODE_MAX_LENGTH)
    return;
  g_string_append_c (self->code, g_ascii_toupper (key[0]));
  kiosk_ticket_update_code (self);
}

static void
delete_key (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (widget);

  if (self->code->len > 0)
    g_string_truncate (self->code, self->code->len - 1);
  kiosk_ticket_update_code (self);
}

static void
clear_code (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (widget);

  g_string_truncate (self->code, 0);
  kiosk_ticket_update_code (self);
}

static void
check_in_code (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (widget);
  g_autofree char *code = kiosk_appointment_normalize_code (self->code->str);

  g_clear_pointer (&self->greeting, g_free);
  if (code == NULL)
    {
      g_clear_pointer (&self->check_in_refusal, kiosk_refusal_free);
      self->check_in_hint = KIOSK_CHECK_IN_HINT_TOO_SHORT;
      show_page (self, "appointment");
      return;
    }
  check_in (self, KIOSK_CHECK_IN_CODE, code);
}

/* The object */

static void
on_large_text (KioskTicketView *self)
{
  kiosk_screen_refresh (KIOSK_SCREEN (self));
}

void
kiosk_ticket_view_set_application (KioskTicketView *self, KioskApplication *app)
{
  g_return_if_fail (KIOSK_IS_TICKET_VIEW (self));
  g_return_if_fail (KIOSK_IS_APPLICATION (app));
  g_return_if_fail (self->app == NULL);

  self->app = app;
  self->card_handler = g_signal_connect_swapped (app, "card-read", G_CALLBACK (on_card_read), self);
  self->large_text_handler
      = g_signal_connect_swapped (app, "notify::large-text", G_CALLBACK (on_large_text), self);
  kiosk_screen_refresh (KIOSK_SCREEN (self));
}

const char *
kiosk_ticket_view_get_page (KioskTicketView *self)
{
  g_return_val_if_fail (KIOSK_IS_TICKET_VIEW (self), NULL);
  return self->page;
}

const KioskTicket *
kiosk_ticket_view_get_ticket (KioskTicketView *self)
{
  g_return_val_if_fail (KIOSK_IS_TICKET_VIEW (self), NULL);
  return g_strcmp0 (self->page, "ticket") == 0 ? self->ticket : NULL;
}

const char *
kiosk_ticket_view_get_qr_text (KioskTicketView *self)
{
  g_return_val_if_fail (KIOSK_IS_TICKET_VIEW (self), NULL);
  return self->qr_text;
}

KioskPrintState
kiosk_ticket_view_get_print_state (KioskTicketView *self)
{
  g_return_val_if_fail (KIOSK_IS_TICKET_VIEW (self), KIOSK_PRINT_NONE);
  return self->print_state;
}

static void
kiosk_ticket_view_unmap (GtkWidget *widget)
{
  /* Leaving the confirmation (Done, Home, idle) ends its countdown. */
  disarm_return_home (KIOSK_TICKET_VIEW (widget));
  GTK_WIDGET_CLASS (kiosk_ticket_view_parent_class)->unmap (widget);
}

static void
kiosk_ticket_view_dispose (GObject *object)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (object);

  disarm_return_home (self);
  g_cancellable_cancel (self->cancellable);
  if (self->app != NULL)
    {
      g_clear_signal_handler (&self->card_handler, self->app);
      g_clear_signal_handler (&self->large_text_handler, self->app);
      self->app = NULL;
    }
  G_OBJECT_CLASS (kiosk_ticket_view_parent_class)->dispose (object);
}

static void
kiosk_ticket_view_finalize (GObject *object)
{
  KioskTicketView *self = KIOSK_TICKET_VIEW (object);

  forget_ticket (self);
  g_free (self->category_id);
  g_free (self->service_id);
  g_clear_pointer (&self->refusal, kiosk_refusal_free);
  g_clear_pointer (&self->check_in_refusal, kiosk_refusal_free);
  g_free (self->greeting);
  g_string_free (self->code, TRUE);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (kiosk_ticket_view_parent_class)->finalize (object);
}

static void
kiosk_ticket_view_class_init (KioskTicketViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_ticket_view_dispose;
  object_class->finalize = kiosk_ticket_view_finalize;
  widget_class->unmap = kiosk_ticket_view_unmap;
  KIOSK_SCREEN_CLASS (klass)->refresh = kiosk_ticket_view_refresh;
  KIOSK_SCREEN_CLASS (klass)->reset = kiosk_ticket_view_reset;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/linli/Kiosk/kiosk-ticket-view.ui");
  gtk_widget_class_set_css_name (widget_class, "kiosk-ticket");
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, back_button);
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, back_label);
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, title);
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, pages);
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, categories_page);
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, services_page);
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, lanes_page);
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, ticket_page);
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, refused_page);
  gtk_widget_class_bind_template_child (widget_class, KioskTicketView, appointment_page);

  gtk_widget_class_install_action (widget_class, "ticket.category", "s", open_category);
  gtk_widget_class_install_action (widget_class, "ticket.service", "s", take_number);
  gtk_widget_class_install_action (widget_class, "ticket.priority", "s", open_lanes);
  gtk_widget_class_install_action (widget_class, "ticket.lane", "s", take_lane);
  gtk_widget_class_install_action (widget_class, "ticket.back", NULL, go_back);
  gtk_widget_class_install_action (widget_class, "ticket.appointment", NULL, open_appointment);
  gtk_widget_class_install_action (widget_class, "ticket.key", "s", type_key);
  gtk_widget_class_install_action (widget_class, "ticket.delete", NULL, delete_key);
  gtk_widget_class_install_action (widget_class, "ticket.clear", NULL, clear_code);
  gtk_widget_class_install_action (widget_class, "ticket.check-in", NULL, check_in_code);
}

static void
kiosk_ticket_view_init (KioskTicketView *self)
{
  self->page = "categories";
  self->code = g_string_new (NULL);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  kiosk_ticket_view_refresh (KIOSK_SCREEN (self));
}
