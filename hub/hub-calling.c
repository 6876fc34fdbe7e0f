/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-calling"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "hub-calling.h"
#include "hub-db-published.h"
#include "hub-db.h"
#include "kiosk-lanes.h"

/* The columns of a waiting ticket, read by name. */
#define WAITING_COLUMNS                                                                                      \
  "r.kiosk_id AS kiosk_id, r.uuid::text AS uuid, r.payload->>'label' AS label,"                              \
  " coalesce (s.service, r.payload->>'service') AS service, r.payload->>'lane' AS lane,"                     \
  " (r.payload->>'issued_us')::bigint AS issued_us, r.payload->>'people_ahead' AS people_ahead,"             \
  " r.payload->>'wait_low_minutes' AS wait_low, r.payload->>'wait_high_minutes' AS wait_high"
#define WAITING_FROM                                                                                         \
  " FROM records r LEFT JOIN ticket_states s USING (kiosk_id, uuid)"                                         \
  " WHERE r.kind = 'ticket' AND r.payload->>'service_day' = $1"                                              \
  " AND jsonb_typeof (r.payload->'issued_us') = 'number' AND (s.state IS NULL OR s.state = 'waiting')"
#define WAITING_ORDER " ORDER BY (r.payload->>'issued_us')::bigint, r.payload->>'label', r.uuid"

/* The queue (line of numbers) a ticket waits in: the one it was issued in,
 * or after a transfer the queue the kiosks issue the new service's tickets
 * in (the hub has no other map from services to queues). */
#define TICKET_QUEUE                                                                                         \
  "coalesce (CASE WHEN s.service IS NOT NULL AND s.service <> r.payload->>'service' THEN"                    \
  " (SELECT q.payload->>'queue' FROM records q WHERE q.kind = 'ticket' AND q.payload->>'service' = "         \
  "s.service"                                                                                                \
  " AND q.payload ? 'queue' ORDER BY q.received_at DESC LIMIT 1) END, r.payload->>'queue')"

/* The service's name in @lang as the slip printed it, or after a transfer as
 * the newest slip of the new service printed it; NULL when no kiosk said. */
#define SERVICE_NAME(lang)                                                                                   \
  "CASE WHEN s.service IS NULL OR s.service = r.payload->>'service' THEN r.payload->>'service_" lang "'"     \
  " ELSE (SELECT q.payload->>'service_" lang "' FROM records q WHERE q.kind = 'ticket'"                      \
  " AND q.payload->>'service' = s.service AND q.payload ? 'service_" lang "'"                                \
  " ORDER BY q.received_at DESC LIMIT 1) END"

static const char *const action_names[] = {
  [HUB_CALL_NEXT] = "next",         [HUB_CALL_RECALL] = "recall",   [HUB_CALL_NUMBER] = "call",
  [HUB_CALL_TRANSFER] = "transfer", [HUB_CALL_NO_SHOW] = "no-show", [HUB_CALL_SERVED] = "served",
};

/* The audit table's spelling (SQL identifiers-ish). */
static const char *const audit_names[] = {
  [HUB_CALL_NEXT] = "next",         [HUB_CALL_RECALL] = "recall",   [HUB_CALL_NUMBER] = "call",
  [HUB_CALL_TRANSFER] = "transfer", [HUB_CALL_NO_SHOW] = "no_show", [HUB_CALL_SERVED] = "served",
};

gboolean
hub_call_action_from_string (const char *name, HubCallAction *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_names); i++)
    if (g_strcmp0 (name, action_names[i]) == 0)
      {
        *action = (HubCallAction)i;
        return TRUE;
      }
  return FALSE;
}

const char *
hub_call_action_to_string (HubCallAction action)
{
  g_return_val_if_fail ((guint)action < G_N_ELEMENTS (action_names), NULL);
  return action_names[action];
}

gboolean
hub_public_code_is_valid (const char *code)
{
  if (code == NULL || strlen (code) != 16)
    return FALSE;
  for (const char *p = code; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= '2' && *p <= '7')))
      return FALSE;
  return TRUE;
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

static char *
builder_to_string (JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* The waiting tickets of @res as the interleave sees them; data = row index. */
static GArray *
waiting_from_result (const PGresult *res)
{
  GArray *waiting = g_array_sized_new (FALSE, FALSE, sizeof (KioskWaiting), (guint)PQntuples (res));

  for (int row = 0; row < PQntuples (res); row++)
    {
      KioskWaiting w
          = { KIOSK_LANE_NORMAL, hub_db_get_int (res, row, "issued_us", 0), GINT_TO_POINTER (row) };
      /* An unknown lane (a newer kiosk) waits as normal rather than jumping the line. */
      if (!kiosk_lane_from_string (hub_db_get (res, row, "lane"), &w.lane))
        w.lane = KIOSK_LANE_NORMAL;
      g_array_append_val (waiting, w);
    }
  return waiting;
}

typedef struct
{
  char *name_zh;
  char *name_en;
  guint priority_run;
  guint max_priority_run;
} Desk;

static void
desk_clear (Desk *desk)
{
  g_free (desk->name_zh);
  g_free (desk->name_en);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Desk, desk_clear)

static gboolean
load_desk (PGconn *conn, const char *desk_id, gboolean for_update, Desk *desk, GError **error)
{
  const char *params[] = { desk_id };
  g_autoptr (PGresult) res = hub_db_query (
      conn,
      for_update ? "SELECT name_zh, name_en, priority_run, max_priority_run FROM counters WHERE id = $1 "
                   "FOR UPDATE"
                 : "SELECT name_zh, name_en, priority_run, max_priority_run FROM counters WHERE id = $1",
      1, params, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) != 1)
    {
      g_set_error (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此窗口 / No such counter: %s", desk_id);
      return FALSE;
    }
  desk->name_zh = g_strdup (hub_db_get (res, 0, "name_zh"));
  desk->name_en = g_strdup (hub_db_get (res, 0, "name_en"));
  desk->priority_run = (guint)hub_db_get_int (res, 0, "priority_run", 0);
  desk->max_priority_run = (guint)hub_db_get_int (res, 0, "max_priority_run", 0);
  return TRUE;
}

/* The desk's ticket being called (kiosk_id, uuid, label, service, lane); no rows when none. */
static PGresult *
current_ticket (PGconn *conn, const char *desk_id, GError **error)
{
  const char *params[] = { desk_id };
  return hub_db_query (conn,
                       "SELECT s.kiosk_id AS kiosk_id, s.uuid::text AS uuid, r.payload->>'label' AS label,"
                       " s.service AS service, r.payload->>'lane' AS lane"
                       " FROM ticket_states s JOIN records r USING (kiosk_id, uuid)"
                       " WHERE s.desk_id = $1 AND s.state = 'called' ORDER BY s.called_at DESC",
                       1, params, error);
}

static gboolean
audit (PGconn *conn, const char *desk_id, const char *action, const char *kiosk_id, const char *uuid,
       const char *label, const char *detail, GError **error)
{
  const char *params[] = { desk_id, action, kiosk_id, uuid, label, detail ? detail : "{}" };
  return hub_db_command (conn,
                         "INSERT INTO counter_actions (desk_id, action, kiosk_id, uuid, label, detail)"
                         " VALUES ($1, $2, $3, $4::uuid, $5, $6::jsonb)",
                         6, params, error);
}

static gboolean
set_state (PGconn *conn, const char *kiosk_id, const char *uuid, const char *service, const char *state,
           const char *desk_id, GError **error)
{
  const char *params[] = { kiosk_id, uuid, service, state, desk_id };
  return hub_db_command (
      conn,
      "INSERT INTO ticket_states (kiosk_id, uuid, service, state, desk_id, called_at)"
      " VALUES ($1, $2::uuid, $3, $4, $5, CASE WHEN $4 = 'called' THEN now () END)"
      " ON CONFLICT (kiosk_id, uuid) DO UPDATE SET service = EXCLUDED.service,"
      " state = EXCLUDED.state, desk_id = EXCLUDED.desk_id, updated_at = now (),"
      " called_at = CASE WHEN EXCLUDED.state = 'called' THEN now () ELSE ticket_states.called_at END",
      5, params, error);
}

/* Marks every ticket still called at the desk as @state ('served', 'no_show'). */
static gboolean
finish_current (PGconn *conn, const char *desk_id, const PGresult *current, const char *state,
                const char *detail, GError **error)
{
  for (int row = 0; row < PQntuples (current); row++)
    {
      const char *kiosk = hub_db_get (current, row, "kiosk_id"), *uuid = hub_db_get (current, row, "uuid");
      if (!set_state (conn, kiosk, uuid, hub_db_get (current, row, "service"), state, desk_id, error)
          || !audit (conn, desk_id, state, kiosk, uuid, hub_db_get (current, row, "label"), detail, error))
        return FALSE;
    }
  return TRUE;
}

static PGresult *
waiting_for_desk (PGconn *conn, const char *desk_id, const char *service_day, GError **error)
{
  const char *params[] = { service_day, desk_id };
  return hub_db_query (conn,
                       "SELECT " WAITING_COLUMNS WAITING_FROM
                       " AND coalesce (s.service, r.payload->>'service')"
                       " = ANY (SELECT unnest (services) FROM counters WHERE id = $2)" WAITING_ORDER,
                       2, params, error);
}

static char *
event_json (const char *type, HubCallAction action, const char *desk_id, const Desk *desk, const char *label,
            const char *service)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *zh = NULL, *en = NULL;

  if (label != NULL)
    {
      zh = g_strdup_printf ("请 %s 号到 %s", label, desk->name_zh);
      en = g_strdup_printf ("Number %s, please go to %s", label, desk->name_en);
    }
  json_builder_begin_object (b);
  add_string (b, "type", type);
  add_string (b, "action", hub_call_action_to_string (action));
  add_string (b, "desk", desk_id);
  add_string (b, "desk_zh", desk->name_zh);
  add_string (b, "desk_en", desk->name_en);
  add_string (b, "label", label);
  add_string (b, "service", service);
  json_builder_set_member_name (b, "recall");
  json_builder_add_boolean_value (b, action == HUB_CALL_RECALL);
  add_string (b, "text_zh", zh);
  add_string (b, "text_en", en);
  json_builder_set_member_name (b, "at_us");
  json_builder_add_int_value (b, g_get_real_time ());
  json_builder_end_object (b);
  return builder_to_string (b);
}

static gboolean
no_current (const PGresult *current, GError **error)
{
  if (PQntuples (current) > 0)
    return FALSE;
  g_set_error_literal (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有正在呼叫的号 / No ticket is being called");
  return TRUE;
}

static char *
act_locked (PGconn *conn, const char *desk_id, HubCallAction action, const char *argument,
            const char *service_day, GError **error)
{
  g_auto (Desk) desk = { 0 };
  g_autoptr (PGresult) current = NULL;
  g_autoptr (PGresult) waiting = NULL;
  g_autoptr (GArray) lanes = NULL;
  g_autofree char *detail = NULL, *run_text = NULL;
  const char *kiosk, *uuid, *label, *service;
  int pick = -1;
  KioskLane lane;

  if (!load_desk (conn, desk_id, TRUE, &desk, error)
      || (current = current_ticket (conn, desk_id, error)) == NULL)
    return NULL;

  switch (action)
    {
      case HUB_CALL_RECALL:
        if (no_current (current, error))
          return NULL;
        label = hub_db_get (current, 0, "label");
        if (!audit (conn, desk_id, "recall", hub_db_get (current, 0, "kiosk_id"),
                    hub_db_get (current, 0, "uuid"), label, NULL, error))
          return NULL;
        return event_json ("call", action, desk_id, &desk, label, hub_db_get (current, 0, "service"));

      case HUB_CALL_SERVED:
      case HUB_CALL_NO_SHOW:
        if (no_current (current, error)
            || !finish_current (conn, desk_id, current, audit_names[action], NULL, error))
          return NULL;
        return event_json ("update", action, desk_id, &desk, hub_db_get (current, 0, "label"),
                           hub_db_get (current, 0, "service"));

      case HUB_CALL_TRANSFER:
        if (argument == NULL || *argument == '\0' || strlen (argument) > 64)
          {
            g_set_error_literal (error, HUB_ERROR, HUB_ERROR_MISSING_FIELD,
                                 "请选择业务 / Name the service to transfer to");
            return NULL;
          }
        if (no_current (current, error))
          return NULL;
        kiosk = hub_db_get (current, 0, "kiosk_id");
        uuid = hub_db_get (current, 0, "uuid");
        label = hub_db_get (current, 0, "label");
        {
          g_autoptr (JsonBuilder) b = json_builder_new ();
          json_builder_begin_object (b);
          add_string (b, "from", hub_db_get (current, 0, "service"));
          add_string (b, "to", argument);
          json_builder_end_object (b);
          detail = builder_to_string (b);
        }
        if (!set_state (conn, kiosk, uuid, argument, "waiting", NULL, error)
            || !audit (conn, desk_id, "transfer", kiosk, uuid, label, detail, error))
          return NULL;
        return event_json ("update", action, desk_id, &desk, label, argument);

      case HUB_CALL_NEXT:
      case HUB_CALL_NUMBER:
        if (action == HUB_CALL_NUMBER && (argument == NULL || *argument == '\0'))
          {
            g_set_error_literal (error, HUB_ERROR, HUB_ERROR_MISSING_FIELD,
                                 "请输入号码 / Give the number to call");
            return NULL;
          }
        if (!finish_current (conn, desk_id, current, "served", "{\"implicit\":true}", error)
            || (waiting = waiting_for_desk (conn, desk_id, service_day, error)) == NULL)
          return NULL;
        if (action == HUB_CALL_NEXT)
          {
            lanes = waiting_from_result (waiting);
            pick = kiosk_lanes_pick ((KioskWaiting *)(void *)lanes->data, lanes->len, desk.priority_run,
                                     desk.max_priority_run);
            if (pick < 0)
              return event_json ("update", action, desk_id, &desk, NULL, NULL);
          }
        else
          {
            for (int row = 0; row < PQntuples (waiting) && pick < 0; row++)
              if (g_ascii_strcasecmp (hub_db_get (waiting, row, "label"), argument) == 0)
                pick = row;
            if (pick < 0)
              {
                g_set_error (error, HUB_ERROR, HUB_ERROR_NOT_FOUND,
                             "此号不在等候中 / Number %s is not waiting for this counter", argument);
                return NULL;
              }
          }
        kiosk = hub_db_get (waiting, pick, "kiosk_id");
        uuid = hub_db_get (waiting, pick, "uuid");
        label = hub_db_get (waiting, pick, "label");
        service = hub_db_get (waiting, pick, "service");
        if (!kiosk_lane_from_string (hub_db_get (waiting, pick, "lane"), &lane))
          lane = KIOSK_LANE_NORMAL;
        run_text = g_strdup_printf ("%u", kiosk_lanes_run_after (desk.priority_run, lane));
        {
          const char *params[] = { desk_id, run_text };
          if (!set_state (conn, kiosk, uuid, service, "called", desk_id, error)
              || !audit (conn, desk_id, audit_names[action], kiosk, uuid, label, NULL, error)
              || !hub_db_command (conn, "UPDATE counters SET priority_run = $2::int WHERE id = $1", 2, params,
                                  error))
            return NULL;
        }
        return event_json ("call", action, desk_id, &desk, label, service);
    }
  g_assert_not_reached ();
}

typedef struct
{
  const char *desk_id;
  HubCallAction action;
  const char *argument;
  const char *service_day;
  char *event; /* owned */
} Act;

static gboolean
act_work (PGconn *conn, gpointer user_data, GError **error)
{
  Act *act = user_data;
  act->event = act_locked (conn, act->desk_id, act->action, act->argument, act->service_day, error);
  return act->event != NULL;
}

char *
hub_calling_act (PGconn *conn, const char *desk_id, HubCallAction action, const char *argument,
                 const char *service_day, GError **error)
{
  Act act = { desk_id, action, argument, service_day, NULL };

  /* Under the calling lock: two desks pressing Next at once never call the same ticket. */
  if (!hub_db_transaction (conn, HUB_DB_LOCK_CALLING, act_work, &act, error))
    {
      g_free (act.event);
      return NULL;
    }
  return act.event;
}

/* "names": {"<service id>": {"zh":…,"en":…}} for every service the
 * published content names: the counter page shows names, not ids. */
static gboolean
add_service_names (PGconn *conn, JsonBuilder *b, GError **error)
{
  g_autoptr (PGresult) names = hub_db_service_names (conn, error);

  if (names == NULL)
    return FALSE;
  json_builder_set_member_name (b, "names");
  json_builder_begin_object (b);
  for (int row = 0; row < PQntuples (names); row++)
    {
      json_builder_set_member_name (b, hub_db_get (names, row, "id"));
      json_builder_begin_object (b);
      add_string (b, "zh", hub_db_get (names, row, "name_zh"));
      add_string (b, "en", hub_db_get (names, row, "name_en"));
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  return TRUE;
}

char *
hub_calling_desk_json (PGconn *conn, const char *desk_id, const char *service_day, GError **error)
{
  g_auto (Desk) desk = { 0 };
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (PGresult) services = NULL, current = NULL, waiting = NULL;
  const char *params[] = { desk_id };

  if (!load_desk (conn, desk_id, FALSE, &desk, error)
      || (services = hub_db_query (conn, "SELECT unnest (services) AS service FROM counters WHERE id = $1", 1,
                                   params, error))
             == NULL
      || (current = current_ticket (conn, desk_id, error)) == NULL
      || (waiting = waiting_for_desk (conn, desk_id, service_day, error)) == NULL)
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "desk");
  json_builder_begin_object (b);
  add_string (b, "id", desk_id);
  add_string (b, "name_zh", desk.name_zh);
  add_string (b, "name_en", desk.name_en);
  json_builder_set_member_name (b, "services");
  json_builder_begin_array (b);
  for (int row = 0; row < PQntuples (services); row++)
    json_builder_add_string_value (b, hub_db_get (services, row, "service"));
  json_builder_end_array (b);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "current");
  if (PQntuples (current) > 0)
    {
      json_builder_begin_object (b);
      add_string (b, "label", hub_db_get (current, 0, "label"));
      add_string (b, "service", hub_db_get (current, 0, "service"));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);

  json_builder_set_member_name (b, "waiting");
  json_builder_begin_array (b);
  for (int row = 0; row < PQntuples (waiting); row++)
    {
      json_builder_begin_object (b);
      add_string (b, "label", hub_db_get (waiting, row, "label"));
      add_string (b, "service", hub_db_get (waiting, row, "service"));
      add_string (b, "lane", hub_db_get (waiting, row, "lane"));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (!add_service_names (conn, b, error))
    return NULL;
  json_builder_end_object (b);
  return builder_to_string (b);
}

char *
hub_calling_display_json (PGconn *conn, const char *hall, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  /* Each ticket once, at its latest call: a recall moves it back to the top
   * rather than showing it twice. A label names one ticket in a day. */
  g_autoptr (PGresult) calls
      = hub_db_query (conn,
                      "SELECT label, desk_id, name_zh, name_en, at_us FROM"
                      " (SELECT DISTINCT ON (a.label) a.id, a.label, a.desk_id, c.name_zh, c.name_en,"
                      "    (extract (epoch FROM a.at) * 1000000)::bigint AS at_us"
                      "  FROM counter_actions a JOIN counters c ON c.id = a.desk_id"
                      "  WHERE a.action IN ('next', 'recall', 'call') AND a.at > now () - interval '1 day'"
                      "  ORDER BY a.label, a.id DESC) latest"
                      " ORDER BY id DESC LIMIT 5",
                      0, NULL, error);
  g_autoptr (PGresult) notes = NULL;

  if (calls == NULL || (notes = hub_db_announcements (conn, hall, error)) == NULL)
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "calls");
  json_builder_begin_array (b);
  for (int row = 0; row < PQntuples (calls); row++)
    {
      const char *label = hub_db_get (calls, row, "label");
      const char *name_zh = hub_db_get (calls, row, "name_zh"), *name_en = hub_db_get (calls, row, "name_en");
      g_autofree char *zh = g_strdup_printf ("请 %s 号到 %s", label, name_zh);
      g_autofree char *en = g_strdup_printf ("Number %s, please go to %s", label, name_en);
      json_builder_begin_object (b);
      add_string (b, "label", label);
      add_string (b, "desk", hub_db_get (calls, row, "desk_id"));
      add_string (b, "desk_zh", name_zh);
      add_string (b, "desk_en", name_en);
      add_string (b, "text_zh", zh);
      add_string (b, "text_en", en);
      json_builder_set_member_name (b, "at_us");
      json_builder_add_int_value (b, hub_db_get_int (calls, row, "at_us", 0));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "announcements");
  json_builder_begin_array (b);
  for (int row = 0; row < PQntuples (notes); row++)
    {
      json_builder_begin_object (b);
      add_string (b, "id", hub_db_get (notes, row, "id"));
      add_string (b, "title_zh", hub_db_get (notes, row, "title_zh"));
      add_string (b, "title_en", hub_db_get (notes, row, "title_en"));
      add_string (b, "body_zh", hub_db_get (notes, row, "body_zh"));
      add_string (b, "body_en", hub_db_get (notes, row, "body_en"));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return builder_to_string (b);
}

/* The kiosk's estimate scaled to the people ahead now: it estimated
 * [low, high] minutes for @then people ahead; each of them is worth the same. */
static int
scale_wait (const char *estimate, const char *then, guint now)
{
  int minutes = estimate ? atoi (estimate) : -1;
  int ahead = then ? atoi (then) : 0;

  if (minutes < 0)
    return -1;
  if (ahead <= 0)
    return now == 0 ? 0 : minutes;
  return (int)((gint64)minutes * now / ahead);
}

char *
hub_calling_ticket_json (PGconn *conn, const char *public_code, const char *service_day, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (PGresult) ticket = NULL, waiting = NULL, names = NULL;
  const char *params[] = { public_code };
  const char *state, *service, *service_zh, *service_en;
  int low = -1, high = -1;
  guint ahead = 0;

  if (!hub_public_code_is_valid (public_code))
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此号 / No such ticket");
      return NULL;
    }
  ticket = hub_db_query (
      conn,
      "SELECT r.kiosk_id AS kiosk_id, r.uuid::text AS uuid, r.payload->>'label' AS label,"
      " coalesce (s.service, r.payload->>'service') AS service, coalesce (s.state, 'waiting') AS state,"
      " c.id AS desk_id, c.name_zh, c.name_en, r.payload->>'service_day' AS service_day,"
      " " TICKET_QUEUE " AS queue, " SERVICE_NAME ("zh") " AS service_zh, " SERVICE_NAME (
          "en") " AS service_en"
                " FROM records r LEFT JOIN ticket_states s USING (kiosk_id, uuid)"
                " LEFT JOIN counters c ON c.id = s.desk_id"
                " WHERE r.kind = 'ticket' AND r.payload->>'public_code' = $1",
      1, params, error);
  if (ticket == NULL)
    return NULL;
  if (PQntuples (ticket) != 1)
    {
      g_set_error_literal (error, HUB_ERROR, HUB_ERROR_NOT_FOUND, "没有此号 / No such ticket");
      return NULL;
    }
  state = hub_db_get (ticket, 0, "state");
  service = hub_db_get (ticket, 0, "service");

  if (g_str_equal (state, "waiting") && g_strcmp0 (hub_db_get (ticket, 0, "service_day"), service_day) == 0)
    {
      const char *wparams[] = { service_day, hub_db_get (ticket, 0, "queue") };
      g_autoptr (GArray) lanes = NULL;
      int index = -1;

      /* The whole line of numbers, not the service alone: kiosk-lanes.h. */
      waiting = hub_db_query (
          conn, "SELECT " WAITING_COLUMNS WAITING_FROM " AND " TICKET_QUEUE " = $2" WAITING_ORDER, 2, wparams,
          error);
      if (waiting == NULL)
        return NULL;
      lanes = waiting_from_result (waiting);
      for (int row = 0; row < PQntuples (waiting); row++)
        if (g_str_equal (hub_db_get (waiting, row, "uuid"), hub_db_get (ticket, 0, "uuid"))
            && g_str_equal (hub_db_get (waiting, row, "kiosk_id"), hub_db_get (ticket, 0, "kiosk_id")))
          index = row;
      if (index >= 0)
        {
          ahead = kiosk_lanes_people_ahead ((KioskWaiting *)(void *)lanes->data, lanes->len, (guint)index,
                                            KIOSK_LANES_DEFAULT_MAX_PRIORITY_RUN);
          low = scale_wait (hub_db_get (waiting, index, "wait_low"),
                            hub_db_get (waiting, index, "people_ahead"), ahead);
          high = scale_wait (hub_db_get (waiting, index, "wait_high"),
                             hub_db_get (waiting, index, "people_ahead"), ahead);
        }
    }

  service_zh = hub_db_get (ticket, 0, "service_zh");
  service_en = hub_db_get (ticket, 0, "service_en");
  if (service_zh == NULL && (names = hub_db_service_names (conn, error)) == NULL)
    return NULL;
  /* No kiosk sent the names (an older kiosk): the published content's. */
  for (int row = 0; service_zh == NULL && row < PQntuples (names); row++)
    if (g_strcmp0 (hub_db_get (names, row, "id"), service) == 0)
      {
        service_zh = hub_db_get (names, row, "name_zh");
        service_en = hub_db_get (names, row, "name_en");
      }

  json_builder_begin_object (b);
  add_string (b, "label", hub_db_get (ticket, 0, "label"));
  add_string (b, "service", service);
  add_string (b, "service_zh", service_zh);
  add_string (b, "service_en", service_en);
  add_string (b, "state", state);
  json_builder_set_member_name (b, "people_ahead");
  json_builder_add_int_value (b, ahead);
  json_builder_set_member_name (b, "wait_low_minutes");
  json_builder_add_int_value (b, low);
  json_builder_set_member_name (b, "wait_high_minutes");
  json_builder_add_int_value (b, high);
  /* A ticket of another day waits for nothing: the page says it expired. */
  json_builder_set_member_name (b, "today");
  json_builder_add_boolean_value (b, g_strcmp0 (hub_db_get (ticket, 0, "service_day"), service_day) == 0);
  json_builder_set_member_name (b, "desk");
  if (hub_db_get (ticket, 0, "desk_id") != NULL && !g_str_equal (state, "waiting"))
    {
      json_builder_begin_object (b);
      add_string (b, "id", hub_db_get (ticket, 0, "desk_id"));
      add_string (b, "name_zh", hub_db_get (ticket, 0, "name_zh"));
      add_string (b, "name_en", hub_db_get (ticket, 0, "name_en"));
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return builder_to_string (b);
}

char *
hub_calling_lines_json (PGconn *conn, const char *service_day, const char *hall, GError **error)
{
  const char *params[] = { service_day, hall };
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (PGresult) waiting = hub_db_query (
      conn,
      "SELECT " WAITING_COLUMNS ", " TICKET_QUEUE " AS queue" WAITING_FROM " AND " TICKET_QUEUE " IS NOT NULL"
      " AND ($2::text IS NULL OR r.payload->>'hall' = $2)"
      " ORDER BY queue, (r.payload->>'issued_us')::bigint, r.payload->>'label', r.uuid",
      2, params, error);
  int row = 0;

  if (waiting == NULL)
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "lines");
  json_builder_begin_array (b);
  while (row < PQntuples (waiting))
    {
      const char *queue = hub_db_get (waiting, row, "queue");
      const char *label = hub_db_get (waiting, row, "label");
      guint normal = 0, priority = 0;
      char prefix[2] = { label != NULL && g_ascii_isalpha (label[0]) ? label[0] : '\0', '\0' };

      for (; row < PQntuples (waiting) && g_str_equal (hub_db_get (waiting, row, "queue"), queue); row++)
        {
          KioskLane lane;

          if (!kiosk_lane_from_string (hub_db_get (waiting, row, "lane"), &lane))
            lane = KIOSK_LANE_NORMAL;
          if (kiosk_lane_is_priority (lane))
            priority++;
          else
            normal++;
        }
      json_builder_begin_object (b);
      add_string (b, "queue", queue);
      add_string (b, "prefix", prefix[0] != '\0' ? prefix : NULL);
      json_builder_set_member_name (b, "waiting");
      json_builder_add_int_value (b, normal + priority);
      json_builder_set_member_name (b, "people_ahead");
      json_builder_add_int_value (b,
                                  kiosk_lanes_people_ahead_of_newest (normal, priority, KIOSK_LANE_NORMAL,
                                                                      KIOSK_LANES_DEFAULT_MAX_PRIORITY_RUN));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return builder_to_string (b);
}
