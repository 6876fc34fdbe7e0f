/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-credentials"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "kiosk-card.h"
#include "kiosk-credentials-private.h"
#include "kiosk-error.h"

/* Member lists from a file: CSV as staff export it from a spreadsheet, or
 * JSON. Everything is checked before anything is written. */

#define META_MEMBER_FILE "fitness.member_file.sha256"
/* Beyond this, one summary line: a wrong file has a bad line on every line. */
#define MAX_PROBLEMS 200

enum
{
  F_CARD,
  F_CARD_HASH,
  F_KIND,
  F_NAME,
  F_VALID_FROM,
  F_VALID_UNTIL,
  F_STATUS,
  F_GROUP,
  N_FIELDS
};

static const char *const field_names[N_FIELDS]
    = { "card", "card_hash", "kind", "name", "valid_from", "valid_until", "status", "group" };

typedef struct
{
  KioskCredentials *credentials;
  const char *const *groups;
  GPtrArray *members;  /* KioskMember* */
  GHashTable *seen;    /* card hash → first line */
  GPtrArray *problems; /* char*, may be NULL */
  guint n_bad;
} Import;

static void
import_clear (Import *im)
{
  g_clear_pointer (&im->members, g_ptr_array_unref);
  g_clear_pointer (&im->seen, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Import, import_clear)

static void
import_init (Import *im, KioskCredentials *credentials, const char *const *groups, GPtrArray *problems)
{
  im->credentials = credentials;
  im->groups = groups;
  im->members = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_member_free);
  im->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im->problems = problems;
}

G_GNUC_PRINTF (3, 4)
static void
problem (Import *im, guint line, const char *format, ...)
{
  va_list args;
  g_autofree char *why = NULL;

  im->n_bad++;
  if (im->problems == NULL || im->n_bad > MAX_PROBLEMS)
    return;
  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (im->problems, g_strdup_printf ("line %u: %s", line, why));
}

static const char *
blank_to_null (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

/* A member from its fields (NULL: absent or empty), or NULL with @why. The
 * card is hashed here and never quoted back. */
/* For a card with a resident ID number's shape, kiosk_card_check_resident_id()
 * on the kiosk's date; NONE for any other card. */
static KioskCardReject
check_id_card (Import *im, const char *card)
{
  g_autofree char *canonical = kiosk_card_canonical (card);
  KioskClock *clock = kiosk_store_get_clock (kiosk_credentials_get_store (im->credentials));
  KioskCardReject reason;
  GDate today;

  if (canonical == NULL)
    return KIOSK_CARD_REJECT_NONE;
  kiosk_clock_get_today (clock, &today);
  reason = kiosk_card_check_resident_id (canonical, &today);
  return reason == KIOSK_CARD_REJECT_INVALID ? KIOSK_CARD_REJECT_NONE : reason;
}

static KioskMember *
build_member (Import *im, const char *const values[N_FIELDS], char **why)
{
  g_autoptr (KioskMember) m = kiosk_member_new ();
  KioskCardReject id_reject;

  if (values[F_CARD] != NULL && values[F_CARD_HASH] != NULL)
    *why = g_strdup ("give card or card_hash, not both");
  else if (values[F_CARD] == NULL && values[F_CARD_HASH] == NULL)
    *why = g_strdup ("card is empty");
  else if (values[F_CARD] != NULL
           && !kiosk_credentials_hash_card (im->credentials, values[F_CARD], m->card_hash))
    *why = g_strdup ("card is not a card number (letters, digits and '-', at most 64)");
  else if (values[F_CARD] != NULL
           && (id_reject = check_id_card (im, values[F_CARD])) != KIOSK_CARD_REJECT_NONE)
    /* Readers never deliver such a number: the member could never enter. */
    *why = g_strdup_printf ("card is an ID number that is not valid: %s",
                            kiosk_card_reject_to_text (id_reject));
  else if (values[F_CARD_HASH] != NULL && !kiosk_card_hash_is_valid (values[F_CARD_HASH]))
    *why = g_strdup ("card_hash is not 64 lower-case hex digits");
  else if (!kiosk_member_kind_from_string (values[F_KIND], &m->kind))
    *why = g_strdup ("kind must be worker, resident or staff");
  else if (values[F_STATUS] != NULL
           && (!kiosk_member_status_from_string (values[F_STATUS], &m->status)
               || m->status == KIOSK_MEMBER_REMOVED))
    *why = g_strdup ("status must be active or suspended");
  if (*why != NULL)
    return NULL;

  if (values[F_CARD_HASH] != NULL)
    g_strlcpy (m->card_hash, values[F_CARD_HASH], sizeof m->card_hash);
  m->name = g_strdup (values[F_NAME]);
  m->group = g_strdup (values[F_GROUP]);
  m->valid_from = g_strdup (values[F_VALID_FROM]);
  m->valid_until = g_strdup (values[F_VALID_UNTIL]);
  *why = kiosk_member_check (m);
  if (*why == NULL && im->groups != NULL && !g_strv_contains (im->groups, m->group))
    *why = g_strdup_printf ("group \"%s\" is not a group of the club", m->group);
  return *why == NULL ? g_steal_pointer (&m) : NULL;
}

static void
add_record (Import *im, guint line, const char *const values[N_FIELDS])
{
  g_autofree char *why = NULL;
  KioskMember *m = build_member (im, values, &why);
  gpointer first;

  if (m == NULL)
    problem (im, line, "%s", why);
  else if (g_hash_table_lookup_extended (im->seen, m->card_hash, NULL, &first))
    {
      problem (im, line, "the same card as line %u", GPOINTER_TO_UINT (first));
      kiosk_member_free (m);
    }
  else
    {
      g_hash_table_insert (im->seen, g_strdup (m->card_hash), GUINT_TO_POINTER (line));
      g_ptr_array_add (im->members, m);
    }
}

/* CSV */

/* Splits one line into @fields (RFC 4180 quoting, no line breaks inside
 * quotes); FALSE with @why when it cannot. */
static gboolean
split_csv_line (const char *line, GPtrArray *fields, const char **why)
{
  const char *p = line;

  for (;;)
    {
      g_autoptr (GString) field = g_string_new (NULL);

      while (*p == ' ' || *p == '\t')
        p++;
      if (*p == '"')
        {
          for (p++;; p++)
            {
              if (*p == '\0')
                {
                  *why = "a quote is not closed (a field cannot span lines)";
                  return FALSE;
                }
              if (*p == '"' && p[1] == '"')
                g_string_append_c (field, *p++);
              else if (*p == '"')
                break;
              else
                g_string_append_c (field, *p);
            }
          for (p++; *p == ' ' || *p == '\t'; p++)
            ;
          if (*p != ',' && *p != '\0')
            {
              *why = "text after a closing quote";
              return FALSE;
            }
        }
      else
        {
          const char *end = strchr (p, ',');
          gsize n = end ? (gsize)(end - p) : strlen (p);

          g_string_append_len (field, p, n);
          g_strchomp (field->str);
          field->len = strlen (field->str);
          p += n;
        }
      g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
      if (*p == '\0')
        return TRUE;
      p++; /* the comma */
    }
}

static void
parse_csv (Import *im, const char *data)
{
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  int column_of[N_FIELDS];
  guint n_columns = 0;
  gboolean have_header = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint number = i + 1;
      char *line = lines[i];
      g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      const char *values[N_FIELDS] = { NULL };
      const char *why = NULL;

      if (i == 0 && g_str_has_prefix (line, "\xEF\xBB\xBF"))
        line += 3; /* the BOM a spreadsheet writes */
      g_strchomp (line);
      if (*line == '\0' || *line == '#')
        continue;
      if (!g_utf8_validate (line, -1, NULL))
        {
          problem (im, number, "not UTF-8 text (save the sheet as \"CSV UTF-8\")");
          if (!have_header)
            return;
          continue;
        }
      if (!split_csv_line (line, fields, &why))
        {
          problem (im, number, "%s", why);
          if (!have_header)
            return;
          continue;
        }

      if (!have_header)
        {
          have_header = TRUE;
          n_columns = fields->len;
          for (guint f = 0; f < N_FIELDS; f++)
            column_of[f] = -1;
          for (guint c = 0; c < fields->len; c++)
            {
              const char *name = fields->pdata[c];
              guint f;

              for (f = 0; f < N_FIELDS && g_ascii_strcasecmp (name, field_names[f]) != 0; f++)
                ;
              if (f == N_FIELDS)
                problem (im, number, "unknown column \"%s\"", name);
              else if (column_of[f] >= 0)
                problem (im, number, "column \"%s\" twice", name);
              else
                column_of[f] = (int)c;
            }
          if (column_of[F_CARD] < 0 && column_of[F_CARD_HASH] < 0)
            problem (im, number, "the header has no card or card_hash column");
          for (guint f = F_KIND; f <= F_GROUP; f++)
            if (column_of[f] < 0 && f != F_VALID_FROM && f != F_VALID_UNTIL && f != F_STATUS)
              problem (im, number, "the header has no %s column", field_names[f]);
          if (im->n_bad > 0)
            return; /* without a sound header every line would be wrong */
          continue;
        }

      if (fields->len != n_columns)
        {
          problem (im, number, "%u fields, the header has %u", fields->len, n_columns);
          continue;
        }
      for (guint f = 0; f < N_FIELDS; f++)
        if (column_of[f] >= 0)
          values[f] = blank_to_null (fields->pdata[column_of[f]]);
      add_record (im, number, values);
    }
  if (!have_header)
    problem (im, 1, "the file has no header line");
}

/* JSON */

typedef struct
{
  GArray *stack;     /* guint: line of each open object */
  GHashTable *lines; /* JsonObject* → line its '{' stands on */
} LineTracker;

static void
on_object_start (JsonParser *parser, LineTracker *t)
{
  guint line = json_parser_get_current_line (parser);

  g_array_append_val (t->stack, line);
}

static void
on_object_end (JsonParser *parser, JsonObject *object, LineTracker *t)
{
  guint line = g_array_index (t->stack, guint, t->stack->len - 1);

  g_array_set_size (t->stack, t->stack->len - 1);
  g_hash_table_insert (t->lines, object, GUINT_TO_POINTER (line));
}

static const char *
json_field (JsonObject *object, const char *name, gboolean *ok)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *ok = FALSE;
      return NULL;
    }
  return blank_to_null (json_node_get_string (node));
}

static void
parse_json (Import *im, const char *data, gssize length)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GHashTable) lines = g_hash_table_new (NULL, NULL);
  LineTracker tracker = { stack, lines };
  JsonNode *root;
  JsonArray *array = NULL;

  g_signal_connect (parser, "object-start", G_CALLBACK (on_object_start), &tracker);
  g_signal_connect (parser, "object-end", G_CALLBACK (on_object_end), &tracker);
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      /* json-glib's message starts with "<data>:LINE:COLUMN: ". */
      guint line = 0, column = 0;
      const char *message = error->message;

      if (sscanf (message, "<data>:%u:%u: ", &line, &column) == 2)
        message = strstr (message, ": ") + 2;
      problem (im, line ? line : 1, "not valid JSON: %s", message);
      return;
    }

  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    array = json_node_get_array (root);
  else if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)
           && json_object_has_member (json_node_get_object (root), "members")
           && JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "members")))
    array = json_object_get_array_member (json_node_get_object (root), "members");
  if (array == NULL)
    {
      problem (im, 1, "expected a list of members, or {\"members\": [...]}");
      return;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      const char *values[N_FIELDS] = { NULL };
      gboolean ok = TRUE;
      guint line;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          problem (im, 1, "member %u is not an object", i);
          continue;
        }
      object = json_node_get_object (node);
      line = GPOINTER_TO_UINT (g_hash_table_lookup (lines, object));
      for (guint f = 0; f < N_FIELDS; f++)
        {
          values[f] = json_field (object, field_names[f], &ok);
          if (!ok)
            break;
        }
      if (!ok)
        problem (im, line, "every member field must be a string (a card keeps its leading zeros)");
      else
        add_record (im, line, values);
    }
}

GPtrArray *
kiosk_credentials_parse (KioskCredentials *self, const char *data, gssize length, KioskImportFormat format,
                         const char *const *groups, GPtrArray *problems, GError **error)
{
  g_auto (Import) im = { 0 };
  g_autofree char *text = NULL;

  g_return_val_if_fail (KIOSK_IS_CREDENTIALS (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  text = length < 0 ? g_strdup (data) : g_strndup (data, length);
  if (format == KIOSK_IMPORT_AUTO)
    {
      const char *p = text;
      while (g_ascii_isspace (*p))
        p++;
      format = (*p == '[' || *p == '{') ? KIOSK_IMPORT_JSON : KIOSK_IMPORT_CSV;
    }

  import_init (&im, self, groups, problems);
  if (format == KIOSK_IMPORT_JSON)
    parse_json (&im, text, -1);
  else
    parse_csv (&im, text);

  if (im.n_bad > MAX_PROBLEMS && problems != NULL)
    g_ptr_array_add (problems, g_strdup_printf ("… and %u more bad lines", im.n_bad - MAX_PROBLEMS));
  if (im.n_bad > 0)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%u bad line%s; nothing imported", im.n_bad,
                   im.n_bad == 1 ? "" : "s");
      return NULL;
    }
  return g_steal_pointer (&im.members);
}

static gboolean
import_data (KioskCredentials *self, const char *path, const char *data, gsize length,
             KioskImportFormat format, const char *const *groups, GPtrArray *problems, const char *digest,
             guint *n_imported, GError **error)
{
  g_autoptr (GPtrArray) members = NULL;

  if (format == KIOSK_IMPORT_AUTO)
    format = g_str_has_suffix (path, ".json") ? KIOSK_IMPORT_JSON : KIOSK_IMPORT_CSV;
  members = kiosk_credentials_parse (self, data, length, format, groups, problems, error);
  if (members == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  if (!kiosk_credentials_apply_full (self, members, TRUE, digest ? META_MEMBER_FILE : NULL, digest, error))
    return FALSE;
  if (n_imported != NULL)
    *n_imported = members->len;
  return TRUE;
}

static char *
read_file (const char *path, gsize *length, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  char *data = NULL;

  if (!g_file_get_contents (path, &data, length, &local_error))
    g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "%s", local_error->message);
  return data;
}

gboolean
kiosk_credentials_import_file (KioskCredentials *self, const char *path, KioskImportFormat format,
                               const char *const *groups, GPtrArray *problems, guint *n_imported,
                               GError **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (KIOSK_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  data = read_file (path, &length, error);
  return data != NULL
         && import_data (self, path, data, length, format, groups, problems, NULL, n_imported, error);
}

gboolean
kiosk_credentials_import_if_changed (KioskCredentials *self, const char *path, const char *const *groups,
                                     GPtrArray *problems, gboolean *imported, GError **error)
{
  KioskStore *store;
  g_autofree char *data = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *last = NULL;
  sqlite3_stmt *stmt;
  gsize length;

  g_return_val_if_fail (KIOSK_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  *imported = FALSE;
  data = read_file (path, &length, error);
  if (data == NULL)
    return FALSE;
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *)data, length);

  store = kiosk_credentials_get_store (self);
  stmt = kiosk_store_prepare (store, "SELECT value FROM meta WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, META_MEMBER_FILE, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    last = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (g_strcmp0 (last, digest) == 0)
    return TRUE;

  if (!import_data (self, path, data, length, KIOSK_IMPORT_AUTO, groups, problems, digest, NULL, error))
    return FALSE;
  *imported = TRUE;
  return TRUE;
}
