/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-ticket-view.h"

G_BEGIN_DECLS

/* A message on the appointment page that is not a refusal of the engine. */
typedef enum
{
  KIOSK_CHECK_IN_HINT_NONE,
  KIOSK_CHECK_IN_HINT_TOO_SHORT,   /* fewer than 4 letters or digits typed */
  KIOSK_CHECK_IN_HINT_UNREADABLE,  /* a read the reader garbled */
  KIOSK_CHECK_IN_HINT_UNAVAILABLE, /* no queue, or the store failed */
} KioskCheckInHint;

struct _KioskTicketView
{
  KioskScreen parent_instance;

  /* Borrowed: the application outlives its window */
  KioskApplication *app;

  /* Owned: where the visitor is, kept across language switches and redraws */
  const char *page; /* static */
  char *category_id;
  char *service_id;
  KioskTicket *ticket;
  char *public_url;     /* the hub's, when the ticket was shown; NULL: no QR */
  char *qr_text;        /* NULL: no QR */
  GdkTexture *qr;       /* screen size */
  GdkTexture *qr_large; /* for a photograph when the slip did not print */
  KioskPrintState print_state;
  KioskPrinterStatus print_status;
  GError *print_error;
  KioskRefusal *refusal;          /* the refused page; NULL: "ask at a desk" */
  KioskRefusal *check_in_refusal; /* the appointment page's message */
  KioskCheckInHint check_in_hint;
  char *greeting; /* "张*三": who checked in with a chip ID card; NULL otherwise */
  GString *code;
  GCancellable *cancellable;
  guint return_source;
  gint64 return_deadline_us;
  gulong clock_handler;
  gulong card_handler;
  gulong large_text_handler;

  /* Borrowed: rebuilt with its page */
  GtkLabel *code_label;

  /* Template widgets */
  GtkWidget *back_button;
  GtkLabel *back_label;
  GtkLabel *title;
  GtkStack *pages;
  GtkWidget *categories_page;
  GtkWidget *services_page;
  GtkWidget *lanes_page;
  GtkWidget *ticket_page;
  GtkWidget *refused_page;
  GtkWidget *appointment_page;
};

/* kiosk-ticket-pages.c: each page built afresh from the state above in the
 * current language (the caller has emptied it). */
void kiosk_ticket_build_categories (KioskTicketView *self, KioskBundle *bundle);
void kiosk_ticket_build_services (KioskTicketView *self, KioskBundle *bundle, const KioskCategory *category);
void kiosk_ticket_build_lanes (KioskTicketView *self, const KioskService *service);
void kiosk_ticket_build_ticket (KioskTicketView *self, KioskBundle *bundle);
void kiosk_ticket_build_refused (KioskTicketView *self, KioskBundle *bundle);
void kiosk_ticket_build_appointment (KioskTicketView *self);
/* The typed booking code into the page's display, without a rebuild. */
void kiosk_ticket_update_code (KioskTicketView *self);

G_END_DECLS
