/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-proto"

#include <string.h>

#include "hub-proto.h"

GQuark
hub_error_quark (void)
{
  return g_quark_from_static_string ("hub-error-quark");
}

static const char *const record_kinds[] = { "ticket", "entry", "status", "call" };

gboolean
hub_record_kind_is_valid (const char *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (record_kinds); i++)
    if (g_strcmp0 (kind, record_kinds[i]) == 0)
      return TRUE;
  return FALSE;
}

void
hub_record_batch_free (HubRecordBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->records_json);
  g_clear_pointer (&batch->uuids, g_ptr_array_unref);
  g_free (batch);
}

/* json-glib would cut a string at "\u0000" and PostgreSQL's jsonb refuses
 * it: find the escape (an odd run of backslashes before "u0000"). */
static gboolean
has_nul_escape (const char *data, gsize length)
{
  const char *end = data + length, *p = data;

  while ((p = memchr (p, 'u', (gsize)(end - p))) != NULL)
    {
      gsize slashes = 0;

      for (gsize i = (gsize)(p - data); i > 0 && data[i - 1] == '\\'; i--)
        slashes++;
      if (slashes % 2 == 1 && end - p >= 5 && memcmp (p + 1, "0000", 4) == 0)
        return TRUE;
      p++;
    }
  return FALSE;
}

/* The body as a JSON object, or an error naming why not. */
static JsonNode *
parse_object (const char *data, gsize length, const HubLimits *limits, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local = NULL;
  JsonNode *root;

  if (length > limits->max_bytes)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_TOO_LARGE,
                   "请求过大 / Request too large: %" G_GSIZE_FORMAT " bytes, limit %" G_GSIZE_FORMAT, length,
                   limits->max_bytes);
      return NULL;
    }
  /* json-glib wants UTF-8 and stops at a NUL; say so instead of guessing. */
  if (length == 0 || !g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_INVALID_JSON,
                           "请求不是有效的 JSON / Request is not valid JSON: empty or not UTF-8");
      return NULL;
    }

  if (has_nul_escape (data, length))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                           "字符串含 NUL / Strings must not contain \\u0000");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize)length, &local))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_INVALID_JSON,
                   "请求不是有效的 JSON / Request is not valid JSON: %s", local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_INVALID_JSON,
                           "请求须为 JSON 对象 / Request must be a JSON object");
      return NULL;
    }
  return json_node_ref (root);
}

static const char *
member_string (JsonObject *object, const char *name, guint index, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_MISSING_FIELD, "缺少字段 / Missing field: records[%u].%s",
                   index, name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                   "字段类型错误 / Field must be a string: records[%u].%s", index, name);
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
check_record (JsonNode *element, guint index, JsonBuilder *out, GPtrArray *uuids, GError **error)
{
  JsonObject *object;
  JsonNode *payload;
  const char *uuid, *kind;

  if (!JSON_NODE_HOLDS_OBJECT (element))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD, "记录须为对象 / records[%u] must be an object",
                   index);
      return FALSE;
    }
  object = json_node_get_object (element);

  if ((uuid = member_string (object, "uuid", index, error)) == NULL)
    return FALSE;
  if (!g_uuid_string_is_valid (uuid))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD, "UUID 无效 / records[%u].uuid is not a UUID",
                   index);
      return FALSE;
    }
  if ((kind = member_string (object, "kind", index, error)) == NULL)
    return FALSE;
  if (!hub_record_kind_is_valid (kind))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                   "记录类型未知 / records[%u].kind must be ticket, entry, status or call", index);
      return FALSE;
    }
  payload = json_object_get_member (object, "payload");
  if (payload == NULL)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_MISSING_FIELD, "缺少字段 / Missing field: records[%u].payload",
                   index);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (payload))
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                   "字段类型错误 / Field must be an object: records[%u].payload", index);
      return FALSE;
    }

  /* Lower case, so "ABC…" and "abc…" are one record in the database too. */
  g_ptr_array_add (uuids, g_ascii_strdown (uuid, -1));
  json_builder_begin_object (out);
  json_builder_set_member_name (out, "uuid");
  json_builder_add_string_value (out, g_ptr_array_index (uuids, uuids->len - 1));
  json_builder_set_member_name (out, "kind");
  json_builder_add_string_value (out, kind);
  json_builder_set_member_name (out, "payload");
  json_builder_add_value (out, json_node_copy (payload));
  json_builder_end_object (out);
  return TRUE;
}

HubRecordBatch *
hub_record_batch_parse (const char *data, gsize length, const HubLimits *limits, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autoptr (JsonNode) built = NULL;
  g_autoptr (HubRecordBatch) batch = NULL;
  JsonNode *records;
  JsonArray *array;
  guint n;

  root = parse_object (data, length, limits, error);
  if (root == NULL)
    return NULL;

  records = json_object_get_member (json_node_get_object (root), "records");
  if (records == NULL)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_MISSING_FIELD, "缺少字段 / Missing field: records");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (records))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                           "字段类型错误 / Field must be an array: records");
      return NULL;
    }
  array = json_node_get_array (records);
  n = json_array_get_length (array);
  if (n > limits->max_records)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_TOO_LARGE, "记录过多 / Too many records: %u, limit %u", n,
                   limits->max_records);
      return NULL;
    }

  batch = g_new0 (HubRecordBatch, 1);
  batch->uuids = g_ptr_array_new_full (n, g_free);
  builder = json_builder_new_immutable ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    if (!check_record (json_array_get_element (array, i), i, builder, batch->uuids, error))
      return NULL;
  json_builder_end_array (builder);

  built = json_builder_get_root (builder);
  batch->records_json = json_to_string (built, FALSE);
  batch->n_records = n;
  return g_steal_pointer (&batch);
}

void
hub_heartbeat_free (HubHeartbeat *hb)
{
  if (hb == NULL)
    return;
  g_free (hb->heartbeat_json);
  g_free (hb);
}

typedef struct
{
  const char *name;
  GType type; /* G_TYPE_STRING, G_TYPE_INT64, or G_TYPE_BOOLEAN; G_TYPE_OBJECT: a JSON object */
  gboolean required;
} HeartbeatField;

/* What a kiosk reports; other members are kept as sent. */
static const HeartbeatField heartbeat_fields[] = {
  { "software_version", G_TYPE_STRING, TRUE }, { "content_release", G_TYPE_STRING, FALSE },
  { "uptime_s", G_TYPE_INT64, TRUE },          { "rss_kb", G_TYPE_INT64, FALSE },
  { "printer", G_TYPE_OBJECT, FALSE },         { "reader", G_TYPE_OBJECT, FALSE },
  { "last_touch_us", G_TYPE_INT64, FALSE },    { "member_cursor", G_TYPE_INT64, FALSE },
};

static gboolean
field_has_type (JsonNode *node, GType type)
{
  if (type == G_TYPE_OBJECT)
    return JSON_NODE_HOLDS_OBJECT (node);
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

HubHeartbeat *
hub_heartbeat_parse (const char *data, gsize length, const HubLimits *limits, GError **error)
{
  g_autoptr (JsonNode) root = parse_object (data, length, limits, error);
  g_autoptr (HubHeartbeat) hb = NULL;
  JsonObject *object;

  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  for (guint i = 0; i < G_N_ELEMENTS (heartbeat_fields); i++)
    {
      const HeartbeatField *f = &heartbeat_fields[i];
      JsonNode *node = json_object_get_member (object, f->name);

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (f->required)
            {
              g_set_error (error, HUB_ERROR, HUB_ERROR_MISSING_FIELD, "缺少字段 / Missing field: %s",
                           f->name);
              return NULL;
            }
          continue;
        }
      if (!field_has_type (node, f->type))
        {
          g_set_error (error, HUB_ERROR, HUB_ERROR_BAD_FIELD, "字段类型错误 / Field has the wrong type: %s",
                       f->name);
          return NULL;
        }
    }

  hb = g_new0 (HubHeartbeat, 1);
  hb->member_cursor = json_object_has_member (object, "member_cursor")
                              && !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "member_cursor"))
                          ? json_object_get_int_member (object, "member_cursor")
                          : -1;
  hb->heartbeat_json = json_to_string (root, FALSE);
  return g_steal_pointer (&hb);
}

gboolean
hub_parse_cursor (const char *text, gint64 *cursor, GError **error)
{
  guint64 value = 0;

  if (text == NULL)
    {
      *cursor = 0;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_BAD_FIELD,
                           "游标无效 / cursor must be a non-negative integer");
      return FALSE;
    }
  *cursor = (gint64)value;
  return TRUE;
}

guint
hub_error_http_status (const GError *error)
{
  if (error->domain != HUB_ERROR)
    return 500;
  switch ((HubErrorCode)error->code)
    {
      case HUB_ERROR_INVALID_JSON:
      case HUB_ERROR_MISSING_FIELD:
      case HUB_ERROR_BAD_FIELD:
        return 400;
      case HUB_ERROR_TOO_LARGE:
        return 413;
      case HUB_ERROR_UNKNOWN_KIOSK:
      case HUB_ERROR_REVOKED:
        return 403;
      case HUB_ERROR_NOT_FOUND:
        return 404;
      case HUB_ERROR_METHOD:
        return 405;
      case HUB_ERROR_UNAVAILABLE:
        return 503;
      case HUB_ERROR_CONFLICT:
        return 409;
      case HUB_ERROR_UNAUTHENTICATED:
        return 401;
      case HUB_ERROR_FORBIDDEN:
        return 403;
      case HUB_ERROR_LOCKED:
        return 429;
      default:
        return 500;
    }
}

const char *
hub_error_code_name (const GError *error)
{
  static const char *const names[] = {
    [HUB_ERROR_INVALID_JSON] = "invalid-json",
    [HUB_ERROR_MISSING_FIELD] = "missing-field",
    [HUB_ERROR_BAD_FIELD] = "bad-field",
    [HUB_ERROR_TOO_LARGE] = "too-large",
    [HUB_ERROR_UNKNOWN_KIOSK] = "unknown-kiosk",
    [HUB_ERROR_REVOKED] = "revoked",
    [HUB_ERROR_NOT_FOUND] = "not-found",
    [HUB_ERROR_METHOD] = "method-not-allowed",
    [HUB_ERROR_UNAVAILABLE] = "unavailable",
    [HUB_ERROR_CONFLICT] = "conflict",
    [HUB_ERROR_UNAUTHENTICATED] = "unauthenticated",
    [HUB_ERROR_FORBIDDEN] = "forbidden",
    [HUB_ERROR_LOCKED] = "locked",
  };

  if (error->domain == HUB_ERROR && error->code >= 0 && (gsize)error->code < G_N_ELEMENTS (names))
    return names[error->code];
  return "internal";
}

char *
hub_error_to_json (const GError *error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, hub_error_code_name (error));
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, error->message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

char *
hub_accepted_to_json (GPtrArray *uuids)
{
  /* UUIDs were validated: no escaping needed, and this is the hot path. */
  GString *out = g_string_sized_new (16 + uuids->len * 39);

  g_string_append (out, "{\"accepted\":[");
  for (guint i = 0; i < uuids->len; i++)
    g_string_append_printf (out, "%s\"%s\"", i ? "," : "", (const char *)g_ptr_array_index (uuids, i));
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

char *
hub_heartbeat_reply_json (gboolean sync_now, gint64 server_time_us, const char *public_url)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sync_now");
  json_builder_add_boolean_value (b, sync_now);
  json_builder_set_member_name (b, "server_time_us");
  json_builder_add_int_value (b, server_time_us);
  json_builder_set_member_name (b, "public_url");
  if (public_url != NULL && *public_url != '\0')
    json_builder_add_string_value (b, public_url);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}
