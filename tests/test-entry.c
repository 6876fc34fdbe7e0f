/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-entry"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "kiosk-entry.h"
#include "kiosk-error.h"
#include "kiosk-test-util.h"

typedef struct
{
  char *dir;
  KioskClock *clock;
  KioskStore *store;
  KioskCredentials *credentials;
  KioskBundle *bundle;
  KioskEntry *entry;
} Fixture;

typedef struct
{
  const char *card;
  KioskMemberKind kind;
  const char *name;
  const char *valid_from;
  const char *valid_until;
  KioskMemberStatus status;
  const char *group;
} MemberRow;

static const MemberRow members[] = {
  { "5566778899", KIOSK_MEMBER_WORKER, "张三明", NULL, NULL, KIOSK_MEMBER_ACTIVE, "worker" },
  { "R001", KIOSK_MEMBER_RESIDENT, "王芳", "2026-01-01", "2026-12-31", KIOSK_MEMBER_ACTIVE, "resident" },
  { "S001", KIOSK_MEMBER_STAFF, "Li Lei", NULL, NULL, KIOSK_MEMBER_ACTIVE, "staff" },
  { "X001", KIOSK_MEMBER_WORKER, "停用", NULL, NULL, KIOSK_MEMBER_SUSPENDED, "worker" },
  { "E001", KIOSK_MEMBER_WORKER, "过期", NULL, "2026-11-24", KIOSK_MEMBER_ACTIVE, "worker" },
  { "T001", KIOSK_MEMBER_WORKER, "今天", NULL, "2026-11-25", KIOSK_MEMBER_ACTIVE, "worker" },
  { "F001", KIOSK_MEMBER_RESIDENT, "未来", "2026-11-26", NULL, KIOSK_MEMBER_ACTIVE, "resident" },
  { "C001", KIOSK_MEMBER_WORKER, "教练", NULL, NULL, KIOSK_MEMBER_ACTIVE, "coach" },
};

#define WORKER "5566778899"

static void
set_time (Fixture *f, const char *when)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (8 * 3600);
  int y, mo, d, h, mi, s;
  g_autoptr (GDateTime) dt = NULL;

  g_assert_cmpint (sscanf (when, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s), ==, 6);
  dt = g_date_time_new (tz, y, mo, d, h, mi, s);
  kiosk_clock_set_now (f->clock, dt);
}

static char *
hash_of (Fixture *f, const char *card)
{
  char *hash = g_malloc (KIOSK_CARD_HASH_LEN + 1);

  g_assert_true (kiosk_credentials_hash_card (f->credentials, card, hash));
  return hash;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 11, 25, 2, 0, 0); /* 10:00 in Shanghai */
  g_autofree char *path = NULL;
  g_autofree char *content = kiosk_test_asset_path ("content/default");
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_member_free);
  static const char *const prefixes[] = { "88", NULL };
  g_autoptr (GError) error = NULL;
  guint8 key[KIOSK_CARD_KEY_BYTES];

  f->dir = kiosk_test_make_tmpdir ("entry");
  path = g_build_filename (f->dir, "kiosk.db", NULL);
  f->clock = kiosk_clock_new_fake (NULL, start);
  f->store = kiosk_store_open (path, f->clock, &error);
  g_assert_no_error (error);
  memset (key, 0x5a, sizeof key);
  f->credentials = kiosk_credentials_new (f->store, key);
  f->bundle = kiosk_bundle_load (content, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      KioskMember *m = kiosk_member_new ();

      g_assert_true (kiosk_credentials_hash_card (f->credentials, members[i].card, m->card_hash));
      m->kind = members[i].kind;
      m->name = g_strdup (members[i].name);
      m->valid_from = g_strdup (members[i].valid_from);
      m->valid_until = g_strdup (members[i].valid_until);
      m->status = members[i].status;
      m->group = g_strdup (members[i].group);
      g_ptr_array_add (list, m);
    }
  g_assert_true (kiosk_credentials_apply (f->credentials, list, TRUE, &error));
  g_assert_no_error (error);

  f->entry = kiosk_entry_new (f->credentials, f->bundle,
                              kiosk_badge_rules_new (prefixes, NULL, 10, "worker", NULL), &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->entry);
  g_assert_finalize_object (f->credentials);
  g_assert_finalize_object (f->bundle);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->clock);
  kiosk_test_remove_tree (f->dir);
  g_free (f->dir);
}

static KioskEntryDecision *
decide (Fixture *f, const char *card)
{
  g_autoptr (GError) error = NULL;
  KioskEntryDecision *d = kiosk_entry_decide (f->entry, card, &error);

  g_assert_no_error (error);
  g_assert_nonnull (d);
  return d;
}

static void
assert_reason (Fixture *f, const char *card, KioskEntryReason want)
{
  g_autoptr (KioskEntryDecision) d = decide (f, card);

  if (d->reason != want)
    g_error ("card %s: %s, want %s", card, kiosk_entry_reason_to_code (d->reason),
             kiosk_entry_reason_to_code (want));
}

static gint64
count_rows (Fixture *f, const char *sql)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (f->store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static const struct
{
  const char *when; /* local, +08:00 */
  const char *card;
  KioskEntryReason reason;
  const char *opens_at; /* local "YYYY-MM-DD HH:MM", or NULL for none */
} decision_cases[] = {
  /* The room (06:30-22:00) at its edges: open at opening, closed at closing. */
  { "2026-11-25 06:30:00", WORKER, KIOSK_ENTRY_REASON_OK, NULL },
  { "2026-11-25 06:29:59", WORKER, KIOSK_ENTRY_REASON_NOT_OPEN, "2026-11-25 06:30" },
  { "2026-11-25 03:00:00", WORKER, KIOSK_ENTRY_REASON_NOT_OPEN, "2026-11-25 06:30" },
  { "2026-11-25 21:59:59", WORKER, KIOSK_ENTRY_REASON_OK, NULL },
  { "2026-11-25 22:00:00", WORKER, KIOSK_ENTRY_REASON_CLOSED, "2026-11-26 06:30" },
  { "2027-02-06 10:00:00", WORKER, KIOSK_ENTRY_REASON_CLOSED, "2027-02-07 06:30" }, /* holiday */
  /* Residents' hours (08:00-20:00) are narrower than the room's. */
  { "2026-11-25 08:00:00", "R001", KIOSK_ENTRY_REASON_OK, NULL },
  { "2026-11-25 07:59:59", "R001", KIOSK_ENTRY_REASON_GROUP_HOURS, "2026-11-25 08:00" },
  { "2026-11-25 19:59:59", "R001", KIOSK_ENTRY_REASON_OK, NULL },
  { "2026-11-25 20:00:00", "R001", KIOSK_ENTRY_REASON_GROUP_HOURS, "2026-11-26 08:00" },
  { "2026-11-25 06:00:00", "R001", KIOSK_ENTRY_REASON_NOT_OPEN, "2026-11-25 08:00" },
  /* The member's own state. */
  { "2026-11-25 10:00:00", "X001", KIOSK_ENTRY_REASON_SUSPENDED, NULL },
  { "2026-11-25 03:00:00", "X001", KIOSK_ENTRY_REASON_SUSPENDED, NULL },
  { "2026-11-25 10:00:00", "E001", KIOSK_ENTRY_REASON_EXPIRED, NULL },
  { "2026-11-25 10:00:00", "T001", KIOSK_ENTRY_REASON_OK, NULL }, /* last valid day */
  { "2026-11-26 10:00:00", "T001", KIOSK_ENTRY_REASON_EXPIRED, NULL },
  { "2026-11-25 10:00:00", "F001", KIOSK_ENTRY_REASON_NOT_YET_VALID, NULL },
  { "2026-11-26 10:00:00", "F001", KIOSK_ENTRY_REASON_OK, NULL },
  { "2026-11-25 10:00:00", "C001", KIOSK_ENTRY_REASON_NO_GROUP, NULL },
  { "2026-11-25 10:00:00", "S001", KIOSK_ENTRY_REASON_OK, NULL },
  /* Cards not in the list. */
  { "2026-11-25 10:00:00", "0000000000", KIOSK_ENTRY_REASON_UNKNOWN, NULL },
  { "2026-11-25 10:00:00", "8800012345", KIOSK_ENTRY_REASON_BY_RULE, NULL },
  { "2026-11-25 10:00:00", "880001234", KIOSK_ENTRY_REASON_UNKNOWN, NULL },
  { "2026-11-25 22:30:00", "8800012345", KIOSK_ENTRY_REASON_CLOSED, "2026-11-26 06:30" },
  { "2026-11-25 10:00:00", "bad card!", KIOSK_ENTRY_REASON_BAD_READ, NULL },
  { "2026-11-25 10:00:00", "", KIOSK_ENTRY_REASON_BAD_READ, NULL },
};

static void
test_decision_table (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (decision_cases); i++)
    {
      g_autoptr (KioskEntryDecision) d = NULL;
      g_autofree char *opens = NULL;

      g_assert_true (kiosk_store_exec (f->store, "DELETE FROM entries", NULL));
      set_time (f, decision_cases[i].when);
      d = decide (f, decision_cases[i].card);
      if (d->opens_at_us != 0)
        {
          g_autoptr (GDateTime) utc = kiosk_date_time_new_from_usec (d->opens_at_us);
          g_autoptr (GDateTime) local = kiosk_clock_to_local (f->clock, utc);
          opens = g_date_time_format (local, "%Y-%m-%d %H:%M");
        }
      if (d->reason != decision_cases[i].reason || g_strcmp0 (opens, decision_cases[i].opens_at) != 0)
        g_error ("case %u (%s at %s): %s opens %s, want %s opens %s", i, decision_cases[i].card,
                 decision_cases[i].when, kiosk_entry_reason_to_code (d->reason), opens,
                 kiosk_entry_reason_to_code (decision_cases[i].reason), decision_cases[i].opens_at);
      g_assert_cmpint (d->granted, ==, kiosk_entry_reason_is_grant (decision_cases[i].reason));
    }
}

static void
test_decision_fields (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskEntryDecision) known = decide (f, WORKER);
  g_autoptr (KioskEntryDecision) staff = decide (f, "S001");
  g_autoptr (KioskEntryDecision) rule = decide (f, "8812345678");
  g_autoptr (KioskEntryDecision) unknown = decide (f, "0000000000");
  g_autofree char *hash = hash_of (f, WORKER);

  g_assert_true (known->granted);
  g_assert_true (known->known);
  g_assert_cmpstr (known->masked_name, ==, "张*明");
  g_assert_cmpstr (known->group, ==, "worker");
  g_assert_cmpstr (known->card_hash, ==, hash);
  g_assert_true (g_uuid_string_is_valid (known->uuid));
  g_assert_cmpint (known->occupancy, ==, 1);
  g_assert_cmpstr (staff->masked_name, ==, "L* L**");
  g_assert_cmpint (staff->occupancy, ==, 2);
  g_assert_false (rule->known);
  g_assert_cmpstr (rule->group, ==, "worker");
  g_assert_cmpstr (rule->masked_name, ==, "");
  g_assert_false (unknown->granted);
  g_assert_null (unknown->group);
  g_assert_cmpint (unknown->occupancy, ==, 3);
}

static void
test_capacity (Fixture *f, gconstpointer data)
{
  int capacity = kiosk_entry_get_rules (f->entry)->capacity;
  g_autoptr (KioskEntryDecision) exit = NULL;

  g_assert_cmpint (capacity, ==, 40);
  for (int i = 0; i < capacity; i++)
    {
      g_autofree char *card = g_strdup_printf ("88000000%02d", i);
      assert_reason (f, card, KIOSK_ENTRY_REASON_BY_RULE);
    }
  g_assert_cmpint (kiosk_entry_get_occupancy (f->entry), ==, capacity);
  assert_reason (f, "8800000099", KIOSK_ENTRY_REASON_FULL);
  assert_reason (f, WORKER, KIOSK_ENTRY_REASON_FULL);
  /* Staff go in to a full room. */
  assert_reason (f, "S001", KIOSK_ENTRY_REASON_OK);
  g_assert_cmpint (kiosk_entry_get_occupancy (f->entry), ==, capacity + 1);

  /* Two leave through the exit reader: one place again below capacity. */
  exit = kiosk_entry_record_exit (f->entry, "8800000000", NULL);
  g_assert_true (exit->granted);
  g_assert_cmpint (exit->reason, ==, KIOSK_ENTRY_REASON_EXIT);
  g_clear_pointer (&exit, kiosk_entry_decision_free);
  exit = kiosk_entry_record_exit (f->entry, "S001", NULL);
  g_assert_cmpint (exit->occupancy, ==, capacity - 1);
  assert_reason (f, WORKER, KIOSK_ENTRY_REASON_OK);
  assert_reason (f, "8800000098", KIOSK_ENTRY_REASON_FULL);

  /* Entries without exit stop counting after stay_hours. */
  kiosk_clock_advance (f->clock, (GTimeSpan)3 * G_TIME_SPAN_HOUR - G_TIME_SPAN_SECOND);
  g_assert_true (kiosk_entry_refresh (f->entry, NULL));
  g_assert_cmpint (kiosk_entry_get_occupancy (f->entry), ==, capacity);
  kiosk_clock_advance (f->clock, G_TIME_SPAN_SECOND);
  g_assert_true (kiosk_entry_refresh (f->entry, NULL));
  g_assert_cmpint (kiosk_entry_get_occupancy (f->entry), ==, 0);
  assert_reason (f, "8800000098", KIOSK_ENTRY_REASON_BY_RULE);
}

static void
test_anti_passback (Fixture *f, gconstpointer data)
{
  g_autoptr (KioskEntryDecision) exit = NULL;

  g_assert_cmpint (kiosk_entry_get_rules (f->entry)->anti_passback_minutes, ==, 5);
  set_time (f, "2026-11-25 10:00:00");
  assert_reason (f, WORKER, KIOSK_ENTRY_REASON_OK);
  set_time (f, "2026-11-25 10:04:59");
  assert_reason (f, WORKER, KIOSK_ENTRY_REASON_PASSBACK);
  assert_reason (f, "8812345678", KIOSK_ENTRY_REASON_BY_RULE); /* another card is not held up */
  set_time (f, "2026-11-25 10:05:00");
  assert_reason (f, WORKER, KIOSK_ENTRY_REASON_OK);
  /* The earlier stay ended when the card entered again: one person, one place. */
  g_assert_cmpint (kiosk_entry_get_occupancy (f->entry), ==, 2);

  /* Out through the exit reader and back in: not a pass-back. */
  set_time (f, "2026-11-25 10:06:00");
  exit = kiosk_entry_record_exit (f->entry, WORKER, NULL);
  g_assert_cmpint (exit->occupancy, ==, 1);
  set_time (f, "2026-11-25 10:07:00");
  assert_reason (f, WORKER, KIOSK_ENTRY_REASON_OK);
}

static gboolean
file_contains (const char *path, const char *needle)
{
  g_autofree char *data = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return FALSE;
  return memmem (data, length, needle, strlen (needle)) != NULL;
}

/* Every decision is one entry row and one outbox record of the same UUID;
 * neither holds the full name, and no file of the database a card number. */
static void
test_records (Fixture *f, gconstpointer data)
{
  static const char *const files[] = { "kiosk.db", "kiosk.db-wal" };
  g_autoptr (KioskEntryDecision) granted = decide (f, WORKER);
  g_autoptr (KioskEntryDecision) denied = decide (f, "E001");
  g_autoptr (KioskEntryDecision) rule = decide (f, "8834567890");
  g_autoptr (KioskEntryDecision) bad = decide (f, "?");
  g_autoptr (KioskEntryDecision) manual = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *hash = hash_of (f, WORKER);
  g_autoptr (GError) error = NULL;
  sqlite3_stmt *stmt;
  JsonObject *o;

  manual = kiosk_entry_admit_manual (f->entry, denied->card_hash, "会员续费中 / renewing", &error);
  g_assert_no_error (error);

  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM entries"), ==, 5);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE kind = 'entry'"), ==, 5);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM entries JOIN outbox USING (uuid)"), ==, 5);

  stmt = kiosk_store_prepare (f->store, "SELECT payload FROM outbox WHERE uuid = ?1", NULL);
  sqlite3_bind_text (stmt, 1, granted->uuid, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_true (
      json_parser_load_from_data (parser, (const char *)sqlite3_column_text (stmt, 0), -1, &error));
  sqlite3_reset (stmt);
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "uuid"), ==, granted->uuid);
  g_assert_cmpstr (json_object_get_string_member (o, "result"), ==, "granted");
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (o, "card_hash"), ==, hash);
  g_assert_cmpstr (json_object_get_string_member (o, "masked_name"), ==, "张*明");
  g_assert_cmpint (json_object_get_int_member (o, "at_us"), ==, granted->at_us);

  stmt = kiosk_store_prepare (f->store, "SELECT reason, note, result FROM entries WHERE uuid = ?1", NULL);
  sqlite3_bind_text (stmt, 1, manual->uuid, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "manual");
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 1), ==, "会员续费中 / renewing");
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 2), ==, "granted");
  sqlite3_reset (stmt);
  g_assert_cmpstr (bad->card_hash, ==, "");

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (f->dir, files[i], NULL);
      g_assert_false (file_contains (path, WORKER));
      g_assert_false (file_contains (path, "8834567890"));
    }
  /* The full name lives in the member list only, never in what is recorded or sent. */
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM entries WHERE masked_name LIKE '%三明%'"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE payload LIKE '%三明%'"), ==, 0);
}

static void
on_decided (KioskEntry *entry, KioskEntryDecision *d, GPtrArray *seen)
{
  g_ptr_array_add (seen, kiosk_entry_decision_copy (d));
}

static void
on_notify (GObject *object, GParamSpec *pspec, GPtrArray *names)
{
  g_ptr_array_add (names, g_strdup (pspec->name));
}

static void
test_manual_admit (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_entry_decision_free);
  g_autoptr (KioskEntryDecision) denied = decide (f, "X001");
  g_autoptr (KioskEntryDecision) manual = NULL;
  g_autoptr (KioskEntryDecision) anonymous = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *long_note = g_strnfill (201, 'x');

  g_signal_connect (f->entry, "decided", G_CALLBACK (on_decided), seen);
  g_assert_null (kiosk_entry_admit_manual (f->entry, denied->card_hash, "  ", &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kiosk_entry_admit_manual (f->entry, NULL, long_note, &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (kiosk_entry_admit_manual (f->entry, "1234", "ok", &error));
  g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (seen->len, ==, 0);

  manual = kiosk_entry_admit_manual (f->entry, denied->card_hash, "停用卡已复核", &error);
  g_assert_no_error (error);
  g_assert_true (manual->granted);
  g_assert_cmpint (manual->reason, ==, KIOSK_ENTRY_REASON_MANUAL);
  g_assert_cmpstr (manual->masked_name, ==, "停*");
  g_assert_cmpstr (manual->note, ==, "停用卡已复核");
  g_assert_cmpint (manual->occupancy, ==, 1);
  anonymous = kiosk_entry_admit_manual (f->entry, NULL, "忘带工牌", &error);
  g_assert_cmpint (anonymous->occupancy, ==, 2);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (((KioskEntryDecision *)seen->pdata[0])->uuid, ==, manual->uuid);
}

static void
test_stats (Fixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) today = NULL;
  g_autoptr (KioskEntryDecision) d = NULL;
  g_autoptr (KioskEntry) again = NULL;
  g_autoptr (GError) error = NULL;
  int occupancy = -1, entries = -1;

  g_signal_connect (f->entry, "notify", G_CALLBACK (on_notify), names);
  set_time (f, "2026-11-25 10:00:00");
  assert_reason (f, WORKER, KIOSK_ENTRY_REASON_OK);
  assert_reason (f, "R001", KIOSK_ENTRY_REASON_OK);
  assert_reason (f, "E001", KIOSK_ENTRY_REASON_EXPIRED);
  assert_reason (f, "0000", KIOSK_ENTRY_REASON_UNKNOWN);
  g_assert_cmpint (kiosk_entry_get_entries_today (f->entry), ==, 2);
  g_assert_cmpint (kiosk_entry_get_denied_today (f->entry), ==, 2);
  g_object_get (f->entry, "occupancy", &occupancy, "entries-today", &entries, NULL);
  g_assert_cmpint (occupancy, ==, 2);
  g_assert_cmpint (entries, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (names, "entries-today", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, "denied-today", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, "occupancy", g_str_equal, NULL));

  today = kiosk_entry_list_today (f->entry, 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (today->len, ==, 3);
  g_assert_cmpint (((KioskEntryDecision *)today->pdata[0])->reason, ==, KIOSK_ENTRY_REASON_UNKNOWN);
  g_assert_cmpint (((KioskEntryDecision *)today->pdata[2])->reason, ==, KIOSK_ENTRY_REASON_OK);

  /* A fresh object reads the same figures back from the database. */
  again = kiosk_entry_new (f->credentials, f->bundle, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kiosk_entry_get_entries_today (again), ==, 2);
  g_assert_cmpint (kiosk_entry_get_denied_today (again), ==, 2);
  g_assert_cmpint (kiosk_entry_get_occupancy (again), ==, 2);

  /* The next day starts from zero. */
  set_time (f, "2026-11-26 07:00:00");
  d = decide (f, WORKER);
  g_assert_true (d->granted);
  g_assert_cmpint (kiosk_entry_get_entries_today (f->entry), ==, 1);
  g_assert_cmpint (kiosk_entry_get_denied_today (f->entry), ==, 0);
  g_assert_cmpint (kiosk_entry_get_occupancy (f->entry), ==, 1);
}

static void
test_reason_texts (void)
{
  for (guint i = 0; i < KIOSK_ENTRY_N_REASONS; i++)
    {
      KioskEntryReason back;
      const char *zh = kiosk_entry_reason_text (i, "zh");
      const char *en = kiosk_entry_reason_text (i, "en");
      g_autofree char *both = g_strdup_printf ("%s / %s", zh, en);

      g_assert_true (kiosk_entry_reason_from_code (kiosk_entry_reason_to_code (i), &back));
      g_assert_cmpint (back, ==, i);
      g_assert_cmpstr (zh, !=, en);
      g_assert_cmpstr (kiosk_entry_reason_bilingual (i), ==, both);
    }
  g_assert_cmpstr (kiosk_entry_reason_text (KIOSK_ENTRY_REASON_FULL, "zh"), ==, "已满员");
  g_assert_cmpstr (kiosk_entry_reason_text (KIOSK_ENTRY_REASON_EXPIRED, "en"), ==, "Membership expired");
  g_assert_false (kiosk_entry_reason_from_code ("nope", &(KioskEntryReason){ 0 }));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kiosk/entry/reason-texts", test_reason_texts);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/kiosk/entry/decision-table", test_decision_table);
  ADD ("/kiosk/entry/decision-fields", test_decision_fields);
  ADD ("/kiosk/entry/capacity", test_capacity);
  ADD ("/kiosk/entry/anti-passback", test_anti_passback);
  ADD ("/kiosk/entry/records", test_records);
  ADD ("/kiosk/entry/manual-admit", test_manual_admit);
  ADD ("/kiosk/entry/stats", test_stats);
#undef ADD
  return g_test_run ();
}
