/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-config"

#include "config.h"

#include "kiosk-config.h"
#include "kiosk-error.h"
#include "kiosk-hours.h"

typedef enum
{
  TYPE_STRING,
  TYPE_INT,
  TYPE_BOOL,
  TYPE_TIME,
  TYPE_STRV,
  TYPE_ENUM,
} KeyType;

typedef struct
{
  const char *group;
  const char *key;
  KeyType type;
  const char *fallback;
  int min, max;        /* TYPE_INT */
  const char *choices; /* TYPE_ENUM: "a|b|c" */
} KeyDef;

/* The one list of settings. assets/kiosk.conf.example documents each key;
 * test-config checks that the two agree. */
static const KeyDef keys[] = {
  { "kiosk", "id", TYPE_STRING, "kiosk-1" },
  { "kiosk", "hall", TYPE_STRING, "hall-1" },
  { "kiosk", "time_zone", TYPE_STRING, "Asia/Shanghai" },
  { "kiosk", "state_dir", TYPE_STRING, "/var/lib/linli-kiosk" },
  { "kiosk", "content_dir", TYPE_STRING, PKGDATADIR "/content/default" },
  { "kiosk", "secret_file", TYPE_STRING, "/var/lib/linli-kiosk/kiosk.key" },
  { "kiosk", "language", TYPE_ENUM, "zh", 0, 0, "zh|en" },
  { "kiosk", "width", TYPE_INT, "1080", 320, 7680 },
  { "kiosk", "height", TYPE_INT, "1920", 320, 7680 },
  { "kiosk", "idle_timeout_seconds", TYPE_INT, "60", 5, 3600 },
  { "kiosk", "hide_cursor", TYPE_BOOL, "true" },
  { "kiosk", "keep_days", TYPE_INT, "90", 0, 3650 },

  { "queue", "reset_time", TYPE_TIME, "00:00" },
  { "queue", "kiosk_index", TYPE_INT, "0", 0, 9 },
  { "queue", "kiosks_in_hall", TYPE_INT, "1", 1, 10 },
  { "queue", "estimate_samples", TYPE_INT, "20", 1, 500 },
  { "queue", "estimate_window_hours", TYPE_INT, "2", 1, 24 },
  { "queue", "appointment_early_minutes", TYPE_INT, "30", 0, 240 },
  { "queue", "appointment_late_minutes", TYPE_INT, "15", 0, 240 },
  { "queue", "return_home_seconds", TYPE_INT, "8", 2, 120 },

  { "printer", "transport", TYPE_ENUM, "folder", 0, 0, "usb|serial|tcp|folder|none" },
  { "printer", "device", TYPE_STRING, "/dev/usb/lp0" },
  { "printer", "baud", TYPE_INT, "9600", 1200, 921600 },
  { "printer", "flow_control", TYPE_ENUM, "rtscts", 0, 0, "none|rtscts|xonxoff" },
  { "printer", "host", TYPE_STRING, "" },
  { "printer", "port", TYPE_INT, "9100", 1, 65535 },
  { "printer", "width_dots", TYPE_INT, "576", 256, 832 },
  { "printer", "folder", TYPE_STRING, "/var/lib/linli-kiosk/slips" },
  { "printer", "folder_keep", TYPE_INT, "1000", 0, 1000000 },
  { "printer", "timeout_ms", TYPE_INT, "5000", 100, 60000 },
  { "printer", "status_poll_seconds", TYPE_INT, "30", 0, 3600 },

  { "readers", "paths", TYPE_STRV, "" },
  { "readers", "usb_ids", TYPE_STRV, "" },
  { "readers", "udev_tag", TYPE_BOOL, "true" },
  { "readers", "terminator", TYPE_ENUM, "enter", 0, 0, "enter|tab" },
  { "readers", "max_key_gap_ms", TYPE_INT, "50", 5, 2000 },
  { "readers", "max_length", TYPE_INT, "64", 4, 4096 },
  { "readers", "debounce_seconds", TYPE_INT, "3", 0, 600 },
  { "readers", "serial_ports", TYPE_STRV, "" },
  { "readers", "serial_baud", TYPE_INT, "9600", 1200, 921600 },
  { "readers", "id_card_ports", TYPE_STRV, "" },
  { "readers", "id_card_baud", TYPE_INT, "115200", 1200, 921600 },

  { "door", "backend", TYPE_ENUM, "log", 0, 0, "gpio|log|none" },
  { "door", "chip", TYPE_STRING, "/dev/gpiochip0" },
  { "door", "line", TYPE_INT, "17", 0, 511 },
  { "door", "active_low", TYPE_BOOL, "false" },
  { "door", "pulse_ms", TYPE_INT, "800", 50, 10000 },

  { "hub", "url", TYPE_STRING, "" },
  { "hub", "ca_file", TYPE_STRING, "/etc/linli-kiosk/hub-ca.pem" },
  { "hub", "cert_file", TYPE_STRING, "/etc/linli-kiosk/kiosk.pem" },
  { "hub", "key_file", TYPE_STRING, "/etc/linli-kiosk/kiosk.key" },
  { "hub", "batch_size", TYPE_INT, "200", 1, 5000 },
  { "hub", "connect_timeout_seconds", TYPE_INT, "10", 1, 120 },
  { "hub", "timeout_seconds", TYPE_INT, "30", 1, 600 },
  { "hub", "backoff_max_seconds", TYPE_INT, "300", 1, 86400 },
  { "hub", "heartbeat_seconds", TYPE_INT, "60", 5, 3600 },
  { "hub", "calls_seconds", TYPE_INT, "5", 1, 600 },

  { "fitness", "card_key_file", TYPE_STRING, "/etc/linli-kiosk/card.key" },
  { "fitness", "member_file", TYPE_STRING, "" },
  { "fitness", "badge_prefixes", TYPE_STRV, "" },
  { "fitness", "badge_ranges", TYPE_STRV, "" },
  { "fitness", "badge_length", TYPE_INT, "0", 0, 64 },
  { "fitness", "badge_group", TYPE_STRING, "worker" },
  { "content", "public_keys", TYPE_STRV, "" },
  { "content", "poll_seconds", TYPE_INT, "30", 1, 3600 },
  { "content", "releases_dir", TYPE_STRING, "/var/lib/linli-kiosk/content" },
  { "content", "healthy_seconds", TYPE_INT, "60", 10, 3600 },
  /* At most StartLimitBurst - 2 of systemd/linli-kiosk.service.in (10): the
   * start that rolls back, and one more, stay within systemd's limit. */
  { "content", "crash_limit", TYPE_INT, "3", 1, 8 },
  { "content", "max_size_mb", TYPE_INT, "256", 1, 65536 },

  { "display", "blank_when_closed", TYPE_BOOL, "true" },
  { "display", "hours", TYPE_STRV, "" },
  { "display", "on_before_minutes", TYPE_INT, "30", 0, 240 },
  { "display", "off_after_minutes", TYPE_INT, "30", 0, 240 },
  { "display", "min_off_minutes", TYPE_INT, "60", 0, 1440 },
  { "display", "wake_seconds", TYPE_INT, "60", 5, 3600 },
  { "display", "power_off_command", TYPE_STRING, "ddcutil --noverify setvcp D6 04" },
  { "display", "power_on_command", TYPE_STRING, "ddcutil --noverify setvcp D6 01" },

  { "staff", "pin_hash", TYPE_STRING, "" },
  { "staff", "idle_timeout_seconds", TYPE_INT, "60", 10, 3600 },
};

typedef struct
{
  const KeyDef *def;
  char *text;
  int number;     /* TYPE_INT, TYPE_BOOL, TYPE_TIME */
  GStrv list;     /* TYPE_STRV */
  gboolean given; /* by the file or kiosk_config_set(), not the table's default */
} Value;

struct _KioskConfig
{
  GObject parent_instance;

  /* Owned */
  GHashTable *values; /* "group.key" → Value* */
  GPtrArray *warnings;
};

G_DEFINE_FINAL_TYPE (KioskConfig, kiosk_config, G_TYPE_OBJECT)

static void
value_free (Value *v)
{
  g_free (v->text);
  g_strfreev (v->list);
  g_free (v);
}

static void
kiosk_config_finalize (GObject *object)
{
  KioskConfig *self = KIOSK_CONFIG (object);

  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  G_OBJECT_CLASS (kiosk_config_parent_class)->finalize (object);
}

static void
kiosk_config_class_init (KioskConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kiosk_config_finalize;
}

static void
kiosk_config_init (KioskConfig *self)
{
  self->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)value_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
}

static const KeyDef *
find_def (const char *group, const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i].group, group) && g_str_equal (keys[i].key, key))
      return &keys[i];
  return NULL;
}

static gboolean
group_known (const char *group)
{
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i].group, group))
      return TRUE;
  return FALSE;
}

/* Parses @text for @def; on failure returns NULL and sets @why. */
static Value *
parse_value (const KeyDef *def, const char *text, char **why)
{
  g_autoptr (GError) error = NULL;
  Value *v = g_new0 (Value, 1);
  gint64 number;

  v->def = def;
  v->text = g_strstrip (g_strdup (text));

  switch (def->type)
    {
      case TYPE_STRING:
        break;
      case TYPE_INT:
        if (!g_ascii_string_to_signed (v->text, 10, def->min, def->max, &number, &error))
          {
            *why
                = g_strdup_printf ("\"%s\" is not a whole number from %d to %d", v->text, def->min, def->max);
            goto bad;
          }
        v->number = (int)number;
        break;
      case TYPE_BOOL:
        if (g_str_equal (v->text, "true"))
          v->number = TRUE;
        else if (g_str_equal (v->text, "false"))
          v->number = FALSE;
        else
          {
            *why = g_strdup_printf ("\"%s\" is not true or false", v->text);
            goto bad;
          }
        break;
      case TYPE_TIME:
        v->number = kiosk_hours_parse_time (v->text);
        if (v->number < 0 || v->number >= 24 * 60)
          {
            *why = g_strdup_printf ("\"%s\" is not a time of day like 08:30", v->text);
            goto bad;
          }
        break;
      case TYPE_STRV:
        {
          g_auto (GStrv) parts = g_strsplit (v->text, ";", -1);
          GPtrArray *list = g_ptr_array_new ();

          for (guint i = 0; parts[i] != NULL; i++)
            {
              g_strstrip (parts[i]);
              if (*parts[i] != '\0')
                g_ptr_array_add (list, g_strdup (parts[i]));
            }
          g_ptr_array_add (list, NULL);
          v->list = (GStrv)g_ptr_array_free (list, FALSE);
        }
        break;
      case TYPE_ENUM:
        {
          g_auto (GStrv) choices = g_strsplit (def->choices, "|", -1);

          if (!g_strv_contains ((const char *const *)choices, v->text))
            {
              *why = g_strdup_printf ("\"%s\" is not one of %s", v->text, def->choices);
              goto bad;
            }
        }
        break;
    }
  return v;

bad:
  value_free (v);
  return NULL;
}

static void
set_value (KioskConfig *self, Value *v)
{
  g_hash_table_replace (self->values, g_strdup_printf ("%s.%s", v->def->group, v->def->key), v);
}

KioskConfig *
kiosk_config_new (void)
{
  KioskConfig *self = g_object_new (KIOSK_TYPE_CONFIG, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autofree char *why = NULL;
      Value *v = parse_value (&keys[i], keys[i].fallback, &why);

      g_assert (v != NULL); /* a bad default is a bug in the table */
      set_value (self, v);
    }
  return self;
}

/* Where each key stands in the file, for messages a technician can act on:
 * GKeyFile itself does not keep line numbers. "group\nkey" → line. */
static GHashTable *
index_lines (const char *contents)
{
  GHashTable *lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) split = g_strsplit (contents, "\n", -1);
  g_autofree char *group = g_strdup ("");

  for (guint i = 0; split[i] != NULL; i++)
    {
      char *line = g_strstrip (split[i]);
      char *eq;

      if (*line == '[' && strchr (line, ']') != NULL)
        {
          g_free (group);
          group = g_strndup (line + 1, strchr (line, ']') - line - 1);
          g_hash_table_insert (lines, g_strdup_printf ("%s\n", group), GUINT_TO_POINTER (i + 1));
        }
      else if (*line != '#' && (eq = strchr (line, '=')) != NULL)
        {
          g_autofree char *key = g_strstrip (g_strndup (line, eq - line));
          g_hash_table_insert (lines, g_strdup_printf ("%s\n%s", group, key), GUINT_TO_POINTER (i + 1));
        }
    }
  return lines;
}

static guint
line_of (GHashTable *lines, const char *group, const char *key)
{
  g_autofree char *id = g_strdup_printf ("%s\n%s", group, key ? key : "");

  return GPOINTER_TO_UINT (g_hash_table_lookup (lines, id));
}

KioskConfig *
kiosk_config_load (const char *path, GError **error)
{
  g_autoptr (KioskConfig) self = kiosk_config_new ();
  g_autoptr (GKeyFile) file = g_key_file_new ();
  g_autoptr (GHashTable) lines = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) groups = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "%s: %s", path, local_error->message);
      return NULL;
    }
  if (!g_key_file_load_from_data (file, contents, length, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s: %s", path, local_error->message);
      return NULL;
    }

  lines = index_lines (contents);
  groups = g_key_file_get_groups (file, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto (GStrv) names = g_key_file_get_keys (file, groups[g], NULL, NULL);

      if (!group_known (groups[g]))
        {
          g_ptr_array_add (self->warnings, g_strdup_printf ("%s:%u: unknown group [%s] ignored", path,
                                                            line_of (lines, groups[g], NULL), groups[g]));
          continue;
        }
      for (guint k = 0; names != NULL && names[k] != NULL; k++)
        {
          const KeyDef *def = find_def (groups[g], names[k]);
          g_autofree char *raw = NULL;
          g_autofree char *why = NULL;
          Value *v;

          if (def == NULL)
            {
              g_ptr_array_add (self->warnings,
                               g_strdup_printf ("%s:%u: [%s] %s: unknown key ignored", path,
                                                line_of (lines, groups[g], names[k]), groups[g], names[k]));
              continue;
            }
          raw = g_key_file_get_value (file, groups[g], names[k], NULL);
          v = parse_value (def, raw, &why);
          if (v == NULL)
            {
              g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "%s:%u: [%s] %s: %s", path,
                           line_of (lines, groups[g], names[k]), groups[g], names[k], why);
              return NULL;
            }
          v->given = TRUE;
          set_value (self, v);
        }
    }
  return g_steal_pointer (&self);
}

GPtrArray *
kiosk_config_get_warnings (KioskConfig *self)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);
  return self->warnings;
}

static Value *
lookup (KioskConfig *self, const char *group, const char *key, KeyType type)
{
  g_autofree char *id = g_strdup_printf ("%s.%s", group, key);
  Value *v = g_hash_table_lookup (self->values, id);

  if (v == NULL || (v->def->type != type && !(type == TYPE_STRING && v->def->type == TYPE_ENUM)))
    g_error ("config key [%s] %s is not in the table with that type", group, key);
  return v;
}

const char *
kiosk_config_get_string (KioskConfig *self, const char *group, const char *key)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);
  return lookup (self, group, key, TYPE_STRING)->text;
}

int
kiosk_config_get_int (KioskConfig *self, const char *group, const char *key)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), 0);
  return lookup (self, group, key, TYPE_INT)->number;
}

gboolean
kiosk_config_get_bool (KioskConfig *self, const char *group, const char *key)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), FALSE);
  return lookup (self, group, key, TYPE_BOOL)->number;
}

int
kiosk_config_get_minutes (KioskConfig *self, const char *group, const char *key)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), 0);
  return lookup (self, group, key, TYPE_TIME)->number;
}

const char *const *
kiosk_config_get_strv (KioskConfig *self, const char *group, const char *key)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (self), NULL);
  return (const char *const *)lookup (self, group, key, TYPE_STRV)->list;
}

gboolean
kiosk_config_set (KioskConfig *self, const char *group, const char *key, const char *value, GError **error)
{
  const KeyDef *def;
  g_autofree char *why = NULL;
  Value *v;

  g_return_val_if_fail (KIOSK_IS_CONFIG (self), FALSE);

  def = find_def (group, key);
  if (def == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "[%s] %s: no such setting", group, key);
      return FALSE;
    }
  v = parse_value (def, value, &why);
  if (v == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "[%s] %s: %s", group, key, why);
      return FALSE;
    }
  v->given = TRUE;
  set_value (self, v);
  return TRUE;
}

gboolean
kiosk_config_is_given (KioskConfig *self, const char *group, const char *key)
{
  g_autofree char *id = g_strdup_printf ("%s.%s", group, key);
  Value *v;

  g_return_val_if_fail (KIOSK_IS_CONFIG (self), FALSE);
  v = g_hash_table_lookup (self->values, id);
  if (v == NULL)
    g_error ("config key [%s] %s is not in the table", group, key);
  return v->given;
}

const KioskConfigKeyName *
kiosk_config_list_keys (guint *n_keys)
{
  static KioskConfigKeyName names[G_N_ELEMENTS (keys)];

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      names[i].group = keys[i].group;
      names[i].key = keys[i].key;
    }
  *n_keys = G_N_ELEMENTS (keys);
  return names;
}
