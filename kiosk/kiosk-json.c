/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-json"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kiosk-error.h"
#include "kiosk-json.h"

/* The guard is a tokenizer, not a parser: it follows strings, numbers,
 * literals and brackets so that it counts depth and reads keys exactly where
 * json-glib will, and leaves the grammar (commas, colons, values in the right
 * places) to json-glib. It must refuse what json-glib reads differently from
 * RFC 8259, or the two would disagree about a string's end: single-quoted
 * strings, comments, hex, octal and bare words are all refused here. */

typedef struct
{
  char kind;             /* '{' or '[' */
  gboolean after_string; /* the last token at this level was a string (maybe a key) */
} Level;

typedef struct
{
  const char *data;
  gsize length;
  gsize pos;
  guint max_depth;
  gboolean done;    /* the top-level value has ended */
  GArray *levels;   /* Level, one per open bracket */
  GPtrArray *keys;  /* GHashTable* of the keys seen, one per open object, made when needed */
  GString *key;     /* the last string read in an object, decoded */
  gsize key_offset; /* where that string starts */
  KioskJsonPosition *where;
} Scan;

static void
position (const char *data, gsize offset, KioskJsonPosition *where)
{
  const char *line_start = data;

  where->offset = offset;
  where->line = 1;
  for (const char *p = data; p < data + offset; p++)
    if (*p == '\n')
      {
        where->line++;
        line_start = p + 1;
      }
  where->column = (guint)(data + offset - line_start) + 1;
}

static gboolean refuse (Scan *s, gsize offset, GError **error, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
refuse (Scan *s, gsize offset, GError **error, const char *format, ...)
{
  KioskJsonPosition at;
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  position (s->data, MIN (offset, s->length), &at);
  if (s->where != NULL)
    *s->where = at;
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
               "JSON 无效 / not valid JSON at byte %" G_GSIZE_FORMAT " (line %u, column %u): %s", at.offset,
               at.line, at.column, what);
  return FALSE;
}

/* A byte as a person can read it in an error. */
static char *
show_byte (guchar c)
{
  return g_ascii_isgraph (c) ? g_strdup_printf ("'%c'", c) : g_strdup_printf ("byte 0x%02x", c);
}

static int
hex4 (const char *p, const char *end)
{
  int value = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);
      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* From the opening quote to past the closing one; the decoded text goes into
 * @text when it is not NULL. */
static gboolean
scan_string (Scan *s, GString *text, GError **error)
{
  const char *data = s->data;
  gsize start = s->pos;

  s->pos++;
  while (s->pos < s->length)
    {
      guchar c = (guchar)data[s->pos];
      int unit, low;

      if (c == '"')
        {
          s->pos++;
          return TRUE;
        }
      if (c < 0x20)
        return refuse (s, s->pos, error, "control character 0x%02x inside a string (write it as \\u%04x)", c,
                       c);
      if (c != '\\')
        {
          if (text != NULL)
            g_string_append_c (text, (char)c);
          s->pos++;
          continue;
        }
      if (s->pos + 1 >= s->length)
        break;
      c = (guchar)data[s->pos + 1];
      switch (c)
        {
          case '"':
          case '\\':
          case '/':
            break;
          case 'b':
            c = '\b';
            break;
          case 'f':
            c = '\f';
            break;
          case 'n':
            c = '\n';
            break;
          case 'r':
            c = '\r';
            break;
          case 't':
            c = '\t';
            break;
          case 'u':
            unit = hex4 (data + s->pos + 2, data + s->length);
            if (unit < 0)
              return refuse (s, s->pos, error, "\\u must be followed by four hex digits");
            /* json-glib keeps strings NUL-terminated: "a\u0000b" would read as "a". */
            if (unit == 0)
              return refuse (s, s->pos, error, "\\u0000 inside a string");
            if (unit >= 0xdc00 && unit <= 0xdfff)
              return refuse (s, s->pos, error, "\\u%04x is half of a UTF-16 pair without its first half",
                             unit);
            if (unit >= 0xd800 && unit <= 0xdbff)
              {
                const char *next = data + s->pos + 6;
                low = next + 1 < data + s->length && next[0] == '\\' && next[1] == 'u'
                          ? hex4 (next + 2, data + s->length)
                          : -1;
                if (low < 0xdc00 || low > 0xdfff)
                  return refuse (s, s->pos, error, "\\u%04x is half of a UTF-16 pair without its second half",
                                 unit);
                unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
                s->pos += 6;
              }
            if (text != NULL)
              g_string_append_unichar (text, (gunichar)unit);
            s->pos += 6;
            continue;
          default:
            {
              g_autofree char *shown = show_byte (c);
              return refuse (s, s->pos, error, "unknown escape \\ followed by %s", shown);
            }
        }
      if (text != NULL)
        g_string_append_c (text, (char)c);
      s->pos += 2;
    }
  return refuse (s, start, error, "string not closed before the end");
}

static gboolean
digits (Scan *s)
{
  gsize start = s->pos;

  while (s->pos < s->length && g_ascii_isdigit (s->data[s->pos]))
    s->pos++;
  return s->pos > start;
}

/* RFC 8259's number: no leading zeros, no bare '.', no hex or octal; and
 * one a double holds, since json-glib turns 1e999 into infinity and writes
 * it back as "inf", which is not JSON (nor accepted by PostgreSQL). */
static gboolean
scan_number (Scan *s, GError **error)
{
  gsize start = s->pos;
  gboolean ok = TRUE, exponent = FALSE;

  if (s->data[s->pos] == '-')
    s->pos++;
  if (s->pos < s->length && s->data[s->pos] == '0')
    s->pos++;
  else
    ok = digits (s);
  if (ok && s->pos < s->length && s->data[s->pos] == '.')
    {
      s->pos++;
      ok = digits (s);
    }
  if (ok && s->pos < s->length && (s->data[s->pos] == 'e' || s->data[s->pos] == 'E'))
    {
      exponent = TRUE;
      s->pos++;
      if (s->pos < s->length && (s->data[s->pos] == '+' || s->data[s->pos] == '-'))
        s->pos++;
      ok = digits (s);
    }
  if (ok && s->pos < s->length
      && (g_ascii_isalnum (s->data[s->pos]) || strchr ("+-._", s->data[s->pos]) != NULL))
    ok = FALSE;
  if (!ok)
    return refuse (s, start, error, "malformed number");
  /* Without an exponent, only more than 308 digits can overflow. */
  if (exponent || s->pos - start > 308)
    {
      g_autofree char *text = g_strndup (s->data + start, s->pos - start);
      if (isinf (g_ascii_strtod (text, NULL)))
        return refuse (s, start, error, "number too large");
    }
  return TRUE;
}

static gboolean
scan_word (Scan *s, GError **error)
{
  gsize start = s->pos;
  gsize length;

  while (s->pos < s->length && (g_ascii_isalnum (s->data[s->pos]) || s->data[s->pos] == '_'))
    s->pos++;
  length = s->pos - start;
  if ((length == 4 && memcmp (s->data + start, "true", 4) == 0)
      || (length == 5 && memcmp (s->data + start, "false", 5) == 0)
      || (length == 4 && memcmp (s->data + start, "null", 4) == 0))
    return TRUE;
  return refuse (s, start, error, "unexpected word \"%.*s\"%s", (int)MIN (length, 24), s->data + start,
                 length > 24 ? "…" : "");
}

static Level *
top (Scan *s)
{
  return s->levels->len > 0 ? &g_array_index (s->levels, Level, s->levels->len - 1) : NULL;
}

static gboolean
open_level (Scan *s, char kind, GError **error)
{
  Level level = { kind, FALSE };

  if (s->levels->len >= s->max_depth)
    return refuse (s, s->pos, error, "nested deeper than %u levels", s->max_depth);
  g_array_append_val (s->levels, level);
  if (kind == '{' && s->keys->len < s->levels->len)
    g_ptr_array_set_size (s->keys, (guint)s->levels->len);
  s->pos++;
  return TRUE;
}

static gboolean
close_level (Scan *s, char kind, GError **error)
{
  Level *level = top (s);
  guint depth = s->levels->len;

  if (level == NULL || level->kind != (kind == '}' ? '{' : '['))
    return refuse (s, s->pos, error, "'%c' does not close an open %s", kind,
                   level == NULL        ? "bracket"
                   : level->kind == '{' ? "'{'"
                                        : "'['");
  if (level->kind == '{' && depth <= s->keys->len && g_ptr_array_index (s->keys, depth - 1) != NULL)
    g_hash_table_remove_all (g_ptr_array_index (s->keys, depth - 1));
  g_array_set_size (s->levels, depth - 1);
  s->done = s->levels->len == 0;
  s->pos++;
  return TRUE;
}

/* The string before a ':' in an object is a key: refuse it if the object has it already. */
static gboolean
add_key (Scan *s, GError **error)
{
  guint depth = s->levels->len;
  GHashTable *keys = g_ptr_array_index (s->keys, depth - 1);

  if (keys == NULL)
    keys = g_ptr_array_index (s->keys, depth - 1)
        = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (g_hash_table_contains (keys, s->key->str))
    {
      g_autofree char *shown = g_utf8_make_valid (s->key->str, MIN (s->key->len, 64));
      return refuse (s, s->key_offset, error, "key \"%s\" appears twice in one object", shown);
    }
  g_hash_table_add (keys, g_strndup (s->key->str, s->key->len));
  return TRUE;
}

static gboolean
scan_token (Scan *s, GError **error)
{
  Level *level = top (s);
  char c = s->data[s->pos];
  gboolean in_object = level != NULL && level->kind == '{';
  gboolean string = FALSE;

  if (s->done)
    return refuse (s, s->pos, error, "more text after the end of the document");
  switch (c)
    {
      case '{':
      case '[':
        if (level != NULL)
          level->after_string = FALSE;
        return open_level (s, c, error);
      case '}':
      case ']':
        return close_level (s, c, error);
      case ',':
        if (level == NULL)
          return refuse (s, s->pos, error, "',' outside any brackets");
        s->pos++;
        break;
      case ':':
        if (!in_object || !level->after_string)
          return refuse (s, s->pos, error, "':' without a key before it");
        s->pos++;
        level->after_string = FALSE;
        return add_key (s, error);
      case '"':
        string = TRUE;
        if (in_object)
          {
            g_string_truncate (s->key, 0);
            s->key_offset = s->pos;
          }
        if (!scan_string (s, in_object ? s->key : NULL, error))
          return FALSE;
        break;
      default:
        if (c == '-' || g_ascii_isdigit (c))
          {
            if (!scan_number (s, error))
              return FALSE;
          }
        else if (g_ascii_isalpha (c))
          {
            if (!scan_word (s, error))
              return FALSE;
          }
        else
          {
            g_autofree char *shown = NULL;
            gunichar u = g_utf8_get_char (s->data + s->pos);

            shown = (guchar)c < 0x80 ? show_byte ((guchar)c) : g_strdup_printf ("U+%04X", u);
            return refuse (s, s->pos, error, "unexpected %s", shown);
          }
        break;
    }
  if (level != NULL)
    level->after_string = string;
  else
    s->done = TRUE;
  return TRUE;
}

static void
free_keys (gpointer keys)
{
  if (keys != NULL)
    g_hash_table_unref (keys);
}

gboolean
kiosk_json_check (const char *data, gssize length, const KioskJsonLimits *limits, KioskJsonPosition *where,
                  GError **error)
{
  gsize max_bytes
      = limits != NULL && limits->max_bytes > 0 ? limits->max_bytes : KIOSK_JSON_DEFAULT_MAX_BYTES;
  g_autoptr (GArray) levels = g_array_new (FALSE, FALSE, sizeof (Level));
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func (free_keys);
  g_autoptr (GString) key = g_string_new (NULL);
  Scan s = { .data = data, .levels = levels, .keys = keys, .key = key, .where = where };
  const char *end;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  s.max_depth = limits != NULL && limits->max_depth > 0 ? limits->max_depth : KIOSK_JSON_DEFAULT_MAX_DEPTH;
  s.length
      = length >= 0 ? (gsize)length : strnlen (data, max_bytes < G_MAXSSIZE ? max_bytes + 1 : G_MAXSSIZE);
  /* Before anything is read: a size check costs nothing. */
  if (s.length > max_bytes)
    {
      if (where != NULL)
        *where = (KioskJsonPosition){ max_bytes, 0, 0 };
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "JSON 过大 / JSON too large: %s%" G_GSIZE_FORMAT " bytes, the limit is %" G_GSIZE_FORMAT,
                   length < 0 ? "more than " : "", length < 0 ? max_bytes : s.length, max_bytes);
      return FALSE;
    }
  if (!g_utf8_validate_len (data, s.length, &end))
    return refuse (&s, (gsize)(end - data), error, "%s", *end == '\0' ? "NUL byte" : "not UTF-8");
  /* json-glib skips a byte-order mark; so do we. */
  if (s.length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    s.pos = 3;

  while (s.pos < s.length)
    {
      char c = data[s.pos];

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        s.pos++;
      else if (!scan_token (&s, error))
        return FALSE;
    }
  if (levels->len > 0)
    return refuse (&s, s.length, error, "%u bracket%s still open at the end", levels->len,
                   levels->len == 1 ? "" : "s");
  if (!s.done)
    return refuse (&s, s.length, error, "no value: the document is empty");
  return TRUE;
}

gboolean
kiosk_json_parse_into (JsonParser *parser, const char *data, gssize length, const KioskJsonLimits *limits,
                       KioskJsonPosition *where, GError **error)
{
  g_autoptr (GError) local = NULL;
  KioskJsonPosition at = { 0 };
  guint line = 0, column = 0;
  const char *message;
  gsize size;

  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);

  if (!kiosk_json_check (data, length, limits, where, error))
    return FALSE;
  size = length >= 0 ? (gsize)length : strlen (data);
  if (json_parser_load_from_data (parser, data, (gssize)size, &local))
    return TRUE;

  /* json-glib says "<data>:LINE:COLUMN: what"; give the byte offset as the guard does. */
  message = local->message;
  if (sscanf (message, "<data>:%u:%u: ", &line, &column) == 2 && strstr (message, ": ") != NULL)
    {
      const char *p = data, *stop = data + size;

      message = strstr (message, ": ") + 2;
      for (guint l = 1; l < line && p < stop; p++)
        if (*p == '\n')
          l++;
      at = (KioskJsonPosition){ (gsize)MIN ((gsize)(p - data) + (column > 0 ? column - 1 : 0), size), line,
                                column };
    }
  if (where != NULL)
    *where = at;
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
               "JSON 无效 / not valid JSON at byte %" G_GSIZE_FORMAT " (line %u, column %u): %s", at.offset,
               at.line, at.column, message);
  return FALSE;
}

JsonNode *
kiosk_json_parse (const char *data, gssize length, const KioskJsonLimits *limits, GError **error)
{
  /* Not sealed: some callers change the tree (the hub renumbers manifests). */
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (!kiosk_json_parse_into (parser, data, length, limits, NULL, error))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

JsonNode *
kiosk_json_parse_file (const char *path, const KioskJsonLimits *limits, GError **error)
{
  g_autoptr (GMappedFile) file = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  /* Mapping reads nothing yet, so a huge file is refused by its size alone. */
  file = g_mapped_file_new (path, FALSE, &local);
  if (file == NULL)
    {
      g_set_error (error, KIOSK_ERROR,
                   g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? KIOSK_ERROR_NOT_FOUND
                                                                             : KIOSK_ERROR_FAILED,
                   "%s", local->message);
      return NULL;
    }
  return kiosk_json_parse (g_mapped_file_get_length (file) > 0 ? g_mapped_file_get_contents (file) : "",
                           (gssize)g_mapped_file_get_length (file), limits, error);
}

char *
kiosk_json_write (JsonNode *node, GError **error)
{
  static const KioskJsonLimits unbounded = { G_MAXSIZE, G_MAXUINT };
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (node != NULL, NULL);

  text = json_to_string (node, FALSE);
  if (!kiosk_json_check (text, -1, &unbounded, NULL, &local))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "JSON 无法写出 / json-glib cannot write this back as JSON (a number such as 1e98?): %s",
                   local->message);
      return NULL;
    }
  return g_steal_pointer (&text);
}
