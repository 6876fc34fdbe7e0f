/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* systemd's notify protocol (sd_notify(3)): one datagram to $NOTIFY_SOCKET.
 * Written on GIO rather than linking libsystemd for one sendto(). Without
 * $NOTIFY_SOCKET (not started by systemd) every call is a no-op. */

gboolean kiosk_sdnotify (const char *state, GError **error);

/* The interval to ping at: half of $WATCHDOG_USEC (and only when
 * $WATCHDOG_PID is unset or ours); 0 when systemd wants no pings. */
guint64 kiosk_sdnotify_watchdog_interval_us (void);

/* Sends WATCHDOG=1 from a timeout on the thread-default main context, so a
 * hung main loop (the UI thread) stops the pings and systemd restarts us.
 * Returns the source id, or 0 when no watchdog is wanted. */
guint kiosk_sdnotify_start_watchdog (void);

G_END_DECLS
