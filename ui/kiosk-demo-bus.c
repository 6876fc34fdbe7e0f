/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-demo"

#include "kiosk-demo-bus.h"
#include "kiosk-feedback.h"
#include "kiosk-lanes.h"
#include "kiosk-ticket-view.h"
#include "kiosk-window.h"

/* A person takes a few seconds over a slip; a stuck run must still answer. */
#define TICKET_TIMEOUT_S 30

static const char introspection_xml[] = "<node>"
                                        "  <interface name='" KIOSK_DEMO_BUS_INTERFACE "'>"
                                        "    <method name='CardRead'>"
                                        "      <arg type='s' name='number' direction='in'/>"
                                        "      <arg type='b' name='granted' direction='out'/>"
                                        "      <arg type='s' name='title' direction='out'/>"
                                        "    </method>"
                                        "    <method name='TakeTicket'>"
                                        "      <arg type='u' name='turn' direction='in'/>"
                                        "      <arg type='b' name='look' direction='in'/>"
                                        "      <arg type='s' name='service' direction='out'/>"
                                        "      <arg type='s' name='label' direction='out'/>"
                                        "      <arg type='s' name='print' direction='out'/>"
                                        "    </method>"
                                        "    <method name='CheckIn'>"
                                        "      <arg type='s' name='code' direction='in'/>"
                                        "      <arg type='s' name='service' direction='out'/>"
                                        "      <arg type='s' name='label' direction='out'/>"
                                        "      <arg type='s' name='lane' direction='out'/>"
                                        "    </method>"
                                        "    <method name='Frame'/>"
                                        "  </interface>"
                                        "</node>";

typedef enum
{
  STEP_TILE,     /* the home screen's "take a number" tile */
  STEP_CATEGORY, /* the service's category */
  STEP_SERVICE,  /* the service: the number is issued, the slip prints */
  STEP_SLIP,     /* until the slip's fate is on screen */
  STEP_REPLY,    /* Done pressed; answer once home is drawn */
} Step;

/* One person taking a number, a step per painted frame. */
typedef struct
{
  /* Owned */
  GDBusMethodInvocation *invocation;
  char *category_id;
  char *service_id;
  char *label;
  const char *print; /* static */
  guint timeout_id;
  Step step;
  gboolean look; /* a frame of every screen before the next tap */
} TicketRun;

typedef struct
{
  GDBusMethodInvocation *invocation; /* owned: answered after the frame */
} FrameWait;

struct _KioskDemoBus
{
  /* Borrowed: the application unregisters (and frees) us before it goes */
  KioskApplication *app;
  GdkFrameClock *frame_clock; /* weak pointer */

  /* Owned */
  GDBusConnection *connection;
  guint registration_id;
  gulong feedback_handler;
  gulong paint_handler;
  gboolean fed_back;
  gboolean granted;
  char *title;
  GPtrArray *frame_waits; /* GDBusMethodInvocation*, answered at the next after-paint */
  TicketRun *ticket;      /* NULL when nobody is taking a number */
};

static void ticket_advance (KioskDemoBus *self);

/* Widgets */

/* A button a finger can press now: on screen and not greyed out. */
static gboolean
button_does (GtkWidget *widget, const char *action, const char *target)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_is_sensitive (widget)
         && kiosk_button_does (widget, action, target);
}

GtkWidget *
kiosk_demo_find_button (GtkWidget *root, const char *action, const char *target)
{
  g_return_val_if_fail (GTK_IS_WIDGET (root), NULL);
  g_return_val_if_fail (action != NULL, NULL);

  if (!gtk_widget_get_visible (root) || !gtk_widget_get_child_visible (root))
    return NULL;
  if (button_does (root, action, target))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = kiosk_demo_find_button (child, action, target);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static KioskWindow *
get_window (KioskDemoBus *self)
{
  GtkWindow *window = kiosk_application_get_kiosk_window (self->app);

  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) ? KIOSK_WINDOW (window) : NULL;
}

/* What a finger does to a button: its ::clicked, which activates its action.
 * The button on @screen first (Done), then anywhere (Home in the footer). */
static gboolean
press (KioskWindow *window, GtkWidget *screen, const char *action, const char *target, GError **error)
{
  GtkWidget *button = kiosk_demo_find_button (screen, action, target);

  if (button == NULL)
    button = kiosk_demo_find_button (GTK_WIDGET (window), action, target);
  if (button == NULL)
    {
      g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_FAILED, "no button on screen does %s(%s)", action,
                   target != NULL ? target : "");
      return FALSE;
    }
  g_signal_emit_by_name (button, "clicked");
  return TRUE;
}

/* Frames */

static void
on_after_paint (GdkFrameClock *frame_clock, KioskDemoBus *self)
{
  g_autoptr (GPtrArray) waits = g_steal_pointer (&self->frame_waits);

  self->frame_waits = g_ptr_array_new ();
  for (guint i = 0; i < waits->len; i++)
    g_dbus_method_invocation_return_value (g_ptr_array_index (waits, i), NULL);
  if (self->ticket != NULL)
    ticket_advance (self);
}

/* Makes sure a frame comes, even when nothing on screen changed. */
static gboolean
request_frame (KioskDemoBus *self, GError **error)
{
  KioskWindow *window = get_window (self);
  GdkFrameClock *frame_clock = window != NULL ? gtk_widget_get_frame_clock (GTK_WIDGET (window)) : NULL;

  if (frame_clock == NULL)
    {
      g_set_error_literal (error, G_DBUS_ERROR, G_DBUS_ERROR_FAILED, "the kiosk window is not on screen");
      return FALSE;
    }
  if (frame_clock != self->frame_clock)
    {
      if (self->frame_clock != NULL)
        {
          g_clear_signal_handler (&self->paint_handler, self->frame_clock);
          g_object_remove_weak_pointer (G_OBJECT (self->frame_clock), (gpointer *)&self->frame_clock);
        }
      self->frame_clock = frame_clock;
      g_object_add_weak_pointer (G_OBJECT (frame_clock), (gpointer *)&self->frame_clock);
      self->paint_handler = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (on_after_paint), self);
    }
  gdk_frame_clock_request_phase (frame_clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  return TRUE;
}

/* Taking a number */

static void
ticket_run_free (TicketRun *run)
{
  if (run->invocation != NULL)
    g_dbus_method_invocation_return_error_literal (run->invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                                   "the kiosk went away while taking a number");
  g_clear_handle_id (&run->timeout_id, g_source_remove);
  g_free (run->category_id);
  g_free (run->service_id);
  g_free (run->label);
  g_free (run);
}

static void
ticket_fail (KioskDemoBus *self, GError *error)
{
  TicketRun *run = g_steal_pointer (&self->ticket);

  g_dbus_method_invocation_return_gerror (g_steal_pointer (&run->invocation), error);
  ticket_run_free (run);
}

static gboolean
on_ticket_timeout (gpointer user_data)
{
  KioskDemoBus *self = user_data;
  g_autoptr (GError) error
      = g_error_new (G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT, "no slip on screen after %d s (stuck at step %d)",
                     TICKET_TIMEOUT_S, (int)self->ticket->step);

  self->ticket->timeout_id = 0;
  ticket_fail (self, error);
  return G_SOURCE_REMOVE;
}

/* One step, after the frame that shows the previous one. */
static gboolean
ticket_step (KioskDemoBus *self, TicketRun *run, GError **error)
{
  KioskWindow *window = get_window (self);
  GtkWidget *screen;
  KioskTicketView *view;

  if (window == NULL || kiosk_window_get_out_of_service (window))
    {
      g_set_error_literal (error, G_DBUS_ERROR, G_DBUS_ERROR_FAILED, "the kiosk is out of service");
      return FALSE;
    }
  screen = kiosk_window_get_screen_widget (window, kiosk_window_get_screen (window));
  view = KIOSK_TICKET_VIEW (kiosk_window_get_screen_widget (window, "ticket"));
  switch (run->step)
    {
      case STEP_TILE:
        /* Someone left the kiosk elsewhere: Home first, as a person would. */
        if (!g_str_equal (kiosk_window_get_screen (window), "home"))
          return press (window, screen, "kiosk.home", NULL, error);
        run->step = STEP_CATEGORY;
        return press (window, screen, "kiosk.show", "ticket", error);
      case STEP_CATEGORY:
        run->step = STEP_SERVICE;
        return press (window, screen, "ticket.category", run->category_id, error);
      case STEP_SERVICE:
        run->step = STEP_SLIP;
        return press (window, screen, "ticket.service", run->service_id, error);
      case STEP_SLIP:
        if (g_strcmp0 (kiosk_ticket_view_get_page (view), "ticket") == 0)
          {
            const KioskTicket *ticket = kiosk_ticket_view_get_ticket (view);

            /* Still printing: the next frame will tell. */
            if (kiosk_ticket_view_get_print_state (view) == KIOSK_PRINT_PRINTING)
              return TRUE;
            run->print
                = kiosk_ticket_view_get_print_state (view) == KIOSK_PRINT_PRINTED ? "printed" : "failed";
            g_free (run->label);
            run->label = g_strdup (ticket != NULL ? ticket->label : "");
          }
        else
          run->print = "refused";
        run->step = STEP_REPLY;
        /* Done on the slip's page, Home in the footer on a refusal. */
        return press (window, screen, "kiosk.home", NULL, error);
      case STEP_REPLY:
      default:
        g_dbus_method_invocation_return_value (
            g_steal_pointer (&run->invocation),
            g_variant_new ("(sss)", run->service_id, run->label != NULL ? run->label : "", run->print));
        self->ticket = NULL;
        ticket_run_free (run);
        return TRUE;
    }
}

static void
ticket_advance (KioskDemoBus *self)
{
  g_autoptr (GError) error = NULL;

  for (;;)
    {
      TicketRun *run = self->ticket;
      Step before = run->step;

      if (!ticket_step (self, run, &error))
        {
          ticket_fail (self, error);
          return;
        }
      if (self->ticket == NULL)
        return; /* answered */
      /* One who does not look taps on to the service at once. */
      if (run->look || before == run->step || (run->step != STEP_CATEGORY && run->step != STEP_SERVICE))
        break;
    }
  if (!request_frame (self, &error))
    ticket_fail (self, error);
}

static void
take_ticket (KioskDemoBus *self, GDBusMethodInvocation *invocation, guint turn, gboolean look)
{
  KioskContent *content = kiosk_application_get_content (self->app);
  KioskBundle *bundle = content != NULL ? kiosk_content_get_bundle (content) : NULL;
  GPtrArray *services = bundle != NULL ? kiosk_bundle_get_services (bundle) : NULL;
  const KioskService *service;
  g_autoptr (GError) error = NULL;
  TicketRun *run;

  if (self->ticket != NULL)
    {
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR, G_DBUS_ERROR_LIMITS_EXCEEDED,
                                                     "one person at a time: a number is being taken");
      return;
    }
  if (services == NULL || services->len == 0)
    {
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                                     "no services in the content in force");
      return;
    }
  service = g_ptr_array_index (services, turn % services->len);
  run = g_new0 (TicketRun, 1);
  run->invocation = invocation;
  run->category_id = g_strdup (service->category->id);
  run->service_id = g_strdup (service->id);
  run->step = STEP_TILE;
  run->look = look;
  run->timeout_id = g_timeout_add_seconds (TICKET_TIMEOUT_S, on_ticket_timeout, self);
  self->ticket = run;
  /* The first tap, too, comes after a frame of the screen it lands on. */
  if (!request_frame (self, &error))
    ticket_fail (self, error);
}

/* Checking a booking in */

/* An ID number is read by the reader; anything else is typed as a code. */
static gboolean
is_id_number (const char *text)
{
  if (strlen (text) != 18)
    return FALSE;
  for (int i = 0; i < 18; i++)
    if (!g_ascii_isdigit (text[i]) && !(i == 17 && g_ascii_toupper (text[i]) == 'X'))
      return FALSE;
  return TRUE;
}

/* What a resident with a booking does, at once: Home, Take a number, I have an
 * appointment, then the ID card on the reader or the code's keys and Check
 * in. The answer is what the screen then shows: the ticket, or the
 * appointment page with its refusal. */
static gboolean
check_in_taps (KioskDemoBus *self, KioskWindow *window, const char *code, GError **error)
{
  GtkWidget *root = GTK_WIDGET (window);

  if (!g_str_equal (kiosk_window_get_screen (window), "home")
      && !press (window, root, "kiosk.home", NULL, error))
    return FALSE;
  if (!press (window, root, "kiosk.show", "ticket", error)
      || !press (window, root, "ticket.appointment", NULL, error))
    return FALSE;
  if (is_id_number (code))
    {
      kiosk_application_card_read (self->app, code);
      return TRUE;
    }
  for (const char *p = code; *p != '\0'; p++)
    {
      char key[2] = { g_ascii_toupper (*p), '\0' };

      if (g_ascii_isalnum (*p) && !press (window, root, "ticket.key", key, error))
        return FALSE;
    }
  return press (window, root, "ticket.check-in", NULL, error);
}

static void
check_in (KioskDemoBus *self, GDBusMethodInvocation *invocation, const char *code)
{
  KioskWindow *window = get_window (self);
  g_autoptr (GError) error = NULL;
  KioskTicketView *view;
  const KioskTicket *ticket;

  if (self->ticket != NULL)
    {
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR, G_DBUS_ERROR_LIMITS_EXCEEDED,
                                                     "one person at a time: a number is being taken");
      return;
    }
  if (window == NULL || kiosk_window_get_out_of_service (window))
    {
      g_dbus_method_invocation_return_error_literal (invocation, G_DBUS_ERROR, G_DBUS_ERROR_FAILED,
                                                     "the kiosk is out of service");
      return;
    }
  if (!check_in_taps (self, window, code, &error))
    {
      g_dbus_method_invocation_return_gerror (invocation, error);
      return;
    }
  view = KIOSK_TICKET_VIEW (kiosk_window_get_screen_widget (window, "ticket"));
  ticket = g_strcmp0 (kiosk_ticket_view_get_page (view), "ticket") == 0 ? kiosk_ticket_view_get_ticket (view)
                                                                        : NULL;
  g_dbus_method_invocation_return_value (
      invocation, ticket != NULL ? g_variant_new ("(sss)", ticket->service_id, ticket->label,
                                                  kiosk_lane_to_string (ticket->lane))
                                 : g_variant_new ("(sss)", "", "", "refused"));
}

/* Card reads */

static void
on_feedback (KioskApplication *app, KioskFeedback *feedback, KioskDemoBus *self)
{
  self->fed_back = TRUE;
  self->granted = feedback->granted;
  g_free (self->title);
  self->title = g_strdup (feedback->title_en != NULL ? feedback->title_en : "");
}

static void
card_read (KioskDemoBus *self, GDBusMethodInvocation *invocation, const char *number)
{
  self->fed_back = FALSE;
  kiosk_application_card_read (self->app, number);
  g_dbus_method_invocation_return_value (
      invocation, g_variant_new ("(bs)", self->fed_back && self->granted, self->fed_back ? self->title : ""));
}

/* The bus */

static void
method_call (GDBusConnection *connection, const char *sender, const char *object_path,
             const char *interface_name, const char *method_name, GVariant *parameters,
             GDBusMethodInvocation *invocation, gpointer user_data)
{
  KioskDemoBus *self = user_data;
  g_autoptr (GError) error = NULL;

  if (g_str_equal (method_name, "CardRead"))
    {
      const char *number;

      g_variant_get (parameters, "(&s)", &number);
      card_read (self, invocation, number);
    }
  else if (g_str_equal (method_name, "TakeTicket"))
    {
      guint32 turn;
      gboolean look;

      g_variant_get (parameters, "(ub)", &turn, &look);
      take_ticket (self, invocation, turn, look);
    }
  else if (g_str_equal (method_name, "CheckIn"))
    {
      const char *code;

      g_variant_get (parameters, "(&s)", &code);
      check_in (self, invocation, code);
    }
  else if (g_str_equal (method_name, "Frame"))
    {
      if (request_frame (self, &error))
        g_ptr_array_add (self->frame_waits, invocation);
      else
        g_dbus_method_invocation_return_gerror (invocation, error);
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "no method %s", method_name);
}

static const GDBusInterfaceVTable vtable = { method_call, NULL, NULL, { NULL } };

KioskDemoBus *
kiosk_demo_bus_new (KioskApplication *app, GDBusConnection *connection, const char *object_path,
                    GError **error)
{
  g_autoptr (GDBusNodeInfo) info = NULL;
  g_autoptr (KioskDemoBus) self = NULL;

  g_return_val_if_fail (KIOSK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (object_path != NULL, NULL);

  info = g_dbus_node_info_new_for_xml (introspection_xml, error);
  if (info == NULL)
    return NULL;
  self = g_new0 (KioskDemoBus, 1);
  self->app = app;
  self->connection = g_object_ref (connection);
  self->frame_waits = g_ptr_array_new ();
  self->feedback_handler = g_signal_connect (app, "feedback", G_CALLBACK (on_feedback), self);
  self->registration_id = g_dbus_connection_register_object (connection, object_path, info->interfaces[0],
                                                             &vtable, self, NULL, error);
  if (self->registration_id == 0)
    return NULL;
  return g_steal_pointer (&self);
}

void
kiosk_demo_bus_free (KioskDemoBus *self)
{
  if (self == NULL)
    return;
  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  g_clear_signal_handler (&self->feedback_handler, self->app);
  if (self->frame_clock != NULL)
    {
      g_clear_signal_handler (&self->paint_handler, self->frame_clock);
      g_object_remove_weak_pointer (G_OBJECT (self->frame_clock), (gpointer *)&self->frame_clock);
    }
  g_clear_pointer (&self->ticket, ticket_run_free);
  for (guint i = 0; i < self->frame_waits->len; i++)
    g_dbus_method_invocation_return_error_literal (g_ptr_array_index (self->frame_waits, i), G_DBUS_ERROR,
                                                   G_DBUS_ERROR_FAILED, "the kiosk went away");
  g_ptr_array_unref (self->frame_waits);
  g_free (self->title);
  g_object_unref (self->connection);
  g_free (self);
}
