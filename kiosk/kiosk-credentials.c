/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-credentials"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <unistd.h>

#include "kiosk-card.h"
#include "kiosk-credentials-private.h"
#include "kiosk-error.h"

struct _KioskCredentials
{
  GObject parent_instance;

  /* Owned */
  KioskStore *store;
  guint8 key[KIOSK_CARD_KEY_BYTES];

  gint64 count;
};

G_DEFINE_FINAL_TYPE (KioskCredentials, kiosk_credentials, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_COUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const kind_names[] = { "worker", "resident", "staff" };
static const char *const status_names[] = { "active", "suspended", "removed" };

KioskMember *
kiosk_member_new (void)
{
  return g_new0 (KioskMember, 1);
}

KioskMember *
kiosk_member_copy (const KioskMember *member)
{
  KioskMember *copy = g_memdup2 (member, sizeof *member);

  copy->name = g_strdup (member->name);
  copy->valid_from = g_strdup (member->valid_from);
  copy->valid_until = g_strdup (member->valid_until);
  copy->group = g_strdup (member->group);
  return copy;
}

void
kiosk_member_free (KioskMember *member)
{
  if (member == NULL)
    return;
  g_free (member->name);
  g_free (member->valid_from);
  g_free (member->valid_until);
  g_free (member->group);
  g_free (member);
}

const char *
kiosk_member_kind_to_string (KioskMemberKind kind)
{
  g_return_val_if_fail ((guint)kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
kiosk_member_kind_from_string (const char *text, KioskMemberKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *out = (KioskMemberKind)i;
        return TRUE;
      }
  return FALSE;
}

const char *
kiosk_member_status_to_string (KioskMemberStatus status)
{
  g_return_val_if_fail ((guint)status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
kiosk_member_status_from_string (const char *text, KioskMemberStatus *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    if (g_strcmp0 (text, status_names[i]) == 0)
      {
        *out = (KioskMemberStatus)i;
        return TRUE;
      }
  return FALSE;
}

/* Pure helpers */

static gboolean
is_ascii_word (const char *word)
{
  for (const char *p = word; *p != '\0'; p++)
    if (!g_ascii_isalpha (*p) && *p != '-' && *p != '\'' && *p != '.')
      return FALSE;
  return TRUE;
}

static void
mask_word (GString *out, const char *word)
{
  glong n = g_utf8_strlen (word, -1);
  const char *last;

  g_string_append_unichar (out, g_utf8_get_char (word));
  if (n == 1)
    return;
  if (is_ascii_word (word) || n == 2)
    {
      for (glong i = 1; i < n; i++)
        g_string_append_c (out, '*');
      return;
    }
  /* Chinese names: the surname and the last character say who it is to the
   * person at the door, and little to anyone behind them. */
  for (glong i = 1; i < n - 1; i++)
    g_string_append_c (out, '*');
  last = g_utf8_offset_to_pointer (word, n - 1);
  g_string_append_unichar (out, g_utf8_get_char (last));
}

char *
kiosk_mask_name (const char *name)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) words = NULL;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return g_strdup ("");

  words = g_strsplit_set (name, " \t", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      mask_word (out, words[i]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
kiosk_card_canonical (const char *card)
{
  g_autofree char *copy = NULL;
  char *uid;
  gsize len;

  if (card == NULL)
    return NULL;
  copy = g_strstrip (g_strdup (card));
  len = strlen (copy);
  if (len == 0 || len > 64)
    return NULL;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (copy[i]) && copy[i] != '-')
        return NULL;
      copy[i] = g_ascii_toupper (copy[i]);
    }
  /* One card, one identity, however a reader types it: a badge UID in
   * decimal ("0012345678") or hex ("00bc614e") becomes the reader manager's
   * normal form ("00BC614E"), so a member list written either way matches
   * what the readers deliver. */
  uid = kiosk_card_normalize_uid (copy, KIOSK_CARD_UID_AUTO);
  return uid != NULL ? uid : g_steal_pointer (&copy);
}

gboolean
kiosk_card_hash_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != KIOSK_CARD_HASH_LEN)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}

gboolean
kiosk_date_is_valid (const char *text)
{
  int y, m, d;
  char tail;

  return text != NULL && strlen (text) == 10 && text[4] == '-' && text[7] == '-'
         && sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && g_date_valid_dmy (d, m, y);
}

/* The card key */

gboolean
kiosk_card_key_load (const char *path, guint8 key[KIOSK_CARD_KEY_BYTES], GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, KIOSK_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? KIOSK_ERROR_NOT_FOUND
                                                                                   : KIOSK_ERROR_READ_ONLY,
                   "card key: %s", local_error->message);
      return FALSE;
    }
  g_strstrip (contents);
  if (strlen (contents) != 2 * KIOSK_CARD_KEY_BYTES
      || sodium_hex2bin (key, KIOSK_CARD_KEY_BYTES, contents, strlen (contents), NULL, NULL, NULL) != 0)
    {
      sodium_memzero (contents, length);
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "card key %s: must hold 64 hex digits (make one with: openssl rand -hex 32)", path);
      return FALSE;
    }
  sodium_memzero (contents, length);
  return TRUE;
}

gboolean
kiosk_card_key_load_or_create (const char *path, guint8 key[KIOSK_CARD_KEY_BYTES], GError **error)
{
  g_autofree char *dir = NULL;
  guint8 fresh[KIOSK_CARD_KEY_BYTES];
  char hex[2 * KIOSK_CARD_KEY_BYTES + 2];
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return kiosk_card_key_load (path, key, error);

  dir = g_path_get_dirname (path);
  g_mkdir_with_parents (dir, 0750);
  /* O_EXCL: two processes starting together must not write two keys. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;
      if (saved == EEXIST)
        return kiosk_card_key_load (path, key, error);
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_READ_ONLY, "card key %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  randombytes_buf (fresh, sizeof fresh);
  sodium_bin2hex (hex, sizeof hex, fresh, sizeof fresh);
  hex[2 * KIOSK_CARD_KEY_BYTES] = '\n';
  if (write (fd, hex, sizeof hex - 1) != (ssize_t)(sizeof hex - 1) || fsync (fd) != 0)
    {
      int saved = errno;
      close (fd);
      g_unlink (path);
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_STORAGE, "card key %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  sodium_memzero (fresh, sizeof fresh);
  sodium_memzero (hex, sizeof hex);
  return kiosk_card_key_load (path, key, error);
}

/* The object */

static void
kiosk_credentials_finalize (GObject *object)
{
  KioskCredentials *self = KIOSK_CREDENTIALS (object);

  sodium_memzero (self->key, sizeof self->key);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (kiosk_credentials_parent_class)->finalize (object);
}

static void
kiosk_credentials_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KioskCredentials *self = KIOSK_CREDENTIALS (object);

  switch (prop_id)
    {
      case PROP_COUNT:
        g_value_set_int64 (value, self->count);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kiosk_credentials_class_init (KioskCredentialsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kiosk_credentials_finalize;
  object_class->get_property = kiosk_credentials_get_property;

  properties[PROP_COUNT]
      = g_param_spec_int64 ("count", NULL, NULL, 0, G_MAXINT64, 0,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kiosk_credentials_init (KioskCredentials *self)
{
}

static void
refresh_count (KioskCredentials *self)
{
  sqlite3_stmt *stmt = kiosk_store_prepare (self->store, "SELECT count(*) FROM credentials", NULL);
  gint64 count = self->count;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (count != self->count)
    {
      self->count = count;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNT]);
    }
}

KioskCredentials *
kiosk_credentials_new (KioskStore *store, const guint8 key[KIOSK_CARD_KEY_BYTES])
{
  KioskCredentials *self;

  g_return_val_if_fail (KIOSK_IS_STORE (store), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  /* Idempotent, and the only libsodium set-up the core needs. */
  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  self = g_object_new (KIOSK_TYPE_CREDENTIALS, NULL);
  self->store = g_object_ref (store);
  memcpy (self->key, key, KIOSK_CARD_KEY_BYTES);
  refresh_count (self);
  return self;
}

KioskStore *
kiosk_credentials_get_store (KioskCredentials *self)
{
  g_return_val_if_fail (KIOSK_IS_CREDENTIALS (self), NULL);
  return self->store;
}

gint64
kiosk_credentials_get_count (KioskCredentials *self)
{
  g_return_val_if_fail (KIOSK_IS_CREDENTIALS (self), 0);
  return self->count;
}

gboolean
kiosk_credentials_hash_card (KioskCredentials *self, const char *card, char out_hash[KIOSK_CARD_HASH_LEN + 1])
{
  g_autofree char *canonical = NULL;
  guint8 mac[crypto_auth_hmacsha256_BYTES];

  g_return_val_if_fail (KIOSK_IS_CREDENTIALS (self), FALSE);

  canonical = kiosk_card_canonical (card);
  if (canonical == NULL)
    return FALSE;
  crypto_auth_hmacsha256 (mac, (const guint8 *)canonical, strlen (canonical), self->key);
  sodium_bin2hex (out_hash, KIOSK_CARD_HASH_LEN + 1, mac, sizeof mac);
  sodium_memzero (canonical, strlen (canonical));
  return TRUE;
}

KioskMember *
kiosk_credentials_lookup (KioskCredentials *self, const char *card_hash, GError **error)
{
  g_autoptr (KioskMember) member = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KIOSK_IS_CREDENTIALS (self), NULL);
  g_return_val_if_fail (card_hash != NULL, NULL);

  stmt = kiosk_store_prepare (self->store,
                              "SELECT kind, name, valid_from, valid_until, status, grp "
                              "FROM credentials WHERE card_hash = ?1",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, card_hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      member = kiosk_member_new ();
      g_strlcpy (member->card_hash, card_hash, sizeof member->card_hash);
      /* The CHECK constraints of the table make these conversions total. */
      kiosk_member_kind_from_string ((const char *)sqlite3_column_text (stmt, 0), &member->kind);
      member->name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      member->valid_from = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      member->valid_until = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
      kiosk_member_status_from_string ((const char *)sqlite3_column_text (stmt, 4), &member->status);
      member->group = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
    }
  else if (rc != SQLITE_DONE)
    kiosk_store_set_error (self->store, rc, "look up card", error);
  sqlite3_reset (stmt);
  return g_steal_pointer (&member);
}

char *
kiosk_member_check (const KioskMember *m)
{
  if (!kiosk_card_hash_is_valid (m->card_hash))
    return g_strdup ("card_hash is not 64 lower-case hex digits");
  if ((guint)m->kind >= G_N_ELEMENTS (kind_names))
    return g_strdup ("kind must be worker, resident or staff");
  if ((guint)m->status >= G_N_ELEMENTS (status_names))
    return g_strdup ("status must be active, suspended or removed");
  if (m->status == KIOSK_MEMBER_REMOVED)
    return NULL; /* only the hash matters */
  if (m->name == NULL || *m->name == '\0' || !g_utf8_validate (m->name, -1, NULL))
    return g_strdup ("name is empty");
  if (m->group == NULL || *m->group == '\0')
    return g_strdup ("group is empty");
  if (m->valid_from != NULL && !kiosk_date_is_valid (m->valid_from))
    return g_strdup ("valid_from is not a date like 2026-01-31");
  if (m->valid_until != NULL && !kiosk_date_is_valid (m->valid_until))
    return g_strdup ("valid_until is not a date like 2026-12-31");
  if (m->valid_from != NULL && m->valid_until != NULL && strcmp (m->valid_from, m->valid_until) > 0)
    return g_strdup ("valid_until is before valid_from");
  return NULL;
}

static gboolean
write_member (KioskCredentials *self, const KioskMember *m, gint64 now, GError **error)
{
  sqlite3_stmt *stmt;

  if (m->status == KIOSK_MEMBER_REMOVED)
    {
      stmt = kiosk_store_prepare (self->store, "DELETE FROM credentials WHERE card_hash = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, m->card_hash, -1, SQLITE_STATIC);
      return kiosk_store_step_done (self->store, stmt, error);
    }

  stmt = kiosk_store_prepare (self->store,
                              "INSERT OR REPLACE INTO credentials "
                              "(card_hash, kind, name, valid_from, valid_until, status, grp, updated_us) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                              error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, m->card_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind_names[m->kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, m->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, m->valid_from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, m->valid_until, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, status_names[m->status], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, m->group, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, now);
  return kiosk_store_step_done (self->store, stmt, error);
}

static int
compare_hash (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(KioskMember *const *)a)->card_hash, (*(KioskMember *const *)b)->card_hash);
}

gboolean
kiosk_credentials_apply_full (KioskCredentials *self, GPtrArray *members, gboolean replace_all,
                              const char *meta_key, const char *meta_value, GError **error)
{
  gint64 now = kiosk_clock_get_real_time (kiosk_store_get_clock (self->store));
  g_autoptr (GPtrArray) sorted = NULL;

  for (guint i = 0; i < members->len; i++)
    {
      const KioskMember *m = members->pdata[i];
      g_autofree char *why = kiosk_member_check (m);

      if (why == NULL && replace_all && m->status == KIOSK_MEMBER_REMOVED)
        why = g_strdup ("status removed has no meaning in a full list");
      if (why != NULL)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "member %u: %s; nothing applied", i, why);
          return FALSE;
        }
    }

  /* In key order the B-tree fills page by page: 100,000 hashes in random
   * order overflow the page cache and take seconds instead of a fraction. */
  sorted = g_ptr_array_copy (members, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL); /* the copy would free the caller's members */
  g_ptr_array_sort (sorted, compare_hash);

  if (!kiosk_store_begin (self->store, error))
    return FALSE;
  if (replace_all && !kiosk_store_exec (self->store, "DELETE FROM credentials", error))
    goto fail;
  for (guint i = 0; i < sorted->len; i++)
    if (!write_member (self, sorted->pdata[i], now, error))
      goto fail;
  if (meta_key != NULL)
    {
      sqlite3_stmt *stmt = kiosk_store_prepare (
          self->store, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, meta_key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, meta_value, -1, SQLITE_STATIC);
      if (!kiosk_store_step_done (self->store, stmt, error))
        goto fail;
    }
  if (!kiosk_store_commit (self->store, error))
    return FALSE;
  refresh_count (self);
  return TRUE;

fail:
  kiosk_store_rollback (self->store);
  g_prefix_error (error, "members not applied: ");
  return FALSE;
}

gboolean
kiosk_credentials_apply (KioskCredentials *self, GPtrArray *members, gboolean replace_all, GError **error)
{
  g_return_val_if_fail (KIOSK_IS_CREDENTIALS (self), FALSE);
  g_return_val_if_fail (members != NULL, FALSE);

  return kiosk_credentials_apply_full (self, members, replace_all, NULL, NULL, error);
}
