/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-members"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "hub-db.h"
#include "hub-members.h"
#include "kiosk-credentials.h"
#include "kiosk-error.h"

/* The member list's largest file: 200,000 members at about 100 bytes. */
#define MAX_FILE_BYTES (32 * 1024 * 1024)
#define MAX_PROBLEMS_SHOWN 50

/* Local midnight of "YYYY-MM-DD" as Unix seconds; the kiosk turns it back
 * into the same local date. */
static void
add_date (JsonBuilder *b, const char *name, const char *date, GTimeZone *tz)
{
  g_autofree char *iso = date ? g_strconcat (date, "T00:00:00", NULL) : NULL;
  g_autoptr (GDateTime) midnight = iso ? g_date_time_new_from_iso8601 (iso, tz) : NULL;

  json_builder_set_member_name (b, name);
  if (midnight != NULL)
    json_builder_add_int_value (b, g_date_time_to_unix (midnight));
  else
    json_builder_add_null_value (b);
}

static char *
members_to_json (GPtrArray *members, GTimeZone *tz)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < members->len; i++)
    {
      const KioskMember *m = members->pdata[i];

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "card_hash");
      json_builder_add_string_value (b, m->card_hash);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, kiosk_member_kind_to_string (m->kind));
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, m->name);
      add_date (b, "valid_from", m->valid_from, tz);
      add_date (b, "valid_until", m->valid_until, tz);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, kiosk_member_status_to_string (m->status));
      json_builder_set_member_name (b, "member_group");
      json_builder_add_string_value (b, m->group);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* The file is the whole list: members not in it are marked deleted, which
 * kiosks apply as a removal. Unchanged members keep their change_seq, so
 * kiosks pull only what changed. One statement: all or nothing. */
static gboolean
store_members (PGconn *conn, const char *json, guint counts[3], GError **error)
{
  const char *params[] = { json };
  g_autoptr (PGresult) res = hub_db_query (
      conn,
      "WITH incoming AS (SELECT * FROM jsonb_to_recordset ($1::jsonb) AS r (card_hash text, kind text,"
      "    name text, valid_from bigint, valid_until bigint, status text, member_group text)),"
      " upserted AS (INSERT INTO members AS m (card_hash, kind, name, valid_from, valid_until, status,"
      "    member_group)"
      "  SELECT card_hash, kind, name, to_timestamp (valid_from), to_timestamp (valid_until), status,"
      "    member_group FROM incoming"
      "  ON CONFLICT (card_hash) DO UPDATE SET kind = excluded.kind, name = excluded.name,"
      "    valid_from = excluded.valid_from, valid_until = excluded.valid_until, status = excluded.status,"
      "    member_group = excluded.member_group"
      "  WHERE (m.kind, m.name, m.valid_from, m.valid_until, m.status, m.member_group) IS DISTINCT FROM"
      "    (excluded.kind, excluded.name, excluded.valid_from, excluded.valid_until, excluded.status,"
      "     excluded.member_group)"
      "  RETURNING xmax = 0 AS inserted),"
      " removed AS (UPDATE members SET status = 'deleted'"
      "  WHERE status <> 'deleted' AND card_hash NOT IN (SELECT card_hash FROM incoming) RETURNING 1)"
      "SELECT (SELECT count (*) FROM upserted WHERE inserted) AS added,"
      "  (SELECT count (*) FROM upserted WHERE NOT inserted) AS changed, (SELECT count (*) FROM removed) AS "
      "removed",
      1, params, error);
  static const char *const names[3] = { "added", "changed", "removed" };

  if (res == NULL)
    return FALSE;
  for (int c = 0; c < 3; c++)
    counts[c] = (guint)hub_db_get_int (res, 0, names[c], 0);
  return TRUE;
}

/* kiosk_credentials_parse() is the kiosks' own parser, so a list the hub
 * takes is one every kiosk takes; it wants a store, a scratch one here. */
static GPtrArray *
parse_file (const char *path, const guint8 key[KIOSK_CARD_KEY_BYTES], GPtrArray *problems, GError **error)
{
  g_autofree char *scratch = NULL, *db = NULL, *data = NULL;
  g_autoptr (KioskClock) clock = kiosk_clock_new_system (NULL);
  g_autoptr (KioskStore) store = NULL;
  g_autoptr (KioskCredentials) credentials = NULL;
  GPtrArray *members = NULL;
  gsize length = 0;
  GStatBuf st;

  if (g_stat (path, &st) == 0 && st.st_size > MAX_FILE_BYTES)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: %lld bytes, more than %d MiB", path,
                   (long long)st.st_size, MAX_FILE_BYTES / (1024 * 1024));
      return NULL;
    }
  if (!g_file_get_contents (path, &data, &length, error)
      || (scratch = g_dir_make_tmp ("linli-hub-members-XXXXXX", error)) == NULL)
    return NULL;
  db = g_build_filename (scratch, "scratch.db", NULL);
  if ((store = kiosk_store_open (db, clock, error)) != NULL)
    {
      credentials = kiosk_credentials_new (store, key);
      members = kiosk_credentials_parse (
          credentials, data, (gssize)length,
          g_str_has_suffix (path, ".json") ? KIOSK_IMPORT_JSON : KIOSK_IMPORT_CSV, NULL, problems, error);
    }
  g_clear_object (&credentials);
  g_clear_object (&store);
  for (const char *suffix = ""; suffix != NULL; suffix = g_str_equal (suffix, "")       ? "-wal"
                                                         : g_str_equal (suffix, "-wal") ? "-shm"
                                                                                        : NULL)
    {
      g_autofree char *file = g_strconcat (db, suffix, NULL);
      g_unlink (file);
    }
  g_rmdir (scratch);
  return members;
}

int
hub_members_command (const char *conninfo, const char *card_key_path, int argc, char **argv, GError **error)
{
  g_autoptr (PGconn) conn = NULL;
  g_autoptr (GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) members = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *json = NULL;
  guint8 key[KIOSK_CARD_KEY_BYTES];
  guint counts[3] = { 0 };

  if (argc != 4 || !g_str_equal (argv[2], "import"))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "members import FILE --card-key KEY (CSV or .json, the whole list)");
      return 2;
    }
  if (card_key_path == NULL)
    {
      g_set_error_literal (
          error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
          "members import needs --card-key FILE (or card_key_file in [hub]): the deployment's "
          "card key, the same file as the kiosks' [fitness] card_key_file");
      return 2;
    }
  if (!kiosk_card_key_load (card_key_path, key, error))
    {
      g_prefix_error (error, "%s: ", card_key_path);
      return EXIT_FAILURE;
    }
  members = parse_file (argv[3], key, problems, error);
  sodium_memzero (key, sizeof key);
  if (members == NULL)
    {
      for (guint i = 0; i < problems->len && i < MAX_PROBLEMS_SHOWN; i++)
        fprintf (stderr, "%s\n", (const char *)problems->pdata[i]);
      g_prefix_error (error, "%s: ", argv[3]);
      return EXIT_FAILURE;
    }
  json = members_to_json (members, tz);
  if ((conn = hub_db_connect (conninfo, error)) == NULL || !hub_db_migrate (conn, error)
      || !store_members (conn, json, counts, error))
    return EXIT_FAILURE;
  printf ("imported %u members from %s: %u new, %u changed, %u removed\n", members->len, argv[3], counts[0],
          counts[1], counts[2]);
  return EXIT_SUCCESS;
}
