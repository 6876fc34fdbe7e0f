/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-queue.h"

G_BEGIN_DECLS

/* Appointment check-in: a booking made elsewhere (phone, hub) turns into a
 * priority ticket (lane APPOINTMENT) at the kiosk, inside a window around its
 * slot: from slot − appointment_early_minutes to slot + appointment_late_minutes.
 *
 * Bookings come from the hub (`linli-hub appointments import FILE`, pulled by
 * the sync as GET /v1/appointments: kiosk-sync-appointments.h), or for a kiosk
 * without a hub from JSON:
 *
 *   { "appointments": [
 *       { "code": "K7M2Q9", "service": "residence-permit",
 *         "slot": "2026-11-23T10:00:00+08:00",
 *         "id_number": "11010519491231002X" },
 *       { "code": "P3X8", "service": "social-insurance", "slot": "2026-11-23T14:30:00",
 *         "id_hash": "<64 hex digits>" } ] }
 *
 * "slot" without an offset is in the kiosk's zone. Neither the booking code
 * (it grants a ticket) nor the ID number is stored: both are kept as keyed
 * hashes (kiosk_appointment_code_hash(), kiosk_appointment_id_hash()) under
 * the queue's id_key (the deployment's card key, shared with the hub, or the
 * kiosk's secret without one); "id_hash" is such a hash made elsewhere. An
 * "id_number" must pass kiosk_card_check_resident_id() (check digit, birth
 * date not after the kiosk's today), as must the number of a check-in by ID
 * card. The ID is optional (no check-in by ID card then). A code imported
 * again updates service, slot and hash but keeps whether it was used. The
 * import is all or nothing; an error names the item and shows the code
 * masked, e.g. "appointments[3] (****X8): service \"x\" does not exist". */

typedef enum
{
  KIOSK_CHECK_IN_CODE,      /* typed on screen */
  KIOSK_CHECK_IN_QR,        /* scanned: "LINLI:A1:<code>" or the bare code */
  KIOSK_CHECK_IN_ID_NUMBER, /* read from an ID card; matched by keyed hash */
} KioskCheckIn;

/* Reads @path (see above); @n_imported: how many bookings it held. */
gboolean kiosk_appointment_import_file (KioskQueue *queue, const char *path, guint *n_imported,
                                        GError **error);
gboolean kiosk_appointment_import_data (KioskQueue *queue, const char *json, gssize length, guint *n_imported,
                                        GError **error);

/* Checks a booking in and issues its ticket, in one transaction that also
 * marks the booking used, so a booking gives at most one ticket. Refusals,
 * with nothing issued and the booking unchanged (KIOSK_ERROR_DENIED and
 * @refusal): APPOINTMENT_UNKNOWN (no such code or ID, or malformed input),
 * APPOINTMENT_USED, APPOINTMENT_EXPIRED, APPOINTMENT_TOO_EARLY (with the time
 * check-in opens as next_opening). A booked ticket is also refused
 * (KIOSK_ERROR_CLOSED) while its service is closed or out of numbers; caps
 * and cut-offs do not apply to it. By ID number the booking of today whose
 * window is open is taken; if none, the refusal is about the nearest one. */
KioskTicket *kiosk_appointment_check_in (KioskQueue *queue, KioskCheckIn how, const char *input,
                                         KioskRefusal **refusal, GError **error);

/* Pure helpers, table-tested. */

/* Upper case without spaces or dashes; NULL unless 4–32 letters and digits. */
char *kiosk_appointment_normalize_code (const char *input);
/* The code in a scanned payload ("LINLI:A1:<code>" or a bare code), normalised. */
char *kiosk_appointment_code_from_qr (const char *payload);

/* The stored form of a booking code: lower-case hex of HMAC-SHA256 (key =
 * @key's bytes, message = "linli-code-v1:" ‖ kiosk_appointment_normalize_code
 * (@code)); NULL when the code is not 4–32 letters and digits. A ticket's
 * appointment_code and its record's "appointment" carry it, so the hub can
 * mark its booking checked in. */
char *kiosk_appointment_code_hash (GBytes *key, const char *code);
/* A booking code as screens, logs and errors show it: "****Q9" (the last two
 * characters; the stars do not tell the length). Transfer full. */
char *kiosk_appointment_mask_code (const char *code);

/* The stored form of a resident ID number (exact construction, for whoever
 * makes "id_hash"):
 *
 *   id   = the 18 characters, upper case, spaces removed (17 digits, then a
 *          digit or X)
 *   hash = lower-case hex of HMAC-SHA256 (key = @secret's bytes, the card key,
 *                                         message = "linli-id-v1:" ‖ id)
 *
 * NULL when @id_number is not 18 such characters. */
char *kiosk_appointment_id_hash (GBytes *secret, const char *id_number);

/* Whether @now is inside the window of @slot. FALSE with @reason set to
 * APPOINTMENT_TOO_EARLY (and @opens, transfer full, to the window's start)
 * or APPOINTMENT_EXPIRED. */
gboolean kiosk_appointment_window (GDateTime *slot, GDateTime *now, int early_minutes, int late_minutes,
                                   KioskRefusalReason *reason, GDateTime **opens);

G_END_DECLS
