/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-sync"

#include <json-glib/json-glib.h>

#include "kiosk-error.h"
#include "kiosk-store.h"
#include "kiosk-sync-appointments.h"

#include "kiosk-json.h"
#include "kiosk-sync-client-private.h"

void
kiosk_sync_appointment_free (KioskSyncAppointment *row)
{
  if (row == NULL)
    return;
  g_free (row->code_hash);
  g_free (row->service);
  g_free (row->id_hash);
  g_free (row);
}

void
kiosk_sync_appointment_page_free (KioskSyncAppointmentPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->appointments, g_ptr_array_unref);
  g_free (page);
}

static gboolean
bad_reply (GError **error, const char *why)
{
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "中心服务器应答无效 / Bad appointments reply: %s",
               why);
  return FALSE;
}

static gboolean
is_hash (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

static const char *
string_member (JsonObject *o, const char *name)
{
  JsonNode *node = json_object_get_member (o, name);
  return node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
}

static gboolean
int_member (JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static KioskSyncAppointment *
parse_row (JsonNode *node, GError **error)
{
  g_autoptr (KioskSyncAppointment) row = g_new0 (KioskSyncAppointment, 1);
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  JsonNode *id_node;
  const char *status, *service;

  if (o == NULL)
    return bad_reply (error, "a booking is not an object"), NULL;
  id_node = json_object_get_member (o, "id_hash");
  status = string_member (o, "status");
  service = string_member (o, "service");
  if (!is_hash (string_member (o, "code_hash")) || service == NULL || service[0] == '\0'
      || !int_member (o, "slot_us", &row->slot_us) || !int_member (o, "seq", &row->seq) || status == NULL
      || (id_node != NULL && !JSON_NODE_HOLDS_NULL (id_node) && !is_hash (string_member (o, "id_hash"))))
    return bad_reply (error, "a booking lacks a field or has a bad one"), NULL;
  if (g_str_equal (status, "booked"))
    row->status = KIOSK_SYNC_BOOKED;
  else if (g_str_equal (status, "cancelled"))
    row->status = KIOSK_SYNC_CANCELLED;
  else if (g_str_equal (status, "checked_in"))
    row->status = KIOSK_SYNC_CHECKED_IN;
  else
    return bad_reply (error, "a booking's status is unknown"), NULL;
  row->code_hash = g_strdup (string_member (o, "code_hash"));
  row->service = g_strdup (service);
  row->id_hash = g_strdup (string_member (o, "id_hash"));
  return g_steal_pointer (&row);
}

KioskSyncAppointmentPage *
kiosk_sync_parse_appointments (const char *data, gsize length, gint64 after, GError **error)
{
  static const KioskJsonLimits limits = { KIOSK_SYNC_MAX_REPLY_BYTES, 0 };
  g_autoptr (KioskSyncAppointmentPage) page = g_new0 (KioskSyncAppointmentPage, 1);
  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonNode *list, *more;
  JsonObject *o;
  JsonArray *array;

  /* Bounded like every other hub reply (kiosk-json.h). */
  if (data == NULL || (root = kiosk_json_parse (data, (gssize)length, &limits, &local)) == NULL)
    return bad_reply (error, local ? local->message : "empty"), NULL;
  o = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  list = o ? json_object_get_member (o, "appointments") : NULL;
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list) || !int_member (o, "cursor", &page->cursor))
    return bad_reply (error, "no \"appointments\" array or \"cursor\""), NULL;
  if (page->cursor < after)
    return bad_reply (error, "the cursor went backwards"), NULL;
  more = json_object_get_member (o, "more");
  page->more = more && JSON_NODE_HOLDS_VALUE (more) && json_node_get_value_type (more) == G_TYPE_BOOLEAN
               && json_node_get_boolean (more);

  array = json_node_get_array (list);
  page->appointments = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_sync_appointment_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      KioskSyncAppointment *row = parse_row (json_array_get_element (array, i), error);

      if (row == NULL)
        return NULL;
      g_ptr_array_add (page->appointments, row);
      if (row->seq <= after || row->seq > page->cursor)
        return bad_reply (error, "a booking's seq lies outside the page"), NULL;
    }
  /* A page of skipped (past) bookings moves the cursor; one that does not
   * move it must not be asked for again. */
  if (page->more && page->cursor == after)
    page->more = FALSE;
  return g_steal_pointer (&page);
}

static gboolean
apply_one (KioskStore *store, const KioskSyncAppointment *row, gint64 now, GError **error)
{
  sqlite3_stmt *stmt;

  if (row->status == KIOSK_SYNC_CANCELLED)
    stmt = kiosk_store_prepare (store, "DELETE FROM appointments WHERE code = ?1 AND used_us IS NULL", error);
  else
    /* Checked in (elsewhere, or the hub's echo of our own): kept as used, so
     * the resident hears "already checked in" rather than "not found". */
    stmt = kiosk_store_prepare (
        store,
        "INSERT INTO appointments (code, service_id, slot_us, id_hash, imported_us, used_us)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (code) DO UPDATE SET"
        " service_id = excluded.service_id, slot_us = excluded.slot_us,"
        " id_hash = excluded.id_hash, imported_us = excluded.imported_us,"
        " used_us = coalesce (used_us, excluded.used_us)",
        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->code_hash, -1, SQLITE_STATIC);
  if (row->status != KIOSK_SYNC_CANCELLED)
    {
      sqlite3_bind_text (stmt, 2, row->service, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, row->slot_us);
      sqlite3_bind_text (stmt, 4, row->id_hash, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, now);
      if (row->status == KIOSK_SYNC_CHECKED_IN)
        sqlite3_bind_int64 (stmt, 6, now);
      else
        sqlite3_bind_null (stmt, 6);
    }
  return kiosk_store_step_done (store, stmt, error);
}

gboolean
kiosk_sync_apply_appointments (KioskStore *store, GPtrArray *rows, gpointer user_data, GError **error)
{
  gint64 now = kiosk_clock_get_real_time (kiosk_store_get_clock (store));

  for (guint i = 0; i < rows->len; i++)
    if (!apply_one (store, rows->pdata[i], now, error))
      return FALSE;
  return TRUE;
}

gboolean
kiosk_sync_client_pull_appointments (KioskSyncClient *self, guint *n_applied, GError **error)
{
  gboolean more = TRUE;

  *n_applied = 0;
  while (more)
    {
      gint64 cursor = kiosk_sync_client_get_cursor (self, KIOSK_SYNC_APPOINTMENTS_CURSOR_KEY);
      g_autofree char *path = g_strdup_printf ("/v1/appointments?cursor=%" G_GINT64_FORMAT, cursor);
      g_autoptr (KioskSyncAppointmentPage) page = NULL;
      const char *data = NULL;
      gsize length = 0;
      long status = 0;

      if (!kiosk_sync_client_get (self, path, &status, &data, &length, error))
        return FALSE;
      /* A hub from before appointments: nothing to pull, nothing wrong. */
      if (status == 404)
        return TRUE;
      if (status != 200)
        {
          kiosk_sync_client_set_status_error (self, status, error);
          return FALSE;
        }
      page = kiosk_sync_parse_appointments (data, length, cursor, error);
      if (page == NULL)
        return FALSE;
      if ((page->appointments->len > 0 || page->cursor != cursor)
          && !kiosk_sync_client_apply_page (self, KIOSK_SYNC_APPOINTMENTS_CURSOR_KEY, page->cursor,
                                            page->appointments, kiosk_sync_apply_appointments, NULL, error))
        return FALSE;
      *n_applied += page->appointments->len;
      more = page->more;
    }
  return TRUE;
}
