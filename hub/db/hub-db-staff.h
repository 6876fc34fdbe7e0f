/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* Staff accounts, their sessions, failed sign-ins and the audit log
 * (sql/008-staff.sql). Tokens arrive here already hashed (hex of SHA-256);
 * passwords already as Argon2id strings. Nothing here decides who may do
 * what: hub/console/ does, with these. */

/* In order of what they may do: each role may do all the ones below it. */
typedef enum
{
  HUB_ROLE_COUNTER,   /* calls tickets at a desk */
  HUB_ROLE_EDITOR,    /* edits drafts */
  HUB_ROLE_PUBLISHER, /* publishes drafts to kiosks */
  HUB_ROLE_ADMIN,     /* accounts, kiosks, everything */
} HubRole;

const char *hub_role_to_string (HubRole role);
gboolean hub_role_from_string (const char *text, HubRole *role);

typedef struct
{
  gint64 id;
  char *name;
  char *display_name;
  HubRole role;
  char *hall; /* the centre the account belongs to; NULL: the district */
  char *password_hash;
  gboolean disabled;
  gboolean must_change_password;
} HubStaffAccount;

void hub_staff_account_free (HubStaffAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubStaffAccount, hub_staff_account_free)

/* Adds @account (its id is ignored); the new id, 0 with @error (a name taken:
 * HUB_ERROR_CONFLICT; a name, display name or hall the schema refuses:
 * HUB_ERROR_BAD_FIELD). */
gint64 hub_db_staff_add (PGconn *conn, const HubStaffAccount *account, GError **error);
/* NULL without @error when there is no such account. */
HubStaffAccount *hub_db_staff_find (PGconn *conn, const char *name, GError **error);
/* [{"name","display_name","role","hall","disabled","created_at"},…] of
 * @hall's accounts, or every account when @hall is NULL. */
char *hub_db_staff_list_json (PGconn *conn, const char *hall, GError **error);
/* FALSE without @error when there is no such account. */
gboolean hub_db_staff_set_disabled (PGconn *conn, const char *name, gboolean disabled, GError **error);
/* Sets the password and signs the account out everywhere. */
gboolean hub_db_staff_set_password (PGconn *conn, const char *name, const char *password_hash,
                                    gboolean must_change, GError **error);
/* The number of admins left who can sign in, other than @except (NULL). */
gint64 hub_db_staff_count_admins (PGconn *conn, const char *except, GError **error);

/* Sessions, by the hex SHA-256 of their token. */
gboolean hub_db_session_create (PGconn *conn, const char *token_hash, gint64 account_id, const char *csrf,
                                const char *address, GError **error);
/* The account of a live session (idle for less than @idle_s, younger than
 * @absolute_s, its account enabled), marking it used; NULL without @error
 * when there is none. */
HubStaffAccount *hub_db_session_find (PGconn *conn, const char *token_hash, guint idle_s, guint absolute_s,
                                      char **csrf, GError **error);
gboolean hub_db_session_delete (PGconn *conn, const char *token_hash, GError **error);

/* Failed sign-ins within the last @window_s seconds for @name and from
 * @address, and when the latest of each was (µs since the epoch, 0: none). */
gboolean hub_db_login_failures (PGconn *conn, const char *name, const char *address, guint window_s,
                                guint *by_name, gint64 *last_by_name_us, guint *by_address,
                                gint64 *last_by_address_us, GError **error);
gboolean hub_db_login_failure_add (PGconn *conn, const char *name, const char *address, GError **error);
gboolean hub_db_login_failures_clear (PGconn *conn, const char *name, GError **error);

/* One audit record; @account_id 0 for the shell (the staff commands),
 * @details a JSON object or NULL. */
gboolean hub_db_audit_add (PGconn *conn, gint64 account_id, const char *actor, const char *address,
                           const char *action, const char *target, const char *hall, const char *details,
                           GError **error);
/* The newest @limit records, filtered by @hall (NULL: all), @action and
 * @actor (NULL: any): [{"at","actor","address","action","target","hall","details"},…]. */
char *hub_db_audit_list_json (PGconn *conn, const char *hall, const char *action, const char *actor,
                              guint limit, GError **error);

G_END_DECLS
