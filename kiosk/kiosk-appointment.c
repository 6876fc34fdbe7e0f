/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-appointment"

#include <json-glib/json-glib.h>

#include "kiosk-appointment.h"
#include "kiosk-card.h"
#include "kiosk-error.h"
#include "kiosk-json.h"
#include "kiosk-queue-private.h"

#define QR_PREFIX "LINLI:A1:"
#define ID_HASH_HEX 64
/* A day's bookings for a centre: some 40,000 at 200 bytes each. */
#define MAX_IMPORT_BYTES (8 * 1024 * 1024)

char *
kiosk_appointment_normalize_code (const char *input)
{
  g_autoptr (GString) code = NULL;

  if (input == NULL)
    return NULL;
  code = g_string_new (NULL);
  for (const char *p = input; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-' || *p == '\t' || *p == '\r' || *p == '\n')
        continue;
      if (!g_ascii_isalnum (*p))
        return NULL;
      g_string_append_c (code, g_ascii_toupper (*p));
    }
  if (code->len < 4 || code->len > 32)
    return NULL;
  return g_string_free (g_steal_pointer (&code), FALSE);
}

char *
kiosk_appointment_code_from_qr (const char *payload)
{
  if (payload == NULL)
    return NULL;
  if (g_str_has_prefix (payload, QR_PREFIX))
    payload += strlen (QR_PREFIX);
  return kiosk_appointment_normalize_code (payload);
}

static char *
keyed_hex (GBytes *key, const char *domain, const char *message)
{
  gsize key_len;
  const guint8 *key_data = g_bytes_get_data (key, &key_len);
  g_autoptr (GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key_data, key_len);

  g_hmac_update (hmac, (const guchar *)domain, (gssize)strlen (domain));
  g_hmac_update (hmac, (const guchar *)message, (gssize)strlen (message));
  return g_strdup (g_hmac_get_string (hmac));
}

char *
kiosk_appointment_code_hash (GBytes *key, const char *code)
{
  g_autofree char *normal = kiosk_appointment_normalize_code (code);

  g_return_val_if_fail (key != NULL, NULL);

  return normal ? keyed_hex (key, "linli-code-v1:", normal) : NULL;
}

char *
kiosk_appointment_mask_code (const char *code)
{
  gsize len = code ? strlen (code) : 0;

  if (len < 4 || !g_str_is_ascii (code))
    return g_strdup ("****");
  return g_strconcat ("****", code + len - 2, NULL);
}

char *
kiosk_appointment_id_hash (GBytes *secret, const char *id_number)
{
  static const char domain[] = "linli-id-v1:";
  g_autoptr (GString) id = g_string_new (NULL);

  g_return_val_if_fail (secret != NULL, NULL);

  if (id_number == NULL)
    return NULL;
  for (const char *p = id_number; *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (id, g_ascii_toupper (*p));
  if (id->len != 18)
    return NULL;
  for (guint i = 0; i < 18; i++)
    if (!g_ascii_isdigit (id->str[i]) && !(i == 17 && id->str[i] == 'X'))
      return NULL;

  return keyed_hex (secret, domain, id->str);
}

gboolean
kiosk_appointment_window (GDateTime *slot, GDateTime *now, int early_minutes, int late_minutes,
                          KioskRefusalReason *reason, GDateTime **opens)
{
  g_autoptr (GDateTime) from = g_date_time_add_minutes (slot, -early_minutes);
  g_autoptr (GDateTime) until = g_date_time_add_minutes (slot, late_minutes);

  if (g_date_time_compare (now, from) < 0)
    {
      *reason = KIOSK_REFUSAL_APPOINTMENT_TOO_EARLY;
      if (opens != NULL)
        *opens = g_date_time_to_timezone (from, g_date_time_get_timezone (now));
      return FALSE;
    }
  if (g_date_time_compare (now, until) > 0)
    {
      *reason = KIOSK_REFUSAL_APPOINTMENT_EXPIRED;
      return FALSE;
    }
  return TRUE;
}

/* The key of code and ID hashes: the card key, else the kiosk's secret. */
static GBytes *
id_key (KioskQueue *queue)
{
  const KioskQueueSettings *settings = kiosk_queue_get_settings (queue);
  return settings->id_key ? settings->id_key : settings->secret;
}

/* Import */

static gboolean
fail_item (GError **error, guint i, const char *code, const char *why)
{
  g_autofree char *masked = code ? kiosk_appointment_mask_code (code) : g_strdup ("?");

  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "appointments[%u] (%s): %s", i, masked, why);
  return FALSE;
}

static gboolean
is_hex_hash (const char *text)
{
  if (text == NULL || strlen (text) != ID_HASH_HEX)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

/* kiosk_card_check_resident_id() of @id_number as typed (spaces allowed),
 * on the kiosk's date. */
static KioskCardReject
check_id_number (KioskClock *clock, const char *id_number)
{
  g_autoptr (GString) id = g_string_new (NULL);
  GDate today;

  for (const char *p = id_number; *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (id, *p);
  kiosk_clock_get_today (clock, &today);
  return kiosk_card_check_resident_id (id->str, &today);
}

/* Validates item @i and writes it; the caller holds the transaction. */
static gboolean
import_one (KioskQueue *queue, JsonNode *node, guint i, GHashTable *seen, GError **error)
{
  KioskStore *store = kiosk_queue_get_store (queue);
  KioskClock *clock = kiosk_store_get_clock (store);
  JsonObject *obj = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autofree char *code = NULL, *code_hash = NULL;
  g_autofree char *hash = NULL;
  g_autoptr (GDateTime) slot = NULL;
  const char *service, *slot_text, *id_number, *id_hash;
  sqlite3_stmt *stmt;

  if (obj == NULL)
    return fail_item (error, i, NULL, "must be an object");
  code = kiosk_appointment_normalize_code (json_object_get_string_member_with_default (obj, "code", NULL));
  if (code == NULL)
    return fail_item (error, i, NULL, "\"code\" must be 4–32 letters and digits");
  if (!g_hash_table_add (seen, g_strdup (code)))
    return fail_item (error, i, code, "the code appears twice");

  service = json_object_get_string_member_with_default (obj, "service", NULL);
  if (service == NULL || kiosk_bundle_find_service (kiosk_queue_get_bundle (queue), service) == NULL)
    {
      g_autofree char *why = g_strdup_printf ("service \"%s\" does not exist", service ? service : "");
      return fail_item (error, i, code, why);
    }

  slot_text = json_object_get_string_member_with_default (obj, "slot", NULL);
  slot = slot_text ? g_date_time_new_from_iso8601 (slot_text, kiosk_clock_get_time_zone (clock)) : NULL;
  if (slot == NULL)
    return fail_item (error, i, code, "\"slot\" must be a time like \"2026-11-23T10:00:00+08:00\"");

  id_number = json_object_get_string_member_with_default (obj, "id_number", NULL);
  id_hash = json_object_get_string_member_with_default (obj, "id_hash", NULL);
  if (id_number != NULL && id_hash != NULL)
    return fail_item (error, i, code, "give \"id_number\" or \"id_hash\", not both");
  if (id_number != NULL && (hash = kiosk_appointment_id_hash (id_key (queue), id_number)) == NULL)
    return fail_item (error, i, code, "\"id_number\" is not an 18-character resident ID number");
  if (id_number != NULL && check_id_number (clock, id_number) != KIOSK_CARD_REJECT_NONE)
    {
      g_autofree char *why = g_strdup_printf ("\"id_number\" is not a valid resident ID number: %s",
                                              kiosk_card_reject_to_text (check_id_number (clock, id_number)));
      return fail_item (error, i, code, why);
    }
  if (id_hash != NULL)
    {
      if (!is_hex_hash (id_hash))
        return fail_item (error, i, code, "\"id_hash\" must be 64 lower-case hex digits");
      hash = g_strdup (id_hash);
    }

  stmt = kiosk_store_prepare (store,
                              "INSERT INTO appointments (code, service_id, slot_us, id_hash, imported_us) "
                              "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (code) DO UPDATE SET "
                              "service_id = excluded.service_id, slot_us = excluded.slot_us, "
                              "id_hash = excluded.id_hash, imported_us = excluded.imported_us",
                              error);
  if (stmt == NULL)
    return FALSE;
  code_hash = kiosk_appointment_code_hash (id_key (queue), code);
  sqlite3_bind_text (stmt, 1, code_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, service, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, kiosk_date_time_to_usec (slot));
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, kiosk_clock_get_real_time (clock));
  return kiosk_store_step_done (store, stmt, error);
}

gboolean
kiosk_appointment_import_data (KioskQueue *queue, const char *json, gssize length, guint *n_imported,
                               GError **error)
{
  static const KioskJsonLimits limits = { MAX_IMPORT_BYTES, 0 };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GError) parse_error = NULL;
  KioskStore *store;
  JsonNode *list;
  JsonArray *array;

  g_return_val_if_fail (KIOSK_IS_QUEUE (queue), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if ((root = kiosk_json_parse (json, length, &limits, &parse_error)) == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "appointments: %s", parse_error->message);
      return FALSE;
    }
  list = JSON_NODE_HOLDS_OBJECT (root) ? json_object_get_member (json_node_get_object (root), "appointments")
                                       : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                           "appointments: expected an object with a list \"appointments\"");
      return FALSE;
    }
  array = json_node_get_array (list);

  store = kiosk_queue_get_store (queue);
  if (!kiosk_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!import_one (queue, json_array_get_element (array, i), i, seen, error))
      {
        kiosk_store_rollback (store);
        return FALSE;
      }
  if (!kiosk_store_commit (store, error))
    return FALSE;
  if (n_imported != NULL)
    *n_imported = json_array_get_length (array);
  return TRUE;
}

gboolean
kiosk_appointment_import_file (KioskQueue *queue, const char *path, guint *n_imported, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  if (!kiosk_appointment_import_data (queue, contents, (gssize)length, n_imported, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return TRUE;
}

/* Check-in */

typedef struct
{
  char *code;
  char *service_id;
  GDateTime *slot;
  gboolean used;
} Booking;

static void
booking_free (Booking *b)
{
  g_free (b->code);
  g_free (b->service_id);
  g_clear_pointer (&b->slot, g_date_time_unref);
  g_free (b);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Booking, booking_free)

/* Bookings for a code or an ID hash, by slot. */
static GPtrArray *
find_bookings (KioskQueue *queue, gboolean by_id, const char *key, GError **error)
{
  KioskStore *store = kiosk_queue_get_store (queue);
  KioskClock *clock = kiosk_store_get_clock (store);
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify)booking_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kiosk_store_prepare (store,
                              by_id
                                  ? "SELECT code, service_id, slot_us, used_us IS NOT NULL FROM appointments "
                                    "WHERE id_hash = ?1 ORDER BY slot_us"
                                  : "SELECT code, service_id, slot_us, used_us IS NOT NULL FROM appointments "
                                    "WHERE code = ?1",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (GDateTime) utc = kiosk_date_time_new_from_usec (sqlite3_column_int64 (stmt, 2));
      Booking *b = g_new0 (Booking, 1);

      b->code = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      b->service_id = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      b->slot = kiosk_clock_to_local (clock, utc);
      b->used = sqlite3_column_int (stmt, 3);
      g_ptr_array_add (found, b);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kiosk_store_set_error (store, rc, "read appointments", error);
      return NULL;
    }
  return g_steal_pointer (&found);
}

/* How good a match a booking is, higher better: open now, then opening
 * later (the earliest), then used, then expired. */
static int
booking_rank (const Booking *b, GDateTime *now, int early, int late, KioskRefusalReason *reason,
              GDateTime **opens)
{
  if (b->used)
    {
      *reason = KIOSK_REFUSAL_APPOINTMENT_USED;
      return 1;
    }
  if (kiosk_appointment_window (b->slot, now, early, late, reason, opens))
    return 3;
  return *reason == KIOSK_REFUSAL_APPOINTMENT_TOO_EARLY ? 2 : 0;
}

static gboolean
mark_used (KioskQueue *queue, const char *code, const KioskTicket *ticket, GError **error)
{
  KioskStore *store = kiosk_queue_get_store (queue);
  sqlite3_stmt *stmt = kiosk_store_prepare (
      store, "UPDATE appointments SET used_us = ?2, ticket_uuid = ?3 WHERE code = ?1 AND used_us IS NULL",
      error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, kiosk_date_time_to_usec (ticket->issued));
  sqlite3_bind_text (stmt, 3, ticket->uuid, -1, SQLITE_STATIC);
  return kiosk_store_step_done (store, stmt, error);
}

/* The ticket for the best booking; NULL with @refused or @error. */
static KioskTicket *
check_in_locked (KioskQueue *queue, gboolean by_id, const char *key, KioskRefusal **refused, GError **error)
{
  const KioskQueueSettings *settings = kiosk_queue_get_settings (queue);
  g_autoptr (GDateTime) now = kiosk_clock_now (kiosk_store_get_clock (kiosk_queue_get_store (queue)));
  g_autoptr (GPtrArray) bookings = NULL;
  g_autoptr (GDateTime) best_opens = NULL;
  g_autoptr (KioskTicket) ticket = NULL;
  KioskRefusalReason best_reason = KIOSK_REFUSAL_APPOINTMENT_UNKNOWN;
  const Booking *best = NULL;
  const KioskService *service;
  int best_rank = -1;

  bookings = key ? find_bookings (queue, by_id, key, error) : g_ptr_array_new ();
  if (bookings == NULL)
    return NULL;

  for (guint i = 0; i < bookings->len; i++)
    {
      const Booking *b = bookings->pdata[i];
      g_autoptr (GDateTime) opens = NULL;
      KioskRefusalReason reason = 0;
      int rank = booking_rank (b, now, settings->appointment_early_minutes,
                               settings->appointment_late_minutes, &reason, &opens);

      /* Ties: bookings come by slot, so the earliest of a kind wins, except
       * that the latest expired one is the one worth naming. */
      if (rank > best_rank || (rank == 0 && best_rank == 0))
        {
          best = b;
          best_rank = rank;
          best_reason = reason;
          g_clear_pointer (&best_opens, g_date_time_unref);
          best_opens = g_steal_pointer (&opens);
        }
    }

  if (best_rank < 3)
    {
      *refused = kiosk_refusal_new (best_reason, best_opens, now);
      return NULL;
    }

  service = kiosk_bundle_find_service (kiosk_queue_get_bundle (queue), best->service_id);
  if (service == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND,
                   "appointment %.12s… is for service \"%s\", which the content no longer has", best->code,
                   best->service_id);
      return NULL;
    }

  ticket = kiosk_queue_issue_locked (queue, service, KIOSK_LANE_APPOINTMENT, best->code, refused, error);
  if (ticket == NULL || !mark_used (queue, best->code, ticket, error))
    return NULL;
  return g_steal_pointer (&ticket);
}

KioskTicket *
kiosk_appointment_check_in (KioskQueue *queue, KioskCheckIn how, const char *input, KioskRefusal **refusal,
                            GError **error)
{
  g_autoptr (KioskRefusal) refused = NULL;
  g_autoptr (KioskTicket) ticket = NULL;
  g_autofree char *key = NULL;
  g_autoptr (GError) local_error = NULL;
  KioskStore *store;

  g_return_val_if_fail (KIOSK_IS_QUEUE (queue), NULL);
  g_return_val_if_fail (refusal == NULL || *refusal == NULL, NULL);

  switch (how)
    {
      case KIOSK_CHECK_IN_CODE:
        key = kiosk_appointment_code_hash (id_key (queue), input);
        break;
      case KIOSK_CHECK_IN_QR:
        {
          g_autofree char *code = kiosk_appointment_code_from_qr (input);
          key = code ? kiosk_appointment_code_hash (id_key (queue), code) : NULL;
        }
        break;
      case KIOSK_CHECK_IN_ID_NUMBER:
        /* A number with a wrong check digit or birth date is no one's. */
        if (input != NULL
            && check_id_number (kiosk_store_get_clock (kiosk_queue_get_store (queue)), input)
                   == KIOSK_CARD_REJECT_NONE)
          key = kiosk_appointment_id_hash (id_key (queue), input);
        break;
      default:
        g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "unknown check-in method %d", (int)how);
        return NULL;
    }

  store = kiosk_queue_get_store (queue);
  if (!kiosk_store_begin (store, error))
    return NULL;
  ticket = check_in_locked (queue, how == KIOSK_CHECK_IN_ID_NUMBER, key, &refused, &local_error);
  if (ticket == NULL)
    {
      kiosk_store_rollback (store);
      if (refused != NULL)
        {
          /* A refusal from the hours comes with its error set already. */
          if (local_error == NULL)
            kiosk_refusal_set_error (refused, &local_error);
          if (refusal != NULL)
            *refusal = g_steal_pointer (&refused);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!kiosk_store_commit (store, error))
    return NULL;

  kiosk_queue_emit_changed (queue, ticket->queue_id);
  return g_steal_pointer (&ticket);
}
