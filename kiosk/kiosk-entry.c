/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-entry"

#include <json-glib/json-glib.h>

#include "kiosk-entry-private.h"
#include "kiosk-card.h"
#include "kiosk-entry.h"
#include "kiosk-error.h"

#define MAX_NOTE_CHARS 200

struct _KioskEntry
{
  GObject parent_instance;

  /* Owned */
  KioskCredentials *credentials;
  KioskStore *store;
  KioskBundle *bundle;
  KioskBadgeRules *badge_rules;

  /* Borrowed from bundle */
  const KioskFitnessRules *rules;

  /* Statistics of the local day [day_start_us, day_end_us) */
  gint64 day_start_us;
  gint64 day_end_us;
  int occupancy;
  int entries_today;
  int denied_today;
};

G_DEFINE_FINAL_TYPE (KioskEntry, kiosk_entry, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_OCCUPANCY,
  PROP_ENTRIES_TODAY,
  PROP_DENIED_TODAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
kiosk_entry_finalize (GObject *object)
{
  KioskEntry *self = KIOSK_ENTRY (object);

  g_clear_object (&self->credentials);
  g_clear_object (&self->store);
  g_clear_object (&self->bundle);
  g_clear_pointer (&self->badge_rules, kiosk_badge_rules_free);
  G_OBJECT_CLASS (kiosk_entry_parent_class)->finalize (object);
}

static void
kiosk_entry_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskEntry *self = KIOSK_ENTRY (object);

  switch (prop_id)
    {
      case PROP_OCCUPANCY:
        g_value_set_int (value, self->occupancy);
        break;
      case PROP_ENTRIES_TODAY:
        g_value_set_int (value, self->entries_today);
        break;
      case PROP_DENIED_TODAY:
        g_value_set_int (value, self->denied_today);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_entry_class_init (KioskEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kiosk_entry_finalize;
  object_class->get_property = kiosk_entry_get_property;

  properties[PROP_OCCUPANCY] = g_param_spec_int ("occupancy", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_ENTRIES_TODAY] = g_param_spec_int ("entries-today", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_DENIED_TODAY] = g_param_spec_int ("denied-today", NULL, NULL, 0, G_MAXINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After each decision is committed: (KioskEntryDecision *decision). */
  signals[SIGNAL_DECIDED] = g_signal_new ("decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 1, KIOSK_TYPE_ENTRY_DECISION);
}

static void
kiosk_entry_init (KioskEntry *self)
{
}

static gint64
now_us (KioskEntry *self)
{
  return kiosk_clock_get_real_time (kiosk_store_get_clock (self->store));
}

static GDateTime *
local_from_usec (KioskEntry *self, gint64 usec)
{
  g_autoptr (GDateTime) utc = kiosk_date_time_new_from_usec (usec);

  return kiosk_clock_to_local (kiosk_store_get_clock (self->store), utc);
}

/* One integer from a query with up to two int64 parameters. */
static gboolean
query_int (KioskEntry *self, const char *sql, gint64 a, gint64 b, int *out, GError **error)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (self->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int (stmt, 0);
  else
    kiosk_store_set_error (self->store, rc, "count entries", error);
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW;
}

static gboolean
count_inside (KioskEntry *self, gint64 now, int *out, GError **error)
{
  gint64 cut = now - (gint64)self->rules->stay_hours * 3600 * G_USEC_PER_SEC;

  return query_int (self,
                    "SELECT count(*) FROM entries "
                    "WHERE result = 'granted' AND left_us IS NULL AND at_us > ?1 AND at_us <= ?2",
                    cut, now, out, error);
}

static void
set_stat (KioskEntry *self, int *field, int value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

gboolean
kiosk_entry_refresh (KioskEntry *self, GError **error)
{
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GDateTime) midnight = NULL;
  g_autoptr (GDateTime) next = NULL;
  int occupancy, entries, denied;
  gint64 t;

  g_return_val_if_fail (KIOSK_IS_ENTRY (self), FALSE);

  t = now_us (self);
  now = local_from_usec (self, t);
  midnight = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                              g_date_time_get_month (now), g_date_time_get_day_of_month (now), 0, 0, 0);
  next = g_date_time_add_days (midnight, 1);
  self->day_start_us = kiosk_date_time_to_usec (midnight);
  self->day_end_us = kiosk_date_time_to_usec (next);

  if (!count_inside (self, t, &occupancy, error)
      || !query_int (self,
                     "SELECT count(*) FROM entries WHERE result = 'granted' AND at_us >= ?1 AND at_us < ?2",
                     self->day_start_us, self->day_end_us, &entries, error)
      || !query_int (self,
                     "SELECT count(*) FROM entries WHERE result = 'denied' AND at_us >= ?1 AND at_us < ?2",
                     self->day_start_us, self->day_end_us, &denied, error))
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  set_stat (self, &self->occupancy, occupancy, PROP_OCCUPANCY);
  set_stat (self, &self->entries_today, entries, PROP_ENTRIES_TODAY);
  set_stat (self, &self->denied_today, denied, PROP_DENIED_TODAY);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

gboolean
kiosk_entry_set_bundle (KioskEntry *self, KioskBundle *bundle, GError **error)
{
  const KioskFitnessRules *rules;

  g_return_val_if_fail (KIOSK_IS_ENTRY (self), FALSE);
  g_return_val_if_fail (KIOSK_IS_BUNDLE (bundle), FALSE);

  rules = kiosk_bundle_get_fitness (bundle);
  if (rules == NULL)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND, "bundle %s has no fitness club",
                   kiosk_bundle_get_dir (bundle));
      return FALSE;
    }
  g_set_object (&self->bundle, bundle);
  self->rules = rules;
  /* A new stay_hours changes who counts as inside (not while constructing). */
  return self->day_end_us == 0 || kiosk_entry_refresh (self, error);
}

KioskEntry *
kiosk_entry_new (KioskCredentials *credentials, KioskBundle *bundle, KioskBadgeRules *badge_rules,
                 GError **error)
{
  g_autoptr (KioskEntry) self = NULL;
  g_autoptr (KioskBadgeRules) owned_rules = badge_rules;

  g_return_val_if_fail (KIOSK_IS_CREDENTIALS (credentials), NULL);
  g_return_val_if_fail (KIOSK_IS_BUNDLE (bundle), NULL);

  self = g_object_new (KIOSK_TYPE_ENTRY, NULL);
  self->credentials = g_object_ref (credentials);
  self->store = g_object_ref (kiosk_credentials_get_store (credentials));
  self->badge_rules = g_steal_pointer (&owned_rules);
  if (!kiosk_entry_set_bundle (self, bundle, error) || !kiosk_entry_refresh (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

KioskCredentials *
kiosk_entry_get_credentials (KioskEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_ENTRY (self), NULL);
  return self->credentials;
}

const KioskFitnessRules *
kiosk_entry_get_rules (KioskEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_ENTRY (self), NULL);
  return self->rules;
}

int
kiosk_entry_get_occupancy (KioskEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_ENTRY (self), 0);
  return self->occupancy;
}

int
kiosk_entry_get_entries_today (KioskEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_ENTRY (self), 0);
  return self->entries_today;
}

int
kiosk_entry_get_denied_today (KioskEntry *self)
{
  g_return_val_if_fail (KIOSK_IS_ENTRY (self), 0);
  return self->denied_today;
}

/* The decision */

static const KioskFitnessGroup *
find_group (const KioskFitnessRules *rules, const char *id)
{
  for (guint i = 0; id != NULL && i < rules->groups->len; i++)
    {
      const KioskFitnessGroup *group = rules->groups->pdata[i];
      if (g_str_equal (group->id, id))
        return group;
    }
  return NULL;
}

/* The first moment at or after @now when both the room and @group are open. */
static gint64
next_joint_opening (const KioskHours *room, const KioskHours *group, GDateTime *now)
{
  g_autoptr (GDateTime) t = g_date_time_ref (now);

  for (int i = 0; i < 16; i++)
    {
      g_autoptr (GDateTime) room_open = kiosk_hours_next_opening (room, t, FALSE);
      g_autoptr (GDateTime) both = room_open ? kiosk_hours_next_opening (group, room_open, FALSE) : NULL;

      if (both == NULL)
        return 0;
      if (kiosk_hours_is_open (room, both))
        return kiosk_date_time_to_usec (both);
      g_date_time_unref (t);
      t = g_steal_pointer (&both);
    }
  return 0;
}

static gboolean
same_local_day (GDateTime *a, GDateTime *b)
{
  return g_date_time_get_year (a) == g_date_time_get_year (b)
         && g_date_time_get_day_of_year (a) == g_date_time_get_day_of_year (b);
}

/* Badge rules speak the numbers printed on badges; a UID in normal form
 * (hex) is tried in that decimal form too. */
static gboolean
badge_rules_match (KioskEntry *self, const char *canonical)
{
  g_autofree char *number = kiosk_card_uid_to_decimal (canonical);

  return kiosk_badge_rules_match (self->badge_rules, canonical)
         || (number != NULL && kiosk_badge_rules_match (self->badge_rules, number));
}

/* Runs the checks inside the transaction; FALSE only on a storage error. */
static gboolean
evaluate (KioskEntry *self, const char *canonical, KioskEntryDecision *d, GError **error)
{
  const KioskFitnessRules *rules = self->rules;
  g_autoptr (GDateTime) now = local_from_usec (self, d->at_us);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr (KioskMember) member = NULL;
  g_autoptr (GError) local_error = NULL;
  const KioskFitnessGroup *group;
  int n;

  member = kiosk_credentials_lookup (self->credentials, d->card_hash, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (member != NULL)
    {
      d->known = TRUE;
      d->kind = member->kind;
      g_free (d->masked_name);
      d->masked_name = kiosk_mask_name (member->name);
      d->group = g_strdup (member->group);
      d->valid_until = g_strdup (member->valid_until);
    }
  else if (badge_rules_match (self, canonical))
    {
      d->kind = KIOSK_MEMBER_WORKER;
      d->group = g_strdup (kiosk_badge_rules_get_group (self->badge_rules));
      d->reason = KIOSK_ENTRY_REASON_BY_RULE;
    }
  else
    {
      d->reason = KIOSK_ENTRY_REASON_UNKNOWN;
      return TRUE;
    }

  if (member != NULL && member->status != KIOSK_MEMBER_ACTIVE)
    d->reason = KIOSK_ENTRY_REASON_SUSPENDED;
  else if (member != NULL && member->valid_from != NULL && strcmp (today, member->valid_from) < 0)
    d->reason = KIOSK_ENTRY_REASON_NOT_YET_VALID;
  else if (member != NULL && member->valid_until != NULL && strcmp (today, member->valid_until) > 0)
    d->reason = KIOSK_ENTRY_REASON_EXPIRED;
  if (!kiosk_entry_reason_is_grant (d->reason))
    return TRUE;

  group = find_group (rules, d->group);
  if (!kiosk_hours_is_open (rules->hours, now))
    {
      g_autoptr (GDateTime) opens = kiosk_hours_next_opening (rules->hours, now, FALSE);

      d->reason = opens != NULL && same_local_day (opens, now) ? KIOSK_ENTRY_REASON_NOT_OPEN
                                                               : KIOSK_ENTRY_REASON_CLOSED;
      d->opens_at_us = group ? next_joint_opening (rules->hours, group->hours, now) : 0;
      return TRUE;
    }
  if (group == NULL)
    {
      d->reason = KIOSK_ENTRY_REASON_NO_GROUP;
      return TRUE;
    }
  if (!kiosk_hours_is_open (group->hours, now))
    {
      d->reason = KIOSK_ENTRY_REASON_GROUP_HOURS;
      d->opens_at_us = next_joint_opening (rules->hours, group->hours, now);
      return TRUE;
    }

  if (rules->anti_passback_minutes > 0)
    {
      sqlite3_stmt *stmt
          = kiosk_store_prepare (self->store,
                                 "SELECT 1 FROM entries WHERE card_hash = ?1 "
                                 "AND result = 'granted' AND left_us IS NULL AND at_us > ?2 LIMIT 1",
                                 error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, d->card_hash, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, d->at_us - (gint64)rules->anti_passback_minutes * 60 * G_USEC_PER_SEC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        {
          d->reason = KIOSK_ENTRY_REASON_PASSBACK;
          return TRUE;
        }
      if (rc != SQLITE_DONE)
        {
          kiosk_store_set_error (self->store, rc, "anti-passback", error);
          return FALSE;
        }
    }

  if (d->kind != KIOSK_MEMBER_STAFF)
    {
      if (!count_inside (self, d->at_us, &n, error))
        return FALSE;
      if (n >= rules->capacity)
        d->reason = KIOSK_ENTRY_REASON_FULL;
    }
  return TRUE;
}

static gboolean
write_record (KioskEntry *self, KioskEntryDecision *d, GError **error)
{
  return kiosk_entry_record_write (self->store, d, error)
         && count_inside (self, d->at_us, &d->occupancy, error);
}

static KioskEntryDecision *
decision_new (KioskEntry *self)
{
  KioskEntryDecision *d = g_new0 (KioskEntryDecision, 1);

  d->uuid = kiosk_uuid_new ();
  d->at_us = now_us (self);
  d->masked_name = g_strdup ("");
  return d;
}

/* Writes @d (its checks already done by @evaluate_fn inside the
 * transaction), then updates the statistics and tells the UI. */
typedef gboolean (*EvaluateFunc) (KioskEntry *self, const char *canonical, KioskEntryDecision *d,
                                  GError **error);

static KioskEntryDecision *
commit_decision (KioskEntry *self, KioskEntryDecision *d_in, EvaluateFunc evaluate_fn, const char *canonical,
                 GError **error)
{
  g_autoptr (KioskEntryDecision) d = d_in;

  if (!kiosk_store_begin (self->store, error))
    return NULL;
  if (evaluate_fn != NULL && !evaluate_fn (self, canonical, d, error))
    goto fail;
  d->granted = kiosk_entry_reason_is_grant (d->reason);
  if (!write_record (self, d, error))
    goto fail;
  if (!kiosk_store_commit (self->store, error))
    return NULL;

  if (d->at_us >= self->day_start_us && d->at_us < self->day_end_us)
    {
      g_object_freeze_notify (G_OBJECT (self));
      if (d->reason != KIOSK_ENTRY_REASON_EXIT)
        {
          if (d->granted)
            set_stat (self, &self->entries_today, self->entries_today + 1, PROP_ENTRIES_TODAY);
          else
            set_stat (self, &self->denied_today, self->denied_today + 1, PROP_DENIED_TODAY);
        }
      set_stat (self, &self->occupancy, d->occupancy, PROP_OCCUPANCY);
      g_object_thaw_notify (G_OBJECT (self));
    }
  else
    kiosk_entry_refresh (self, NULL); /* a new day: the record is safe, only the figures lag */

  g_signal_emit (self, signals[SIGNAL_DECIDED], 0, d);
  return g_steal_pointer (&d);

fail:
  kiosk_store_rollback (self->store);
  return NULL;
}

KioskEntryDecision *
kiosk_entry_decide (KioskEntry *self, const char *card, GError **error)
{
  g_autofree char *canonical = NULL;
  KioskEntryDecision *d;

  g_return_val_if_fail (KIOSK_IS_ENTRY (self), NULL);

  d = decision_new (self);
  canonical = kiosk_card_canonical (card);
  if (canonical == NULL || !kiosk_credentials_hash_card (self->credentials, canonical, d->card_hash))
    {
      d->reason = KIOSK_ENTRY_REASON_BAD_READ;
      return commit_decision (self, d, NULL, NULL, error);
    }
  return commit_decision (self, d, evaluate, canonical, error);
}

KioskEntryDecision *
kiosk_entry_admit_manual (KioskEntry *self, const char *card_hash, const char *note, GError **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr (KioskMember) member = NULL;
  KioskEntryDecision *d;

  g_return_val_if_fail (KIOSK_IS_ENTRY (self), NULL);

  trimmed = note && g_utf8_validate (note, -1, NULL) ? g_strstrip (g_strdup (note)) : NULL;
  if (trimmed == NULL || *trimmed == '\0' || g_utf8_strlen (trimmed, -1) > MAX_NOTE_CHARS)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "请填写放行原因（最多 %d 字） / Give a reason (at most %d characters)", MAX_NOTE_CHARS,
                   MAX_NOTE_CHARS);
      return NULL;
    }
  if (card_hash != NULL && !kiosk_card_hash_is_valid (card_hash))
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                           "card_hash is not 64 lower-case hex digits");
      return NULL;
    }

  d = decision_new (self);
  d->reason = KIOSK_ENTRY_REASON_MANUAL;
  d->note = g_steal_pointer (&trimmed);
  if (card_hash != NULL)
    {
      g_strlcpy (d->card_hash, card_hash, sizeof d->card_hash);
      member = kiosk_credentials_lookup (self->credentials, card_hash, NULL);
    }
  if (member != NULL)
    {
      d->known = TRUE;
      d->kind = member->kind;
      g_free (d->masked_name);
      d->masked_name = kiosk_mask_name (member->name);
      d->group = g_strdup (member->group);
      d->valid_until = g_strdup (member->valid_until);
    }
  return commit_decision (self, d, NULL, NULL, error);
}

static gboolean
evaluate_exit (KioskEntry *self, const char *canonical, KioskEntryDecision *d, GError **error)
{
  g_autoptr (KioskMember) member = NULL;
  sqlite3_stmt *stmt;

  member = kiosk_credentials_lookup (self->credentials, d->card_hash, NULL);
  if (member != NULL)
    {
      d->known = TRUE;
      d->kind = member->kind;
      g_free (d->masked_name);
      d->masked_name = kiosk_mask_name (member->name);
      d->group = g_strdup (member->group);
    }
  stmt = kiosk_store_prepare (self->store,
                              "UPDATE entries SET left_us = ?2 "
                              "WHERE card_hash = ?1 AND result = 'granted' AND left_us IS NULL",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, d->card_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, d->at_us);
  return kiosk_store_step_done (self->store, stmt, error);
}

KioskEntryDecision *
kiosk_entry_record_exit (KioskEntry *self, const char *card, GError **error)
{
  g_autofree char *canonical = NULL;
  KioskEntryDecision *d;

  g_return_val_if_fail (KIOSK_IS_ENTRY (self), NULL);

  d = decision_new (self);
  canonical = kiosk_card_canonical (card);
  if (canonical == NULL || !kiosk_credentials_hash_card (self->credentials, canonical, d->card_hash))
    {
      d->reason = KIOSK_ENTRY_REASON_BAD_READ;
      return commit_decision (self, d, NULL, NULL, error);
    }
  d->reason = KIOSK_ENTRY_REASON_EXIT;
  return commit_decision (self, d, evaluate_exit, canonical, error);
}

GPtrArray *
kiosk_entry_list_today (KioskEntry *self, guint limit, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_ENTRY (self), NULL);
  return kiosk_entry_record_list (self->store, self->day_start_us, limit, error);
}
