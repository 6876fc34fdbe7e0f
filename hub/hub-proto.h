/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HUB_ERROR (hub_error_quark ())

/* What went wrong with a request; hub-api maps each to an HTTP status. */
typedef enum
{
  HUB_ERROR_INVALID_JSON,    /* 400: not JSON, or not the shape asked for */
  HUB_ERROR_MISSING_FIELD,   /* 400: a required field is absent */
  HUB_ERROR_BAD_FIELD,       /* 400: a field has the wrong type or value */
  HUB_ERROR_TOO_LARGE,       /* 413: more records or bytes than the limit */
  HUB_ERROR_UNKNOWN_KIOSK,   /* 403: the certificate is not enrolled */
  HUB_ERROR_REVOKED,         /* 403: the certificate or the kiosk is revoked */
  HUB_ERROR_NOT_FOUND,       /* 404 */
  HUB_ERROR_METHOD,          /* 405 */
  HUB_ERROR_UNAVAILABLE,     /* 503: the database is down, full or busy; try again later */
  HUB_ERROR_CONFLICT,        /* 409: the change clashes with what is stored (a unique or foreign key) */
  HUB_ERROR_UNAUTHENTICATED, /* 401: no session, or it expired: sign in */
  HUB_ERROR_FORBIDDEN,       /* 403: signed in, but the role or the centre does not allow it */
  HUB_ERROR_LOCKED,          /* 429: too many failed sign-ins; Retry-After says when to try again */
} HubErrorCode;

/* Seconds a client should wait before trying again after a 503 (Retry-After). */
#define HUB_RETRY_AFTER_SECONDS 5

GQuark hub_error_quark (void);

typedef struct
{
  guint max_records; /* records in one batch */
  gsize max_bytes;   /* bytes of one request body */
} HubLimits;

#define HUB_DEFAULT_MAX_RECORDS 1000
#define HUB_DEFAULT_MAX_BYTES (4 * 1024 * 1024)

/* A batch that passed every check, re-serialised by json-glib so that the
 * database sees exactly what was validated. */
typedef struct
{
  guint n_records;
  char *records_json; /* [{"uuid":…,"kind":…,"payload":{…}}, …] */
  GPtrArray *uuids;   /* char *, in request order */
} HubRecordBatch;

void hub_record_batch_free (HubRecordBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubRecordBatch, hub_record_batch_free)

/* Parses and validates POST /v1/records. Pure: no I/O, any bytes are safe. */
HubRecordBatch *hub_record_batch_parse (const char *data, gsize length, const HubLimits *limits,
                                        GError **error);

/* The record kinds a kiosk may send (the kiosk's outbox CHECK). */
gboolean hub_record_kind_is_valid (const char *kind);

typedef struct
{
  char *heartbeat_json; /* the object as stored */
  gint64 member_cursor; /* -1 when the kiosk did not say */
} HubHeartbeat;

void hub_heartbeat_free (HubHeartbeat *hb);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubHeartbeat, hub_heartbeat_free)

/* Parses and validates POST /v1/heartbeat. Pure. */
HubHeartbeat *hub_heartbeat_parse (const char *data, gsize length, const HubLimits *limits, GError **error);

/* The answer to a heartbeat: {"sync_now":…,"server_time_us":…,"public_url":…}
 * with @public_url (the hub's address for people, [hub] public_url) or null
 * when the hub has none, so a kiosk forgets one taken away. Pure. */
char *hub_heartbeat_reply_json (gboolean sync_now, gint64 server_time_us, const char *public_url);

/* Parses the ?cursor= value of GET /v1/members; NULL means 0. */
gboolean hub_parse_cursor (const char *text, gint64 *cursor, GError **error);

/* HTTP status and machine code for @error. */
guint hub_error_http_status (const GError *error);
const char *hub_error_code_name (const GError *error);
/* {"error":"code","reason":"…"} */
char *hub_error_to_json (const GError *error);

/* {"accepted":["uuid",…]} */
char *hub_accepted_to_json (GPtrArray *uuids);

G_END_DECLS
