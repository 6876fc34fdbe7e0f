/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-badge-rules"

#include "kiosk-badge-rules.h"
#include "kiosk-error.h"

typedef struct
{
  guint64 low;
  guint64 high;
} Range;

struct _KioskBadgeRules
{
  GStrv prefixes; /* upper-case, as canonical cards are */
  GArray *ranges; /* Range */
  int length;
  char *group;
};

static gboolean
parse_number (const char *text, guint64 *out)
{
  gsize len = strlen (text);

  if (len == 0 || len > 19)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  *out = g_ascii_strtoull (text, NULL, 10);
  return TRUE;
}

void
kiosk_badge_rules_free (KioskBadgeRules *rules)
{
  if (rules == NULL)
    return;
  g_strfreev (rules->prefixes);
  g_clear_pointer (&rules->ranges, g_array_unref);
  g_free (rules->group);
  g_free (rules);
}

KioskBadgeRules *
kiosk_badge_rules_new (const char *const *prefixes, const char *const *ranges, int length, const char *group,
                       GError **error)
{
  g_autoptr (KioskBadgeRules) rules = g_new0 (KioskBadgeRules, 1);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  rules->ranges = g_array_new (FALSE, FALSE, sizeof (Range));
  for (guint i = 0; prefixes != NULL && prefixes[i] != NULL; i++)
    {
      g_autofree char *prefix = g_ascii_strup (prefixes[i], -1);

      for (const char *p = prefix; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p))
          {
            g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                         "[fitness] badge_prefixes: \"%s\" is not letters and digits", prefixes[i]);
            return NULL;
          }
      g_strv_builder_add (builder, prefix);
    }
  rules->prefixes = g_strv_builder_end (builder);

  for (guint i = 0; ranges != NULL && ranges[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (ranges[i], "-", 0);
      Range range;

      if (g_strv_length (parts) != 2 || !parse_number (g_strstrip (parts[0]), &range.low)
          || !parse_number (g_strstrip (parts[1]), &range.high) || range.low > range.high)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                       "[fitness] badge_ranges: \"%s\" is not a range like 0012300000-0012399999", ranges[i]);
          return NULL;
        }
      g_array_append_val (rules->ranges, range);
    }

  if (length < 0 || length > 64)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "[fitness] badge_length: %d is not 0 … 64",
                   length);
      return NULL;
    }
  rules->length = length;
  if (group == NULL || *group == '\0')
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "[fitness] badge_group is empty");
      return NULL;
    }
  rules->group = g_strdup (group);
  return g_steal_pointer (&rules);
}

KioskBadgeRules *
kiosk_badge_rules_new_from_config (KioskConfig *config, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  return kiosk_badge_rules_new (kiosk_config_get_strv (config, "fitness", "badge_prefixes"),
                                kiosk_config_get_strv (config, "fitness", "badge_ranges"),
                                kiosk_config_get_int (config, "fitness", "badge_length"),
                                kiosk_config_get_string (config, "fitness", "badge_group"), error);
}

gboolean
kiosk_badge_rules_enabled (const KioskBadgeRules *rules)
{
  return rules != NULL && (rules->prefixes[0] != NULL || rules->ranges->len > 0 || rules->length > 0);
}

const char *
kiosk_badge_rules_get_group (const KioskBadgeRules *rules)
{
  return rules->group;
}

gboolean
kiosk_badge_rules_match (const KioskBadgeRules *rules, const char *card)
{
  gboolean ok;

  if (!kiosk_badge_rules_enabled (rules) || card == NULL)
    return FALSE;

  if (rules->length > 0 && strlen (card) != (gsize)rules->length)
    return FALSE;

  ok = rules->prefixes[0] == NULL;
  for (guint i = 0; !ok && rules->prefixes[i] != NULL; i++)
    ok = g_str_has_prefix (card, rules->prefixes[i]);
  if (!ok)
    return FALSE;

  if (rules->ranges->len > 0)
    {
      guint64 number;

      if (!parse_number (card, &number))
        return FALSE;
      ok = FALSE;
      for (guint i = 0; !ok && i < rules->ranges->len; i++)
        {
          const Range *r = &g_array_index (rules->ranges, Range, i);
          ok = number >= r->low && number <= r->high;
        }
    }
  return ok;
}
