/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libpq-fe.h>

#include "hub-proto.h"

G_BEGIN_DECLS

/* What staff at a counter can do. */
typedef enum
{
  HUB_CALL_NEXT,     /* call the next waiting ticket, by the lane interleave */
  HUB_CALL_RECALL,   /* announce the ticket being called again */
  HUB_CALL_NUMBER,   /* call a given waiting number ("A023") */
  HUB_CALL_TRANSFER, /* send the ticket being called back to wait in another service */
  HUB_CALL_NO_SHOW,  /* nobody came */
  HUB_CALL_SERVED,   /* done */
} HubCallAction;

/* "next", "recall", "call", "transfer", "no-show", "served" (URL names). */
gboolean hub_call_action_from_string (const char *name, HubCallAction *action);
const char *hub_call_action_to_string (HubCallAction action);

/* A public code as kiosk_ticket_public_code() makes them: 16 of A–Z 2–7. Pure. */
gboolean hub_public_code_is_valid (const char *code);

/* Runs @action for @desk_id in one transaction, with an audit row for every
 * ticket it changes. @argument: the number for HUB_CALL_NUMBER, the service
 * for HUB_CALL_TRANSFER, else ignored. @service_day: local "YYYY-MM-DD";
 * only that day's tickets are called. Before NEXT and NUMBER, a ticket still
 * being called at the desk counts as served.
 *
 * Returns the event, a JSON object: {"type":"call"|"update","action":…,
 * "desk":…,"desk_zh":…,"desk_en":…,"label":…|null,"service":…,"recall":bool,
 * "text_zh":…,"text_en":…,"at_us":…}. "call" events are announced. */
char *hub_calling_act (PGconn *conn, const char *desk_id, HubCallAction action, const char *argument,
                       const char *service_day, GError **error);

/* The counter page: {"desk":{id,name_zh,name_en,services:[…]},
 * "current":{label,service}|null,"waiting":[{label,service,lane},…],
 * "names":{"<service id>":{zh,en},…}} (the names the published content gives). */
char *hub_calling_desk_json (PGconn *conn, const char *desk_id, const char *service_day, GError **error);

/* The hall display: {"calls":[newest first, up to 5, each ticket once],
 * "announcements":[{id,title_zh,title_en,body_zh,body_en}]}: the
 * announcements valid now in the content published for @hall (NULL: for the
 * centre, hub_db_announcements()). */
char *hub_calling_display_json (PGconn *conn, const char *hall, GError **error);

/* The live ticket page for a valid public code: {"label","service",
 * "service_zh","service_en" (the names its slip printed; null when the kiosk
 * did not send them),"state","people_ahead","wait_low_minutes",
 * "wait_high_minutes","today" (issued for today's service day),
 * "desk":{…}|null}. people_ahead is
 * kiosk_lanes_people_ahead() over the waiting tickets of the ticket's queue,
 * as its slip counted. Nothing personal. HUB_ERROR_NOT_FOUND for an unknown
 * code. */
char *hub_calling_ticket_json (PGconn *conn, const char *public_code, const char *service_day,
                               GError **error);

/* The hall display's lines of numbers today (of @hall's tickets; NULL: all):
 * {"lines":[{"queue","prefix","waiting","people_ahead"},…]}, people_ahead being
 * kiosk_lanes_people_ahead_of_newest() of a normal ticket taken now. */
char *hub_calling_lines_json (PGconn *conn, const char *service_day, const char *hall, GError **error);

G_END_DECLS
