/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-bundle.h"
#include "kiosk-lanes.h"

G_BEGIN_DECLS

/* A queue number as issued. Plain data: every field is owned by the ticket. */
typedef struct
{
  char *uuid;     /* random v4, also the uuid of its outbox record */
  char *hall_id;  /* the hall the kiosk stands in */
  char *kiosk_id; /* the issuing kiosk */
  char *queue_id;
  char *service_id;
  char *service_day; /* local "YYYY-MM-DD" the counter belongs to */
  guint kiosk_index; /* i of n: this kiosk's numbers are first + i + k × n */
  guint kiosks_in_hall;
  guint seq; /* k: the place in this kiosk's sequence of the day, from 0 */
  int number;
  char *label; /* "A023" */
  KioskLane lane;
  GDateTime *issued;  /* in the kiosk's zone */
  guint people_ahead; /* at issue: kiosk_lanes_people_ahead_of_newest() */
  int wait_low;       /* estimated minutes; -1: no estimate */
  int wait_high;
  char *public_code;      /* see kiosk_ticket_public_code() */
  char *appointment_code; /* the booking checked in; NULL for walk-ins */
} KioskTicket;

#define KIOSK_TYPE_TICKET (kiosk_ticket_get_type ())
GType kiosk_ticket_get_type (void) G_GNUC_CONST;
KioskTicket *kiosk_ticket_copy (const KioskTicket *ticket);
void kiosk_ticket_free (KioskTicket *ticket);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskTicket, kiosk_ticket_free)

/* "A023": the prefix and the number, zero-padded to the width of @last and
 * at least three digits ("A001" … "A999", "B0001" … "B9999"). */
char *kiosk_ticket_format_label (char prefix, int number, int last);

/* The public code printed in the QR, which the hub verifies without a
 * database lookup. Exact construction (the hub must compute the same):
 *
 *   mac  = HMAC-SHA256 (key = the kiosk's secret bytes,
 *                       message = "linli-ticket-v1:" ‖ uuid)
 *          uuid as its 36 lower-case ASCII characters, no terminator
 *   code = RFC 4648 base32 (alphabet A–Z 2–7, no padding) of mac[0..10)
 *
 * 80 bits, 16 characters, e.g. "K5QW3NBT7Z2XJ4PA". Guessing one takes 2^80
 * tries; without the key no code can be made for a uuid. */
char *kiosk_ticket_public_code (GBytes *secret, const char *uuid);
/* Constant-time check of @code against kiosk_ticket_public_code(). */
gboolean kiosk_ticket_verify_code (GBytes *secret, const char *uuid, const char *code);

/* The text of the slip's QR: "LINLI:T1:" ‖ uuid ‖ ":" ‖ public code. */
char *kiosk_ticket_get_qr_payload (const KioskTicket *ticket);
/* Splits a QR payload; FALSE (and @uuid, @code untouched) when it is not one. */
gboolean kiosk_ticket_parse_qr_payload (const char *payload, char **uuid, char **code);

/* The outbox payload: a JSON object with every field above, "issued" as
 * ISO 8601 with offset and "issued_us" as microseconds since the epoch. */
char *kiosk_ticket_to_json (const KioskTicket *ticket);
/* The same with "service_zh" and "service_en", the service's names as the
 * slip prints them (the hub's ticket page shows them). */
char *kiosk_ticket_to_json_with_service (const KioskTicket *ticket, const KioskText *service_name);

/* Why a ticket was not issued. */
typedef enum
{
  KIOSK_REFUSAL_CLOSED_NOW,                  /* outside the hours, or the lunch break */
  KIOSK_REFUSAL_HOLIDAY,                     /* closed all day on a day that normally opens */
  KIOSK_REFUSAL_CUTOFF,                      /* within the cut-off before closing */
  KIOSK_REFUSAL_CAP_REACHED,                 /* the day's cap of the queue or the service */
  KIOSK_REFUSAL_RANGE_EXHAUSTED,             /* this kiosk has no number left today */
  KIOSK_REFUSAL_CANNOT_SERVE_BEFORE_CLOSING, /* too many waiting to be served today */
  KIOSK_REFUSAL_APPOINTMENT_UNKNOWN,         /* no such booking */
  KIOSK_REFUSAL_APPOINTMENT_USED,            /* already checked in */
  KIOSK_REFUSAL_APPOINTMENT_EXPIRED,         /* past the late window */
  KIOSK_REFUSAL_APPOINTMENT_TOO_EARLY,       /* before the early window; next_opening: when it opens */
  KIOSK_REFUSAL_ID_CARD_EXPIRED,             /* checked in with a chip ID card past its validity */
} KioskRefusalReason;

typedef struct
{
  KioskRefusalReason reason;
  GDateTime *next_opening; /* when to come back; NULL when not known */
  KioskText text;          /* the whole sentence, next opening included */
} KioskRefusal;

#define KIOSK_TYPE_REFUSAL (kiosk_refusal_get_type ())
GType kiosk_refusal_get_type (void) G_GNUC_CONST;
/* @next_opening: nullable. @now: for "today" / "tomorrow" in the text. */
KioskRefusal *kiosk_refusal_new (KioskRefusalReason reason, GDateTime *next_opening, GDateTime *now);
KioskRefusal *kiosk_refusal_copy (const KioskRefusal *refusal);
void kiosk_refusal_free (KioskRefusal *refusal);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskRefusal, kiosk_refusal_free)

/* "closed-now", "holiday", "cutoff", "cap-reached", "range-exhausted",
 * "cannot-serve-before-closing", "appointment-unknown", … */
const char *kiosk_refusal_reason_to_string (KioskRefusalReason reason);
/* Sets @error to "中文 / English" with KIOSK_ERROR_CLOSED for the first six
 * reasons and KIOSK_ERROR_DENIED for appointments. */
void kiosk_refusal_set_error (const KioskRefusal *refusal, GError **error);

/* "今天 13:30" / "today 13:30", "明天 08:30" / "tomorrow 08:30", else
 * "11月24日 周二 08:30" / "Tue 24 Nov 08:30"; @when is shown in @now's zone. */
char *kiosk_format_when (GDateTime *when, GDateTime *now, const char *lang);

G_END_DECLS
