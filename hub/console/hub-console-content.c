/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-console"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "hub-console-private.h"
#include "hub-content.h"
#include "hub-db-drafts.h"
#include "hub-db-query.h"
#include "hub-proto.h"
#include "kiosk-bundle.h"

/* Announcements without JSON: staff edit a draft of a target's announcements
 * in a form; the draft is checked by kiosk-core's own loader against the
 * content in force (the console cannot accept what a kiosk would refuse); a
 * publisher signs it with the hub's content key and publishes it as a new
 * release, everything else of the content unchanged. */

/* The target the account works on: a centre's account only its own hall;
 * the district "all" or any hall. */
static char *
resolve_target (const HubStaffAccount *account, const char *asked, GError **error)
{
  g_autofree char *own = account->hall ? g_strconcat ("hall:", account->hall, NULL) : g_strdup ("all");

  if (asked == NULL || g_strcmp0 (asked, own) == 0)
    return g_steal_pointer (&own);
  if (account->hall != NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_FORBIDDEN,
                           "只能编辑本中心的内容 / Only your own centre's content");
      return NULL;
    }
  if (!g_str_equal (asked, "all") && !(g_str_has_prefix (asked, "hall:") && strlen (asked) > 5))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_BAD_FIELD, "发布对象无效 / target is all or hall:ID");
      return NULL;
    }
  return g_strdup (asked);
}

/* The live release's manifest with @announcements (a JSON array) put in,
 * loaded as a kiosk loads it from a copy of the release: the folder (remove it
 * with hub_content_remove_tree), or NULL with what the kiosk would say. */
static char *
compose (PGconn *conn, gint64 live, const char *announcements, GError **error)
{
  g_autofree char *dir = NULL, *manifest = NULL, *contents = NULL, *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (JsonParser) list = json_parser_new_immutable ();
  g_autoptr (KioskBundle) bundle = NULL;
  g_autoptr (GError) local = NULL;
  JsonNode *root;
  gsize length;

  if (live <= 0)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_CONFLICT,
                           "还没有发布过内容，请先用 linli-hub content publish 发布 / "
                           "Nothing is published yet: publish with linli-hub content publish first");
      return NULL;
    }
  if ((dir = hub_content_extract (conn, live, NULL, error)) == NULL)
    return NULL;
  manifest = g_build_filename (dir, "manifest.json", NULL);
  if (!g_file_get_contents (manifest, &contents, &length, error)
      || !json_parser_load_from_data (parser, contents, (gssize)length, error)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser))
      || !json_parser_load_from_data (list, announcements, -1, error))
    goto fail;
  json_object_set_member (json_node_get_object (root), "announcements",
                          json_node_copy (json_parser_get_root (list)));
  text = json_to_string (root, TRUE);
  if (!g_file_set_contents (manifest, text, -1, error))
    goto fail;
  bundle = kiosk_bundle_load (dir, &local);
  if (bundle == NULL)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD, "%s", local->message);
      goto fail;
    }
  return g_steal_pointer (&dir);

fail:
  if (error != NULL && *error != NULL && (*error)->domain != HUB_ERROR)
    {
      GError *e = *error;
      *error = NULL;
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD, "内容无效 / %s", e->message);
      g_error_free (e);
    }
  hub_content_remove_tree (dir);
  return NULL;
}

/* The announcements array of release @live's manifest ("[]" when none). */
static char *
live_announcements (PGconn *conn, gint64 live, GError **error)
{
  g_autoptr (GBytes) manifest = live > 0 ? hub_db_release_file (conn, live, "manifest.json", error) : NULL;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root, *list;

  if (manifest == NULL)
    return error != NULL && *error != NULL ? NULL : g_strdup ("[]");
  if (!json_parser_load_from_data (parser, g_bytes_get_data (manifest, NULL),
                                   (gssize)g_bytes_get_size (manifest), error)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    return NULL;
  list = json_object_get_member (json_node_get_object (root), "announcements");
  return list != NULL ? json_to_string (list, FALSE) : g_strdup ("[]");
}

gboolean
console_announcements (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  g_autoptr (HubStaffAccount) account
      = console_authorize (self, conn, req->cookie, req->csrf, FALSE, FALSE, HUB_ROLE_EDITOR, error);
  g_autofree char *target = NULL, *live_list = NULL, *draft = NULL;
  gint64 live;

  if (account == NULL || (target = resolve_target (account, req->content_target, error)) == NULL
      || (live = hub_db_live_release (conn, target, error)) < 0
      || (live_list = live_announcements (conn, live, error)) == NULL)
    return FALSE;
  draft = hub_db_draft_get (conn, target, error);
  if (draft == NULL && *error != NULL)
    return FALSE;
  req->status = 200;
  req->reply = g_strdup_printf ("{\"target\":\"%s\",\"live_release\":%" G_GINT64_FORMAT
                                ",\"live\":%s,\"draft\":%s,\"can_publish\":%s}",
                                target, live, live_list, draft ? draft : "null",
                                account->role >= HUB_ROLE_PUBLISHER ? "true" : "false");
  return TRUE;
}

gboolean
console_announcements_save (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  g_autoptr (HubStaffAccount) account
      = console_authorize (self, conn, req->cookie, req->csrf, TRUE, FALSE, HUB_ROLE_EDITOR, error);
  g_autofree char *target = NULL, *dir = NULL, *before = NULL, *details = NULL;
  gint64 live;
  int version;

  if (account == NULL || (target = resolve_target (account, req->content_target, error)) == NULL)
    return FALSE;
  if (req->announcements == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_MISSING_FIELD,
                           "缺少公告列表 / announcements is missing");
      return FALSE;
    }
  /* Checked as a kiosk would load it, before anything is saved. */
  if ((live = hub_db_live_release (conn, target, error)) < 0
      || (dir = compose (conn, live, req->announcements, error)) == NULL)
    return FALSE;
  hub_content_remove_tree (dir);
  before = hub_db_draft_get (conn, target, error);
  if (before == NULL && *error != NULL)
    return FALSE;
  version = hub_db_draft_save (conn, target, req->version, req->announcements, account->name, error);
  if (version == 0)
    {
      if (*error == NULL)
        g_set_error_literal (error, HUB_ERROR, HUB_ERROR_CONFLICT,
                             "另一位同事刚保存了这份草稿；您的修改还在页面上，请刷新对比后再保存 / "
                             "Someone else saved this draft first; your edits are still on the page: reload, "
                             "compare and save again");
      return FALSE;
    }
  details = g_strdup_printf ("{\"before\":%s,\"after\":%s}", before ? before : "null", req->announcements);
  if (!hub_db_audit_add (conn, account->id, account->name, req->address, "draft-save", target, account->hall,
                         details, error))
    return FALSE;
  req->status = 200;
  req->reply = g_strdup_printf ("{\"version\":%d}", version);
  return TRUE;
}

gboolean
console_announcements_publish (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  const guint8 *key = console_get_content_key (self);
  g_autoptr (HubStaffAccount) account
      = console_authorize (self, conn, req->cookie, req->csrf, TRUE, FALSE, HUB_ROLE_PUBLISHER, error);
  g_autofree char *target = NULL, *draft = NULL, *dir = NULL, *before = NULL, *details = NULL;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonNode *list;
  gint64 live, release = 0;
  gboolean ok;

  if (account == NULL || (target = resolve_target (account, req->content_target, error)) == NULL)
    return FALSE;
  if (key == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_CONFLICT,
                           "中心服务器未配置内容签名密钥（hub.conf 的 content_key） / "
                           "The hub has no content key ([hub] content_key in hub.conf)");
      return FALSE;
    }
  if ((draft = hub_db_draft_get (conn, target, error)) == NULL)
    {
      if (*error == NULL)
        g_set_error_literal (error, HUB_ERROR, HUB_ERROR_NOT_FOUND,
                             "没有待发布的草稿 / There is no draft to publish");
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, draft, -1, error))
    return FALSE;
  if ((int)json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "version")
      != req->version)
    {
      g_set_error_literal (
          error, HUB_ERROR, HUB_ERROR_CONFLICT,
          "草稿在您查看后又被修改过，请刷新后再发布 / The draft changed since you opened it: "
          "reload before publishing");
      return FALSE;
    }
  list = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "announcements");
  {
    g_autofree char *list_text = json_to_string (list, FALSE);

    if ((live = hub_db_live_release (conn, target, error)) < 0
        || (before = live_announcements (conn, live, error)) == NULL
        || (dir = compose (conn, live, list_text, error)) == NULL)
      return FALSE;
    /* One transaction stores the whole release, or nothing: the kiosks keep
     * the last good one if the database goes away now. */
    ok = hub_content_publish_dir (conn, dir, key, target, NULL, 0, &release, error);
    hub_content_remove_tree (dir);
    if (!ok)
      return FALSE;
    details = g_strdup_printf ("{\"release\":%" G_GINT64_FORMAT ",\"before\":%s,\"after\":%s}", release,
                               before, list_text);
  }
  /* The draft is done with; a newer one saved meanwhile stays for next time. */
  {
    g_autofree char *taken = NULL;
    g_autoptr (GError) local = NULL;

    hub_db_draft_take (conn, target, req->version, &taken, &local);
    if (local != NULL)
      g_message ("console: the published draft of %s stays: %s", target, local->message);
  }
  if (!hub_db_audit_add (conn, account->id, account->name, req->address, "publish", target, account->hall,
                         details, error))
    return FALSE;
  req->status = 200;
  req->reply = g_strdup_printf ("{\"release\":%" G_GINT64_FORMAT "}", release);
  return TRUE;
}
