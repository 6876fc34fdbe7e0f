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
#include "kiosk-hours.h"

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

/* Release @live's manifest with the sections of @draft (a JSON object whose
 * non-null "announcements" and "hours" replace the manifest's), loaded as a
 * kiosk loads it from a copy of the release: the folder (remove it with
 * hub_content_remove_tree), or NULL with what the kiosk would say. */
static char *
compose (PGconn *conn, gint64 live, JsonObject *draft, GError **error)
{
  g_autofree char *dir = NULL, *manifest = NULL, *contents = NULL, *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
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
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    goto fail;
  for (HubDraftSection s = HUB_DRAFT_ANNOUNCEMENTS; s <= HUB_DRAFT_HOURS; s++)
    {
      const char *name = hub_draft_section_name (s);
      JsonNode *value = json_object_get_member (draft, name);

      if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
        json_object_set_member (json_node_get_object (root), name, json_node_copy (value));
    }
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

/* Section @name of release @live's manifest as JSON (@empty when absent). */
static char *
live_section (PGconn *conn, gint64 live, const char *name, const char *empty, GError **error)
{
  g_autoptr (GBytes) manifest = live > 0 ? hub_db_release_file (conn, live, "manifest.json", error) : NULL;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root, *section;

  if (manifest == NULL)
    return error != NULL && *error != NULL ? NULL : g_strdup (empty);
  if (!json_parser_load_from_data (parser, g_bytes_get_data (manifest, NULL),
                                   (gssize)g_bytes_get_size (manifest), error)
      || !JSON_NODE_HOLDS_OBJECT (root = json_parser_get_root (parser)))
    return NULL;
  section = json_object_get_member (json_node_get_object (root), name);
  return section != NULL ? json_to_string (section, FALSE) : g_strdup (empty);
}

/* @target's draft as a parsed object (an empty one when there is none), and
 * its JSON text in *@text (NULL when none). */
static JsonNode *
draft_object (PGconn *conn, const char *target, char **text, GError **error)
{
  g_autofree char *draft = hub_db_draft_get (conn, target, error);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();

  if (draft == NULL)
    {
      if (*error != NULL)
        return NULL;
      *text = NULL;
      return json_node_init_object (json_node_alloc (), json_object_new ());
    }
  if (!json_parser_load_from_data (parser, draft, -1, error))
    return NULL;
  *text = g_steal_pointer (&draft);
  return json_node_copy (json_parser_get_root (parser));
}

/* GET for one section: what is live, the draft, whether one may publish,
 * and @extra ("" or ",\"calendar\":…"). */
static gboolean
section_get (HubConsole *self, PGconn *conn, ConsoleRequest *req, HubDraftSection section,
             char *(*extra) (PGconn *, const char *live, const char *draft), GError **error)
{
  g_autoptr (HubStaffAccount) account
      = console_authorize (self, conn, req->cookie, req->csrf, FALSE, FALSE, HUB_ROLE_EDITOR, error);
  const char *name = hub_draft_section_name (section), *empty = section == HUB_DRAFT_HOURS ? "{}" : "[]";
  g_autofree char *target = NULL, *live_text = NULL, *draft = NULL, *more = NULL;
  g_autoptr (JsonNode) draft_node = NULL;
  gint64 live;

  if (account == NULL || (target = resolve_target (account, req->content_target, error)) == NULL
      || (live = hub_db_live_release (conn, target, error)) < 0
      || (live_text = live_section (conn, live, name, empty, error)) == NULL
      || (draft_node = draft_object (conn, target, &draft, error)) == NULL)
    return FALSE;
  if (extra != NULL)
    {
      JsonNode *mine = json_object_get_member (json_node_get_object (draft_node), name);
      g_autofree char *mine_text = mine && !JSON_NODE_HOLDS_NULL (mine) ? json_to_string (mine, FALSE) : NULL;

      more = extra (conn, live_text, mine_text);
    }
  req->status = 200;
  req->reply = g_strdup_printf ("{\"target\":\"%s\",\"live_release\":%" G_GINT64_FORMAT
                                ",\"live\":%s,\"draft\":%s,\"can_publish\":%s%s}",
                                target, live, live_text, draft ? draft : "null",
                                account->role >= HUB_ROLE_PUBLISHER ? "true" : "false", more ? more : "");
  return TRUE;
}

/* PUT for one section: checked with the rest of the draft as a kiosk would
 * load it, then saved if nobody saved first. */
static gboolean
section_save (HubConsole *self, PGconn *conn, ConsoleRequest *req, HubDraftSection section, const char *value,
              GError **error)
{
  g_autoptr (HubStaffAccount) account
      = console_authorize (self, conn, req->cookie, req->csrf, TRUE, FALSE, HUB_ROLE_EDITOR, error);
  const char *name = hub_draft_section_name (section);
  g_autofree char *target = NULL, *dir = NULL, *before = NULL, *details = NULL;
  g_autoptr (JsonNode) draft = NULL;
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  gint64 live;
  int version;

  if (account == NULL || (target = resolve_target (account, req->content_target, error)) == NULL)
    return FALSE;
  if (value == NULL)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_MISSING_FIELD, "缺少 %s / %s is missing", name, name);
      return FALSE;
    }
  if ((draft = draft_object (conn, target, &before, error)) == NULL
      || !json_parser_load_from_data (parser, value, -1, error))
    return FALSE;
  json_object_set_member (json_node_get_object (draft), name, json_node_copy (json_parser_get_root (parser)));
  /* Checked as a kiosk would load it, before anything is saved. */
  if ((live = hub_db_live_release (conn, target, error)) < 0
      || (dir = compose (conn, live, json_node_get_object (draft), error)) == NULL)
    return FALSE;
  hub_content_remove_tree (dir);
  version = hub_db_draft_save (conn, target, req->version, section, value, account->name, error);
  if (version == 0)
    {
      if (*error == NULL)
        g_set_error_literal (error, HUB_ERROR, HUB_ERROR_CONFLICT,
                             "另一位同事刚保存了这份草稿；您的修改还在页面上，请刷新对比后再保存 / "
                             "Someone else saved this draft first; your edits are still on the page: reload, "
                             "compare and save again");
      return FALSE;
    }
  details = g_strdup_printf ("{\"section\":\"%s\",\"before\":%s,\"after\":%s}", name,
                             before ? before : "null", value);
  if (!hub_db_audit_add (conn, account->id, account->name, req->address, "draft-save", target, account->hall,
                         details, error))
    return FALSE;
  req->status = 200;
  req->reply = g_strdup_printf ("{\"version\":%d}", version);
  return TRUE;
}

gboolean
console_announcements (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  return section_get (self, conn, req, HUB_DRAFT_ANNOUNCEMENTS, NULL, error);
}

gboolean
console_announcements_save (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  return section_save (self, conn, req, HUB_DRAFT_ANNOUNCEMENTS, req->announcements, error);
}

#define CALENDAR_DAYS 30

/* What the kiosks will do each of the next 30 days, from the draft's hours
 * (else the live ones), worked out by kiosk-core as a kiosk does:
 * ,"calendar":[{"date","weekday","open":{ID:["08:30-12:00",…],…}},…] */
static char *
calendar (PGconn *conn, const char *live, const char *draft)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr (GDateTime) now = g_date_time_new_now (zone ? zone : g_time_zone_new_utc ());
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr (GPtrArray) tables = g_ptr_array_new_with_free_func ((GDestroyNotify)kiosk_hours_free);
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *hours;
  GList *ids;

  if (!json_parser_load_from_data (parser, draft ? draft : live, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_strdup ("");
  hours = json_node_get_object (json_parser_get_root (parser));
  ids = json_object_get_members (hours);
  ids = g_list_sort (ids, (GCompareFunc)g_strcmp0);
  for (GList *l = ids; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (hours, l->data);
      KioskHours *h = JSON_NODE_HOLDS_OBJECT (node)
                          ? kiosk_hours_new_from_json (l->data, json_node_get_object (node), NULL)
                          : NULL;
      if (h != NULL)
        g_ptr_array_add (tables, h);
    }
  g_list_free (ids);

  json_builder_begin_array (b);
  for (int d = 0; d < CALENDAR_DAYS; d++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (now, d);
      g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "date");
      json_builder_add_string_value (b, date);
      json_builder_set_member_name (b, "weekday");
      json_builder_add_int_value (b, g_date_time_get_day_of_week (day));
      json_builder_set_member_name (b, "open");
      json_builder_begin_object (b);
      for (guint t = 0; t < tables->len; t++)
        {
          const GArray *spans = kiosk_hours_spans_on (tables->pdata[t], day);

          json_builder_set_member_name (b, kiosk_hours_get_id (tables->pdata[t]));
          json_builder_begin_array (b);
          for (guint i = 0; spans != NULL && i < spans->len; i++)
            {
              const KioskSpan *span = &g_array_index (spans, KioskSpan, i);
              g_autofree char *range = g_strdup_printf ("%02d:%02d-%02d:%02d", span->start / 60,
                                                        span->start % 60, span->end / 60, span->end % 60);
              json_builder_add_string_value (b, range);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  return g_strconcat (",\"calendar\":", text, NULL);
}

gboolean
console_hours (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  return section_get (self, conn, req, HUB_DRAFT_HOURS, calendar, error);
}

gboolean
console_hours_save (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  return section_save (self, conn, req, HUB_DRAFT_HOURS, req->hours, error);
}

gboolean
console_announcements_publish (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  const guint8 *key = console_get_content_key (self);
  g_autoptr (HubStaffAccount) account
      = console_authorize (self, conn, req->cookie, req->csrf, TRUE, FALSE, HUB_ROLE_PUBLISHER, error);
  g_autofree char *target = NULL, *draft_text = NULL, *dir = NULL, *before_a = NULL, *before_h = NULL;
  g_autofree char *details = NULL;
  g_autoptr (JsonNode) draft = NULL;
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
  if ((draft = draft_object (conn, target, &draft_text, error)) == NULL)
    return FALSE;
  if (draft_text == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_NOT_FOUND,
                           "没有待发布的草稿 / There is no draft to publish");
      return FALSE;
    }
  if ((int)json_object_get_int_member (json_node_get_object (draft), "version") != req->version)
    {
      g_set_error_literal (
          error, HUB_ERROR, HUB_ERROR_CONFLICT,
          "草稿在您查看后又被修改过，请刷新后再发布 / The draft changed since you opened it: "
          "reload before publishing");
      return FALSE;
    }
  if ((live = hub_db_live_release (conn, target, error)) < 0
      || (before_a = live_section (conn, live, "announcements", "[]", error)) == NULL
      || (before_h = live_section (conn, live, "hours", "{}", error)) == NULL
      || (dir = compose (conn, live, json_node_get_object (draft), error)) == NULL)
    return FALSE;
  /* One transaction stores the whole release, or nothing: the kiosks keep the
   * last good one if the database goes away now. */
  ok = hub_content_publish_dir (conn, dir, key, target, NULL, 0, &release, error);
  hub_content_remove_tree (dir);
  if (!ok)
    return FALSE;
  details = g_strdup_printf ("{\"release\":%" G_GINT64_FORMAT
                             ",\"before\":{\"announcements\":%s,\"hours\":%s},\"after\":%s}",
                             release, before_a, before_h, draft_text);
  /* The draft is done with; a newer one saved meanwhile stays for next time. */
  {
    g_autoptr (GError) local = NULL;

    if (!hub_db_draft_take (conn, target, req->version, &local) && local != NULL)
      g_message ("console: the published draft of %s stays: %s", target, local->message);
  }
  if (!hub_db_audit_add (conn, account->id, account->name, req->address, "publish", target, account->hall,
                         details, error))
    return FALSE;
  req->status = 200;
  req->reply = g_strdup_printf ("{\"release\":%" G_GINT64_FORMAT "}", release);
  return TRUE;
}

gboolean
console_releases (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  g_autoptr (HubStaffAccount) account
      = console_authorize (self, conn, req->cookie, req->csrf, FALSE, FALSE, HUB_ROLE_EDITOR, error);
  g_autofree char *target = NULL, *releases = NULL, *kiosks = NULL;

  if (account == NULL || (target = resolve_target (account, NULL, error)) == NULL)
    return FALSE;
  /* The district sees every release; a centre, those its kiosks may get. */
  releases = hub_db_releases_json (conn, account->hall ? target : NULL, 20, error);
  kiosks = releases ? hub_db_kiosk_releases_json (conn, account->hall, error) : NULL;
  if (kiosks == NULL)
    return FALSE;
  req->status = 200;
  req->reply
      = g_strdup_printf ("{\"target\":\"%s\",\"releases\":%s,\"kiosks\":%s,\"can_publish\":%s}", target,
                         releases, kiosks, account->role >= HUB_ROLE_PUBLISHER ? "true" : "false");
  return TRUE;
}

gboolean
console_release_rollback (HubConsole *self, PGconn *conn, ConsoleRequest *req, GError **error)
{
  const guint8 *key = console_get_content_key (self);
  g_autoptr (HubStaffAccount) account
      = console_authorize (self, conn, req->cookie, req->csrf, TRUE, FALSE, HUB_ROLE_PUBLISHER, error);
  g_autofree char *target = NULL, *of = NULL, *details = NULL;
  gint64 release = 0;

  if (account == NULL || (target = resolve_target (account, req->content_target, error)) == NULL)
    return FALSE;
  if (key == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_CONFLICT,
                           "中心服务器未配置内容签名密钥（hub.conf 的 content_key） / "
                           "The hub has no content key ([hub] content_key in hub.conf)");
      return FALSE;
    }
  of = hub_db_release_target (conn, req->release, error);
  /* A release this account's kiosks could never have had is as good as absent. */
  if (of == NULL || (account->hall != NULL && !g_str_equal (of, "all") && !g_str_equal (of, target)))
    {
      if (*error == NULL)
        g_set_error (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此版本 / No release %" G_GINT64_FORMAT,
                     req->release);
      return FALSE;
    }
  /* A new, higher release with the old content: a kiosk takes only newer ones. */
  if (!hub_content_rollback (conn, req->release, key, target, &release, error))
    return FALSE;
  details = g_strdup_printf ("{\"release\":%" G_GINT64_FORMAT ",\"rollback_of\":%" G_GINT64_FORMAT "}",
                             release, req->release);
  if (!hub_db_audit_add (conn, account->id, account->name, req->address, "rollback", target, account->hall,
                         details, error))
    return FALSE;
  req->status = 200;
  req->reply = g_strdup_printf ("{\"release\":%" G_GINT64_FORMAT "}", release);
  return TRUE;
}
