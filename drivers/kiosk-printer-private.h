/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-printer.h"

G_BEGIN_DECLS

/* Where the printer is; fixed at construction. */
typedef struct
{
  KioskPrinterTransport transport;
  char *path; /* USB, SERIAL: device; FOLDER: directory */
  char *host; /* TCP */
  guint16 port;
  guint baud;
  KioskPrinterFlow flow;
} KioskPrinterConfig;

void kiosk_printer_config_clear (KioskPrinterConfig *config);

/* An open connection, used from one job thread at a time. */
typedef struct
{
  int fd;                  /* USB, SERIAL; -1 when closed */
  GSocketConnection *conn; /* TCP; owned */
} KioskPrinterLink;

#define KIOSK_PRINTER_LINK_INIT                                                                              \
  {                                                                                                          \
    -1, NULL                                                                                                 \
  }

gboolean kiosk_printer_baud_to_speed (guint baud, guint *speed, GError **error);
gboolean kiosk_printer_link_is_open (KioskPrinterLink *link);
gboolean kiosk_printer_link_open (KioskPrinterLink *link, const KioskPrinterConfig *config, guint timeout_ms,
                                  GCancellable *cancellable, GError **error);
void kiosk_printer_link_close (KioskPrinterLink *link);
/* Fails with KIOSK_ERROR_TIMEOUT when the printer accepts nothing for @timeout_ms. */
gboolean kiosk_printer_link_write_all (KioskPrinterLink *link, const guint8 *data, gsize len,
                                       guint timeout_ms, GCancellable *cancellable, GError **error);
gboolean kiosk_printer_link_read_byte (KioskPrinterLink *link, guint8 *byte, guint timeout_ms,
                                       GCancellable *cancellable, GError **error);
/* Throws away bytes already received (stray replies), without waiting. */
void kiosk_printer_link_drain (KioskPrinterLink *link);
/* DLE EOT 1..4 into a fresh status. */
gboolean kiosk_printer_link_query_status (KioskPrinterLink *link, guint timeout_ms,
                                          KioskPrinterStatus *status, GCancellable *cancellable,
                                          GError **error);

/* FOLDER: writes the next NNNN.png (if @slip) and NNNN.bin in @directory,
 * and deletes the slips older than the newest @keep (0: none). */
gboolean kiosk_printer_folder_write (const char *directory, guint keep, const KioskBitmap *slip,
                                     GBytes *escpos, GError **error);

G_END_DECLS
