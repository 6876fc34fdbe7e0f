/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-console"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "hub-harness.h"
#include "kiosk-release.h"

/* The staff console's accounts, sessions, roles and audit against the real
 * hub and PostgreSQL, as a browser would talk to it: the session cookie
 * carried by hand (so the test sees its attributes), the CSRF token in a
 * header. Each attack the console must hold against is performed here. */

static HubHarness *harness;
static SoupSession *session;

/* A browser's side of one signed-in person. */
typedef struct
{
  char *cookie; /* "linli_session=…" */
  char *csrf;
} Browser;

static void
browser_clear (Browser *b)
{
  g_clear_pointer (&b->cookie, g_free);
  g_clear_pointer (&b->csrf, g_free);
}

typedef struct
{
  guint status;
  JsonObject *body;
  char *set_cookie;
  char *retry_after;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->body, json_object_unref);
  g_clear_pointer (&a->set_cookie, g_free);
  g_clear_pointer (&a->retry_after, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Browser, browser_clear)

/* One request; @csrf NULL sends none. A Set-Cookie updates @b's cookie. */
static void
request (Browser *b, const char *method, const char *path, const char *body, const char *csrf, Answer *out)
{
  g_autofree char *url = g_strconcat (harness->web_url, path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr (GBytes) reply = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *set_cookie;

  if (b != NULL && b->cookie != NULL)
    soup_message_headers_append (headers, "Cookie", b->cookie);
  if (csrf != NULL)
    soup_message_headers_append (headers, "X-CSRF-Token", csrf);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  out->status = soup_message_get_status (msg);
  text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  out->body = json_object_ref (json_node_get_object (root));
  set_cookie = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Set-Cookie");
  out->set_cookie = g_strdup (set_cookie);
  out->retry_after
      = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
  if (b != NULL && set_cookie != NULL)
    {
      const char *end = strchr (set_cookie, ';');
      g_free (b->cookie);
      b->cookie = g_strndup (set_cookie, end ? (gsize)(end - set_cookie) : strlen (set_cookie));
    }
  if (b != NULL && out->status == 200 && json_object_has_member (out->body, "csrf"))
    {
      g_free (b->csrf);
      b->csrf = g_strdup (json_object_get_string_member (out->body, "csrf"));
    }
}

static guint
status_of (Browser *b, const char *method, const char *path, const char *body, const char *csrf)
{
  g_auto (Answer) a = { 0 };

  request (b, method, path, body, csrf, &a);
  return a.status;
}

static const char *
reason (Answer *a)
{
  return json_object_has_member (a->body, "reason") ? json_object_get_string_member (a->body, "reason") : "";
}

/* linli-hub staff VERB NAME [args…]; the one-time password it printed. */
static char *
staff (const char *verb, const char *name, const char *role, const char *hall)
{
  const char *argv[12] = { harness->hub_bin, "staff", verb, name, "--db", harness->conninfo, NULL };
  int n = 6;
  g_autofree char *out = NULL;
  const char *p;

  if (role != NULL)
    argv[n++] = "--role", argv[n++] = role;
  if (hall != NULL)
    argv[n++] = "--hall", argv[n++] = hall;
  out = hub_harness_run (argv, FALSE);
  p = strstr (out, "one-time password ");
  return p ? g_strstrip (g_strdup (p + strlen ("one-time password "))) : NULL;
}

static void
sign_in (Browser *b, const char *name, const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"password\":\"%s\"}", name, password);
  g_auto (Answer) a = { 0 };

  request (b, "POST", "/api/console/session", body, NULL, &a);
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_nonnull (b->cookie);
}

/* Signs in with a one-time password and sets @password. */
static void
first_sign_in (Browser *b, const char *name, const char *one_time, const char *password)
{
  g_autofree char *body
      = g_strdup_printf ("{\"password\":\"%s\",\"new_password\":\"%s\"}", one_time, password);

  sign_in (b, name, one_time);
  g_assert_cmpuint (status_of (b, "POST", "/api/console/password", body, b->csrf), ==, 200);
}

/* An account the hub made, signed in with its own password. */
static void
new_account (Browser *admin, Browser *b, const char *name, const char *role, const char *hall)
{
  g_autofree char *body
      = hall
            ? g_strdup_printf ("{\"name\":\"%s\",\"display_name\":\"%s\",\"role\":\"%s\",\"hall\":\"%s\"}",
                               name, name, role, hall)
            : g_strdup_printf ("{\"name\":\"%s\",\"display_name\":\"%s\",\"role\":\"%s\"}", name, name, role);
  g_auto (Answer) a = { 0 };

  request (admin, "POST", "/api/console/accounts", body, admin->csrf, &a);
  g_assert_cmpuint (a.status, ==, 200);
  first_sign_in (b, name, json_object_get_string_member (a.body, "password"), "own password 1234");
}

static Browser district; /* the district's admin, made from the shell */

/* The first admin comes from the shell with a one-time password: it signs
 * in, must change it before anything else, and the cookie is Secure,
 * HttpOnly and SameSite=Strict. */
static void
test_first_admin (void)
{
  g_autofree char *one_time = staff ("add", "chief", "admin", NULL);
  g_autofree char *body = NULL;
  g_auto (Answer) a = { 0 };
  g_auto (Browser) old = { 0 };

  g_assert_nonnull (one_time);
  g_assert_cmpuint (strlen (one_time), ==, 19);
  request (&district, "POST", "/api/console/session", "{\"name\":\"chief\",\"password\":\"wrong password\"}",
           NULL, &a);
  g_assert_cmpuint (a.status, ==, 401);
  g_assert_nonnull (strstr (reason (&a), "用户名或密码错误"));
  answer_clear (&a);

  body = g_strdup_printf ("{\"name\":\"chief\",\"password\":\"%s\"}", one_time);
  request (&district, "POST", "/api/console/session", body, NULL, &a);
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_true (json_object_get_boolean_member (a.body, "must_change_password"));
  g_assert_nonnull (strstr (a.set_cookie, "; Secure"));
  g_assert_nonnull (strstr (a.set_cookie, "; HttpOnly"));
  g_assert_nonnull (strstr (a.set_cookie, "; SameSite=Strict"));
  g_assert_nonnull (strstr (a.set_cookie, "Path=/"));
  /* The session token is kept only as its hash. */
  g_assert_cmpint (hub_harness_query_int (harness,
                                          "SELECT count(*) FROM staff_sessions WHERE "
                                          "encode (token_hash, 'escape') LIKE '%' || 'linli' || '%'"),
                   ==, 0);

  /* Nothing but changing the one-time password. */
  g_assert_cmpuint (status_of (&district, "GET", "/api/console/accounts", NULL, NULL), ==, 403);
  old.cookie = g_strdup (district.cookie);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"password\":\"%s\",\"new_password\":\"short\"}", one_time);
  g_assert_cmpuint (status_of (&district, "POST", "/api/console/password", body, district.csrf), ==, 400);
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"password\":\"%s\",\"new_password\":\"district chief 2026\"}", one_time);
  /* No CSRF token, a wrong one: refused. */
  g_assert_cmpuint (status_of (&district, "POST", "/api/console/password", body, NULL), ==, 403);
  g_assert_cmpuint (status_of (&district, "POST", "/api/console/password", body, "forged"), ==, 403);
  g_assert_cmpuint (status_of (&district, "POST", "/api/console/password", body, district.csrf), ==, 200);
  /* A password change signs out everywhere else. */
  g_assert_cmpuint (status_of (&old, "GET", "/api/console/session", NULL, NULL), ==, 401);
  g_assert_cmpuint (status_of (&district, "GET", "/api/console/accounts", NULL, NULL), ==, 200);
}

/* Five wrong passwords lock the account for 15 minutes, even against the
 * right one, and the answer says until when. */
static void
test_lockout (void)
{
  g_autofree char *one_time = staff ("add", "locked", "editor", "hall-a");
  g_autofree char *right = g_strdup_printf ("{\"name\":\"locked\",\"password\":\"%s\"}", one_time);
  g_auto (Answer) a = { 0 };
  g_auto (Browser) b = { 0 };

  for (int i = 0; i < 5; i++)
    g_assert_cmpuint (status_of (&b, "POST", "/api/console/session",
                                 "{\"name\":\"locked\",\"password\":\"guess guess\"}", NULL),
                      ==, 401);
  request (&b, "POST", "/api/console/session", right, NULL, &a);
  g_assert_cmpuint (a.status, ==, 429);
  g_assert_nonnull (strstr (reason (&a), "已锁定到"));
  g_assert_nonnull (a.retry_after);
  g_assert_cmpint (atoi (a.retry_after), >, 800);
  g_assert_null (b.cookie);
  /* The lock passes with its window. */
  hub_harness_exec (harness,
                    "UPDATE staff_login_failures SET at = at - interval '16 minutes' WHERE name = 'locked'");
  g_assert_cmpuint (status_of (&b, "POST", "/api/console/session", right, NULL), ==, 200);
}

/* Idle for more than 30 minutes, or older than 12 hours: signed out. */
static void
test_expiry (void)
{
  g_auto (Browser) b = { 0 };

  sign_in (&b, "chief", "district chief 2026");
  g_assert_cmpuint (status_of (&b, "GET", "/api/console/session", NULL, NULL), ==, 200);
  hub_harness_exec (harness, "UPDATE staff_sessions SET last_seen = now() - interval '31 minutes' "
                             "WHERE last_seen = (SELECT max (last_seen) FROM staff_sessions)");
  g_assert_cmpuint (status_of (&b, "GET", "/api/console/session", NULL, NULL), ==, 401);

  sign_in (&b, "chief", "district chief 2026");
  hub_harness_exec (harness, "UPDATE staff_sessions SET created_at = now() - interval '13 hours' "
                             "WHERE created_at = (SELECT max (created_at) FROM staff_sessions)");
  g_assert_cmpuint (status_of (&b, "GET", "/api/console/session", NULL, NULL), ==, 401);
  /* A forged cookie, and none at all. */
  g_free (b.cookie);
  b.cookie = g_strdup ("linli_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  g_assert_cmpuint (status_of (&b, "GET", "/api/console/session", NULL, NULL), ==, 401);
  g_assert_cmpuint (status_of (NULL, "GET", "/api/console/accounts", NULL, NULL), ==, 401);
}

/* A counter account calls tickets with its session (and the CSRF token),
 * and nothing else. */
static void
test_roles (void)
{
  g_auto (Browser) clerk = { 0 };
  g_auto (Browser) editor = { 0 };

  hub_harness_exec (harness, "INSERT INTO counters (id, name_zh, name_en, services) "
                             "VALUES ('c1', '1号窗口', 'Counter 1', ARRAY['svc-console'])");
  new_account (&district, &clerk, "clerk", "counter", "hall-a");
  new_account (&district, &editor, "writer", "editor", "hall-a");

  g_assert_cmpuint (status_of (&clerk, "GET", "/api/counter/c1", NULL, NULL), ==, 200);
  g_assert_cmpuint (status_of (&clerk, "POST", "/api/counter/c1/next", "{}", NULL), ==, 403);
  g_assert_cmpuint (status_of (&clerk, "POST", "/api/counter/c1/next", "{}", clerk.csrf), ==, 200);
  g_assert_cmpuint (status_of (NULL, "GET", "/api/counter/c1", NULL, NULL), ==, 401);

  /* Counter and editor accounts: no accounts, no audit, no adding. */
  g_assert_cmpuint (status_of (&clerk, "GET", "/api/console/accounts", NULL, NULL), ==, 403);
  g_assert_cmpuint (status_of (&editor, "GET", "/api/console/audit", NULL, NULL), ==, 403);
  g_assert_cmpuint (status_of (&editor, "POST", "/api/console/accounts",
                               "{\"name\":\"sneaky\",\"role\":\"admin\"}", editor.csrf),
                    ==, 403);
  g_assert_cmpint (
      hub_harness_query_int (harness, "SELECT count(*) FROM staff_accounts WHERE name = 'sneaky'"), ==, 0);
}

/* A centre's admin sees and changes only the centre's accounts; another
 * centre's account is as good as absent. */
static void
test_centres (void)
{
  g_auto (Browser) admin_a = { 0 };
  g_auto (Browser) clerk_b = { 0 };
  g_auto (Answer) a = { 0 };
  JsonArray *list;

  new_account (&district, &admin_a, "admin-a", "admin", "hall-a");
  new_account (&district, &clerk_b, "clerk-b", "counter", "hall-b");

  request (&admin_a, "GET", "/api/console/accounts", NULL, NULL, &a);
  g_assert_cmpuint (a.status, ==, 200);
  list = json_object_get_array_member (a.body, "accounts");
  g_assert_cmpuint (json_array_get_length (list), >, 0);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, i), "hall"), ==,
                     "hall-a");

  g_assert_cmpuint (status_of (&admin_a, "POST", "/api/console/accounts/clerk-b/disable", NULL, admin_a.csrf),
                    ==, 404);
  g_assert_cmpuint (status_of (&admin_a, "POST", "/api/console/accounts/clerk-b/reset", NULL, admin_a.csrf),
                    ==, 404);
  g_assert_cmpuint (status_of (&admin_a, "POST", "/api/console/accounts",
                               "{\"name\":\"spy\",\"role\":\"counter\",\"hall\":\"hall-b\"}", admin_a.csrf),
                    ==, 403);
  g_assert_cmpuint (status_of (&admin_a, "POST", "/api/console/accounts",
                               "{\"name\":\"spy\",\"role\":\"counter\",\"hall\":null}", admin_a.csrf),
                    ==, 403);
  g_assert_cmpuint (status_of (&clerk_b, "GET", "/api/counter/c1", NULL, NULL), ==, 200);

  /* Disabled: its sessions end at once. */
  g_assert_cmpuint (
      status_of (&district, "POST", "/api/console/accounts/clerk-b/disable", NULL, district.csrf), ==, 200);
  g_assert_cmpuint (status_of (&clerk_b, "GET", "/api/counter/c1", NULL, NULL), ==, 401);
  /* The last admin of the district stays. */
  g_assert_cmpuint (status_of (&admin_a, "POST", "/api/console/accounts/admin-a/disable", NULL, admin_a.csrf),
                    ==, 200);
  g_assert_cmpuint (status_of (&district, "POST", "/api/console/accounts/chief/disable", NULL, district.csrf),
                    ==, 409);
}

/* Every change has its record: who, from where, what; a centre's admin
 * reads only the centre's. */
static void
test_audit (void)
{
  g_auto (Answer) a = { 0 };
  JsonArray *list;
  gboolean saw_disable = FALSE;

  request (&district, "GET", "/api/console/audit?action=account-disable", NULL, NULL, &a);
  g_assert_cmpuint (a.status, ==, 200);
  list = json_object_get_array_member (a.body, "audit");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *row = json_array_get_object_element (list, i);

      g_assert_cmpstr (json_object_get_string_member (row, "action"), ==, "account-disable");
      if (g_strcmp0 (json_object_get_string_member (row, "target"), "clerk-b") == 0)
        {
          saw_disable = TRUE;
          g_assert_cmpstr (json_object_get_string_member (row, "actor"), ==, "chief");
          g_assert_cmpstr (json_object_get_string_member (row, "address"), ==, "127.0.0.1");
        }
    }
  g_assert_true (saw_disable);
  g_assert_cmpint (
      hub_harness_query_int (harness, "SELECT count(*) FROM audit_log WHERE action = 'account-add'"), >=, 5);
  g_assert_cmpint (hub_harness_query_int (harness,
                                          "SELECT count(*) FROM audit_log WHERE action = 'password-change' "
                                          "AND actor = 'chief'"),
                   ==, 1);
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count(*) FROM audit_log WHERE actor = 'shell'"),
                   >=, 2);
}

/* A display name that is markup is kept as text, byte for byte. */
static void
test_markup_is_text (void)
{
  g_auto (Answer) a = { 0 };
  JsonArray *list;
  gboolean found = FALSE;

  request (&district, "POST", "/api/console/accounts",
           "{\"name\":\"xss\",\"display_name\":\"<img src=x "
           "onerror=alert(1)>\",\"role\":\"counter\",\"hall\":\"hall-a\"}",
           district.csrf, &a);
  g_assert_cmpuint (a.status, ==, 200);
  answer_clear (&a);
  request (&district, "GET", "/api/console/accounts", NULL, NULL, &a);
  list = json_object_get_array_member (a.body, "accounts");
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (list, i), "display_name"),
                   "<img src=x onerror=alert(1)>")
        == 0)
      found = TRUE;
  g_assert_true (found);
}

/* Bodies that are too big, not JSON, or with fields of the wrong shape;
 * names the schema refuses; calls that do not exist. */
static void
test_bad_input (void)
{
  g_autofree char *big = g_strnfill (5000, ' ');
  g_autofree char *long_name = g_strnfill (300, 'a');
  g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"role\":\"counter\"}", long_name);

  g_assert_cmpuint (status_of (NULL, "POST", "/api/console/session", big, NULL), ==, 413);
  g_assert_cmpuint (status_of (NULL, "POST", "/api/console/session", "{\"name\":", NULL), ==, 400);
  g_assert_cmpuint (status_of (NULL, "POST", "/api/console/session", "{\"name\":7,\"password\":\"x\"}", NULL),
                    ==, 400);
  g_assert_cmpuint (status_of (&district, "POST", "/api/console/accounts", body, district.csrf), ==, 400);
  g_assert_cmpuint (status_of (&district, "POST", "/api/console/accounts",
                               "{\"name\":\"Bad Name\",\"role\":\"counter\"}", district.csrf),
                    ==, 400);
  g_assert_cmpuint (status_of (&district, "POST", "/api/console/accounts",
                               "{\"name\":\"ok-name\",\"role\":\"root\"}", district.csrf),
                    ==, 400);
  g_assert_cmpuint (status_of (&district, "POST", "/api/console/accounts",
                               "{\"name\":\"clerk\",\"role\":\"counter\"}", district.csrf),
                    ==, 409);
  g_assert_cmpuint (status_of (&district, "GET", "/api/console/nothing", NULL, NULL), ==, 404);
  g_assert_cmpuint (status_of (&district, "PUT", "/api/console/accounts", NULL, district.csrf), ==, 405);
}

/* Announcements without JSON: an editor's draft, checked as a kiosk would
 * load it; a second editor saving the same draft at once is told and
 * nothing is lost; only a publisher publishes, signed with the hub's key, as
 * a new release for the centre with the rest of the content unchanged. */
static void
test_announcements (void)
{
  g_autofree char *content
      = g_build_filename (g_getenv ("KIOSK_SOURCE_ROOT"), "assets", "content", "default", NULL);
  g_auto (Browser) writer = { 0 };
  g_auto (Browser) other = { 0 };
  g_auto (Browser) publisher = { 0 };
  g_auto (Answer) a = { 0 };
  static const char draft[]
      = "{\"version\":0,\"announcements\":[{\"id\":\"lamp\",\"title\":{\"zh\":\"<b>路灯维修</b>\","
        "\"en\":\"Street lamp repair\"},\"body\":{\"zh\":\"周三晚上停电一小时。\",\"en\":\"One hour without "
        "power on Wednesday night.\"},\"valid_from\":\"2026-12-01T00:00:00+08:00\"}]}";
  gint64 live, release;

  live = hub_harness_publish (harness, content, NULL);
  sign_in (&writer, "writer", "own password 1234");
  new_account (&district, &other, "writer-2", "editor", "hall-a");
  new_account (&district, &publisher, "pub-a", "publisher", "hall-a");

  request (&writer, "GET", "/api/console/announcements", NULL, NULL, &a);
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (a.body, "target"), ==, "hall:hall-a");
  g_assert_cmpint (json_object_get_int_member (a.body, "live_release"), ==, live);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (a.body, "live")), >, 0);
  g_assert_true (json_object_get_null_member (a.body, "draft"));
  g_assert_false (json_object_get_boolean_member (a.body, "can_publish"));

  /* Another centre's content, and a list a kiosk would refuse: nothing saved. */
  g_assert_cmpuint (status_of (&writer, "GET", "/api/console/announcements?target=all", NULL, NULL), ==, 403);
  answer_clear (&a);
  request (&writer, "PUT", "/api/console/announcements",
           "{\"version\":0,\"announcements\":[{\"id\":\"x\",\"title\":{\"zh\":\"无英文\"}}]}", writer.csrf,
           &a);
  g_assert_cmpuint (a.status, ==, 400);
  g_assert_nonnull (strstr (reason (&a), "announcements[0]"));
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count(*) FROM content_drafts"), ==, 0);

  /* Two editors save the same new draft at once: the second is told. */
  g_assert_cmpuint (status_of (&writer, "PUT", "/api/console/announcements", draft, writer.csrf), ==, 200);
  answer_clear (&a);
  request (&other, "PUT", "/api/console/announcements", draft, other.csrf, &a);
  g_assert_cmpuint (a.status, ==, 409);
  g_assert_nonnull (strstr (reason (&a), "另一位同事"));

  /* An editor cannot publish; a publisher publishes the version they saw. */
  g_assert_cmpuint (
      status_of (&writer, "POST", "/api/console/announcements/publish", "{\"version\":1}", writer.csrf), ==,
      403);
  g_assert_cmpuint (
      status_of (&publisher, "POST", "/api/console/announcements/publish", "{\"version\":7}", publisher.csrf),
      ==, 409);
  answer_clear (&a);
  request (&publisher, "POST", "/api/console/announcements/publish", "{\"version\":1}", publisher.csrf, &a);
  g_assert_cmpuint (a.status, ==, 200);
  release = json_object_get_int_member (a.body, "release");
  g_assert_cmpint (release, >, live);
  {
    g_autofree char *sql
        = g_strdup_printf ("SELECT count(*) FROM content_releases WHERE release = %" G_GINT64_FORMAT
                           " AND target = 'hall:hall-a'",
                           release);
    g_assert_cmpint (hub_harness_query_int (harness, sql), ==, 1);
  }
  g_assert_cmpint (hub_harness_query_int (harness, "SELECT count(*) FROM content_drafts"), ==, 0);
  g_assert_cmpint (
      hub_harness_query_int (harness,
                             "SELECT count(*) FROM audit_log WHERE action = 'publish' "
                             "AND actor = 'pub-a' AND details->'after'->'announcements'->0->>'id' = 'lamp'"),
      ==, 1);
  g_assert_cmpint (hub_harness_query_int (harness,
                                          "SELECT count(*) FROM audit_log WHERE action = 'draft-save' "
                                          "AND actor = 'writer'"),
                   ==, 1);

  /* What is live now is the draft, markup kept as text. */
  answer_clear (&a);
  request (&writer, "GET", "/api/console/announcements", NULL, NULL, &a);
  g_assert_cmpint (json_object_get_int_member (a.body, "live_release"), ==, release);
  g_assert_cmpstr (
      json_object_get_string_member (
          json_object_get_object_member (
              json_array_get_object_element (json_object_get_array_member (a.body, "live"), 0), "title"),
          "zh"),
      ==, "<b>路灯维修</b>");
}

/* Opening hours in a form: a holiday added in the draft shows in the 30-day
 * calendar as the kiosks will do it (kiosk-core's own rules); hours a kiosk
 * would refuse are not saved. */
static void
test_hours (void)
{
  g_auto (Browser) writer = { 0 };
  g_auto (Answer) a = { 0 };
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr (GDateTime) now = g_date_time_new_now (zone);
  g_autoptr (GDateTime) day = NULL;
  g_autofree char *date = NULL, *body = NULL;
  JsonArray *days;
  JsonObject *hall = NULL;
  int weekday_open = -1;

  sign_in (&writer, "writer", "own password 1234");
  request (&writer, "GET", "/api/console/hours", NULL, NULL, &a);
  g_assert_cmpuint (a.status, ==, 200);
  days = json_object_get_array_member (a.body, "calendar");
  g_assert_cmpuint (json_array_get_length (days), ==, 30);
  /* A day the hall opens, in the next week. */
  for (guint i = 1; i < 8 && weekday_open < 0; i++)
    {
      JsonObject *d = json_array_get_object_element (days, i);
      if (json_array_get_length (
              json_object_get_array_member (json_object_get_object_member (d, "open"), "hall"))
          > 0)
        weekday_open = (int)i;
    }
  g_assert_cmpint (weekday_open, >, 0);
  day = g_date_time_add_days (now, weekday_open);
  date = g_date_time_format (day, "%Y-%m-%d");

  /* All the live hours (the section is replaced whole), the hall's with
   * that day as a holiday. */
  {
    JsonObject *live = json_object_get_object_member (a.body, "live");
    g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), live);
    g_autofree char *hours_text = NULL;

    hall = json_object_get_object_member (live, "hall");
    json_array_add_string_element (json_object_get_array_member (hall, "holidays"), date);
    hours_text = json_to_string (node, FALSE);
    body = g_strdup_printf ("{\"version\":0,\"hours\":%s}", hours_text);
  }
  answer_clear (&a);
  request (&writer, "PUT", "/api/console/hours",
           "{\"version\":0,\"hours\":{\"hall\":{\"weekly\":{\"mon\":[\"25:00-26:00\"]}}}}", writer.csrf, &a);
  g_assert_cmpuint (a.status, ==, 400);
  g_assert_cmpuint (status_of (&writer, "PUT", "/api/console/hours", body, writer.csrf), ==, 200);

  answer_clear (&a);
  request (&writer, "GET", "/api/console/hours", NULL, NULL, &a);
  days = json_object_get_array_member (a.body, "calendar");
  {
    JsonObject *d = json_array_get_object_element (days, (guint)weekday_open);
    g_assert_cmpstr (json_object_get_string_member (d, "date"), ==, date);
    g_assert_cmpuint (json_array_get_length (
                          json_object_get_array_member (json_object_get_object_member (d, "open"), "hall")),
                      ==, 0);
  }
  g_assert_false (json_object_get_null_member (a.body, "draft"));
}

/* One call back to an earlier release, as a new higher one; only a
 * publisher, and only a release the centre's kiosks could have had. */
static void
test_rollback (void)
{
  g_auto (Browser) publisher = { 0 };
  g_auto (Browser) writer = { 0 };
  g_auto (Answer) a = { 0 };
  gint64 newest = hub_harness_query_int (harness, "SELECT max (release) FROM content_releases");
  gint64 first = hub_harness_query_int (harness, "SELECT min (release) FROM content_releases");
  g_autofree char *path = g_strdup_printf ("/api/console/releases/%" G_GINT64_FORMAT "/rollback", first);
  g_autofree char *sql = NULL;

  sign_in (&publisher, "pub-a", "own password 1234");
  sign_in (&writer, "writer", "own password 1234");
  request (&writer, "GET", "/api/console/releases", NULL, NULL, &a);
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (a.body, "releases")), >=, 2);
  g_assert_cmpuint (status_of (&writer, "POST", path, NULL, writer.csrf), ==, 403);
  g_assert_cmpuint (status_of (&publisher, "POST", path, NULL, NULL), ==, 403);

  /* A release for another centre only. */
  hub_harness_exec (harness, "UPDATE content_releases SET target = 'hall:hall-b' WHERE release = "
                             "(SELECT min (release) FROM content_releases)");
  g_assert_cmpuint (status_of (&publisher, "POST", path, NULL, publisher.csrf), ==, 404);
  hub_harness_exec (harness, "UPDATE content_releases SET target = 'all' WHERE release = "
                             "(SELECT min (release) FROM content_releases)");

  answer_clear (&a);
  request (&publisher, "POST", path, NULL, publisher.csrf, &a);
  g_assert_cmpuint (a.status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (a.body, "release"), >, newest);
  sql = g_strdup_printf ("SELECT count(*) FROM content_releases WHERE rollback_of = %" G_GINT64_FORMAT
                         " AND target = 'hall:hall-a'",
                         first);
  g_assert_cmpint (hub_harness_query_int (harness, sql), ==, 1);
  g_assert_cmpint (
      hub_harness_query_int (harness, "SELECT count(*) FROM audit_log WHERE action = 'rollback'"), ==, 1);
}

/* Signing out ends the session for good. */
static void
test_sign_out (void)
{
  g_auto (Browser) b = { 0 };
  g_autofree char *cookie = NULL;

  sign_in (&b, "chief", "district chief 2026");
  cookie = g_strdup (b.cookie);
  g_assert_cmpuint (status_of (&b, "DELETE", "/api/console/session", NULL, NULL), ==, 403);
  g_assert_cmpuint (status_of (&b, "DELETE", "/api/console/session", NULL, b.csrf), ==, 200);
  g_free (b.cookie);
  b.cookie = g_steal_pointer (&cookie);
  g_assert_cmpuint (status_of (&b, "GET", "/api/console/session", NULL, NULL), ==, 401);
}

int
main (int argc, char **argv)
{
  g_autofree char *why = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  harness = hub_harness_new (&why);
  if (harness == NULL)
    {
      g_print ("1..0 # SKIP %s\n", why);
      return 77;
    }
  /* The key the console signs releases with. */
  {
    g_autofree char *keys = hub_harness_mkdir (harness, "console-key");
    g_autofree char *public_b64 = NULL, *secret_b64 = NULL;

    harness->content_key = g_build_filename (keys, "publish.key", NULL);
    kiosk_release_keygen (&public_b64, &secret_b64);
    g_assert_true (g_file_set_contents (harness->content_key, secret_b64, -1, NULL));
  }
  hub_harness_start_hub (harness);
  session = soup_session_new ();

  /* In order: each builds on the accounts the one before made. */
  g_test_add_func ("/hub/console/first-admin", test_first_admin);
  g_test_add_func ("/hub/console/lockout", test_lockout);
  g_test_add_func ("/hub/console/expiry", test_expiry);
  g_test_add_func ("/hub/console/roles", test_roles);
  g_test_add_func ("/hub/console/centres", test_centres);
  g_test_add_func ("/hub/console/audit", test_audit);
  g_test_add_func ("/hub/console/markup-is-text", test_markup_is_text);
  g_test_add_func ("/hub/console/bad-input", test_bad_input);
  g_test_add_func ("/hub/console/announcements", test_announcements);
  g_test_add_func ("/hub/console/hours", test_hours);
  g_test_add_func ("/hub/console/rollback", test_rollback);
  g_test_add_func ("/hub/console/sign-out", test_sign_out);

  status = g_test_run ();
  browser_clear (&district);
  g_object_unref (session);
  hub_harness_free (harness);
  return status;
}
