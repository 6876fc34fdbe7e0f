/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* Bookings for the service hall on the hub (hub/sql/010-appointments.sql).
 *
 * Staff import them from CSV (`linli-hub appointments import FILE`); kiosks
 * pull them (GET /v1/appointments) and check a resident in by booking code or
 * ID card; the kiosk's ticket record marks the booking checked in.
 *
 * CSV: UTF-8 (a BOM is skipped; GBK or UTF-16 is refused with a clear error),
 * a header naming the columns in any order:
 *   code        the booking code, 4–32 letters and digits ("K7M2-Q9" = "K7M2Q9")
 *   service     the service id of the published content, e.g. residence-permit
 *   slot        2026-11-23 10:00, 2026-11-23T10:00:00 or with an offset
 *               (…+08:00); without one, in the hub's local zone
 *   id_number   optional: the resident ID number (18 characters, check digit)
 *   status      optional: booked (the default) or cancelled
 * Fields may be "quoted" ("" inside is a quote, and a quoted field may hold a
 * comma or a line break); blank lines and lines starting with '#' are
 * skipped. Every row is checked before anything is stored; problems are
 * reported as "line N: why" with N counting every line of the file, and never
 * quote a code or an ID number. */

#define HUB_APPOINTMENTS_MAX_BYTES (8 * 1024 * 1024)
#define HUB_APPOINTMENTS_MAX_ROWS 100000

/* One checked row, ready to store. */
typedef struct
{
  guint line;
  char *code_hash; /* kiosk_appointment_code_hash() under the card key */
  char *code_hint; /* "****Q9" */
  char *service;
  gint64 slot_us;
  char *id_hash; /* NULL: no check-in by ID card */
  char *id_hint; /* "****002X" or NULL */
  gboolean cancelled;
} HubAppointment;

void hub_appointment_free (HubAppointment *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubAppointment, hub_appointment_free)

/* Parses @data (@length bytes) with @key (the card key) for the hashes and
 * @tz for slots without an offset. Pure: no I/O, any bytes are safe. NULL
 * when anything is wrong: then @problems (if not NULL) receives one
 * "line N: why" per bad line, and @error (KIOSK_ERROR_INVALID) says how many. */
GPtrArray *hub_appointments_parse_csv (const char *data, gsize length, GBytes *key, GTimeZone *tz,
                                       GPtrArray *problems, GError **error);

/* Stores @rows (HubAppointment *) in one transaction: a new code is
 * inserted, a known one updated (a checked-in booking stays checked in), and
 * a cancelled row cancels. When the hub has published content, every row's
 * service must be one of it, else nothing is stored and @problems names the
 * lines. */
gboolean hub_appointments_store (PGconn *conn, GPtrArray *rows, GPtrArray *problems, guint *n_new,
                                 guint *n_updated, GError **error);

/* The reply to GET /v1/appointments: the bookings changed after @cursor
 * (those whose slot is more than a day past are skipped, but the cursor moves
 * past them): {"appointments":[{"code_hash","service","slot_us","id_hash",
 * "status","seq"},…],"cursor":N,"more":bool}. */
char *hub_appointments_since (PGconn *conn, gint64 cursor, guint limit, GError **error);

/* `linli-hub appointments import FILE | list [DAY]`: @card_key_path is the
 * deployment's card key (64 hex digits). */
int hub_appointments_command (const char *conninfo, const char *card_key_path, int argc, char **argv,
                              GError **error);

G_END_DECLS
