/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-retention"

#include "kiosk-retention.h"

#include "kiosk-error.h"

/* How often the daily time is checked against a real clock. */
#define CHECK_SECONDS 60
/* Hand pages back to the file system only after a large prune (4 MiB of
 * 4 KiB pages), this many pages per step. */
#define VACUUM_MIN_FREE_PAGES 1024
#define VACUUM_STEP_PAGES 1024

/* One table of per-input history. Tables are walked in chunks by @key (a
 * column that grows as rows are added) so a batch examines at most
 * batch_rows rows, whatever it finds eligible. */
typedef struct
{
  const char *table;
  const char *key;
  /* When set, the walk ends at the first chunk wholly at or after the
   * cutoff: rows are added in time order, so the rest are younger. */
  const char *time;
  /* Which rows may go; ?3 is the cutoff. */
  const char *eligible;
  /* A table whose rows point at @key with a foreign key; its rows for the
   * rows that go are deleted first, in the same transaction. */
  const char *referrer;
} Rule;

/* Outbox first: a ticket or entry goes only once no outbox row records it,
 * so a record the hub has not confirmed keeps its row, and no outbox row is
 * left pointing at nothing. Appointments before tickets, for the same
 * reason (appointments.ticket_uuid). credentials (the member list, replaced
 * by imports) and meta (a few keys) do not grow with inputs. */
static const Rule rules[] = {
  { "outbox", "seq", "created_us", "sent_us IS NOT NULL AND created_us < ?3", "outbox_rejected" },
  { "appointments", "rowid", NULL, "max (slot_us, imported_us, coalesce (used_us, 0)) < ?3", NULL },
  { "hub_calls", "id", NULL, "at_us < ?3", NULL },
  { "tickets", "rowid", "issued_us",
    "max (issued_us, coalesce (called_us, 0), coalesce (served_us, 0), coalesce (no_show_us, 0),"
    " coalesce (transferred_us, 0)) < ?3"
    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.uuid = tickets.uuid)"
    " AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.ticket_uuid = tickets.uuid)",
    NULL },
  { "entries", "id", "at_us",
    "at_us < ?3 AND coalesce (left_us, 0) < ?3"
    " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.uuid = entries.uuid)",
    NULL },
  { "events", "id", "at_us", "at_us < ?3", NULL },
};
#define N_RULES G_N_ELEMENTS (rules)

typedef struct
{
  char *chunk;  /* the end of the next chunk, and its oldest time */
  char *before; /* referrer rows of the rows that go, or NULL */
  char *remove; /* the rows that go */
} RuleSql;

typedef struct
{
  gboolean active;
  gint64 cutoff_us;
  guint rule; /* N_RULES: handing pages back */
  gint64 cursor;
  gint64 removed[N_RULES];
  gint64 removed_referrers;
} Run;

struct _KioskRetention
{
  GObject parent_instance;

  /* Owned */
  KioskStore *store;
  RuleSql sql[N_RULES];
  Run run;

  guint keep_days;
  guint batch_rows;
  gboolean started;
  gint64 next_run_mono;
  guint batch_source;
  guint check_source;
  gulong clock_handler;
};

G_DEFINE_FINAL_TYPE (KioskRetention, kiosk_retention, G_TYPE_OBJECT)

enum
{
  SIGNAL_FINISHED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
kiosk_retention_dispose (GObject *object)
{
  kiosk_retention_stop (KIOSK_RETENTION (object));
  G_OBJECT_CLASS (kiosk_retention_parent_class)->dispose (object);
}

static void
kiosk_retention_finalize (GObject *object)
{
  KioskRetention *self = KIOSK_RETENTION (object);

  for (guint i = 0; i < N_RULES; i++)
    {
      g_free (self->sql[i].chunk);
      g_free (self->sql[i].before);
      g_free (self->sql[i].remove);
    }
  g_clear_object (&self->store);
  G_OBJECT_CLASS (kiosk_retention_parent_class)->finalize (object);
}

static void
kiosk_retention_class_init (KioskRetentionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kiosk_retention_dispose;
  object_class->finalize = kiosk_retention_finalize;

  /* (removed rows, the error that ended the run or NULL) */
  signals[SIGNAL_FINISHED]
      = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
kiosk_retention_init (KioskRetention *self)
{
  self->batch_rows = KIOSK_RETENTION_BATCH_ROWS;
  for (guint i = 0; i < N_RULES; i++)
    {
      const Rule *r = &rules[i];

      self->sql[i].chunk = g_strdup_printf ("SELECT max (%s), min (%s) FROM "
                                            "(SELECT %s, %s FROM %s WHERE %s > ?1 ORDER BY %s LIMIT ?2)",
                                            r->key, r->time ? r->time : "NULL", r->key,
                                            r->time ? r->time : "NULL", r->table, r->key, r->key);
      self->sql[i].remove = g_strdup_printf ("DELETE FROM %s WHERE %s > ?1 AND %s <= ?2 AND %s", r->table,
                                             r->key, r->key, r->eligible);
      if (r->referrer != NULL)
        self->sql[i].before
            = g_strdup_printf ("DELETE FROM %s WHERE %s IN "
                               "(SELECT %s FROM %s WHERE %s > ?1 AND %s <= ?2 AND %s)",
                               r->referrer, r->key, r->key, r->table, r->key, r->key, r->eligible);
    }
}

KioskRetention *
kiosk_retention_new (KioskStore *store, guint keep_days)
{
  KioskRetention *self;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);

  self = g_object_new (KIOSK_TYPE_RETENTION, NULL);
  self->store = g_object_ref (store);
  self->keep_days = keep_days;
  return self;
}

KioskRetention *
kiosk_retention_new_from_config (KioskConfig *config, KioskStore *store)
{
  g_return_val_if_fail (KIOSK_IS_CONFIG (config), NULL);

  return kiosk_retention_new (store, (guint)MAX (kiosk_config_get_int (config, "kiosk", "keep_days"), 0));
}

guint
kiosk_retention_get_keep_days (KioskRetention *self)
{
  g_return_val_if_fail (KIOSK_IS_RETENTION (self), 0);
  return self->keep_days;
}

void
kiosk_retention_set_batch_rows (KioskRetention *self, guint rows)
{
  g_return_if_fail (KIOSK_IS_RETENTION (self));
  g_return_if_fail (rows > 0);
  self->batch_rows = rows;
}

gboolean
kiosk_retention_get_running (KioskRetention *self)
{
  g_return_val_if_fail (KIOSK_IS_RETENTION (self), FALSE);
  return self->run.active;
}

gint64
kiosk_retention_get_next_run_monotonic (KioskRetention *self)
{
  g_return_val_if_fail (KIOSK_IS_RETENTION (self), 0);
  return self->started ? self->next_run_mono : 0;
}

/* One integer from a one-row query; @fallback when there is no row. */
static gboolean
query_int64 (KioskStore *store, const char *sql, gint64 fallback, gint64 *out, GError **error)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL ? sqlite3_column_int64 (stmt, 0)
                                                                          : fallback;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      kiosk_store_set_error (store, rc, "retention", error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
begin_run (KioskRetention *self, GError **error)
{
  gint64 now = kiosk_clock_get_real_time (kiosk_store_get_clock (self->store));
  gint64 keep = MAX ((gint64)self->keep_days * G_TIME_SPAN_DAY, KIOSK_RETENTION_MIN_KEEP_US);
  gint64 newest;

  /* Count back from the newest record when the clock is ahead of it: a kiosk
   * that starts with its clock set wrongly far forward must not take the
   * records of the real today for old ones. */
  if (!query_int64 (self->store, "SELECT created_us FROM outbox ORDER BY seq DESC LIMIT 1", now, &newest,
                    error))
    return FALSE;

  self->run = (Run){ .active = TRUE, .cutoff_us = MIN (now, newest) - keep };
  return TRUE;
}

/* One chunk of the current table, in one transaction. */
static gboolean
step_table (KioskRetention *self, GError **error)
{
  const Rule *rule = &rules[self->run.rule];
  const RuleSql *sql = &self->sql[self->run.rule];
  sqlite3 *db = kiosk_store_get_db (self->store);
  sqlite3_stmt *stmt;
  gint64 upper = 0, oldest = 0, referrers = 0, removed = 0;
  gboolean last = FALSE;
  int rc;

  if (!kiosk_store_begin (self->store, error))
    return FALSE;

  stmt = kiosk_store_prepare (self->store, sql->chunk, error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, self->run.cursor);
  sqlite3_bind_int64 (stmt, 2, self->batch_rows);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      last = sqlite3_column_type (stmt, 0) == SQLITE_NULL;
      upper = sqlite3_column_int64 (stmt, 0);
      oldest = sqlite3_column_int64 (stmt, 1);
      last = last || (rule->time != NULL && oldest >= self->run.cutoff_us);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      kiosk_store_set_error (self->store, rc, "retention: read", error);
      goto fail;
    }

  if (!last)
    {
      if (sql->before != NULL)
        {
          stmt = kiosk_store_prepare (self->store, sql->before, error);
          if (stmt == NULL)
            goto fail;
          sqlite3_bind_int64 (stmt, 1, self->run.cursor);
          sqlite3_bind_int64 (stmt, 2, upper);
          sqlite3_bind_int64 (stmt, 3, self->run.cutoff_us);
          if (!kiosk_store_step_done (self->store, stmt, error))
            goto fail;
          referrers = sqlite3_changes64 (db);
        }
      stmt = kiosk_store_prepare (self->store, sql->remove, error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, self->run.cursor);
      sqlite3_bind_int64 (stmt, 2, upper);
      sqlite3_bind_int64 (stmt, 3, self->run.cutoff_us);
      if (!kiosk_store_step_done (self->store, stmt, error))
        goto fail;
      removed = sqlite3_changes64 (db);
    }

  if (!kiosk_store_commit (self->store, error))
    return FALSE;
  /* Counted once committed: a batch rolled back removed nothing. */
  self->run.removed_referrers += referrers;
  self->run.removed[self->run.rule] += removed;
  if (last)
    {
      self->run.rule++;
      self->run.cursor = 0;
    }
  else
    self->run.cursor = upper;
  return TRUE;

fail:
  kiosk_store_rollback (self->store);
  return FALSE;
}

static gint64
run_removed (const Run *run)
{
  gint64 n = run->removed_referrers;

  for (guint i = 0; i < N_RULES; i++)
    n += run->removed[i];
  return n;
}

/* A database made with auto_vacuum = INCREMENTAL (every one made since
 * this rule) gives freed pages back to the file system after a large prune.
 * Older ones keep them on their free list and reuse them: the file stops
 * growing but does not shrink (that would take a VACUUM, a full copy). */
static gboolean
vacuum_wanted (KioskRetention *self, gboolean *wanted, GError **error)
{
  gint64 mode, free_pages;

  *wanted = FALSE;
  if (run_removed (&self->run) == 0)
    return TRUE;
  if (!query_int64 (self->store, "PRAGMA auto_vacuum", 0, &mode, error)
      || !query_int64 (self->store, "PRAGMA freelist_count", 0, &free_pages, error))
    return FALSE;
  *wanted = mode == 2 && free_pages >= VACUUM_MIN_FREE_PAGES;
  return TRUE;
}

/* Hands back up to VACUUM_STEP_PAGES pages (its own transaction). */
static gboolean
step_vacuum (KioskRetention *self, gboolean *done, GError **error)
{
  gint64 free_pages;

  if (!kiosk_store_exec (self->store, "PRAGMA incremental_vacuum (" G_STRINGIFY (VACUUM_STEP_PAGES) ")",
                         error)
      || !query_int64 (self->store, "PRAGMA freelist_count", 0, &free_pages, error))
    return FALSE;
  *done = free_pages == 0;
  return TRUE;
}

/* Reports what the run removed (an event for staff, a status record for the
 * hub) or why it stopped, and says so with ::finished. */
static gboolean
end_run (KioskRetention *self, GError **failure)
{
  gint64 removed = run_removed (&self->run);
  g_autoptr (GString) detail = g_string_new (NULL);

  self->run.active = FALSE;
  if (*failure != NULL)
    {
      g_string_printf (detail, "removed %" G_GINT64_FORMAT " rows, then stopped: %s", removed,
                       (*failure)->message);
      /* On a full disk this fails as well; the error goes out with ::finished. */
      kiosk_store_report (self->store, "retention-failed", detail->str, NULL);
    }
  else if (removed > 0)
    {
      g_string_printf (detail, "removed %" G_GINT64_FORMAT " rows older than %u days:", removed,
                       self->keep_days);
      for (guint i = 0; i < N_RULES; i++)
        g_string_append_printf (detail, " %s %" G_GINT64_FORMAT ",", rules[i].table, self->run.removed[i]);
      g_string_append_printf (detail, " outbox_rejected %" G_GINT64_FORMAT, self->run.removed_referrers);
      kiosk_store_report (self->store, "retention", detail->str, failure);
    }
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, removed, *failure);
  return *failure == NULL;
}

gboolean
kiosk_retention_step (KioskRetention *self, gboolean *more, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  gboolean done = TRUE;

  g_return_val_if_fail (KIOSK_IS_RETENTION (self), FALSE);
  g_return_val_if_fail (more != NULL, FALSE);

  *more = FALSE;
  if (self->keep_days == 0)
    return TRUE;
  if (!self->run.active && !begin_run (self, &local_error))
    goto end;

  if (self->run.rule < N_RULES)
    {
      if (!step_table (self, &local_error))
        goto end;
      if (self->run.rule < N_RULES)
        {
          *more = TRUE;
          return TRUE;
        }
      if (!vacuum_wanted (self, &done, &local_error))
        goto end;
      done = !done;
    }
  else if (!step_vacuum (self, &done, &local_error))
    goto end;

  if (!done)
    {
      self->run.rule = N_RULES; /* handing pages back */
      *more = TRUE;
      return TRUE;
    }

end:
  if (end_run (self, &local_error))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
kiosk_retention_run (KioskRetention *self, gint64 *removed, GError **error)
{
  gboolean more = TRUE;

  g_return_val_if_fail (KIOSK_IS_RETENTION (self), FALSE);

  while (more)
    if (!kiosk_retention_step (self, &more, error))
      return FALSE;
  if (removed != NULL)
    *removed = run_removed (&self->run);
  return TRUE;
}

/* Scheduling */

static gboolean
on_batch (gpointer user_data)
{
  KioskRetention *self = user_data;
  gboolean more = FALSE;

  /* An error ends the run and is handed on by ::finished. */
  if (!kiosk_retention_step (self, &more, NULL) || !more)
    {
      self->batch_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Monotonic time of the next KIOSK_RETENTION_HOUR, local time: monotonic so
 * that the wall clock set back or forward cannot put the run off for long. */
static gint64
next_run (KioskRetention *self)
{
  KioskClock *clock = kiosk_store_get_clock (self->store);
  g_autoptr (GDateTime) now = kiosk_clock_now (clock);
  g_autoptr (GDateTime) at = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (now),
                                              g_date_time_get_month (now), g_date_time_get_day_of_month (now),
                                              KIOSK_RETENTION_HOUR, 0, 0);
  GTimeSpan wait;

  if (g_date_time_compare (at, now) <= 0)
    {
      GDateTime *tomorrow = g_date_time_add_days (at, 1);
      g_date_time_unref (at);
      at = tomorrow;
    }
  wait = CLAMP (g_date_time_difference (at, now), G_TIME_SPAN_HOUR, G_TIME_SPAN_DAY);
  return kiosk_clock_get_monotonic (clock) + wait;
}

static void
run_now (KioskRetention *self)
{
  g_autoptr (GError) error = NULL;

  self->next_run_mono = next_run (self);
  if (self->run.active)
    return;
  /* The cutoff now; every batch when the main loop is idle, so none of it
   * stands between start-up and the first frame. */
  if (self->keep_days == 0)
    return;
  if (!begin_run (self, &error))
    {
      end_run (self, &error);
      return;
    }
  if (self->batch_source == 0)
    self->batch_source = g_idle_add_full (G_PRIORITY_LOW, on_batch, self, NULL);
}

static void
check_due (KioskRetention *self)
{
  if (kiosk_clock_get_monotonic (kiosk_store_get_clock (self->store)) >= self->next_run_mono)
    run_now (self);
}

static gboolean
on_check (gpointer user_data)
{
  check_due (user_data);
  return G_SOURCE_CONTINUE;
}

void
kiosk_retention_start (KioskRetention *self)
{
  g_return_if_fail (KIOSK_IS_RETENTION (self));

  if (self->started || self->keep_days == 0)
    return;
  self->started = TRUE;
  self->clock_handler = g_signal_connect_swapped (kiosk_store_get_clock (self->store), "changed",
                                                  G_CALLBACK (check_due), self);
  self->check_source = g_timeout_add_seconds (CHECK_SECONDS, on_check, self);
  run_now (self);
}

void
kiosk_retention_stop (KioskRetention *self)
{
  g_return_if_fail (KIOSK_IS_RETENTION (self));

  g_clear_handle_id (&self->batch_source, g_source_remove);
  g_clear_handle_id (&self->check_source, g_source_remove);
  if (self->store != NULL)
    g_clear_signal_handler (&self->clock_handler, kiosk_store_get_clock (self->store));
  self->started = FALSE;
  /* What the batches so far deleted stays deleted; the next run starts over. */
  self->run.active = FALSE;
}
