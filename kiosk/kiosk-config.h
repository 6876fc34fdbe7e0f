/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KIOSK_CONFIG_DEFAULT_PATH "/etc/linli-kiosk/kiosk.conf"

/* The kiosk's settings: a GKeyFile checked against one table of known keys
 * (kiosk-config.c), which assets/kiosk.conf.example documents key by key. */
#define KIOSK_TYPE_CONFIG (kiosk_config_get_type ())
G_DECLARE_FINAL_TYPE (KioskConfig, kiosk_config, KIOSK, CONFIG, GObject)

/* Defaults for every key. */
KioskConfig *kiosk_config_new (void);
/* Reads @path; a bad value fails with "FILE:LINE: [group] key: why".
 * Unknown keys are not errors: see kiosk_config_get_warnings(). */
KioskConfig *kiosk_config_load (const char *path, GError **error);

/* Warnings found while loading (unknown groups and keys), "FILE:LINE: …". */
GPtrArray *kiosk_config_get_warnings (KioskConfig *self);

/* Typed getters; asking for a key not in the table is a programming error. */
const char *kiosk_config_get_string (KioskConfig *self, const char *group, const char *key);
int kiosk_config_get_int (KioskConfig *self, const char *group, const char *key);
gboolean kiosk_config_get_bool (KioskConfig *self, const char *group, const char *key);
/* "HH:MM" keys, as minutes after midnight. */
int kiosk_config_get_minutes (KioskConfig *self, const char *group, const char *key);
const char *const *kiosk_config_get_strv (KioskConfig *self, const char *group, const char *key);

/* Replaces one value after validating it (demo mode, command-line flags). */
gboolean kiosk_config_set (KioskConfig *self, const char *group, const char *key, const char *value,
                           GError **error);

/* TRUE when the file or kiosk_config_set() gave the key its value, FALSE
 * for the table's default: demo mode fills in only what was not given. */
gboolean kiosk_config_is_given (KioskConfig *self, const char *group, const char *key);

/* The table, for the test that checks the example file documents every key. */
typedef struct
{
  const char *group;
  const char *key;
} KioskConfigKeyName;
const KioskConfigKeyName *kiosk_config_list_keys (guint *n_keys);

G_END_DECLS
