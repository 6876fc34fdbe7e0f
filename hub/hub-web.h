/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "hub-console.h"
#include "hub-db.h"
#include "hub-guard.h"

G_BEGIN_DECLS

#define HUB_TYPE_WEB (hub_web_get_type ())
G_DECLARE_FINAL_TYPE (HubWeb, hub_web, HUB, WEB, GObject)

/* The staff, display and ticket pages and their JSON: staff browsers, the
 * hall TV and residents' phones hold no kiosk certificate. Over HTTPS with
 * @certificate ([hub] web_cert, web_key), else plain HTTP; bind plain HTTP
 * to a trusted network only (default 127.0.0.1, behind a TLS reverse proxy
 * for phones). [hub] public_url names it as phones reach it.
 * Counter actions need "Authorization: Bearer @staff_token"; with a NULL or
 * empty token they are refused. Live call events go out as server-sent
 * events on GET /events. */
HubWeb *hub_web_new (HubDb *db, const char *staff_token, GTlsCertificate *certificate);

/* The staff console the pages listener serves under /api/console/. */
HubConsole *hub_web_get_console (HubWeb *self);

/* Body limits, timeouts and a connection cap (hub-guard.h); before listening. */
void hub_web_guard (HubWeb *self, const HubGuardConfig *config);
HubGuard *hub_web_get_guard (HubWeb *self);

gboolean hub_web_listen (HubWeb *self, const char *address, guint port, guint *bound_port, GError **error);

/* Clients of /events now connected. */
guint hub_web_get_n_listeners (HubWeb *self);

void hub_web_shutdown (HubWeb *self);

G_END_DECLS
