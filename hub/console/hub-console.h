/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "hub-db-staff.h"
#include "hub-db.h"

G_BEGIN_DECLS

/* The staff console's JSON API under /api/console/ (docs/console.md): sign
 * in and out, the account's own password, accounts (admins), the audit log
 * (admins). Sessions are a random token in a Secure, HttpOnly,
 * SameSite=Strict cookie, kept hashed; every change needs the session's CSRF
 * token in X-CSRF-Token; five failed sign-ins of an account (or twenty from
 * one address) in 15 minutes lock it for 15 minutes, and the answer says until
 * when. Every change writes an audit record. Roles and centres are checked
 * here, on the server, for every call. */

#define HUB_TYPE_CONSOLE (hub_console_get_type ())
G_DECLARE_FINAL_TYPE (HubConsole, hub_console, HUB, CONSOLE, GObject)

/* Session lifetimes (idle, absolute) and the lock-out's window, in seconds. */
typedef struct
{
  guint idle_s;
  guint absolute_s;
  guint lock_s;
} HubConsoleTimes;

#define HUB_CONSOLE_IDLE_S (30 * 60)
#define HUB_CONSOLE_ABSOLUTE_S (12 * 3600)
#define HUB_CONSOLE_LOCK_S (15 * 60)
#define HUB_CONSOLE_FAILURES_PER_ACCOUNT 5
#define HUB_CONSOLE_FAILURES_PER_ADDRESS 20

/* @times: NULL for the defaults above. */
HubConsole *hub_console_new (HubDb *db, const HubConsoleTimes *times);

/* The key releases published from the console are signed with
 * ([hub] content_key, readable only by the hub's user). */
gboolean hub_console_set_content_key (HubConsole *self, const char *path, GError **error);

/* Answers a request whose path starts with /api/console/ (in the thread-
 * default main context; the database work runs on a worker thread). */
void hub_console_handle (HubConsole *self, SoupServerMessage *msg, const char *path, GHashTable *query);

/* The account signed in with @msg's session cookie, if its role is at least
 * @needed; a change (@changing) also needs the session's CSRF token in
 * X-CSRF-Token. For other handlers (the counter page), on a worker thread:
 * @cookie and @csrf are the request's Cookie and X-CSRF-Token headers.
 * NULL with HUB_ERROR_UNAUTHENTICATED or HUB_ERROR_FORBIDDEN. */
HubStaffAccount *hub_console_authorize (HubConsole *self, PGconn *conn, const char *cookie, const char *csrf,
                                        gboolean changing, HubRole needed, GError **error);

/* What the shell's `linli-hub staff` commands do, with an audit record:
 * add prints (returns) a password for one sign-in, reset a new one. */
char *hub_console_staff_add (PGconn *conn, const char *name, const char *display_name, HubRole role,
                             const char *hall, GError **error);
char *hub_console_staff_reset (PGconn *conn, const char *name, GError **error);
gboolean hub_console_staff_disable (PGconn *conn, const char *name, gboolean disabled, GError **error);

G_END_DECLS
