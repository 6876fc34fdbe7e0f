/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store"

#include <errno.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "kiosk-autocleanups.h"
#include "kiosk-error.h"
#include "kiosk-qr.h"
#include "kiosk-store-private.h"

struct _KioskStore
{
  GObject parent_instance;

  /* Owned */
  sqlite3 *db;
  KioskClock *clock;
  char *path;
  char *recovered_from;
  char *last_error;
  GHashTable *statements; /* SQL text → sqlite3_stmt */

  gboolean healthy;
};

G_DEFINE_FINAL_TYPE (KioskStore, kiosk_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_HEALTHY,
  PROP_LAST_ERROR,
  PROP_RECOVERED_FROM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kiosk_store_finalize (GObject *object)
{
  KioskStore *self = KIOSK_STORE (object);

  /* Statements before the handle: sqlite3_close refuses while any are alive. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_object (&self->clock);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->recovered_from, g_free);
  g_clear_pointer (&self->last_error, g_free);
  G_OBJECT_CLASS (kiosk_store_parent_class)->finalize (object);
}

static void
kiosk_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskStore *self = KIOSK_STORE (object);

  switch (prop_id)
    {
      case PROP_HEALTHY:
        g_value_set_boolean (value, self->healthy);
        break;
      case PROP_LAST_ERROR:
        g_value_set_string (value, self->last_error);
        break;
      case PROP_RECOVERED_FROM:
        g_value_set_string (value, self->recovered_from);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_store_class_init (KioskStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_store_finalize;
  object_class->get_property = kiosk_store_get_property;

  properties[PROP_HEALTHY] = g_param_spec_boolean (
      "healthy", NULL, NULL, TRUE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] = g_param_spec_string (
      "last-error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECOVERED_FROM]
      = g_param_spec_string ("recovered-from", NULL, NULL, NULL,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_store_init (KioskStore *self)
{
  self->healthy = TRUE;
  self->statements
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)sqlite3_finalize);
}

static void
set_healthy (KioskStore *self, gboolean healthy)
{
  if (self->healthy == healthy)
    return;
  self->healthy = healthy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEALTHY]);
}

static int
error_code_for (int rc)
{
  switch (rc & 0xff)
    {
      case SQLITE_FULL:
        return KIOSK_ERROR_STORAGE_FULL;
      case SQLITE_READONLY:
      case SQLITE_PERM:
      case SQLITE_CANTOPEN:
        return KIOSK_ERROR_READ_ONLY;
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        return KIOSK_ERROR_CORRUPT;
      case SQLITE_CONSTRAINT:
        return KIOSK_ERROR_INVALID;
      default:
        return KIOSK_ERROR_STORAGE;
    }
}

void
kiosk_store_set_error (KioskStore *self, int rc, const char *what, GError **error)
{
  int code = error_code_for (rc);
  const char *message = self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  g_autofree char *text = g_strdup_printf ("%s: %s (%s)", what, message, self->path);

  /* A full disk or an I/O fault makes the kiosk unfit to issue anything; a
   * constraint or a busy lock is the caller's business, not the store's health. */
  if (code == KIOSK_ERROR_STORAGE_FULL || code == KIOSK_ERROR_READ_ONLY || (rc & 0xff) == SQLITE_IOERR
      || code == KIOSK_ERROR_CORRUPT)
    {
      set_healthy (self, FALSE);
      g_free (self->last_error);
      self->last_error = g_strdup (text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }

  g_set_error_literal (error, KIOSK_ERROR, code, text);
}

sqlite3_stmt *
kiosk_store_prepare (KioskStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      kiosk_store_set_error (self, rc, "prepare", error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
kiosk_store_exec (KioskStore *self, const char *sql, GError **error)
{
  int rc;

  g_return_val_if_fail (KIOSK_IS_STORE (self), FALSE);

  rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      kiosk_store_set_error (self, rc, "exec", error);
      return FALSE;
    }
  return TRUE;
}

gboolean
kiosk_store_step_done (KioskStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      kiosk_store_set_error (self, rc, "write", error);
      return FALSE;
    }
  return TRUE;
}

gboolean
kiosk_store_begin (KioskStore *self, GError **error)
{
  /* IMMEDIATE takes the write lock now, so a second process waits at BEGIN
   * (busy timeout) instead of failing half-way through. */
  return kiosk_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
kiosk_store_commit (KioskStore *self, GError **error)
{
  if (!kiosk_store_exec (self, "COMMIT", error))
    {
      kiosk_store_rollback (self);
      return FALSE;
    }
  set_healthy (self, TRUE);
  return TRUE;
}

void
kiosk_store_rollback (KioskStore *self)
{
  g_return_if_fail (KIOSK_IS_STORE (self));

  /* After SQLITE_FULL sqlite may already have rolled back by itself. */
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
read_user_version (sqlite3 *db)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

int
kiosk_store_get_schema_version (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), -1);
  return read_user_version (self->db);
}

static gboolean
migrate (KioskStore *self, int target, GError **error)
{
  int current = read_user_version (self->db);
  /* Versions are handed out per feature branch, so the table may have gaps
   * until every branch is merged: the newest is the last, not the count. */
  int newest = kiosk_store_migrations[kiosk_store_n_migrations - 1].version;

  if (current < 0)
    {
      kiosk_store_set_error (self, sqlite3_errcode (self->db), "read schema version", error);
      return FALSE;
    }
  if (current > newest)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_STORAGE,
                   "database %s has schema %d, newer than this kiosk knows (%d)", self->path, current,
                   newest);
      return FALSE;
    }

  for (guint i = 0; i < kiosk_store_n_migrations; i++)
    {
      const KioskMigration *m = &kiosk_store_migrations[i];
      g_autofree char *bump = NULL;

      if (m->version <= current || m->version > target)
        continue;

      if (!kiosk_store_begin (self, error))
        return FALSE;
      bump = g_strdup_printf ("PRAGMA user_version = %d", m->version);
      if (!kiosk_store_exec (self, m->sql, error) || !kiosk_store_exec (self, bump, error)
          || !kiosk_store_commit (self, error))
        {
          kiosk_store_rollback (self);
          g_prefix_error (error, "migration %d (%s): ", m->version, m->name);
          return FALSE;
        }
    }
  return TRUE;
}

static int
open_db (const char *path, sqlite3 **out)
{
  int rc = sqlite3_open_v2 (path, out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (*out, 1);
      sqlite3_busy_timeout (*out, 5000);
    }
  return rc;
}

/* Pragmas and the integrity check; SQLITE_OK when the file is a sound database. */
static int
check_and_configure (sqlite3 *db)
{
  g_autoptr (sqlite3_stmt) check = NULL;
  int rc;

  /* Reading the schema is what first notices a file that is not a database. */
  /* auto_vacuum first: it takes effect only on a file that has no table yet
   * (switching to WAL already writes the first page), so a new database can
   * hand back what retention frees, and an older one keeps its free pages
   * for reuse (kiosk-retention.c). */
  rc = sqlite3_exec (db,
                     "PRAGMA auto_vacuum = INCREMENTAL;"
                     "PRAGMA journal_mode = WAL;"
                     "PRAGMA synchronous = FULL;"
                     "PRAGMA foreign_keys = ON;",
                     NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &check, NULL);
  if (rc != SQLITE_OK)
    return rc;
  rc = sqlite3_step (check);
  if (rc != SQLITE_ROW)
    return rc;
  if (g_strcmp0 ((const char *)sqlite3_column_text (check, 0), "ok") != 0)
    return SQLITE_CORRUPT;
  return SQLITE_OK;
}

static gboolean
move_aside (KioskStore *self, GError **error)
{
  g_autoptr (GDateTime) now = kiosk_clock_now (self->clock);
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);
  static const char *const suffixes[] = { "-wal", "-shm" };

  if (g_rename (self->path, target) != 0)
    {
      int saved = errno;
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_CORRUPT,
                   "database %s is corrupt and could not be moved aside: %s", self->path, g_strerror (saved));
      return FALSE;
    }
  /* The journal belongs to the broken file; keep it beside it for forensics. */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (self->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (target, suffixes[i], NULL);
      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }
  self->recovered_from = g_steal_pointer (&target);
  return TRUE;
}

KioskStore *
kiosk_store_open_at_version (const char *path, KioskClock *clock, int version, GError **error)
{
  g_autoptr (KioskStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (KIOSK_IS_CLOCK (clock), NULL);

  self = g_object_new (KIOSK_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->clock = g_object_ref (clock);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0750) != 0)
    {
      int saved = errno;
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_READ_ONLY, "cannot create the state directory %s: %s", dir,
                   g_strerror (saved));
      return NULL;
    }
  if (g_access (dir, W_OK) != 0)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_READ_ONLY, "the state directory %s is not writable", dir);
      return NULL;
    }

  rc = open_db (path, &self->db);
  if (rc == SQLITE_OK)
    rc = check_and_configure (self->db);

  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
    {
      g_clear_pointer (&self->db, sqlite3_close);
      if (!move_aside (self, error))
        return NULL;
      rc = open_db (path, &self->db);
      if (rc == SQLITE_OK)
        rc = check_and_configure (self->db);
    }
  if (rc != SQLITE_OK)
    {
      kiosk_store_set_error (self, rc, "open database", error);
      return NULL;
    }

  if (!migrate (self, version > 0 ? version : G_MAXINT, error))
    return NULL;

  if (self->recovered_from != NULL && version == 0)
    {
      g_autofree char *detail
          = g_strdup_printf ("corrupt database moved to %s; started a fresh one", self->recovered_from);
      if (!kiosk_store_report (self, "store-recovered", detail, error))
        return NULL;
    }

  return g_steal_pointer (&self);
}

KioskStore *
kiosk_store_open (const char *path, KioskClock *clock, GError **error)
{
  return kiosk_store_open_at_version (path, clock, 0, error);
}

sqlite3 *
kiosk_store_get_db (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);
  return self->db;
}

KioskClock *
kiosk_store_get_clock (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);
  return self->clock;
}

const char *
kiosk_store_get_path (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);
  return self->path;
}

const char *
kiosk_store_get_recovered_from (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);
  return self->recovered_from;
}

gboolean
kiosk_store_get_healthy (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), FALSE);
  return self->healthy;
}

const char *
kiosk_store_get_last_error (KioskStore *self)
{
  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);
  return self->last_error;
}

char *
kiosk_uuid_new (void)
{
  guint8 b[16];

  randombytes_buf (b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                          b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                          b[15]);
}

gboolean
kiosk_store_outbox_add (KioskStore *self, const char *uuid, const char *kind, const char *payload_json,
                        GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KIOSK_IS_STORE (self), FALSE);

  stmt = kiosk_store_prepare (self,
                              "INSERT INTO outbox (uuid, kind, payload, created_us) "
                              "VALUES (?1, ?2, ?3, ?4)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, payload_json, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, kiosk_clock_get_real_time (self->clock));
  return kiosk_store_step_done (self, stmt, error);
}

gint64
kiosk_store_outbox_pending (KioskStore *self)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (KIOSK_IS_STORE (self), -1);

  stmt = kiosk_store_prepare (self, "SELECT count(*) FROM outbox WHERE sent_us IS NULL", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return n;
}

gboolean
kiosk_store_report (KioskStore *self, const char *kind, const char *detail, GError **error)
{
  g_autofree char *uuid = kiosk_uuid_new ();
  g_autofree char *payload = NULL;
  gint64 now = kiosk_clock_get_real_time (self->clock);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KIOSK_IS_STORE (self), FALSE);

  /* sqlite's json_object() does the escaping. */
  stmt = kiosk_store_prepare (self, "SELECT json_object ('event', ?1, 'detail', ?2, 'at_us', ?3)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, detail, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      kiosk_store_set_error (self, sqlite3_errcode (self->db), "report", error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  payload = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (!kiosk_store_begin (self, error))
    return FALSE;

  stmt = kiosk_store_prepare (self, "INSERT INTO events (at_us, kind, detail) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, detail, -1, SQLITE_STATIC);
  if (!kiosk_store_step_done (self, stmt, error)
      || !kiosk_store_outbox_add (self, uuid, "status", payload, error))
    goto fail;

  return kiosk_store_commit (self, error);

fail:
  kiosk_store_rollback (self);
  return FALSE;
}

#define PUBLIC_URL_KEY "hub.public_url"

char *
kiosk_store_get_public_url (KioskStore *self)
{
  sqlite3_stmt *stmt;
  g_autofree char *url = NULL;

  g_return_val_if_fail (KIOSK_IS_STORE (self), NULL);

  stmt = kiosk_store_prepare (self, "SELECT value FROM meta WHERE key = ?1", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, PUBLIC_URL_KEY, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    url = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  /* Checked again on the way out: a QR is printed from it. */
  if (url == NULL || !kiosk_qr_check_public_url (url, NULL))
    return NULL;
  return g_steal_pointer (&url);
}

gboolean
kiosk_store_set_public_url (KioskStore *self, const char *url, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KIOSK_IS_STORE (self), FALSE);

  if (url != NULL && !kiosk_qr_check_public_url (url, error))
    return FALSE;
  stmt = kiosk_store_prepare (self,
                              url != NULL ? "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)"
                                          : "DELETE FROM meta WHERE key = ?1",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, PUBLIC_URL_KEY, -1, SQLITE_STATIC);
  if (url != NULL)
    sqlite3_bind_text (stmt, 2, url, -1, SQLITE_TRANSIENT);
  return kiosk_store_step_done (self, stmt, error);
}
