/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "hub-console.h"

G_BEGIN_DECLS

/* What the console was asked, parsed on the main thread, worked on a worker
 * thread (hub-console-ops.c), answered on the main thread (hub-console.c). */
typedef enum
{
  CONSOLE_LOGIN,
  CONSOLE_SESSION,
  CONSOLE_LOGOUT,
  CONSOLE_PASSWORD,
  CONSOLE_ACCOUNTS,
  CONSOLE_ACCOUNT_ADD,
  CONSOLE_ACCOUNT_DISABLE,
  CONSOLE_ACCOUNT_ENABLE,
  CONSOLE_ACCOUNT_RESET,
  CONSOLE_AUDIT,
  CONSOLE_ANNOUNCEMENTS,         /* GET: what is live for a target, and its draft */
  CONSOLE_ANNOUNCEMENTS_SAVE,    /* PUT: save the draft (editor) */
  CONSOLE_ANNOUNCEMENTS_PUBLISH, /* POST …/publish: sign and publish the draft (publisher) */
  CONSOLE_HOURS,                 /* GET: the live hours, the draft's, and a 30-day calendar */
  CONSOLE_HOURS_SAVE,            /* PUT: save the hours into the draft (editor) */
  CONSOLE_RELEASES,              /* GET: the releases and what each kiosk runs */
  CONSOLE_RELEASE_ROLLBACK,      /* POST releases/N/rollback: publish N's content again (publisher) */
} ConsoleOp;

typedef struct
{
  ConsoleOp op;
  /* From the request; owned */
  char *cookie;  /* the Cookie header */
  char *csrf;    /* the X-CSRF-Token header */
  char *address; /* the client's */
  char *target;  /* the account named in the path */
  char *name, *password, *new_password, *display_name, *role, *hall;
  gboolean has_hall; /* "hall" was in the body (null: the district) */
  char *filter_action, *filter_actor;
  char *content_target; /* "all" or "hall:ID"; NULL: the account's own */
  int version;          /* of the draft the browser edited (0: none yet) */
  char *announcements;  /* a JSON array, as the manifest holds it */
  char *hours;          /* a JSON object, as the manifest holds it */
  gint64 release;       /* named in the path */
  /* The answer; owned */
  guint status;
  char *reply;
  char *set_cookie;
  guint retry_after_s;
  gboolean keep; /* commit even though the call failed (a failed sign-in is counted) */
} ConsoleRequest;

void console_request_free (ConsoleRequest *req);

/* Works @req on @conn: sets status, reply and maybe set_cookie. */
void console_run (HubConsole *self, PGconn *conn, ConsoleRequest *req);

/* hub-console-ops.c, for the other parts of the console */
HubStaffAccount *console_authorize (HubConsole *self, PGconn *conn, const char *cookie, const char *csrf,
                                    gboolean changing, gboolean one_time_ok, HubRole needed, GError **error);
void console_set_error (ConsoleRequest *req, const GError *error);

/* hub-console-content.c: the announcements' draft and publishing. The
 * publishing call runs its own transactions (a release is stored in one). */
gboolean console_announcements (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error);
gboolean console_announcements_save (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error);
gboolean console_announcements_publish (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error);
gboolean console_hours (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error);
gboolean console_hours_save (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error);
gboolean console_releases (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error);
gboolean console_release_rollback (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error);

/* The content key releases are signed with; NULL when hub.conf names none. */
const guint8 *console_get_content_key (HubConsole *self);

const HubConsoleTimes *console_get_times (HubConsole *self);

G_END_DECLS
