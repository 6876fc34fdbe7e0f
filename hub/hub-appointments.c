/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-appointments"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub-appointments.h"
#include "hub-db-published.h"
#include "hub-db.h"
#include "kiosk-credentials.h"
#include "kiosk-error.h"

/* Problems printed by the import command; the rest are counted. */
#define MAX_PROBLEMS_SHOWN 50

/* The service ids of the published content (every target's newest release
 * in force); empty when nothing is published, and then not checked. */
static GHashTable *
published_services (PGconn *conn, GError **error)
{
  g_autoptr (PGresult) res = hub_db_service_names (conn, error);
  GHashTable *ids;

  if (res == NULL)
    return NULL;
  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (int i = 0; i < PQntuples (res); i++)
    g_hash_table_add (ids, g_strdup (hub_db_get (res, i, "id")));
  return ids;
}

static char *
rows_to_json (GPtrArray *rows)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < rows->len; i++)
    {
      const HubAppointment *row = rows->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code_hash");
      json_builder_add_string_value (b, row->code_hash);
      json_builder_set_member_name (b, "code_hint");
      json_builder_add_string_value (b, row->code_hint);
      json_builder_set_member_name (b, "service");
      json_builder_add_string_value (b, row->service);
      json_builder_set_member_name (b, "slot_us");
      json_builder_add_int_value (b, row->slot_us);
      json_builder_set_member_name (b, "id_hash");
      json_builder_add_string_value (b, row->id_hash);
      json_builder_set_member_name (b, "id_hint");
      json_builder_add_string_value (b, row->id_hint);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, row->cancelled ? "cancelled" : "booked");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

gboolean
hub_appointments_store (PGconn *conn, GPtrArray *rows, GPtrArray *problems, guint *n_new, guint *n_updated,
                        GError **error)
{
  g_autoptr (GHashTable) services = NULL;
  g_autofree char *json = NULL;
  g_autoptr (PGresult) res = NULL;
  const char *params[1];
  guint bad = 0;

  g_return_val_if_fail (rows != NULL, FALSE);

  *n_new = *n_updated = 0;
  if ((services = published_services (conn, error)) == NULL)
    return FALSE;
  for (guint i = 0; g_hash_table_size (services) > 0 && i < rows->len; i++)
    {
      const HubAppointment *row = rows->pdata[i];

      if (g_hash_table_contains (services, row->service))
        continue;
      bad++;
      if (problems != NULL)
        g_ptr_array_add (problems, g_strdup_printf ("line %u: service \"%s\" is not in the published content",
                                                    row->line, row->service));
    }
  if (bad > 0)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "预约文件有误 / Bad appointments file: %u unknown service%s, nothing imported", bad,
                   bad == 1 ? "" : "s");
      return FALSE;
    }

  /* One statement is one transaction: every row or none. A booking already
   * checked in stays so whatever the file says. */
  json = rows_to_json (rows);
  params[0] = json;
  res = hub_db_query (
      conn,
      "INSERT INTO appointments AS a (code_hash, code_hint, service, slot, id_hash, id_hint, status)"
      "  SELECT r.code_hash, r.code_hint, r.service, to_timestamp (r.slot_us / 1e6), r.id_hash,"
      "         r.id_hint, r.status"
      "  FROM jsonb_to_recordset ($1::jsonb) AS r (code_hash text, code_hint text, service text,"
      "       slot_us bigint, id_hash text, id_hint text, status text)"
      "  ON CONFLICT (code_hash) DO UPDATE SET code_hint = excluded.code_hint,"
      "    service = excluded.service, slot = excluded.slot, id_hash = excluded.id_hash,"
      "    id_hint = excluded.id_hint, imported_at = now (),"
      "    status = CASE WHEN a.status = 'checked_in' THEN a.status ELSE excluded.status END"
      "  RETURNING xmax = 0 AS inserted",
      1, params, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      if (hub_db_get_bool (res, i, "inserted"))
        (*n_new)++;
      else
        (*n_updated)++;
    }
  return TRUE;
}

char *
hub_appointments_since (PGconn *conn, gint64 cursor, guint limit, GError **error)
{
  g_autofree char *cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, cursor);
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  const char *params[] = { cursor_text, limit_text };
  g_autoptr (PGresult) res = NULL;

  /* Bookings long past are of no use to a kiosk, but the cursor moves past
   * them: a page holds the next @limit changes, sent or skipped. */
  res = hub_db_query (conn,
                      "WITH page AS (SELECT * FROM appointments WHERE change_seq > $1::bigint"
                      "              ORDER BY change_seq LIMIT $2::int)"
                      "SELECT coalesce (json_agg (json_build_object ("
                      "    'code_hash', code_hash, 'service', service,"
                      "    'slot_us', (extract (epoch FROM slot) * 1000000)::bigint, 'id_hash', id_hash,"
                      "    'status', status, 'seq', change_seq) ORDER BY change_seq)"
                      "    FILTER (WHERE slot > now () - interval '1 day'), '[]') AS appointments,"
                      "  coalesce (max (change_seq), $1::bigint) AS cursor, count (*) AS n"
                      "  FROM page",
                      2, params, error);
  if (res == NULL)
    return NULL;
  return g_strdup_printf ("{\"appointments\":%s,\"cursor\":%s,\"more\":%s}",
                          hub_db_get (res, 0, "appointments"), hub_db_get (res, 0, "cursor"),
                          hub_db_get_int (res, 0, "n", 0) >= (gint64)limit ? "true" : "false");
}

static void
print_problems (GPtrArray *problems)
{
  for (guint i = 0; i < problems->len && i < MAX_PROBLEMS_SHOWN; i++)
    fprintf (stderr, "%s\n", (const char *)problems->pdata[i]);
  if (problems->len > MAX_PROBLEMS_SHOWN)
    fprintf (stderr, "… and %u more\n", problems->len - MAX_PROBLEMS_SHOWN);
}

static GBytes *
load_card_key (const char *path, GError **error)
{
  guint8 key[KIOSK_CARD_KEY_BYTES];
  GBytes *bytes;

  if (path == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "appointments import needs --card-key FILE (or card_key_file in [hub]): the "
                           "deployment's card key, the same file as the kiosks' [fitness] card_key_file");
      return NULL;
    }
  if (!kiosk_card_key_load (path, key, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  bytes = g_bytes_new (key, sizeof key);
  sodium_memzero (key, sizeof key);
  return bytes;
}

static int
import_file (PGconn *conn, const char *path, const char *card_key_path, GError **error)
{
  g_autoptr (GBytes) key = load_card_key (card_key_path, error);
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *data = NULL;
  gsize length = 0;
  guint n_new = 0, n_updated = 0, n_cancelled = 0;
  GStatBuf st;

  if (key == NULL)
    return EXIT_FAILURE;
  /* Bounded before it is read: a wrong file (a video, a database) is refused. */
  if (g_stat (path, &st) == 0 && st.st_size > HUB_APPOINTMENTS_MAX_BYTES)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: %lld bytes, more than %d MiB: split it",
                   path, (long long)st.st_size, HUB_APPOINTMENTS_MAX_BYTES / (1024 * 1024));
      return EXIT_FAILURE;
    }
  if (!g_file_get_contents (path, &data, &length, error))
    return EXIT_FAILURE;
  rows = hub_appointments_parse_csv (data, length, key, tz, problems, error);
  if (rows == NULL || !hub_appointments_store (conn, rows, problems, &n_new, &n_updated, error))
    {
      print_problems (problems);
      g_prefix_error (error, "%s: ", path);
      return EXIT_FAILURE;
    }
  for (guint i = 0; i < rows->len; i++)
    n_cancelled += ((HubAppointment *)rows->pdata[i])->cancelled;
  printf ("imported %u bookings from %s: %u new, %u updated, %u of them cancelled\n", rows->len, path, n_new,
          n_updated, n_cancelled);
  return EXIT_SUCCESS;
}

/* The bookings of the local day starting at @day, masked. */
static int
list_day (PGconn *conn, GDateTime *day, GError **error)
{
  g_autoptr (GDateTime) next = g_date_time_add_days (day, 1);
  g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (day));
  g_autofree char *until = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (next));
  const char *params[] = { from, until };
  g_autoptr (PGresult) res = NULL;

  res = hub_db_query (
      conn,
      "SELECT extract (epoch FROM slot)::bigint AS slot, service, code_hint, coalesce (id_hint, '-') AS "
      "id_hint,"
      "  status, coalesce (checked_in_kiosk, '-') AS kiosk"
      " FROM appointments WHERE slot >= to_timestamp ($1::bigint) AND slot < to_timestamp ($2::bigint)"
      " ORDER BY slot, code_hint",
      2, params, error);
  if (res == NULL)
    return EXIT_FAILURE;
  printf ("slot\tservice\tcode\tid_number\tstatus\tkiosk\n");
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (hub_db_get_int (res, i, "slot", 0));
      g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, g_date_time_get_timezone (day));
      g_autofree char *slot = g_date_time_format (local, "%Y-%m-%d %H:%M");

      printf ("%s\t%s\t%s\t%s\t%s\t%s\n", slot, hub_db_get (res, i, "service"),
              hub_db_get (res, i, "code_hint"), hub_db_get (res, i, "id_hint"), hub_db_get (res, i, "status"),
              hub_db_get (res, i, "kiosk"));
    }
  return EXIT_SUCCESS;
}

int
hub_appointments_command (const char *conninfo, const char *card_key_path, int argc, char **argv,
                          GError **error)
{
  const char *verb = argc > 2 ? argv[2] : "";
  g_autoptr (PGconn) conn = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr (GDateTime) day = NULL;

  if (!((argc == 4 && g_str_equal (verb, "import"))
        || ((argc == 3 || argc == 4) && g_str_equal (verb, "list"))))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "appointments import FILE --card-key KEY | appointments list [YYYY-MM-DD]");
      return 2;
    }
  if (g_str_equal (verb, "list"))
    {
      g_autoptr (GDateTime) now = g_date_time_new_now (tz);
      g_autofree char *midnight = argc == 4 ? g_strconcat (argv[3], "T00:00:00", NULL)
                                            : g_date_time_format (now, "%Y-%m-%dT00:00:00");

      if (strlen (midnight) != 19 || (day = g_date_time_new_from_iso8601 (midnight, tz)) == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "not a day like 2026-11-23: %s",
                       argv[3]);
          return 2;
        }
    }
  if ((conn = hub_db_connect (conninfo, error)) == NULL || !hub_db_migrate (conn, error))
    return EXIT_FAILURE;
  if (g_str_equal (verb, "import"))
    return import_file (conn, argv[3], card_key_path, error);
  return list_day (conn, day, error);
}
