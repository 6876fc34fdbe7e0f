/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-appointments"

#include <string.h>

#include "hub-appointments.h"
#include "kiosk-appointment.h"
#include "kiosk-card.h"
#include "kiosk-clock.h"
#include "kiosk-error.h"

#define MAX_SERVICE_LENGTH 64

void
hub_appointment_free (HubAppointment *row)
{
  if (row == NULL)
    return;
  g_free (row->code_hash);
  g_free (row->code_hint);
  g_free (row->service);
  g_free (row->id_hash);
  g_free (row->id_hint);
  g_free (row);
}

/* RFC 4180 records over the whole buffer, counting lines as it goes. */
typedef struct
{
  const char *p, *end;
  guint line; /* the line @p is on, from 1 */
} Reader;

static void
skip_line (Reader *r)
{
  while (r->p < r->end && *r->p != '\n')
    r->p++;
  if (r->p < r->end)
    {
      r->p++;
      r->line++;
    }
}

static gboolean
at_line_end (const Reader *r)
{
  return r->p >= r->end || *r->p == '\n' || (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n');
}

static void
consume_line_end (Reader *r)
{
  if (r->p < r->end && *r->p == '\r')
    r->p++;
  if (r->p < r->end && *r->p == '\n')
    {
      r->p++;
      r->line++;
    }
}

/* A quoted field, @r->p just past the opening quote. */
static gboolean
read_quoted (Reader *r, GString *field, const char **why)
{
  for (;;)
    {
      if (r->p >= r->end)
        {
          *why = "a quoted field is not closed";
          return FALSE;
        }
      if (*r->p == '"')
        {
          if (r->p + 1 < r->end && r->p[1] == '"')
            {
              g_string_append_c (field, '"');
              r->p += 2;
              continue;
            }
          r->p++;
          if (!at_line_end (r) && *r->p != ',')
            {
              *why = "text after a closing quote (a quote inside a field is written \"\")";
              return FALSE;
            }
          return TRUE;
        }
      if (*r->p == '\n')
        r->line++;
      g_string_append_c (field, *r->p++);
    }
}

/* The next record into @fields (trimmed strings); FALSE at the end of the
 * data. A syntax error sets *@why and skips to the next line. Blank lines and
 * '#' comments are skipped. *@first_line: the line the record starts on. */
static gboolean
read_record (Reader *r, GPtrArray *fields, guint *first_line, const char **why)
{
  g_ptr_array_set_size (fields, 0);
  *why = NULL;

  while (r->p < r->end && (at_line_end (r) || *r->p == '#'))
    {
      if (*r->p == '#')
        skip_line (r);
      else
        consume_line_end (r);
    }
  if (r->p >= r->end)
    return FALSE;
  *first_line = r->line;

  for (;;)
    {
      g_autoptr (GString) field = g_string_new (NULL);

      if (*r->p == '"')
        {
          r->p++;
          if (!read_quoted (r, field, why))
            {
              skip_line (r);
              return TRUE;
            }
        }
      else
        while (r->p < r->end && *r->p != ',' && !at_line_end (r))
          {
            if (*r->p == '"')
              {
                *why = "a quote inside an unquoted field (put the whole field in quotes)";
                skip_line (r);
                return TRUE;
              }
            g_string_append_c (field, *r->p++);
          }
      g_ptr_array_add (fields, g_strstrip (g_string_free (g_steal_pointer (&field), FALSE)));
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          if (r->p >= r->end)
            g_ptr_array_add (fields, g_strdup (""));
          else
            continue;
        }
      consume_line_end (r);
      return TRUE;
    }
}

typedef enum
{
  COLUMN_CODE,
  COLUMN_SERVICE,
  COLUMN_SLOT,
  COLUMN_ID_NUMBER,
  COLUMN_STATUS,
  N_COLUMNS,
} Column;

static const char *const column_names[N_COLUMNS] = { "code", "service", "slot", "id_number", "status" };

static void problem (GPtrArray *problems, guint line, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
problem (GPtrArray *problems, guint line, const char *format, ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (problems, g_strdup_printf ("line %u: %s", line, why));
}

/* Header → index of each column in a row (-1: absent). */
static gboolean
read_header (GPtrArray *fields, guint line, int columns[N_COLUMNS], GPtrArray *problems)
{
  guint before = problems->len;

  for (guint c = 0; c < N_COLUMNS; c++)
    columns[c] = -1;
  for (guint i = 0; i < fields->len; i++)
    {
      g_autofree char *name = g_ascii_strdown (fields->pdata[i], -1);
      guint c;

      for (c = 0; c < N_COLUMNS && !g_str_equal (name, column_names[c]); c++)
        ;
      if (c == N_COLUMNS)
        problem (problems, line,
                 "unknown column \"%.40s\" (the columns are code, service, slot, id_number, status)",
                 g_utf8_validate (name, -1, NULL) ? name : "?");
      else if (columns[c] >= 0)
        problem (problems, line, "the column \"%s\" appears twice", column_names[c]);
      else
        columns[c] = (int)i;
    }
  for (guint c = COLUMN_CODE; c <= COLUMN_SLOT; c++)
    if (columns[c] < 0)
      problem (problems, line, "the header has no \"%s\" column", column_names[c]);
  return problems->len == before;
}

/* "2026-11-23 10:00", "2026-11-23T10:00:00", either with an offset. */
static GDateTime *
parse_slot (const char *text, GTimeZone *tz)
{
  g_autoptr (GString) iso = g_string_new (text);
  g_autoptr (GDateTime) slot = NULL;
  int year;

  if (iso->len >= 16 && iso->str[10] == ' ')
    iso->str[10] = 'T';
  if (iso->len >= 16 && iso->str[10] == 'T' && iso->str[13] == ':'
      && (iso->len == 16 || strchr ("+-Z", iso->str[16]) != NULL))
    g_string_insert (iso, 16, ":00");
  slot = g_date_time_new_from_iso8601 (iso->str, tz);
  if (slot == NULL)
    return NULL;
  year = g_date_time_get_year (slot);
  return year >= 2000 && year <= 2100 ? g_steal_pointer (&slot) : NULL;
}

static gboolean
service_id_valid (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > MAX_SERVICE_LENGTH)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* One data row; NULL with a problem added. @seen: code hash → first line. */
static HubAppointment *
read_row (GPtrArray *fields, guint line, const int columns[N_COLUMNS], GBytes *key, GTimeZone *tz,
          const GDate *today, GHashTable *seen, GPtrArray *problems)
{
  g_autoptr (HubAppointment) row = g_new0 (HubAppointment, 1);
  g_autofree char *code = NULL;
  g_autoptr (GDateTime) slot = NULL;
  const char *value[N_COLUMNS] = { NULL };
  gpointer first;
  guint before = problems->len;

  for (guint c = 0; c < N_COLUMNS; c++)
    value[c] = columns[c] >= 0 ? fields->pdata[columns[c]] : "";
  row->line = line;

  /* Never quote a code or an ID number: a code grants a ticket. */
  code = kiosk_appointment_normalize_code (value[COLUMN_CODE]);
  if (code == NULL)
    problem (problems, line, "code must be 4 to 32 letters and digits");
  else
    {
      row->code_hash = kiosk_appointment_code_hash (key, code);
      row->code_hint = kiosk_appointment_mask_code (code);
      if (g_hash_table_lookup_extended (seen, row->code_hash, NULL, &first))
        problem (problems, line, "the same code as line %u", GPOINTER_TO_UINT (first));
      else
        g_hash_table_insert (seen, g_strdup (row->code_hash), GUINT_TO_POINTER (line));
    }

  if (!service_id_valid (value[COLUMN_SERVICE]))
    problem (problems, line, "service must be a service id of the content (letters, digits, '-', '_', '.')");
  else
    row->service = g_strdup (value[COLUMN_SERVICE]);

  slot = parse_slot (value[COLUMN_SLOT], tz);
  if (slot == NULL)
    problem (problems, line,
             "slot \"%.40s\" is not a time like 2026-11-23 10:00 or 2026-11-23T10:00:00+08:00",
             value[COLUMN_SLOT]);
  else
    row->slot_us = kiosk_date_time_to_usec (slot);

  if (value[COLUMN_ID_NUMBER][0] != '\0')
    {
      g_autofree char *id = g_ascii_strup (value[COLUMN_ID_NUMBER], -1);

      /* The kiosks' own rule: check character, a birth date up to today. */
      if (kiosk_card_check_resident_id (id, today) != KIOSK_CARD_REJECT_NONE)
        problem (problems, line,
                 "id_number is not a resident ID number (18 characters, check digit, birth date)");
      else
        {
          row->id_hash = kiosk_appointment_id_hash (key, id);
          row->id_hint = kiosk_card_mask (id);
        }
    }

  if (g_ascii_strcasecmp (value[COLUMN_STATUS], "cancelled") == 0
      || g_ascii_strcasecmp (value[COLUMN_STATUS], "canceled") == 0)
    row->cancelled = TRUE;
  else if (value[COLUMN_STATUS][0] != '\0' && g_ascii_strcasecmp (value[COLUMN_STATUS], "booked") != 0)
    problem (problems, line, "status must be booked, cancelled or empty");

  return problems->len == before ? g_steal_pointer (&row) : NULL;
}

/* The line of byte @offset. */
static guint
line_of (const char *data, gsize offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (data[i] == '\n')
      line++;
  return line;
}

/* The whole file's encoding and size: one problem, or TRUE. */
static gboolean
check_bytes (const char **data, gsize *length, GPtrArray *problems)
{
  const char *end = NULL;

  if (*length > HUB_APPOINTMENTS_MAX_BYTES)
    {
      problem (problems, 1, "the file has %" G_GSIZE_FORMAT " bytes, more than %d MiB: split it", *length,
               HUB_APPOINTMENTS_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }
  if (*length >= 2
      && (((guchar)(*data)[0] == 0xff && (guchar)(*data)[1] == 0xfe)
          || ((guchar)(*data)[0] == 0xfe && (guchar)(*data)[1] == 0xff)))
    {
      problem (problems, 1, "the file is UTF-16: save it as \"CSV UTF-8\"");
      return FALSE;
    }
  if (*length >= 3 && memcmp (*data, "\xef\xbb\xbf", 3) == 0)
    {
      *data += 3;
      *length -= 3;
    }
  if (!g_utf8_validate_len (*data, *length, &end))
    {
      problem (problems, line_of (*data, (gsize)(end - *data)),
               *end == '\0'
                   ? "a NUL byte: this is not a text file"
                   : "not UTF-8 text: save the file as \"CSV UTF-8\" (GBK and other encodings are not "
                     "read)");
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
hub_appointments_parse_csv (const char *data, gsize length, GBytes *key, GTimeZone *tz, GPtrArray *problems,
                            GError **error)
{
  g_autoptr (GPtrArray) local_problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)hub_appointment_free);
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);
  GDate today;
  int columns[N_COLUMNS];
  gboolean have_header = FALSE, header_ok = FALSE;
  Reader r;
  guint line = 1, n_rows = 0, n_header = 0;
  const char *why;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (key != NULL && tz != NULL, NULL);

  if (problems == NULL)
    problems = local_problems;
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, (GDateDay)g_date_time_get_day_of_month (now),
                  (GDateMonth)g_date_time_get_month (now), (GDateYear)g_date_time_get_year (now));

  if (check_bytes (&data, &length, problems))
    {
      r = (Reader){ data, data + length, 1 };
      while (read_record (&r, fields, &line, &why))
        {
          HubAppointment *row;

          if (why != NULL)
            problem (problems, line, "%s", why);
          else if (!have_header)
            {
              header_ok = read_header (fields, line, columns, problems);
              n_header = fields->len;
            }
          else if (++n_rows > HUB_APPOINTMENTS_MAX_ROWS)
            {
              problem (problems, line, "more than %d bookings: split the file", HUB_APPOINTMENTS_MAX_ROWS);
              break;
            }
          else if (fields->len != n_header)
            problem (problems, line, "%u fields, the header has %u", fields->len, n_header);
          else if ((row = read_row (fields, line, columns, key, tz, &today, seen, problems)) != NULL)
            g_ptr_array_add (rows, row);
          if (!have_header)
            {
              /* Rows read against a header that is wrong would only add noise. */
              have_header = TRUE;
              if (!header_ok)
                break;
            }
        }
      if (!have_header)
        problem (problems, 1, "no header line (code,service,slot,id_number,status)");
    }

  if (problems->len > 0)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "预约文件有误 / Bad appointments file: %u problem%s, nothing imported", problems->len,
                   problems->len == 1 ? "" : "s");
      return NULL;
    }
  return g_steal_pointer (&rows);
}
