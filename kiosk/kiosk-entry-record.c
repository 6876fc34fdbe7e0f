/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-entry"

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "kiosk-entry-private.h"

/* The entries table and the outbox records of the door's decisions. */

static char *
payload_for (KioskStore *store, const KioskEntryDecision *d, const char *result)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) utc = kiosk_date_time_new_from_usec (d->at_us);
  g_autoptr (GDateTime) at = kiosk_clock_to_local (kiosk_store_get_clock (store), utc);
  g_autofree char *iso = g_date_time_format_iso8601 (at);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "uuid");
  json_builder_add_string_value (b, d->uuid);
  json_builder_set_member_name (b, "at_us");
  json_builder_add_int_value (b, d->at_us);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, iso);
  json_builder_set_member_name (b, "result");
  json_builder_add_string_value (b, result);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, kiosk_entry_reason_to_code (d->reason));
  json_builder_set_member_name (b, "card_hash");
  if (*d->card_hash != '\0')
    json_builder_add_string_value (b, d->card_hash);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "masked_name");
  json_builder_add_string_value (b, d->masked_name);
  json_builder_set_member_name (b, "group");
  if (d->group != NULL)
    json_builder_add_string_value (b, d->group);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "note");
  if (d->note != NULL)
    json_builder_add_string_value (b, d->note);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

/* Inside the transaction: the entry row and its outbox record. */
gboolean
kiosk_entry_record_write (KioskStore *store, const KioskEntryDecision *d, GError **error)
{
  const char *result = d->reason == KIOSK_ENTRY_REASON_EXIT ? "exit" : d->granted ? "granted" : "denied";
  g_autofree char *payload = payload_for (store, d, result);
  const char *hash = *d->card_hash != '\0' ? d->card_hash : NULL;
  sqlite3_stmt *stmt;

  /* One person is inside once: an earlier stay of this card ends now. */
  if (hash != NULL && (d->granted))
    {
      stmt = kiosk_store_prepare (store,
                                  "UPDATE entries SET left_us = ?2 "
                                  "WHERE card_hash = ?1 AND result = 'granted' AND left_us IS NULL",
                                  error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, d->at_us);
      if (!kiosk_store_step_done (store, stmt, error))
        return FALSE;
    }

  stmt = kiosk_store_prepare (
      store,
      "INSERT INTO entries (uuid, at_us, card_hash, result, reason, masked_name, grp, note) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, d->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, d->at_us);
  sqlite3_bind_text (stmt, 3, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, result, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, kiosk_entry_reason_to_code (d->reason), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, d->masked_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, d->group, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, d->note, -1, SQLITE_STATIC);
  if (!kiosk_store_step_done (store, stmt, error))
    return FALSE;

  return kiosk_store_outbox_add (store, d->uuid, "entry", payload, error);
}

GPtrArray *
kiosk_entry_record_list (KioskStore *store, gint64 since_us, guint limit, GError **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_entry_decision_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = kiosk_store_prepare (store,
                              "SELECT uuid, at_us, card_hash, result, reason, masked_name, grp, note "
                              "FROM entries WHERE at_us >= ?1 ORDER BY at_us DESC, id DESC LIMIT ?2",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since_us);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KioskEntryDecision *d = g_new0 (KioskEntryDecision, 1);
      const char *hash = (const char *)sqlite3_column_text (stmt, 2);

      d->uuid = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      d->at_us = sqlite3_column_int64 (stmt, 1);
      g_strlcpy (d->card_hash, hash ? hash : "", sizeof d->card_hash);
      d->granted = g_strcmp0 ((const char *)sqlite3_column_text (stmt, 3), "denied") != 0;
      if (!kiosk_entry_reason_from_code ((const char *)sqlite3_column_text (stmt, 4), &d->reason))
        d->reason = d->granted ? KIOSK_ENTRY_REASON_OK : KIOSK_ENTRY_REASON_UNKNOWN;
      d->masked_name = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
      d->group = g_strdup ((const char *)sqlite3_column_text (stmt, 6));
      d->note = g_strdup ((const char *)sqlite3_column_text (stmt, 7));
      g_ptr_array_add (list, d);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kiosk_store_set_error (store, rc, "list entries", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}
