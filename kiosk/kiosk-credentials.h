/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-store.h"

G_BEGIN_DECLS

/* Members of the fitness club, known only by a keyed hash of their card.
 *
 * A card identifier (the normalised string a reader delivers, e.g.
 * "0012345678" or "04A1B2C3D4") is hashed with HMAC-SHA256 under a key shared
 * by every kiosk of a deployment and the hub, so lists move between them
 * without a card number in them, and a stolen database does not give card
 * numbers away. The card number itself is never stored, logged or put into an
 * error message. */

#define KIOSK_CARD_KEY_BYTES 32
/* Lower-case hex of the HMAC; the only form of a card that is stored. */
#define KIOSK_CARD_HASH_LEN 64

typedef enum
{
  KIOSK_MEMBER_WORKER,   /* company work badge */
  KIOSK_MEMBER_RESIDENT, /* shared-community activity card */
  KIOSK_MEMBER_STAFF,    /* centre staff: not refused for a full room */
} KioskMemberKind;

typedef enum
{
  KIOSK_MEMBER_ACTIVE,
  KIOSK_MEMBER_SUSPENDED,
  /* Only in a delta handed to kiosk_credentials_apply(): delete the member. */
  KIOSK_MEMBER_REMOVED,
} KioskMemberStatus;

/* One member. Dates are local "YYYY-MM-DD", inclusive; NULL: no bound. */
typedef struct
{
  char card_hash[KIOSK_CARD_HASH_LEN + 1];
  KioskMemberKind kind;
  char *name; /* full name; screens show kiosk_mask_name() of it */
  char *valid_from;
  char *valid_until;
  KioskMemberStatus status;
  char *group; /* a fitness group id of the bundle, e.g. "worker" */
} KioskMember;

KioskMember *kiosk_member_new (void);
KioskMember *kiosk_member_copy (const KioskMember *member);
void kiosk_member_free (KioskMember *member);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskMember, kiosk_member_free)

/* "worker"/"resident"/"staff" and back; FALSE for anything else. */
const char *kiosk_member_kind_to_string (KioskMemberKind kind);
gboolean kiosk_member_kind_from_string (const char *text, KioskMemberKind *out);
/* "active"/"suspended"/"removed" and back. */
const char *kiosk_member_status_to_string (KioskMemberStatus status);
gboolean kiosk_member_status_from_string (const char *text, KioskMemberStatus *out);

/* Pure helpers, tested from tables. */

/* A name as the screen shows it: 张三明 → 张*明, 张三 → 张*, 李 → 李,
 * 欧阳娜娜 → 欧**娜, "Wang Fang" → "W*** F***". Words of ASCII letters keep
 * their first letter; other words keep the first and (from three characters)
 * the last. NULL or blank → "". Transfer full. */
char *kiosk_mask_name (const char *name);
/* The form of a card identifier that is hashed: surrounding blanks dropped,
 * ASCII letters upper-cased, so "04a1b2c3d4 " and "04A1B2C3D4" are one card,
 * and a badge UID in decimal or hex put in kiosk_card_classify()'s normal
 * form, so "0012345678", "00bc614e" and a reader's "00BC614E" are one card.
 * NULL when it is empty, longer than 64, or has anything but letters, digits
 * and '-'. Transfer full. */
char *kiosk_card_canonical (const char *card);
/* TRUE for 64 lower-case hex digits. */
gboolean kiosk_card_hash_is_valid (const char *text);
/* TRUE for a real date written "YYYY-MM-DD". */
gboolean kiosk_date_is_valid (const char *text);

/* The deployment's card key: a file holding 64 hex digits (32 bytes), e.g.
 * made with `openssl rand -hex 32 > card.key`. Fails with KIOSK_ERROR_NOT_FOUND
 * when missing and KIOSK_ERROR_INVALID when malformed; the message never
 * contains the key. */
gboolean kiosk_card_key_load (const char *path, guint8 key[KIOSK_CARD_KEY_BYTES], GError **error);
/* Writes a fresh random key to @path (mode 0600) unless one exists; for a
 * kiosk without a hub. Then loads it. */
gboolean kiosk_card_key_load_or_create (const char *path, guint8 key[KIOSK_CARD_KEY_BYTES], GError **error);

#define KIOSK_TYPE_CREDENTIALS (kiosk_credentials_get_type ())
G_DECLARE_FINAL_TYPE (KioskCredentials, kiosk_credentials, KIOSK, CREDENTIALS, GObject)

/* The credentials table of @store, hashing with @key (copied). */
KioskCredentials *kiosk_credentials_new (KioskStore *store, const guint8 key[KIOSK_CARD_KEY_BYTES]);

KioskStore *kiosk_credentials_get_store (KioskCredentials *self);
/* Members in the table (GObject property "count", notified after changes). */
gint64 kiosk_credentials_get_count (KioskCredentials *self);

/* Hashes a card identifier into @out_hash (hex, NUL-terminated). FALSE when
 * kiosk_card_canonical() refuses it. */
gboolean kiosk_credentials_hash_card (KioskCredentials *self, const char *card,
                                      char out_hash[KIOSK_CARD_HASH_LEN + 1]);

/* The member with @card_hash; NULL when unknown (no error) or on a storage
 * error (@error set). Transfer full. */
KioskMember *kiosk_credentials_lookup (KioskCredentials *self, const char *card_hash, GError **error);

/* Applies @members (KioskMember*, hashes already made, e.g. by the hub) in one
 * transaction: all or nothing. With @replace_all the table becomes exactly
 * @members (a full list); otherwise each record is inserted or updated, and a
 * record with status KIOSK_MEMBER_REMOVED deletes its member (a delta). A
 * record that is not valid (bad hash, kind, dates, empty name or group)
 * fails the whole call with KIOSK_ERROR_INVALID naming its index. */
gboolean kiosk_credentials_apply (KioskCredentials *self, GPtrArray *members, gboolean replace_all,
                                  GError **error);

/* Import from a file, for a kiosk without a hub (kiosk-credentials-import.c).
 *
 * CSV: UTF-8, a header line naming the columns, in any order:
 *   card or card_hash (one of them), kind, name, valid_from, valid_until,
 *   status, group
 * Fields may be "quoted" ("" inside is a quote); blank lines and lines
 * starting with '#' are skipped. valid_from/valid_until may be empty; status
 * empty means active.
 * JSON: an array of objects with the same member names, or {"members": [...]}.
 *
 * The file is the whole list (replace_all semantics of _apply). Every line is
 * checked before anything is written: when any is bad, nothing is applied,
 * @problems (if not NULL) receives one "line N: why" string per bad line
 * (N from 1, counting every line of the file; for JSON the line where the
 * object starts), and the call fails with KIOSK_ERROR_INVALID. A card given in
 * the clear is hashed at once and never appears in a problem.
 *
 * @groups: the group ids a member may name (the bundle's fitness groups), or
 * NULL to accept any. */
typedef enum
{
  KIOSK_IMPORT_AUTO, /* by extension: .json is JSON, anything else CSV */
  KIOSK_IMPORT_CSV,
  KIOSK_IMPORT_JSON,
} KioskImportFormat;

/* Parses @data (@length bytes, or -1 for NUL-terminated) into members
 * without writing anything; NULL when any line is bad. Transfer full. */
GPtrArray *kiosk_credentials_parse (KioskCredentials *self, const char *data, gssize length,
                                    KioskImportFormat format, const char *const *groups, GPtrArray *problems,
                                    GError **error);
/* Parses @path and applies it as the whole list; @n_imported (may be NULL)
 * receives the member count. */
gboolean kiosk_credentials_import_file (KioskCredentials *self, const char *path, KioskImportFormat format,
                                        const char *const *groups, GPtrArray *problems, guint *n_imported,
                                        GError **error);
/* As _import_file, but does nothing (sets *@imported FALSE) when the file's
 * SHA-256 equals that of the last file imported this way; for the [fitness]
 * member_file a kiosk re-reads at start. */
gboolean kiosk_credentials_import_if_changed (KioskCredentials *self, const char *path,
                                              const char *const *groups, GPtrArray *problems,
                                              gboolean *imported, GError **error);

G_END_DECLS
