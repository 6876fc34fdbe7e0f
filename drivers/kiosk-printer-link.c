/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-printer"

/* The transports of KioskPrinter: blocking I/O with deadlines, run in a job
 * thread. Device files and ttys go through poll(); TCP through GSocket. */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "kiosk-error.h"
#include "kiosk-printer-private.h"

void
kiosk_printer_config_clear (KioskPrinterConfig *config)
{
  g_clear_pointer (&config->path, g_free);
  g_clear_pointer (&config->host, g_free);
}

gboolean
kiosk_printer_baud_to_speed (guint baud, guint *speed, GError **error)
{
  static const struct
  {
    guint baud;
    speed_t speed;
  } table[] = {
    { 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 }, { 115200, B115200 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].baud == baud)
      {
        *speed = table[i].speed;
        return TRUE;
      }
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
               "不支持的波特率 %u / Unsupported baud rate %u (9600, 19200, 38400, 57600, 115200)", baud,
               baud);
  return FALSE;
}

static gboolean
set_disconnected (GError **error, const char *detail)
{
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE, "打印机连接断开 / Printer disconnected: %s", detail);
  return FALSE;
}

static gboolean
set_timeout (GError **error, guint timeout_ms, const char *what)
{
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_TIMEOUT, "打印机无应答 / Printer did not answer: %s in %u ms",
               what, timeout_ms);
  return FALSE;
}

/* GIO errors of a socket as the kiosk's: timeouts and everything else. */
static gboolean
set_from_gio (GError **error, GError *gio, guint timeout_ms, const char *what)
{
  if (g_error_matches (gio, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return set_timeout (error, timeout_ms, what);
  if (g_error_matches (gio, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, gio->message);
      return FALSE;
    }
  return set_disconnected (error, gio->message);
}

gboolean
kiosk_printer_link_is_open (KioskPrinterLink *link)
{
  return link->fd >= 0 || link->conn != NULL;
}

static gboolean
open_serial (int fd, const KioskPrinterConfig *config, GError **error)
{
  struct termios tio;
  guint speed = B9600;

  if (!kiosk_printer_baud_to_speed (config->baud, &speed, error))
    return FALSE;
  if (tcgetattr (fd, &tio) != 0)
    {
      int saved = errno;

      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE, "%s 不是串口 / %s is not a serial port: %s",
                   config->path, config->path, g_strerror (saved));
      return FALSE;
    }
  /* Raw 8N1: the slip is binary and a 0x0a must not turn into 0x0d 0x0a. */
  cfmakeraw (&tio);
  cfsetispeed (&tio, speed);
  cfsetospeed (&tio, speed);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag &= ~(CRTSCTS | CSTOPB | PARENB);
  tio.c_iflag &= ~(IXON | IXOFF | IXANY);
  if (config->flow == KIOSK_PRINTER_FLOW_RTSCTS)
    tio.c_cflag |= CRTSCTS;
  else if (config->flow == KIOSK_PRINTER_FLOW_XONXOFF)
    tio.c_iflag |= IXON | IXOFF; /* status bytes never look like XON/XOFF: bit 0 is always 0 */
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  if (tcsetattr (fd, TCSANOW, &tio) != 0)
    {
      int saved = errno;

      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE,
                   "无法设置串口 %s / Cannot set up serial port %s: %s", config->path, config->path,
                   g_strerror (saved));
      return FALSE;
    }
  /* Nobody else may open the port while the kiosk holds it. */
  ioctl (fd, TIOCEXCL);
  tcflush (fd, TCIOFLUSH);
  return TRUE;
}

gboolean
kiosk_printer_link_open (KioskPrinterLink *link, const KioskPrinterConfig *config, guint timeout_ms,
                         GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (!kiosk_printer_link_is_open (link), FALSE);

  if (config->transport == KIOSK_PRINTER_TRANSPORT_TCP)
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();
      g_autoptr (GError) local = NULL;
      g_autofree char *what = g_strdup_printf ("connect to %s:%u", config->host, config->port);

      /* A printer on the LAN: a system proxy must not carry the raw bytes. */
      g_socket_client_set_enable_proxy (client, FALSE);
      /* GSocketClient counts whole seconds. */
      g_socket_client_set_timeout (client, MAX (1, (timeout_ms + 999) / 1000));
      link->conn = g_socket_client_connect_to_host (client, config->host, config->port, cancellable, &local);
      if (link->conn == NULL)
        {
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
              || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            return set_from_gio (error, local, timeout_ms, what);
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE,
                       "无法连接打印机 %s:%u / Cannot connect to printer %s:%u: %s", config->host,
                       config->port, config->host, config->port, local->message);
          return FALSE;
        }
      g_socket_set_keepalive (g_socket_connection_get_socket (link->conn), TRUE);
      return TRUE;
    }

  link->fd = g_open (config->path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0);
  if (link->fd < 0)
    {
      int saved = errno;

      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE, "无法打开打印机 %s / Cannot open printer %s: %s",
                   config->path, config->path, g_strerror (saved));
      return FALSE;
    }
  if (config->transport == KIOSK_PRINTER_TRANSPORT_SERIAL && !open_serial (link->fd, config, error))
    {
      kiosk_printer_link_close (link);
      return FALSE;
    }
  return TRUE;
}

void
kiosk_printer_link_close (KioskPrinterLink *link)
{
  if (link->fd >= 0)
    {
      g_close (link->fd, NULL);
      link->fd = -1;
    }
  if (link->conn != NULL)
    {
      g_io_stream_close (G_IO_STREAM (link->conn), NULL, NULL);
      g_clear_object (&link->conn);
    }
}

/* Waits for @events on the fd; FALSE with an error on timeout, hang-up or cancel. */
static gboolean
fd_wait (int fd, short events, guint timeout_ms, GCancellable *cancellable, const char *what, GError **error)
{
  GPollFD fds[2] = { { .fd = fd, .events = events } };
  guint n = 1;
  int rc;

  if (g_cancellable_make_pollfd (cancellable, &fds[1]))
    n = 2;
  do
    rc = g_poll (fds, n, (int)timeout_ms);
  while (rc < 0 && errno == EINTR);
  if (n == 2)
    g_cancellable_release_fd (cancellable);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (rc == 0)
    return set_timeout (error, timeout_ms, what);
  if (rc < 0)
    return set_disconnected (error, g_strerror (errno));
  /* POLLHUP with POLLIN still lets the pending bytes be read. */
  if ((fds[0].revents & (POLLERR | POLLNVAL)) || ((fds[0].revents & POLLHUP) && !(fds[0].revents & events)))
    return set_disconnected (error, "hang-up");
  return TRUE;
}

gboolean
kiosk_printer_link_write_all (KioskPrinterLink *link, const guint8 *data, gsize len, guint timeout_ms,
                              GCancellable *cancellable, GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      gssize n;

      if (link->conn != NULL)
        {
          GSocket *socket = g_socket_connection_get_socket (link->conn);
          g_autoptr (GError) local = NULL;

          if (!g_socket_condition_timed_wait (socket, G_IO_OUT, (gint64)timeout_ms * 1000, cancellable,
                                              &local))
            return set_from_gio (error, local, timeout_ms, "write");
          n = g_socket_send_with_blocking (socket, (const char *)data + done, len - done, FALSE, cancellable,
                                           &local);
          if (n < 0 && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            continue;
          if (n < 0)
            return set_from_gio (error, local, timeout_ms, "write");
        }
      else
        {
          if (!fd_wait (link->fd, POLLOUT, timeout_ms, cancellable, "write", error))
            return FALSE;
          n = write (link->fd, data + done, len - done);
          if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
          if (n < 0)
            return set_disconnected (error, g_strerror (errno));
        }
      done += (gsize)n;
    }
  return TRUE;
}

gboolean
kiosk_printer_link_read_byte (KioskPrinterLink *link, guint8 *byte, guint timeout_ms,
                              GCancellable *cancellable, GError **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  for (;;)
    {
      guint left = (guint)MAX (0, (deadline - g_get_monotonic_time ()) / 1000);
      gssize n;

      if (link->conn != NULL)
        {
          GSocket *socket = g_socket_connection_get_socket (link->conn);
          g_autoptr (GError) local = NULL;

          if (!g_socket_condition_timed_wait (socket, G_IO_IN, (gint64)left * 1000, cancellable, &local))
            return set_from_gio (error, local, timeout_ms, "status");
          n = g_socket_receive_with_blocking (socket, (char *)byte, 1, FALSE, cancellable, &local);
          if (n < 0 && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            continue;
          if (n < 0)
            return set_from_gio (error, local, timeout_ms, "status");
        }
      else
        {
          if (!fd_wait (link->fd, POLLIN, left, cancellable, "status", error))
            return FALSE;
          n = read (link->fd, byte, 1);
          if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
          if (n < 0)
            return set_disconnected (error, g_strerror (errno));
        }
      if (n == 0)
        return set_disconnected (error, "end of stream");
      return TRUE;
    }
}

void
kiosk_printer_link_drain (KioskPrinterLink *link)
{
  guint8 buf[64];

  if (link->conn != NULL)
    {
      GSocket *socket = g_socket_connection_get_socket (link->conn);

      while (g_socket_condition_check (socket, G_IO_IN) & G_IO_IN)
        if (g_socket_receive_with_blocking (socket, (char *)buf, sizeof buf, FALSE, NULL, NULL) <= 0)
          break;
    }
  else if (link->fd >= 0)
    while (read (link->fd, buf, sizeof buf) > 0)
      ;
}

gboolean
kiosk_printer_link_query_status (KioskPrinterLink *link, guint timeout_ms, KioskPrinterStatus *status,
                                 GCancellable *cancellable, GError **error)
{
  KioskPrinterStatus st = KIOSK_PRINTER_STATUS_READY;

  kiosk_printer_link_drain (link);
  for (guint8 n = 1; n <= 4; n++)
    {
      guint8 request[3], reply;
      gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

      kiosk_escpos_status_request (n, request);
      if (!kiosk_printer_link_write_all (link, request, sizeof request, timeout_ms, cancellable, error))
        return FALSE;
      /* Skip line noise until a byte with the fixed status bits arrives. */
      for (;;)
        {
          gint64 left = (deadline - g_get_monotonic_time ()) / 1000;

          g_autoptr (GError) local = NULL;

          if (left <= 0)
            return set_timeout (error, timeout_ms, "status");
          if (!kiosk_printer_link_read_byte (link, &reply, (guint)left, cancellable, &local))
            {
              /* Say the whole wait, not what was left of it. */
              if (g_error_matches (local, KIOSK_ERROR, KIOSK_ERROR_TIMEOUT))
                return set_timeout (error, timeout_ms, "status");
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (kiosk_escpos_parse_status (n, reply, &st, NULL))
            break;
        }
    }
  *status = st;
  return TRUE;
}

/* The next free number in @directory, so a restart never overwrites a slip;
 * with @keep, the slips that the next one makes too old are deleted. */
static guint
folder_next_number (const char *directory, guint keep)
{
  g_autoptr (GDir) dir = g_dir_open (directory, 0, NULL);
  g_autoptr (GArray) numbers = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *name;
  guint max = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      guint64 v;
      char *end;

      if (!g_ascii_isdigit (name[0]))
        continue;
      v = g_ascii_strtoull (name, &end, 10);
      if ((g_str_equal (end, ".bin") || g_str_equal (end, ".png")) && v < G_MAXUINT)
        {
          guint n = (guint)v;

          max = MAX (max, n);
          g_array_append_val (numbers, n);
        }
    }
  for (guint i = 0; keep > 0 && i < numbers->len; i++)
    {
      guint n = g_array_index (numbers, guint, i);

      /* The new slip is max + 1: it and the keep - 1 before it stay. */
      if ((guint64)n + keep <= (guint64)max + 1)
        {
          g_autofree char *png = g_strdup_printf ("%s/%04u.png", directory, n);
          g_autofree char *bin = g_strdup_printf ("%s/%04u.bin", directory, n);

          g_unlink (png);
          g_unlink (bin);
        }
    }
  return max + 1;
}

gboolean
kiosk_printer_folder_write (const char *directory, guint keep, const KioskBitmap *slip, GBytes *escpos,
                            GError **error)
{
  g_autofree char *png = NULL;
  g_autofree char *bin = NULL;
  g_autoptr (GError) local = NULL;
  guint number;

  if (g_mkdir_with_parents (directory, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE, "无法创建目录 %s / Cannot create folder %s: %s",
                   directory, directory, g_strerror (saved));
      return FALSE;
    }
  number = folder_next_number (directory, keep);
  png = g_strdup_printf ("%s/%04u.png", directory, number);
  bin = g_strdup_printf ("%s/%04u.bin", directory, number);
  if (slip != NULL && !kiosk_bitmap_write_png (slip, png, &local))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE, "%s", local->message);
      return FALSE;
    }
  if (!g_file_set_contents (bin, g_bytes_get_data (escpos, NULL), (gssize)g_bytes_get_size (escpos), &local))
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_DEVICE, "无法写入 %s / Cannot write %s: %s", bin, bin,
                   local->message);
      return FALSE;
    }
  return TRUE;
}
