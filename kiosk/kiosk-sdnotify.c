/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-sdnotify"

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <unistd.h>

#include "kiosk-error.h"
#include "kiosk-sdnotify.h"

gboolean
kiosk_sdnotify (const char *state, GError **error)
{
  const char *path = g_getenv ("NOTIFY_SOCKET");
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSocketAddress) address = NULL;
  gssize sent;

  g_return_val_if_fail (state != NULL, FALSE);

  if (path == NULL || *path == '\0')
    return TRUE;
  if (path[0] != '/' && path[0] != '@')
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "NOTIFY_SOCKET \"%s\" is not a socket path",
                   path);
      return FALSE;
    }

  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return FALSE;
  /* A leading '@' names a socket in the abstract namespace. */
  if (path[0] == '@')
    address = g_unix_socket_address_new_with_type (path + 1, -1, G_UNIX_SOCKET_ADDRESS_ABSTRACT);
  else
    address = g_unix_socket_address_new (path);

  sent = g_socket_send_to (socket, address, state, strlen (state), NULL, error);
  return sent >= 0;
}

guint64
kiosk_sdnotify_watchdog_interval_us (void)
{
  const char *usec = g_getenv ("WATCHDOG_USEC");
  const char *pid = g_getenv ("WATCHDOG_PID");
  guint64 value = 0;

  if (usec == NULL || !g_ascii_string_to_unsigned (usec, 10, 1, G_MAXUINT64, &value, NULL))
    return 0;
  if (pid != NULL)
    {
      guint64 owner = 0;
      if (!g_ascii_string_to_unsigned (pid, 10, 1, G_MAXINT32, &owner, NULL) || owner != (guint64)getpid ())
        return 0;
    }
  return value / 2;
}

static gboolean
ping (gpointer user_data)
{
  /* A failed ping is not worth dying for: systemd will notice the silence. */
  kiosk_sdnotify ("WATCHDOG=1", NULL);
  return G_SOURCE_CONTINUE;
}

guint
kiosk_sdnotify_start_watchdog (void)
{
  guint64 interval = kiosk_sdnotify_watchdog_interval_us ();
  g_autoptr (GSource) source = NULL;

  if (interval == 0)
    return 0;
  ping (NULL);
  source = g_timeout_source_new (MAX (1, (guint)(interval / 1000)));
  g_source_set_callback (source, ping, NULL, NULL);
  g_source_set_name (source, "[kiosk] watchdog");
  return g_source_attach (source, g_main_context_get_thread_default ());
}
