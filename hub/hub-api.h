/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "hub-db.h"
#include "hub-guard.h"
#include "hub-proto.h"

G_BEGIN_DECLS

#define HUB_TYPE_API (hub_api_get_type ())
G_DECLARE_FINAL_TYPE (HubApi, hub_api, HUB, API, GObject)

/* The v1 API over HTTPS with @certificate, requiring a client certificate
 * that chains to @client_ca, within the limits of @guard (hub-guard.h).
 * Database work runs in worker threads; the SoupServer itself stays on the
 * thread-default main context of the caller. */
HubApi *hub_api_new (HubDb *db, const HubLimits *limits, const HubGuardConfig *guard,
                     GTlsCertificate *certificate, GTlsDatabase *client_ca, GError **error);

/* The hub's public address for people ([hub] public_url: its web listener,
 * as phones reach it), handed to kiosks in every heartbeat reply; NULL or
 * empty: none (slips then carry no QR). KIOSK_ERROR_INVALID, and the old
 * one kept, when kiosk_qr_check_public_url() refuses it. */
gboolean hub_api_set_public_url (HubApi *self, const char *public_url, GError **error);

/* Listens on @address:@port (0: any free port); *@bound_port is the port taken. */
gboolean hub_api_listen (HubApi *self, const char *address, guint port, guint *bound_port, GError **error);

SoupServer *hub_api_get_server (HubApi *self);
HubGuard *hub_api_get_guard (HubApi *self);

/* The enrolled-kiosk certificate a request came with (kept per connection). */
HubCertInfo *hub_api_peer_certificate (SoupServerMessage *msg, GError **error);

/* Stops listening, lets requests already in the database finish (up to
 * @timeout_ms) and closes every connection; iterates the thread-default
 * main context meanwhile. */
void hub_api_shutdown (HubApi *self, guint timeout_ms);

G_END_DECLS
