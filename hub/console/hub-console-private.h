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
  /* The answer; owned */
  guint status;
  char *reply;
  char *set_cookie;
  guint retry_after_s;
  gboolean keep; /* commit even though the call failed (a failed sign-in is counted) */
} ConsoleRequest;

void console_request_free (ConsoleRequest *req);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConsoleRequest, console_request_free)

/* The JSON body of a console request into @req's fields (name, password, …);
 * an empty body is fine. Safe on any bytes (fuzz/fuzz-hub-console.c). */
gboolean console_parse_body (const char *data, gsize size, ConsoleRequest *req, GError **error);

/* Works @req on @conn: sets status, reply and maybe set_cookie. */
void console_run (HubConsole *self, PGconn *conn, ConsoleRequest *req);

const HubConsoleTimes *console_get_times (HubConsole *self);

G_END_DECLS
