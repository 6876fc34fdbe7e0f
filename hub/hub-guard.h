/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The HTTP layer's limits (docs/hub.md "Limits"): request bodies by endpoint,
 * timeouts for the TLS handshake, a request and an idle connection, and caps
 * on connections, for one SoupServer listener. SoupServer in libsoup 3 has
 * none of these; a HubGuard adds them from the server's signals. */

typedef enum
{
  HUB_LISTENER_KIOSKS, /* mutual TLS, one certificate per kiosk */
  HUB_LISTENER_PAGES,  /* plain HTTP: staff pages, hall display, ticket page */
} HubListener;

typedef struct
{
  guint handshake_timeout_s; /* accept to TLS handshake done */
  guint request_timeout_s;   /* a request's headers and body, from the handshake or its first byte */
  guint idle_timeout_s;      /* between requests; and a read or write that makes no progress at all */
  guint max_connections;     /* open at once on one listener */
  guint max_per_client;      /* open at once per client certificate (kiosks' listener) */
  guint max_handshakes;      /* TLS handshakes under way at once; past it the oldest is dropped.
                              * glib-networking runs each in a GLib worker thread, the pool the
                              * database work also runs in: keep it well under that pool's 10. */
  gsize records_max_bytes;   /* POST /v1/records, [hub] max_bytes */
} HubGuardConfig;

#define HUB_GUARD_DEFAULT_HANDSHAKE_TIMEOUT_S 10
#define HUB_GUARD_DEFAULT_REQUEST_TIMEOUT_S 30
#define HUB_GUARD_DEFAULT_IDLE_TIMEOUT_S 60
#define HUB_GUARD_DEFAULT_MAX_CONNECTIONS 512
#define HUB_GUARD_DEFAULT_MAX_PER_CLIENT 8
#define HUB_GUARD_DEFAULT_MAX_HANDSHAKES 8

void hub_guard_config_init (HubGuardConfig *config);

/* The largest request body @listener takes for @path, from the one table in
 * hub-guard.c (0: none, as for a GET). @config may be NULL (the default
 * records limit). Pure. */
gsize hub_guard_body_limit (HubListener listener, const char *path, const HubGuardConfig *config);

typedef struct
{
  guint open;                  /* connections open now */
  guint peak;                  /* most open at once */
  guint64 accepted;            /* connections accepted in all (not counting those refused) */
  guint64 refused_full;        /* closed at once: max_connections were open */
  guint64 refused_client;      /* handshake refused: the certificate had max_per_client open */
  guint64 dropped_handshakes;  /* the oldest unfinished handshake, dropped past max_handshakes */
  guint64 timed_out_handshake; /* closed by handshake_timeout_s */
  guint64 timed_out_request;   /* closed by request_timeout_s */
  guint64 timed_out_idle;      /* kept alive, closed after idle_timeout_s without a request */
  guint64 too_large;           /* bodies answered 413 */
} HubGuardStats;

#define HUB_TYPE_GUARD (hub_guard_get_type ())
G_DECLARE_FINAL_TYPE (HubGuard, hub_guard, HUB, GUARD, GObject)

/* Guards @server, which listens as @listener; call before it accepts a
 * connection. On the kiosks' listener the guard also decides which client
 * certificates the TLS handshake accepts (verified ones, under the cap). */
HubGuard *hub_guard_new (SoupServer *server, HubListener listener, const HubGuardConfig *config);

void hub_guard_get_stats (HubGuard *self, HubGuardStats *stats);

/* One line of the figures above, for the log. */
char *hub_guard_stats_to_string (const HubGuardStats *stats);

G_END_DECLS
