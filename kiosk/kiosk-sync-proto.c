/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-sync"

#include <json-glib/json-glib.h>

#include "kiosk-error.h"
#include "kiosk-qr.h"
#include "kiosk-sync-proto.h"

void
kiosk_sync_member_free (KioskSyncMember *member)
{
  if (member == NULL)
    return;
  g_free (member->card_hash);
  g_free (member->kind);
  g_free (member->name);
  g_free (member->status);
  g_free (member->group);
  g_free (member);
}

void
kiosk_sync_member_page_free (KioskSyncMemberPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->members, g_ptr_array_unref);
  g_free (page);
}

void
kiosk_sync_records_begin (GString *body)
{
  g_string_append (body, "{\"records\":[");
}

void
kiosk_sync_records_add (GString *body, const char *uuid, const char *kind, const char *payload_json)
{
  /* uuid and kind are checked (UUID syntax, the outbox's CHECK): no escaping. */
  if (body->str[body->len - 1] != '[')
    g_string_append_c (body, ',');
  g_string_append_printf (body, "{\"uuid\":\"%s\",\"kind\":\"%s\",\"payload\":%s}", uuid, kind, payload_json);
}

void
kiosk_sync_records_end (GString *body)
{
  g_string_append (body, "]}");
}

gboolean
kiosk_sync_row_is_sendable (const char *uuid, const char *payload_json, GError **error)
{
  const char *p = payload_json;

  if (uuid == NULL || !g_uuid_string_is_valid (uuid))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "记录编号无效 / Record id is not a UUID: %s",
                   uuid ? uuid : "(null)");
      return FALSE;
    }
  while (p != NULL && g_ascii_isspace (*p))
    p++;
  /* The outbox CHECK made it valid JSON; the hub also wants an object. */
  if (p == NULL || *p != '{')
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "记录内容不是对象 / Record %s payload is not a JSON object", uuid);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
parse_reply (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local = NULL;
  JsonNode *root;

  if (data == NULL || length == 0 || !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK,
                           "中心服务器回复无效 / Hub reply is not JSON: empty or not UTF-8");
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize)length, &local))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK, "中心服务器回复无效 / Hub reply is not JSON: %s",
                   local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK,
                           "中心服务器回复无效 / Hub reply is not a JSON object");
      return NULL;
    }
  return json_node_ref (root);
}

static gboolean
bad_reply (GError **error, const char *what)
{
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NETWORK, "中心服务器回复无效 / Hub reply invalid: %s", what);
  return FALSE;
}

/* The member @name of @object if it holds a value of @type, else NULL. */
static JsonNode *
typed_member (JsonObject *object, const char *name, GType type)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != type)
    return NULL;
  return node;
}

GHashTable *
kiosk_sync_parse_accepted (const char *data, gsize length, GError **error)
{
  g_autoptr (JsonNode) root = parse_reply (data, length, error);
  g_autoptr (GHashTable) set = NULL;
  JsonNode *accepted;
  JsonArray *array;

  if (root == NULL)
    return NULL;
  accepted = json_object_get_member (json_node_get_object (root), "accepted");
  if (accepted == NULL || !JSON_NODE_HOLDS_ARRAY (accepted))
    {
      bad_reply (error, "no \"accepted\" array");
      return NULL;
    }
  array = json_node_get_array (accepted);
  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *uuid;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
          || !g_uuid_string_is_valid ((uuid = json_node_get_string (element))))
        {
          bad_reply (error, "an accepted id is not a UUID");
          return NULL;
        }
      g_hash_table_add (set, g_ascii_strdown (uuid, -1));
    }
  return g_steal_pointer (&set);
}

static char *
optional_string (JsonObject *object, const char *name)
{
  JsonNode *node = typed_member (object, name, G_TYPE_STRING);
  return g_strdup (node ? json_node_get_string (node) : "");
}

static gint64
optional_int (JsonObject *object, const char *name)
{
  JsonNode *node = typed_member (object, name, G_TYPE_INT64);
  return node ? json_node_get_int (node) : 0;
}

static KioskSyncMember *
parse_member (JsonNode *node, GError **error)
{
  g_autoptr (KioskSyncMember) member = NULL;
  JsonObject *object;
  JsonNode *card, *seq;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_reply (error, "a member is not an object");
      return NULL;
    }
  object = json_node_get_object (node);
  card = typed_member (object, "card_hash", G_TYPE_STRING);
  seq = typed_member (object, "seq", G_TYPE_INT64);
  if (card == NULL || *json_node_get_string (card) == '\0' || seq == NULL)
    {
      bad_reply (error, "a member lacks card_hash or seq");
      return NULL;
    }

  member = g_new0 (KioskSyncMember, 1);
  member->card_hash = g_strdup (json_node_get_string (card));
  member->seq = json_node_get_int (seq);
  member->kind = optional_string (object, "kind");
  member->name = optional_string (object, "name");
  member->status = optional_string (object, "status");
  member->group = optional_string (object, "group");
  member->valid_from_us = optional_int (object, "valid_from");
  member->valid_until_us = optional_int (object, "valid_until");
  return g_steal_pointer (&member);
}

KioskSyncMemberPage *
kiosk_sync_parse_members (const char *data, gsize length, gint64 after, GError **error)
{
  g_autoptr (JsonNode) root = parse_reply (data, length, error);
  g_autoptr (KioskSyncMemberPage) page = NULL;
  JsonObject *object;
  JsonNode *members, *cursor, *more;
  JsonArray *array;

  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);
  members = json_object_get_member (object, "members");
  cursor = typed_member (object, "cursor", G_TYPE_INT64);
  more = typed_member (object, "more", G_TYPE_BOOLEAN);
  if (members == NULL || !JSON_NODE_HOLDS_ARRAY (members) || cursor == NULL)
    {
      bad_reply (error, "no \"members\" array or \"cursor\"");
      return NULL;
    }

  page = g_new0 (KioskSyncMemberPage, 1);
  page->cursor = json_node_get_int (cursor);
  page->more = more ? json_node_get_boolean (more) : FALSE;
  if (page->cursor < after)
    {
      bad_reply (error, "the member cursor went backwards");
      return NULL;
    }
  array = json_node_get_array (members);
  page->members
      = g_ptr_array_new_full (json_array_get_length (array), (GDestroyNotify)kiosk_sync_member_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      KioskSyncMember *member = parse_member (json_array_get_element (array, i), error);

      if (member == NULL)
        return NULL;
      g_ptr_array_add (page->members, member);
      if (member->seq <= after || member->seq > page->cursor)
        {
          bad_reply (error, "a member's seq lies outside the page");
          return NULL;
        }
    }
  /* "more" with nothing in it would make the caller ask forever. */
  if (page->more && page->members->len == 0)
    page->more = FALSE;
  return g_steal_pointer (&page);
}

void
kiosk_sync_call_free (KioskSyncCall *call)
{
  if (call == NULL)
    return;
  g_free (call->action_name);
  g_free (call->uuid);
  g_free (call->label);
  g_free (call->desk);
  g_free (call->desk_zh);
  g_free (call->desk_en);
  g_free (call->to_service);
  g_free (call);
}

void
kiosk_sync_call_page_free (KioskSyncCallPage *page)
{
  if (page == NULL)
    return;
  g_clear_pointer (&page->calls, g_ptr_array_unref);
  g_free (page);
}

static KioskSyncCallAction
call_action_from_string (const char *name)
{
  static const struct
  {
    const char *name;
    KioskSyncCallAction action;
  } names[] = {
    { "next", KIOSK_SYNC_CALL_CALLED },     { "call", KIOSK_SYNC_CALL_CALLED },
    { "recall", KIOSK_SYNC_CALL_RECALLED }, { "served", KIOSK_SYNC_CALL_SERVED },
    { "no_show", KIOSK_SYNC_CALL_NO_SHOW }, { "transfer", KIOSK_SYNC_CALL_TRANSFERRED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (name, names[i].name))
      return names[i].action;
  return KIOSK_SYNC_CALL_UNKNOWN;
}

static KioskSyncCall *
parse_call (JsonNode *node, GError **error)
{
  g_autoptr (KioskSyncCall) call = NULL;
  JsonObject *object;
  JsonNode *id, *action, *uuid, *label, *at, *mine, *to;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      bad_reply (error, "a call is not an object");
      return NULL;
    }
  object = json_node_get_object (node);
  id = typed_member (object, "id", G_TYPE_INT64);
  action = typed_member (object, "action", G_TYPE_STRING);
  uuid = typed_member (object, "uuid", G_TYPE_STRING);
  label = typed_member (object, "label", G_TYPE_STRING);
  at = typed_member (object, "at_us", G_TYPE_INT64);
  if (id == NULL || action == NULL || uuid == NULL || !g_uuid_string_is_valid (json_node_get_string (uuid))
      || label == NULL || *json_node_get_string (label) == '\0' || at == NULL || json_node_get_int (at) <= 0)
    {
      bad_reply (error, "a call lacks id, action, uuid, label or at_us");
      return NULL;
    }

  call = g_new0 (KioskSyncCall, 1);
  call->id = json_node_get_int (id);
  call->action_name = g_strdup (json_node_get_string (action));
  call->action = call_action_from_string (call->action_name);
  call->uuid = g_ascii_strdown (json_node_get_string (uuid), -1);
  mine = typed_member (object, "mine", G_TYPE_BOOLEAN);
  call->mine = mine != NULL && json_node_get_boolean (mine);
  call->label = g_strdup (json_node_get_string (label));
  call->desk = optional_string (object, "desk");
  call->desk_zh = optional_string (object, "desk_zh");
  call->desk_en = optional_string (object, "desk_en");
  to = typed_member (object, "to_service", G_TYPE_STRING);
  call->to_service = to && *json_node_get_string (to) ? g_strdup (json_node_get_string (to)) : NULL;
  call->at_us = json_node_get_int (at);
  if (call->action == KIOSK_SYNC_CALL_TRANSFERRED && call->to_service == NULL)
    {
      bad_reply (error, "a transfer lacks to_service");
      return NULL;
    }
  return g_steal_pointer (&call);
}

KioskSyncCallPage *
kiosk_sync_parse_calls (const char *data, gsize length, gint64 after, GError **error)
{
  g_autoptr (JsonNode) root = parse_reply (data, length, error);
  g_autoptr (KioskSyncCallPage) page = NULL;
  JsonObject *object;
  JsonNode *calls, *cursor, *more;
  JsonArray *array;
  gint64 last = after;

  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);
  calls = json_object_get_member (object, "calls");
  cursor = typed_member (object, "cursor", G_TYPE_INT64);
  more = typed_member (object, "more", G_TYPE_BOOLEAN);
  if (calls == NULL || !JSON_NODE_HOLDS_ARRAY (calls) || cursor == NULL)
    {
      bad_reply (error, "no \"calls\" array or \"cursor\"");
      return NULL;
    }

  page = g_new0 (KioskSyncCallPage, 1);
  page->cursor = json_node_get_int (cursor);
  page->more = more ? json_node_get_boolean (more) : FALSE;
  if (page->cursor < after)
    {
      bad_reply (error, "the call cursor went backwards");
      return NULL;
    }
  array = json_node_get_array (calls);
  page->calls = g_ptr_array_new_full (json_array_get_length (array), (GDestroyNotify)kiosk_sync_call_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      KioskSyncCall *call = parse_call (json_array_get_element (array, i), error);

      if (call == NULL)
        return NULL;
      g_ptr_array_add (page->calls, call);
      if (call->id <= last || call->id > page->cursor)
        {
          bad_reply (error, "a call's id lies outside the page or out of order");
          return NULL;
        }
      last = call->id;
    }
  /* "more" with nothing in it would make the caller ask forever. */
  if (page->more && page->calls->len == 0)
    page->more = FALSE;
  return g_steal_pointer (&page);
}

gboolean
kiosk_sync_parse_heartbeat_reply (const char *data, gsize length, gboolean *sync_now, gint64 *server_time_us,
                                  GError **error)
{
  g_autoptr (JsonNode) root = parse_reply (data, length, error);
  JsonNode *node;

  if (root == NULL)
    return FALSE;
  node = typed_member (json_node_get_object (root), "sync_now", G_TYPE_BOOLEAN);
  *sync_now = node ? json_node_get_boolean (node) : FALSE;
  node = typed_member (json_node_get_object (root), "server_time_us", G_TYPE_INT64);
  *server_time_us = node ? json_node_get_int (node) : 0;
  return TRUE;
}

gboolean
kiosk_sync_parse_public_url (const char *data, gsize length, char **public_url, GError **error)
{
  g_autoptr (JsonNode) root = parse_reply (data, length, error);
  g_autoptr (GError) local = NULL;
  JsonNode *node;
  const char *url;

  *public_url = NULL;
  if (root == NULL)
    return FALSE;
  node = json_object_get_member (json_node_get_object (root), "public_url");
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *public_url = g_strdup ("");
      return TRUE;
    }
  if (typed_member (json_node_get_object (root), "public_url", G_TYPE_STRING) == NULL)
    return bad_reply (error, "\"public_url\" is not a string");
  url = json_node_get_string (node);
  if (!kiosk_qr_check_public_url (url, &local))
    return bad_reply (error, local->message);
  *public_url = g_strdup (url);
  return TRUE;
}

gboolean
kiosk_sync_parse_time (const char *data, gsize length, gint64 *time_us, GError **error)
{
  g_autoptr (JsonNode) root = parse_reply (data, length, error);
  JsonNode *node;

  if (root == NULL)
    return FALSE;
  node = typed_member (json_node_get_object (root), "time_us", G_TYPE_INT64);
  if (node == NULL || json_node_get_int (node) <= 0)
    return bad_reply (error, "no \"time_us\"");
  *time_us = json_node_get_int (node);
  return TRUE;
}

char *
kiosk_sync_parse_error_reason (const char *data, gsize length)
{
  g_autoptr (JsonNode) root = parse_reply (data, length, NULL);
  JsonNode *node;

  if (root == NULL)
    return NULL;
  node = typed_member (json_node_get_object (root), "reason", G_TYPE_STRING);
  return node ? g_strdup (json_node_get_string (node)) : NULL;
}

gint64
kiosk_sync_backoff_delay (guint failures, gint64 min_us, gint64 max_us, double random01)
{
  gint64 delay = MAX (min_us, 1);

  if (failures == 0)
    return 0;
  for (guint i = 1; i < failures && delay < max_us; i++)
    delay *= 2;
  delay = MIN (delay, max_us);
  random01 = CLAMP (random01, 0.0, 1.0);
  return delay / 2 + (gint64)((double)(delay - delay / 2) * random01);
}
