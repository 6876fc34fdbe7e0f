/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-sync-client.h"

G_BEGIN_DECLS

/* The hub's bookings (GET /v1/appointments), pulled by the sync thread as the
 * member list is and written into the kiosk's appointments table, where
 * kiosk_appointment_check_in() finds them. Codes and ID numbers come as the
 * hub's keyed hashes (the card key), never in the clear. */

typedef enum
{
  KIOSK_SYNC_BOOKED,     /* insert or update; a used booking stays used */
  KIOSK_SYNC_CANCELLED,  /* deleted unless already used */
  KIOSK_SYNC_CHECKED_IN, /* used (at this kiosk or another): refused from now on */
} KioskSyncBookingStatus;

typedef struct
{
  char *code_hash; /* 64 lower-case hex */
  char *service;
  char *id_hash; /* NULL: no check-in by ID card */
  KioskSyncBookingStatus status;
  gint64 slot_us;
  gint64 seq;
} KioskSyncAppointment;

void kiosk_sync_appointment_free (KioskSyncAppointment *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskSyncAppointment, kiosk_sync_appointment_free)

typedef struct
{
  GPtrArray *appointments; /* KioskSyncAppointment *, by seq */
  gint64 cursor;
  gboolean more;
} KioskSyncAppointmentPage;

void kiosk_sync_appointment_page_free (KioskSyncAppointmentPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskSyncAppointmentPage, kiosk_sync_appointment_page_free)

#define KIOSK_SYNC_APPOINTMENTS_CURSOR_KEY "hub.appointments_cursor"

/* {"appointments":[{"code_hash","service","slot_us","id_hash"|null,"status",
 * "seq"},…],"cursor":N,"more":bool}; @after is the cursor asked with. Pure,
 * safe on any bytes. A row that is not well formed fails the page. */
KioskSyncAppointmentPage *kiosk_sync_parse_appointments (const char *data, gsize length, gint64 after,
                                                         GError **error);

/* Writes @rows (KioskSyncAppointment *) into @store's appointments table; the
 * caller holds the transaction (a KioskSyncMembersFunc). */
gboolean kiosk_sync_apply_appointments (KioskStore *store, GPtrArray *rows, gpointer user_data,
                                        GError **error);

/* Pulls the bookings changed after the stored cursor, page by page, each page
 * written and the cursor advanced in one transaction. A hub without the
 * endpoint (404) is no error. */
gboolean kiosk_sync_client_pull_appointments (KioskSyncClient *self, guint *n_applied, GError **error);

G_END_DECLS
