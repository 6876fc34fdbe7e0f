/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-console"

#include <json-glib/json-glib.h>
#include <string.h>

#include "hub-console-auth.h"
#include "hub-console-private.h"
#include "hub-db-query.h"
#include "hub-proto.h"

/* The console's operations on one database connection, on a worker thread:
 * who is asking (hub_console_authorize), then what they asked. */

/* Verifying against this when the account does not exist makes "no such
 * account" take as long as "wrong password". */
static const char *
dummy_hash (void)
{
  static gsize once;
  static char *hash;

  if (g_once_init_enter (&once))
    {
      hash = hub_console_password_hash ("not-a-password-anyone-has", NULL);
      g_once_init_leave (&once, 1);
    }
  return hash;
}

static void
set_reply (ConsoleRequest *req, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);

  req->status = status;
  req->reply = json_to_string (root, FALSE);
}

void
console_set_error (ConsoleRequest *req, const GError *error)
{
  req->status = hub_error_http_status (error);
  req->reply = hub_error_to_json (error);
  if (req->status == 503)
    req->retry_after_s = HUB_RETRY_AFTER_SECONDS;
}

static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_account (JsonBuilder *b, const HubStaffAccount *a)
{
  add_string (b, "name", a->name);
  add_string (b, "display_name", a->display_name);
  add_string (b, "role", hub_role_to_string (a->role));
  add_string (b, "hall", a->hall);
  json_builder_set_member_name (b, "must_change_password");
  json_builder_add_boolean_value (b, a->must_change_password);
}

/* {"role": …, "hall": …} for an audit record. */
static char *
details_json (const char *role, const char *hall)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  if (role != NULL)
    add_string (b, "role", role);
  add_string (b, "hall", hall);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* @one_time_ok: the call is allowed to an account still on a one-time
 * password (signing out, changing it). */
HubStaffAccount *
console_authorize (HubConsole *self, PGconn *conn, const char *cookie, const char *csrf, gboolean changing,
                   gboolean one_time_ok, HubRole needed, GError **error)
{
  const HubConsoleTimes *times = console_get_times (self);
  g_autofree char *token = hub_console_cookie_token (cookie);
  g_autofree char *hash = NULL, *session_csrf = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (HubStaffAccount) account = NULL;

  if (token == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_UNAUTHENTICATED, "请先登录 / Please sign in");
      return NULL;
    }
  hash = hub_console_token_hash (token);
  account = hub_db_session_find (conn, hash, times->idle_s, times->absolute_s, &session_csrf, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (account == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_UNAUTHENTICATED,
                           "登录已过期，请重新登录 / The session has expired; please sign in again");
      return NULL;
    }
  /* SameSite=Strict keeps other sites' requests from carrying the cookie;
   * the token is the second lock: a page must have read it from the session. */
  if (changing && !hub_console_tokens_equal (session_csrf, csrf))
    {
      g_set_error_literal (
          error, HUB_ERROR, HUB_ERROR_FORBIDDEN,
          "请求缺少有效的安全令牌，请刷新页面 / The request lacks a valid CSRF token; reload the page");
      return NULL;
    }
  if (account->role < needed)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_FORBIDDEN,
                   "您的角色不能执行此操作 / The role %s may not do this",
                   hub_role_to_string (account->role));
      return NULL;
    }
  /* A password the hub made is for one sign-in: change it before anything else. */
  if (account->must_change_password && !one_time_ok)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_FORBIDDEN,
                           "请先修改初始密码 / Change the one-time password first");
      return NULL;
    }
  return g_steal_pointer (&account);
}

HubStaffAccount *
hub_console_authorize (HubConsole *self, PGconn *conn, const char *cookie, const char *csrf,
                       gboolean changing, HubRole needed, GError **error)
{
  return console_authorize (self, conn, cookie, csrf, changing, FALSE, needed, error);
}

/* Starts a session for @account: the cookie to set and the reply. */
static gboolean
start_session (HubConsole *self, PGconn *conn, ConsoleRequest *req, const HubStaffAccount *account,
               GError **error)
{
  g_autofree char *token = hub_console_new_token (), *csrf = hub_console_new_token ();
  g_autofree char *hash = hub_console_token_hash (token);
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();

  if (!hub_db_session_create (conn, hash, account->id, csrf, req->address, error))
    return FALSE;
  req->set_cookie = hub_console_cookie_set (token, console_get_times (self)->absolute_s);
  json_builder_begin_object (b);
  add_account (b, account);
  add_string (b, "csrf", csrf);
  json_builder_end_object (b);
  set_reply (req, 200, b);
  return TRUE;
}

static gboolean
login (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  const HubConsoleTimes *times = console_get_times (self);
  guint by_name = 0, by_address = 0;
  gint64 last_name = 0, last_address = 0, until_us = 0;
  g_autoptr (HubStaffAccount) account = NULL;
  gboolean ok;

  if (req->name == NULL || req->password == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_MISSING_FIELD,
                           "请输入用户名和密码 / Name and password, please");
      return FALSE;
    }
  if (!hub_db_login_failures (conn, req->name, req->address, times->lock_s, &by_name, &last_name, &by_address,
                              &last_address, error))
    return FALSE;
  if (by_name >= HUB_CONSOLE_FAILURES_PER_ACCOUNT)
    until_us = last_name + (gint64)times->lock_s * G_USEC_PER_SEC;
  if (by_address >= HUB_CONSOLE_FAILURES_PER_ADDRESS)
    until_us = MAX (until_us, last_address + (gint64)times->lock_s * G_USEC_PER_SEC);
  if (until_us > 0)
    {
      g_autoptr (GDateTime) until = g_date_time_new_from_unix_local (until_us / G_USEC_PER_SEC + 1);
      g_autofree char *hhmm = g_date_time_format (until, "%H:%M");
      gint64 left = until_us - g_get_real_time ();

      req->retry_after_s = (guint)MAX (1, left / G_USEC_PER_SEC + 1);
      g_set_error (error, HUB_ERROR, HUB_ERROR_LOCKED,
                   "登录失败次数过多，已锁定到 %s / Too many failed sign-ins: locked until %s", hhmm, hhmm);
      return FALSE;
    }

  account = hub_db_staff_find (conn, req->name, error);
  if (account == NULL && error != NULL && *error != NULL)
    return FALSE;
  ok = hub_console_password_verify (account ? account->password_hash : dummy_hash (), req->password);
  if (!ok || account == NULL || account->disabled)
    {
      if (!hub_db_login_failure_add (conn, req->name, req->address, error))
        return FALSE;
      req->keep = TRUE;
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_UNAUTHENTICATED,
                           "用户名或密码错误 / Wrong name or password");
      return FALSE;
    }
  if (!hub_db_login_failures_clear (conn, account->name, error)
      || !start_session (self, conn, req, account, error))
    return FALSE;
  return hub_db_audit_add (conn, account->id, account->name, req->address, "sign-in", account->name,
                           account->hall, NULL, error);
}

static gboolean
session (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  g_autofree char *token = hub_console_cookie_token (req->cookie);
  g_autofree char *hash = token ? hub_console_token_hash (token) : NULL, *csrf = NULL;
  g_autoptr (HubStaffAccount) account = NULL;
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  const HubConsoleTimes *times = console_get_times (self);

  if (hash != NULL)
    account = hub_db_session_find (conn, hash, times->idle_s, times->absolute_s, &csrf, error);
  if (account == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error_literal (error, HUB_ERROR, HUB_ERROR_UNAUTHENTICATED, "请先登录 / Please sign in");
      return FALSE;
    }
  json_builder_begin_object (b);
  add_account (b, account);
  add_string (b, "csrf", csrf);
  json_builder_end_object (b);
  set_reply (req, 200, b);
  return TRUE;
}

static gboolean
logout (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  g_autoptr (HubStaffAccount) account
      = console_authorize (self, conn, req->cookie, req->csrf, TRUE, TRUE, HUB_ROLE_COUNTER, error);
  g_autofree char *token = hub_console_cookie_token (req->cookie);
  g_autofree char *hash = token ? hub_console_token_hash (token) : NULL;
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();

  if (account == NULL)
    return FALSE;
  if (!hub_db_session_delete (conn, hash, error)
      || !hub_db_audit_add (conn, account->id, account->name, req->address, "sign-out", account->name,
                            account->hall, NULL, error))
    return FALSE;
  req->set_cookie = hub_console_cookie_set (NULL, 0);
  json_builder_begin_object (b);
  json_builder_end_object (b);
  set_reply (req, 200, b);
  return TRUE;
}

static gboolean
change_password (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  g_autoptr (HubStaffAccount) account
      = console_authorize (self, conn, req->cookie, req->csrf, TRUE, TRUE, HUB_ROLE_COUNTER, error);
  g_autofree char *hash = NULL;

  if (account == NULL)
    return FALSE;
  if (req->password == NULL || !hub_console_password_verify (account->password_hash, req->password))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                           "当前密码不正确 / The current password is wrong");
      return FALSE;
    }
  if ((hash = hub_console_password_hash (req->new_password, error)) == NULL)
    return FALSE;
  /* Every session of the account ends, this one too: a new one starts here. */
  if (!hub_db_staff_set_password (conn, account->name, hash, FALSE, error))
    return FALSE;
  account->must_change_password = FALSE;
  return start_session (self, conn, req, account, error)
         && hub_db_audit_add (conn, account->id, account->name, req->address, "password-change",
                              account->name, account->hall, NULL, error);
}

/* A district account reaches every centre; a centre's, its own. */
static gboolean
in_scope (const HubStaffAccount *actor, const char *hall)
{
  return actor->hall == NULL || g_strcmp0 (actor->hall, hall) == 0;
}

static gboolean
accounts (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  g_autoptr (HubStaffAccount) actor
      = hub_console_authorize (self, conn, req->cookie, req->csrf, FALSE, HUB_ROLE_ADMIN, error);
  g_autofree char *list = actor ? hub_db_staff_list_json (conn, actor->hall, error) : NULL;

  if (list == NULL)
    return FALSE;
  req->status = 200;
  req->reply = g_strdup_printf ("{\"accounts\":%s}", list);
  return TRUE;
}

static void
reply_password (ConsoleRequest *req, const char *name, const char *password)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();

  json_builder_begin_object (b);
  add_string (b, "name", name);
  add_string (b, "password", password);
  json_builder_end_object (b);
  set_reply (req, 200, b);
}

/* Adds an account and its audit record; the one-time password. */
static char *
add_account_audited (PGconn *conn, gint64 actor_id, const char *actor, const char *address, const char *name,
                     const char *display_name, HubRole role, const char *hall, GError **error)
{
  g_autofree char *password = hub_console_new_password ();
  g_autofree char *details = details_json (hub_role_to_string (role), hall);
  HubStaffAccount account = { 0 };

  account.name = (char *)name;
  account.display_name = (char *)(display_name ? display_name : name);
  account.role = role;
  account.hall = (char *)hall;
  account.must_change_password = TRUE;
  account.password_hash = hub_console_password_hash (password, error);
  if (account.password_hash == NULL)
    return NULL;
  /* The caller's transaction holds the account and its record together. */
  if (hub_db_staff_add (conn, &account, error) == 0
      || !hub_db_audit_add (conn, actor_id, actor, address, "account-add", name, hall, details, error))
    g_clear_pointer (&password, g_free);
  g_free (account.password_hash);
  return g_steal_pointer (&password);
}

static gboolean
account_add (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  g_autoptr (HubStaffAccount) actor
      = hub_console_authorize (self, conn, req->cookie, req->csrf, TRUE, HUB_ROLE_ADMIN, error);
  const char *hall;
  HubRole role;
  g_autofree char *password = NULL;

  if (actor == NULL)
    return FALSE;
  if (req->name == NULL || !hub_role_from_string (req->role, &role))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                           "需要用户名和角色（counter、editor、publisher、admin） / "
                           "A name and a role (counter, editor, publisher, admin) are needed");
      return FALSE;
    }
  /* A centre's admin adds to the centre; only the district chooses. */
  hall = req->has_hall ? req->hall : actor->hall;
  if (!in_scope (actor, hall))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_FORBIDDEN,
                           "只能管理本中心的账号 / Only your own centre's accounts");
      return FALSE;
    }
  password = add_account_audited (conn, actor->id, actor->name, req->address, req->name, req->display_name,
                                  role, hall, error);
  if (password == NULL)
    return FALSE;
  reply_password (req, req->name, password);
  return TRUE;
}

static gboolean
account_change (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  g_autoptr (HubStaffAccount) actor
      = hub_console_authorize (self, conn, req->cookie, req->csrf, TRUE, HUB_ROLE_ADMIN, error);
  g_autoptr (HubStaffAccount) target = NULL;
  g_autofree char *password = NULL, *hash = NULL;
  const char *action;

  if (actor == NULL)
    return FALSE;
  target = hub_db_staff_find (conn, req->target, error);
  if (target == NULL && *error != NULL)
    return FALSE;
  /* Another centre's account is as good as absent: nothing says it exists. */
  if (target == NULL || !in_scope (actor, target->hall))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此账号 / No such account");
      return FALSE;
    }
  if (req->op == CONSOLE_ACCOUNT_DISABLE && target->role == HUB_ROLE_ADMIN
      && hub_db_staff_count_admins (conn, target->name, error) == 0)
    {
      if (*error == NULL)
        g_set_error_literal (error, HUB_ERROR, HUB_ERROR_CONFLICT,
                             "不能停用最后一个管理员 / The last admin cannot be disabled");
      return FALSE;
    }
  switch (req->op)
    {
      case CONSOLE_ACCOUNT_DISABLE:
      case CONSOLE_ACCOUNT_ENABLE:
        action = req->op == CONSOLE_ACCOUNT_DISABLE ? "account-disable" : "account-enable";
        if (!hub_db_staff_set_disabled (conn, target->name, req->op == CONSOLE_ACCOUNT_DISABLE, error))
          return FALSE;
        break;
      case CONSOLE_ACCOUNT_RESET:
      default:
        action = "account-reset";
        password = hub_console_new_password ();
        if ((hash = hub_console_password_hash (password, error)) == NULL
            || !hub_db_staff_set_password (conn, target->name, hash, TRUE, error))
          return FALSE;
        break;
    }
  if (!hub_db_audit_add (conn, actor->id, actor->name, req->address, action, target->name, target->hall, NULL,
                         error))
    return FALSE;
  if (password != NULL)
    reply_password (req, target->name, password);
  else
    {
      req->status = 200;
      req->reply = g_strdup ("{}");
    }
  return TRUE;
}

static gboolean
audit (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  g_autoptr (HubStaffAccount) actor
      = hub_console_authorize (self, conn, req->cookie, req->csrf, FALSE, HUB_ROLE_ADMIN, error);
  g_autofree char *list = NULL;

  if (actor == NULL)
    return FALSE;
  list = hub_db_audit_list_json (conn, actor->hall, req->filter_action, req->filter_actor, 200, error);
  if (list == NULL)
    return FALSE;
  req->status = 200;
  req->reply = g_strdup_printf ("{\"audit\":%s}", list);
  return TRUE;
}

void
console_run (HubConsole *self, PGconn *conn, ConsoleRequest *req)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = FALSE;

  /* Publishing stores the release in a transaction of its own. */
  if (req->op == CONSOLE_ANNOUNCEMENTS_PUBLISH || req->op == CONSOLE_RELEASE_ROLLBACK)
    {
      if (!(req->op == CONSOLE_ANNOUNCEMENTS_PUBLISH ? console_announcements_publish (self, conn, req, &error)
                                                     : console_release_rollback (self, conn, req, &error)))
        {
          g_clear_pointer (&req->reply, g_free);
          console_set_error (req, error);
          if (req->status >= 500)
            g_message ("console: %s", error->message);
        }
      return;
    }
  /* One transaction a call: a change and its audit record land together or not at all. */
  if (!hub_db_begin (conn, &error))
    {
      console_set_error (req, error);
      return;
    }
  switch (req->op)
    {
      case CONSOLE_LOGIN:
        ok = login (self, conn, req, &error);
        break;
      case CONSOLE_SESSION:
        ok = session (self, conn, req, &error);
        break;
      case CONSOLE_LOGOUT:
        ok = logout (self, conn, req, &error);
        break;
      case CONSOLE_PASSWORD:
        ok = change_password (self, conn, req, &error);
        break;
      case CONSOLE_ACCOUNTS:
        ok = accounts (self, conn, req, &error);
        break;
      case CONSOLE_ACCOUNT_ADD:
        ok = account_add (self, conn, req, &error);
        break;
      case CONSOLE_ACCOUNT_DISABLE:
      case CONSOLE_ACCOUNT_ENABLE:
      case CONSOLE_ACCOUNT_RESET:
        ok = account_change (self, conn, req, &error);
        break;
      case CONSOLE_AUDIT:
        ok = audit (self, conn, req, &error);
        break;
      case CONSOLE_ANNOUNCEMENTS:
        ok = console_announcements (self, conn, req, &error);
        break;
      case CONSOLE_ANNOUNCEMENTS_SAVE:
        ok = console_announcements_save (self, conn, req, &error);
        break;
      case CONSOLE_RELEASES:
        ok = console_releases (self, conn, req, &error);
        break;
      case CONSOLE_HOURS:
        ok = console_hours (self, conn, req, &error);
        break;
      case CONSOLE_HOURS_SAVE:
        ok = console_hours_save (self, conn, req, &error);
        break;
      default:
        g_assert_not_reached ();
    }
  if (ok || req->keep)
    {
      g_autoptr (GError) commit_error = NULL;

      if (hub_db_commit (conn, &commit_error))
        {
          if (ok)
            return;
        }
      else if (error == NULL)
        error = g_steal_pointer (&commit_error);
    }
  else
    hub_db_rollback (conn);
  g_clear_pointer (&req->set_cookie, g_free);
  g_clear_pointer (&req->reply, g_free);
  if (error == NULL)
    g_set_error_literal (&error, HUB_ERROR, HUB_ERROR_UNAVAILABLE, "服务器错误 / The hub failed");
  console_set_error (req, error);
  if (req->status >= 500)
    g_message ("console: %s", error->message);
}

/* The shell's commands */

char *
hub_console_staff_add (PGconn *conn, const char *name, const char *display_name, HubRole role,
                       const char *hall, GError **error)
{
  g_autofree char *password = NULL;

  if (!hub_db_begin (conn, error))
    return NULL;
  password = add_account_audited (conn, 0, "shell", NULL, name, display_name, role, hall, error);
  if (password == NULL || !hub_db_commit (conn, error))
    {
      hub_db_rollback (conn);
      return NULL;
    }
  return g_steal_pointer (&password);
}

char *
hub_console_staff_reset (PGconn *conn, const char *name, GError **error)
{
  g_autofree char *password = hub_console_new_password ();
  g_autofree char *hash = hub_console_password_hash (password, error);

  if (hash == NULL || !hub_db_begin (conn, error))
    return NULL;
  if (!hub_db_staff_set_password (conn, name, hash, TRUE, error))
    {
      if (*error == NULL)
        g_set_error (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此账号 / No such account: %s", name);
      hub_db_rollback (conn);
      return NULL;
    }
  if (!hub_db_audit_add (conn, 0, "shell", NULL, "account-reset", name, NULL, NULL, error)
      || !hub_db_commit (conn, error))
    {
      hub_db_rollback (conn);
      return NULL;
    }
  return g_steal_pointer (&password);
}

gboolean
hub_console_staff_disable (PGconn *conn, const char *name, gboolean disabled, GError **error)
{
  if (!hub_db_begin (conn, error))
    return FALSE;
  if (!hub_db_staff_set_disabled (conn, name, disabled, error))
    {
      if (*error == NULL)
        g_set_error (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此账号 / No such account: %s", name);
      hub_db_rollback (conn);
      return FALSE;
    }
  if (!hub_db_audit_add (conn, 0, "shell", NULL, disabled ? "account-disable" : "account-enable", name, NULL,
                         NULL, error)
      || !hub_db_commit (conn, error))
    {
      hub_db_rollback (conn);
      return FALSE;
    }
  return TRUE;
}
