/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "kiosk-gate.h"
#include "kiosk-pin.h"
#include "kiosk-screen.h"
#include "kiosk-staff-panel.h"
#include "kiosk-ui-text.h"

/* Today's entries shown at most; the hub keeps them all. */
#define ENTRIES_SHOWN 50

/* Manual admit: a preset reason, no keyboard needed. The note recorded (and
 * sent to the hub) carries both languages. */
static const struct
{
  const char *id;
  const char *label; /* msgid */
  const char *note;
} admit_reasons[] = {
  { "forgot-card", N_ ("Forgot card"), "忘带卡 / Forgot card" },
  { "guest", N_ ("Guest"), "临时访客 / Guest" },
  { "other", N_ ("Other"), "其他 / Other" },
};

struct _KioskStaffPanel
{
  GtkWidget parent_instance;

  /* Borrowed: the application outlives its window */
  KioskApplication *app;
  KioskPrinter *printer;

  /* Owned */
  GString *pin;
  KioskPinGuard guard;
  gboolean unlocked;
  char *message;
  char *printer_message; /* the last reprint's outcome */
  GCancellable *cancellable;
  gint64 last_activity_us;
  guint tick_source;
  gulong clock_handler;
  gulong language_handler;
  gulong decided_handler;

  /* Template widgets */
  GtkStack *pages;
  GtkLabel *pin_title;
  GtkLabel *pin_dots;
  GtkLabel *pin_message;
  GtkGrid *keypad;
  GtkButton *pin_cancel;
  GtkLabel *panel_title;
  GtkButton *panel_close;
  GtkWidget *content;
};

G_DEFINE_FINAL_TYPE (KioskStaffPanel, kiosk_staff_panel, GTK_TYPE_WIDGET)

static KioskClock *
clock_of (KioskStaffPanel *self)
{
  return kiosk_application_get_clock (self->app);
}

static KioskGate *
gate_of (KioskStaffPanel *self)
{
  return kiosk_application_get_gate (self->app);
}

static void
note_activity (KioskStaffPanel *self)
{
  if (self->app != NULL)
    self->last_activity_us = kiosk_clock_get_monotonic (clock_of (self));
}

static void
update_pin_page (KioskStaffPanel *self)
{
  GString *dots = g_string_new (NULL);
  guint shown = MAX (self->pin->len, KIOSK_PIN_MIN_DIGITS);

  /* Filled for each digit typed, open for the rest of a short PIN. */
  for (guint i = 0; i < shown; i++)
    g_string_append (dots, i < self->pin->len ? "●" : "○");
  gtk_label_set_text (self->pin_dots, dots->str);
  g_string_free (dots, TRUE);
  gtk_label_set_text (self->pin_title, _ ("Staff sign-in"));
  gtk_label_set_text (self->pin_message, self->message != NULL ? self->message : _ ("Enter the staff PIN"));
  if (self->message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->pin_message), "pin-error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->pin_message), "pin-error");
  gtk_button_set_label (self->pin_cancel, _ ("Cancel"));
}

static GtkWidget *
row_new (const char *name, const char *value, const char *value_class)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *label = kiosk_label_new (name, "body");
  GtkWidget *data = gtk_label_new (value);

  gtk_widget_add_css_class (row, "staff-row");
  gtk_label_set_xalign (GTK_LABEL (data), 1.0f);
  gtk_label_set_wrap (GTK_LABEL (data), TRUE);
  gtk_widget_add_css_class (data, value_class != NULL ? value_class : "staff-value");
  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), data);
  return row;
}

static GtkWidget *
card_new (GtkWidget *content, const char *title)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  gtk_widget_add_css_class (card, "card");
  gtk_box_append (GTK_BOX (card), kiosk_label_new (title, "section-title"));
  gtk_box_append (GTK_BOX (content), card);
  return card;
}

static char *
format_local_time (KioskStaffPanel *self, gint64 real_us)
{
  g_autoptr (GDateTime) utc = kiosk_date_time_new_from_usec (real_us);
  g_autoptr (GDateTime) local = kiosk_clock_to_local (clock_of (self), utc);

  return kiosk_ui_format_time (local);
}

static void
add_club (KioskStaffPanel *self, KioskEntry *entry)
{
  const KioskFitnessRules *club = kiosk_entry_get_rules (entry);
  GtkWidget *card = card_new (self->content, _ ("Fitness club now"));
  g_autofree char *inside = NULL;
  g_autofree char *entered = g_strdup_printf ("%d", kiosk_entry_get_entries_today (entry));
  g_autofree char *denied = g_strdup_printf ("%d", kiosk_entry_get_denied_today (entry));

  if (club->capacity > 0)
    inside = g_strdup_printf ("%d / %d", kiosk_entry_get_occupancy (entry), club->capacity);
  else
    inside = g_strdup_printf ("%d", kiosk_entry_get_occupancy (entry));
  gtk_box_append (GTK_BOX (card), row_new (_ ("Inside now"), inside, "staff-figure"));
  gtk_box_append (GTK_BOX (card), row_new (_ ("Let in today"), entered, NULL));
  gtk_box_append (GTK_BOX (card), row_new (_ ("Refused today"), denied, NULL));
}

static void
add_admit (KioskStaffPanel *self)
{
  GtkWidget *card = card_new (self->content, _ ("Let someone in"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 20);

  gtk_box_set_homogeneous (GTK_BOX (buttons), TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (admit_reasons); i++)
    {
      GtkWidget *button = gtk_button_new_with_label (_ (admit_reasons[i].label));

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "staff.admit");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", admit_reasons[i].id);
      gtk_widget_add_css_class (button, "admit-button");
      gtk_box_append (GTK_BOX (buttons), button);
    }
  gtk_box_append (GTK_BOX (card), kiosk_label_new (_ ("Opens the door and records why."), "note"));
  gtk_box_append (GTK_BOX (card), buttons);
  if (self->message != NULL)
    gtk_box_append (GTK_BOX (card), kiosk_label_new (self->message, "staff-message"));
}

/* The screen greets with 欢迎; staff read what happened. */
static char *
result_text (const KioskEntryDecision *d, const char *lang)
{
  switch (d->reason)
    {
      case KIOSK_ENTRY_REASON_OK:
        return g_strdup (_ ("Entered"));
      case KIOSK_ENTRY_REASON_BY_RULE:
        return g_strdup (_ ("Entered (badge rule)"));
      default:
        if (d->note != NULL)
          /* TRANSLATORS: a decision and the staff's reason, e.g. "Let in by staff (Guest)". */
          return g_strdup_printf (_ ("%s (%s)"), kiosk_entry_reason_text (d->reason, lang), d->note);
        return g_strdup (kiosk_entry_reason_text (d->reason, lang));
    }
}

static void
add_entries (KioskStaffPanel *self, KioskEntry *entry)
{
  GtkWidget *card = card_new (self->content, _ ("Today's entries"));
  const char *lang = kiosk_application_get_language (self->app);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = kiosk_entry_list_today (entry, ENTRIES_SHOWN, &error);

  if (list == NULL)
    {
      gtk_box_append (GTK_BOX (card), kiosk_label_new (error->message, "note"));
      return;
    }
  if (list->len == 0)
    gtk_box_append (GTK_BOX (card), kiosk_label_new (_ ("No entries yet today."), "note"));
  for (guint i = 0; i < list->len; i++)
    {
      const KioskEntryDecision *d = g_ptr_array_index (list, i);
      g_autofree char *time = format_local_time (self, d->at_us);
      /* Names are stored masked; a card appears only as its hash, never shown. */
      const char *name = d->masked_name != NULL && *d->masked_name != '\0' ? d->masked_name : "—";
      g_autofree char *result = NULL;
      GtkWidget *row;

      result = result_text (d, lang);
      row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
      gtk_widget_add_css_class (row, "entry-row");
      gtk_box_append (GTK_BOX (row), kiosk_label_new (time, "entry-time"));
      gtk_widget_set_hexpand (gtk_widget_get_last_child (row), FALSE);
      gtk_box_append (GTK_BOX (row), kiosk_label_new (name, "entry-name"));
      gtk_widget_set_hexpand (gtk_widget_get_last_child (row), FALSE);
      gtk_box_append (GTK_BOX (row), kiosk_label_new (result, d->granted ? "entry-granted" : "entry-denied"));
      gtk_box_append (GTK_BOX (card), row);
    }
}

static const char *
door_state_text (KioskDoor *door)
{
  if (door == NULL)
    return _ ("No door relay");
  switch (kiosk_door_get_state (door))
    {
      case KIOSK_DOOR_STATE_OPEN:
        return _ ("Open (pulse)");
      case KIOSK_DOOR_STATE_FAULT:
        return _ ("Relay fault");
      case KIOSK_DOOR_STATE_CLOSED:
      default:
        return _ ("Closed");
    }
}

static void
add_reader (KioskStaffPanel *self, GtkWidget *card, const KioskReaderHealth *health)
{
  g_autofree char *last = health->last_read_us > 0 ? format_local_time (self, health->last_read_us)
                                                   : g_strdup (_ ("no read yet"));
  guint rejected = 0;
  g_autofree char *value = NULL;

  for (guint i = 0; i < KIOSK_CARD_N_REJECTS; i++)
    if (i != KIOSK_CARD_REJECT_DUPLICATE)
      rejected += health->n_rejected[i];
  /* TRANSLATORS: a reader's health: last read, reads, failed reads, device errors. */
  value = g_strdup_printf (_ ("%s: last read %s, %u reads, %u bad reads, %u errors"),
                           health->present ? _ ("connected") : _ ("unplugged"), last, health->n_reads,
                           rejected, health->n_errors);
  gtk_box_append (GTK_BOX (card), row_new (health->id, value, health->present ? NULL : "staff-alert"));
}

/* The slip of the last ticket, printed or not: the resident whose slip jammed
 * or ran out of paper asks at the desk, and staff print it again. */
static void
add_reprint (KioskStaffPanel *self, GtkWidget *card)
{
  GtkWidget *button = gtk_button_new_with_label (_ ("Reprint the last slip"));

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "staff.reprint");
  gtk_widget_add_css_class (button, "admit-button");
  gtk_widget_set_sensitive (button, kiosk_printer_get_last_slip (self->printer) != NULL);
  gtk_box_append (GTK_BOX (card), button);
  if (kiosk_printer_get_last_slip (self->printer) == NULL)
    gtk_box_append (GTK_BOX (card), kiosk_label_new (_ ("No slip printed since the kiosk started."), "note"));
  if (self->printer_message != NULL)
    gtk_box_append (GTK_BOX (card), kiosk_label_new (self->printer_message, "staff-message"));
}

static void
add_devices (KioskStaffPanel *self)
{
  GtkWidget *card = card_new (self->content, _ ("Devices"));
  KioskGate *gate = gate_of (self);
  KioskReaderManager *readers = gate != NULL ? kiosk_gate_get_readers (gate) : NULL;
  KioskStore *store = kiosk_application_get_store (self->app);
  g_autofree char *pending = NULL;

  if (readers != NULL)
    {
      g_autoptr (GPtrArray) health = kiosk_reader_manager_list_health (readers);

      for (guint i = 0; i < health->len; i++)
        add_reader (self, card, g_ptr_array_index (health, i));
      if (health->len == 0)
        gtk_box_append (GTK_BOX (card), row_new (_ ("Card readers"), _ ("none found"), "staff-alert"));
    }
  else
    gtk_box_append (GTK_BOX (card),
                    row_new (_ ("Card readers"),
                             kiosk_application_get_demo (self->app) ? _ ("the keyboard stands in (demo)")
                                                                    : _ ("not set up"),
                             NULL));
  gtk_box_append (
      GTK_BOX (card),
      row_new (_ ("Door"), door_state_text (gate != NULL ? kiosk_gate_get_door (gate) : NULL), NULL));
  if (self->printer != NULL)
    {
      g_autofree char *status = kiosk_printer_status_describe (kiosk_printer_get_status (self->printer));

      gtk_box_append (GTK_BOX (card), row_new (_ ("Printer"), status, NULL));
      add_reprint (self, card);
    }
  else
    gtk_box_append (GTK_BOX (card), row_new (_ ("Printer"), _ ("not set up"), NULL));

  /* The outbox count: what the hub has not confirmed yet (the uploader is
   * a separate module; until it runs, this only grows). */
  pending = g_strdup_printf ("%" G_GINT64_FORMAT, store != NULL ? kiosk_store_outbox_pending (store) : 0);
  gtk_box_append (GTK_BOX (card), row_new (_ ("Records waiting for upload to the hub"), pending, NULL));
}

static void
rebuild_panel (KioskStaffPanel *self)
{
  KioskGate *gate = gate_of (self);
  KioskEntry *entry = gate != NULL ? kiosk_gate_get_entry (gate) : NULL;

  gtk_label_set_text (self->panel_title, _ ("Staff panel"));
  gtk_button_set_label (self->panel_close, _ ("Close"));
  kiosk_box_remove_all (self->content);
  if (entry != NULL)
    {
      add_club (self, entry);
      add_admit (self);
    }
  else
    gtk_box_append (GTK_BOX (self->content),
                    kiosk_label_new (_ ("The fitness club is not open on this kiosk."), "body"));
  add_devices (self);
  if (entry != NULL)
    add_entries (self, entry);
}

static void
refresh (KioskStaffPanel *self)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    return;
  if (self->unlocked)
    rebuild_panel (self);
  else
    update_pin_page (self);
}

static void
set_message (KioskStaffPanel *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
}

static gboolean
tick_cb (gpointer user_data)
{
  KioskStaffPanel *self = user_data;

  /* Closing removes this source; its return value no longer matters then. */
  kiosk_staff_panel_check_idle (self);
  return G_SOURCE_CONTINUE;
}

void
kiosk_staff_panel_open (KioskStaffPanel *self)
{
  g_return_if_fail (KIOSK_IS_STAFF_PANEL (self));
  g_return_if_fail (self->app != NULL);

  g_string_truncate (self->pin, 0);
  self->unlocked = FALSE;
  set_message (self, NULL);
  note_activity (self);
  gtk_stack_set_visible_child_name (self->pages, "pin");
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  update_pin_page (self);
  if (self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
}

void
kiosk_staff_panel_close (KioskStaffPanel *self)
{
  g_return_if_fail (KIOSK_IS_STAFF_PANEL (self));

  /* Nothing of the session stays: PIN digits, unlock, messages. */
  g_string_truncate (self->pin, 0);
  self->unlocked = FALSE;
  set_message (self, NULL);
  g_clear_pointer (&self->printer_message, g_free);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  kiosk_box_remove_all (self->content);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

gboolean
kiosk_staff_panel_get_unlocked (KioskStaffPanel *self)
{
  g_return_val_if_fail (KIOSK_IS_STAFF_PANEL (self), FALSE);
  return self->unlocked;
}

gboolean
kiosk_staff_panel_check_idle (KioskStaffPanel *self)
{
  gint64 limit_us;

  g_return_val_if_fail (KIOSK_IS_STAFF_PANEL (self), FALSE);

  if (self->app == NULL || !gtk_widget_get_visible (GTK_WIDGET (self)))
    return FALSE;
  limit_us = (gint64)kiosk_config_get_int (kiosk_application_get_config (self->app), "staff",
                                           "idle_timeout_seconds")
             * G_USEC_PER_SEC;
  if (kiosk_clock_get_monotonic (clock_of (self)) - self->last_activity_us < limit_us)
    return FALSE;
  kiosk_staff_panel_close (self);
  return TRUE;
}

static void
try_pin (KioskStaffPanel *self)
{
  KioskConfig *config = kiosk_application_get_config (self->app);
  const char *hash = kiosk_config_get_string (config, "staff", "pin_hash");
  gint64 now = kiosk_clock_get_monotonic (clock_of (self));
  guint locked = kiosk_pin_guard_locked_for (&self->guard, now);
  g_autofree char *pin = g_strdup (self->pin->str);

  g_string_truncate (self->pin, 0);
  if (locked > 0)
    {
      g_autofree char *text
          = g_strdup_printf (ngettext ("Too many wrong PINs. Try again in %u minute.",
                                       "Too many wrong PINs. Try again in %u minutes.", (locked + 59) / 60),
                             (locked + 59) / 60);

      set_message (self, text);
    }
  else if (!kiosk_pin_hash_is_valid (hash))
    set_message (self, _ ("No staff PIN is set up on this kiosk."));
  else if (kiosk_pin_verify (hash, pin))
    {
      kiosk_pin_guard_succeed (&self->guard);
      set_message (self, NULL);
      self->unlocked = TRUE;
      gtk_stack_set_visible_child_name (self->pages, "panel");
      rebuild_panel (self);
      return;
    }
  else
    {
      kiosk_pin_guard_fail (&self->guard, now);
      set_message (self, _ ("Wrong PIN"));
    }
  update_pin_page (self);
}

static void
digit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskStaffPanel *self = KIOSK_STAFF_PANEL (widget);
  const char *digit = g_variant_get_string (parameter, NULL);

  note_activity (self);
  if (self->unlocked || strlen (digit) != 1 || !g_ascii_isdigit (digit[0]))
    return;
  if (self->pin->len < KIOSK_PIN_MAX_DIGITS)
    g_string_append_c (self->pin, digit[0]);
  set_message (self, NULL);
  update_pin_page (self);
}

static void
erase_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskStaffPanel *self = KIOSK_STAFF_PANEL (widget);

  note_activity (self);
  if (self->pin->len > 0)
    g_string_truncate (self->pin, self->pin->len - 1);
  update_pin_page (self);
}

static void
enter_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskStaffPanel *self = KIOSK_STAFF_PANEL (widget);

  note_activity (self);
  if (!self->unlocked)
    try_pin (self);
}

static void
close_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  kiosk_staff_panel_close (KIOSK_STAFF_PANEL (widget));
}

static void
admit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskStaffPanel *self = KIOSK_STAFF_PANEL (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr (KioskEntryDecision) decision = NULL;
  g_autoptr (GError) error = NULL;
  KioskGate *gate = gate_of (self);

  note_activity (self);
  if (!self->unlocked || gate == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (admit_reasons); i++)
    if (g_str_equal (id, admit_reasons[i].id))
      {
        decision = kiosk_gate_admit_manual (gate, admit_reasons[i].note, &error);
        if (decision != NULL)
          {
            g_autofree char *text = g_strdup_printf (_ ("Let in: %s"), _ (admit_reasons[i].label));

            set_message (self, text);
          }
        else
          set_message (self, error->message);
        rebuild_panel (self);
        return;
      }
}

static void
set_printer_message (KioskStaffPanel *self, const char *text)
{
  g_free (self->printer_message);
  self->printer_message = g_strdup (text);
}

static void
on_reprinted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (KioskStaffPanel) self = user_data;
  g_autoptr (GError) error = NULL;

  if (kiosk_printer_print_finish (KIOSK_PRINTER (source), result, &error))
    set_printer_message (self, _ ("The last slip was printed again."));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    {
      g_autofree char *text = g_strdup_printf (_ ("Reprint failed: %s"), error->message);

      g_message ("Reprint failed: %s", error->message);
      set_printer_message (self, text);
    }
  if (self->unlocked)
    rebuild_panel (self);
}

static void
reprint_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  KioskStaffPanel *self = KIOSK_STAFF_PANEL (widget);
  const KioskBitmap *slip;

  note_activity (self);
  if (!self->unlocked || self->printer == NULL)
    return;
  slip = kiosk_printer_get_last_slip (self->printer);
  if (slip == NULL)
    return;
  set_printer_message (self, _ ("Printing…"));
  kiosk_printer_print_async (self->printer, slip, self->cancellable, on_reprinted, g_object_ref (self));
  rebuild_panel (self);
}

static void
on_decided (KioskStaffPanel *self)
{
  /* A tap while the panel is open: the occupancy and the list change. */
  if (self->unlocked)
    rebuild_panel (self);
}

static void
on_gate_changed (KioskStaffPanel *self)
{
  KioskGate *gate = gate_of (self);

  if (gate != NULL && self->decided_handler == 0)
    self->decided_handler
        = g_signal_connect_object (gate, "decided", G_CALLBACK (on_decided), self, G_CONNECT_SWAPPED);
}

static gboolean
on_any_event (GtkEventControllerLegacy *controller, GdkEvent *event, KioskStaffPanel *self)
{
  GdkEventType type = gdk_event_get_event_type (event);

  if (type == GDK_BUTTON_PRESS || type == GDK_TOUCH_BEGIN || type == GDK_KEY_PRESS || type == GDK_SCROLL)
    note_activity (self);
  return GDK_EVENT_PROPAGATE;
}

static void
on_clock_changed (KioskStaffPanel *self)
{
  kiosk_staff_panel_check_idle (self);
}

void
kiosk_staff_panel_attach (KioskStaffPanel *self, KioskApplication *app)
{
  g_return_if_fail (KIOSK_IS_STAFF_PANEL (self));
  g_return_if_fail (KIOSK_IS_APPLICATION (app));
  g_return_if_fail (self->app == NULL);

  self->app = app;
  /* The app's printer, unless a test gave one already. */
  if (self->printer == NULL)
    self->printer = kiosk_application_get_printer (app);
  self->clock_handler = g_signal_connect_object (clock_of (self), "changed", G_CALLBACK (on_clock_changed),
                                                 self, G_CONNECT_SWAPPED);
  self->language_handler
      = g_signal_connect_object (app, "notify::language", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  on_gate_changed (self);
}

void
kiosk_staff_panel_set_printer (KioskStaffPanel *self, KioskPrinter *printer)
{
  g_return_if_fail (KIOSK_IS_STAFF_PANEL (self));

  self->printer = printer;
  refresh (self);
}

static void
kiosk_staff_panel_dispose (GObject *object)
{
  GtkWidget *child;
  KioskStaffPanel *self = KIOSK_STAFF_PANEL (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), KIOSK_TYPE_STAFF_PANEL);
  /* The template's top box has no id, so nothing above unparented it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (kiosk_staff_panel_parent_class)->dispose (object);
}

static void
kiosk_staff_panel_finalize (GObject *object)
{
  KioskStaffPanel *self = KIOSK_STAFF_PANEL (object);

  g_string_free (self->pin, TRUE);
  g_free (self->message);
  g_free (self->printer_message);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (kiosk_staff_panel_parent_class)->finalize (object);
}

static void
kiosk_staff_panel_class_init (KioskStaffPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kiosk_staff_panel_dispose;
  object_class->finalize = kiosk_staff_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/linli/Kiosk/kiosk-staff-panel.ui");
  gtk_widget_class_set_css_name (widget_class, "kiosk-staff-panel");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffPanel, pages);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffPanel, pin_title);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffPanel, pin_dots);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffPanel, pin_message);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffPanel, keypad);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffPanel, pin_cancel);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffPanel, panel_title);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffPanel, panel_close);
  gtk_widget_class_bind_template_child (widget_class, KioskStaffPanel, content);

  gtk_widget_class_install_action (widget_class, "staff.digit", "s", digit_action);
  gtk_widget_class_install_action (widget_class, "staff.erase", NULL, erase_action);
  gtk_widget_class_install_action (widget_class, "staff.enter", NULL, enter_action);
  gtk_widget_class_install_action (widget_class, "staff.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "staff.admit", "s", admit_action);
  gtk_widget_class_install_action (widget_class, "staff.reprint", NULL, reprint_action);
}

/* 1 2 3 / 4 5 6 / 7 8 9 / ⌫ 0 ✓, as on a phone. */
static void
build_keypad (KioskStaffPanel *self)
{
  static const char *const keys[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "erase", "0", "enter" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      GtkWidget *button;

      if (g_str_equal (keys[i], "erase"))
        {
          button = gtk_button_new_with_label ("⌫");
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "staff.erase");
        }
      else if (g_str_equal (keys[i], "enter"))
        {
          button = gtk_button_new_with_label ("✓");
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "staff.enter");
          gtk_widget_add_css_class (button, "key-enter");
        }
      else
        {
          button = gtk_button_new_with_label (keys[i]);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "staff.digit");
          gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", keys[i]);
        }
      gtk_widget_add_css_class (button, "key");
      gtk_grid_attach (self->keypad, button, (int)(i % 3), (int)(i / 3), 1, 1);
    }
}

static void
kiosk_staff_panel_init (KioskStaffPanel *self)
{
  GtkEventController *controller;

  self->pin = g_string_new (NULL);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  build_keypad (self);

  /* Any touch on the panel keeps it open; seen first, never consumed. */
  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (on_any_event), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
