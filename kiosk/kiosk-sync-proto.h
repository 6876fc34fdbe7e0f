/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kiosk's half of the hub's v1 API: building requests and reading
 * replies. Pure functions, safe on any bytes (the fuzz target feeds them). */

/* One row of the hub's member list (GET /v1/members). */
typedef struct
{
  char *card_hash;
  char *kind;
  char *name;
  char *status; /* "active", "suspended", "deleted" */
  char *group;
  gint64 valid_from_us;  /* 0: no lower bound */
  gint64 valid_until_us; /* 0: no upper bound */
  gint64 seq;
} KioskSyncMember;

void kiosk_sync_member_free (KioskSyncMember *member);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskSyncMember, kiosk_sync_member_free)

typedef struct
{
  GPtrArray *members; /* KioskSyncMember *, in change order */
  gint64 cursor;      /* ask from here next time */
  gboolean more;      /* another page is waiting */
} KioskSyncMemberPage;

void kiosk_sync_member_page_free (KioskSyncMemberPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskSyncMemberPage, kiosk_sync_member_page_free)

/* What a counter did to a ticket (GET /v1/calls). */
typedef enum
{
  KIOSK_SYNC_CALL_UNKNOWN,     /* an action a newer hub knows: skipped */
  KIOSK_SYNC_CALL_CALLED,      /* "next" or "call" */
  KIOSK_SYNC_CALL_RECALLED,    /* "recall" */
  KIOSK_SYNC_CALL_SERVED,      /* "served" */
  KIOSK_SYNC_CALL_NO_SHOW,     /* "no_show" */
  KIOSK_SYNC_CALL_TRANSFERRED, /* "transfer": waits again, in to_service */
} KioskSyncCallAction;

/* One counter action on a ticket of this kiosk's hall. */
typedef struct
{
  gint64 id; /* the hub's, increasing: the cursor */
  KioskSyncCallAction action;
  char *action_name; /* as the hub spelt it */
  char *uuid;        /* the ticket, lower case */
  gboolean mine;     /* issued by this kiosk (else another of the hall) */
  char *label;       /* "A023" */
  char *desk;
  char *desk_zh;    /* "3号窗口" */
  char *desk_en;    /* "Counter 3" */
  char *to_service; /* transfer only, else NULL */
  gint64 at_us;
} KioskSyncCall;

void kiosk_sync_call_free (KioskSyncCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskSyncCall, kiosk_sync_call_free)

typedef struct
{
  GPtrArray *calls; /* KioskSyncCall *, by id */
  gint64 cursor;    /* ask from here next time */
  gboolean more;    /* another page is waiting */
} KioskSyncCallPage;

void kiosk_sync_call_page_free (KioskSyncCallPage *page);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskSyncCallPage, kiosk_sync_call_page_free)

/* Appends one outbox row to a POST /v1/records body being built in @body
 * (kiosk_sync_records_begin / _end around the rows). @payload_json is
 * spliced as is: the caller checked it is one JSON object. */
void kiosk_sync_records_begin (GString *body);
void kiosk_sync_records_add (GString *body, const char *uuid, const char *kind, const char *payload_json);
void kiosk_sync_records_end (GString *body);

/* Whether an outbox row can be sent at all: a UUID, and a payload that is a
 * JSON object. A row that cannot is set aside instead of blocking the rest. */
gboolean kiosk_sync_row_is_sendable (const char *uuid, const char *payload_json, GError **error);

/* {"accepted":[uuid,…]} → set of lower-case uuids (a GHashTable used as a set). */
GHashTable *kiosk_sync_parse_accepted (const char *data, gsize length, GError **error);

/* {"members":[…],"cursor":N,"more":bool}; @after is the cursor asked with:
 * a reply whose cursor goes backwards is refused. */
KioskSyncMemberPage *kiosk_sync_parse_members (const char *data, gsize length, gint64 after, GError **error);

/* {"calls":[{"id":N,"action":…,"uuid":…,"mine":bool,"label":…,"desk":…,
 * "desk_zh":…,"desk_en":…,"to_service":…|null,"at_us":N},…],"cursor":N,
 * "more":bool}; @after is the cursor asked with. Ids must increase within
 * (@after, cursor]; an unknown action is kept as KIOSK_SYNC_CALL_UNKNOWN, so
 * a newer hub cannot stall the sync. */
KioskSyncCallPage *kiosk_sync_parse_calls (const char *data, gsize length, gint64 after, GError **error);

/* {"sync_now":bool,"server_time_us":N} */
gboolean kiosk_sync_parse_heartbeat_reply (const char *data, gsize length, gboolean *sync_now,
                                           gint64 *server_time_us, GError **error);

/* "public_url" of a heartbeat reply: the hub's address for people
 * ([hub] public_url). *@public_url: NULL when the member is absent (a hub
 * from before it: keep what is stored), "" when null (the hub has none:
 * forget it), else the URL, which kiosk_qr_check_public_url() accepted.
 * FALSE (KIOSK_ERROR_NETWORK) for anything else, so a bad value is never
 * stored over a good one. */
gboolean kiosk_sync_parse_public_url (const char *data, gsize length, char **public_url, GError **error);

/* {"time_us":N,…} */
gboolean kiosk_sync_parse_time (const char *data, gsize length, gint64 *time_us, GError **error);

/* The "reason" of a hub error reply, or NULL when there is none. */
char *kiosk_sync_parse_error_reason (const char *data, gsize length);

/* Delay before retry number @failures (1, 2, …): min·2^(failures-1), capped at
 * @max_us, then "equal jitter" — a point in [delay/2, delay] chosen by
 * @random01 ∈ [0,1) — so kiosks that failed together do not retry together. */
gint64 kiosk_sync_backoff_delay (guint failures, gint64 min_us, gint64 max_us, double random01);

G_END_DECLS
