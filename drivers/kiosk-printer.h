/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kiosk-bitmap.h"
#include "kiosk-escpos.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

typedef enum
{
  KIOSK_PRINTER_TRANSPORT_USB,    /* USB printer class, /dev/usb/lp0 */
  KIOSK_PRINTER_TRANSPORT_SERIAL, /* a tty, termios */
  KIOSK_PRINTER_TRANSPORT_TCP,    /* raw TCP, port 9100 */
  KIOSK_PRINTER_TRANSPORT_FOLDER, /* demo: NNNN.png and NNNN.bin per slip */
} KioskPrinterTransport;

typedef enum
{
  KIOSK_PRINTER_FLOW_NONE,
  KIOSK_PRINTER_FLOW_RTSCTS,
  KIOSK_PRINTER_FLOW_XONXOFF,
} KioskPrinterFlow;

#define KIOSK_PRINTER_TCP_PORT 9100
#define KIOSK_PRINTER_DEFAULT_TIMEOUT_MS 5000
#define KIOSK_PRINTER_DEFAULT_POLL_MS 10000

#define KIOSK_TYPE_PRINTER (kiosk_printer_get_type ())
G_DECLARE_FINAL_TYPE (KioskPrinter, kiosk_printer, KIOSK, PRINTER, GObject)

KioskPrinter *kiosk_printer_new_usb (const char *device);
/* @baud: 9600, 19200, 38400, 57600 or 115200; else KIOSK_ERROR_INVALID. */
KioskPrinter *kiosk_printer_new_serial (const char *device, guint baud, KioskPrinterFlow flow,
                                        GError **error);
KioskPrinter *kiosk_printer_new_tcp (const char *host, guint16 port);
KioskPrinter *kiosk_printer_new_folder (const char *directory);
/* From the config line: "usb:/dev/usb/lp0", "serial:/dev/ttyUSB0,baud=9600,flow=rtscts"
 * (flow: none, rtscts, xonxoff), "tcp:192.168.1.50[:9100]", "folder:/var/lib/linli-kiosk/slips". */
KioskPrinter *kiosk_printer_new_from_spec (const char *spec, GError **error);

KioskPrinterTransport kiosk_printer_get_transport (KioskPrinter *self);
/* The last known status; UNKNOWN until first asked. FOLDER is always READY. */
KioskPrinterStatus kiosk_printer_get_status (KioskPrinter *self);
/* Bilingual message of the last failure, NULL after a success. */
const char *kiosk_printer_get_last_error (KioskPrinter *self);
/* The last slip given to kiosk_printer_print_async(), printed or not, for
 * the staff panel's reprint; NULL before the first. Borrowed. */
const KioskBitmap *kiosk_printer_get_last_slip (KioskPrinter *self);

/* Milliseconds between status polls while idle; 0 stops polling. */
void kiosk_printer_set_poll_interval (KioskPrinter *self, guint interval_ms);
guint kiosk_printer_get_poll_interval (KioskPrinter *self);
/* Connect, read and write timeout. A write times out when the printer takes
 * no byte for this long, so a slow serial line is not a failure. */
void kiosk_printer_set_timeout (KioskPrinter *self, guint timeout_ms);
guint kiosk_printer_get_timeout (KioskPrinter *self);
/* FOLDER: only the newest @keep slips stay; each new one deletes those older
 * (0, the default: every slip stays). Other transports ignore it. */
void kiosk_printer_set_folder_keep (KioskPrinter *self, guint keep);
/* FALSE for printers that cannot answer DLE EOT (unidirectional USB): prints
 * blind, and the status stays UNKNOWN. */
void kiosk_printer_set_query_status (KioskPrinter *self, gboolean query);
/* Where status changes are reported for staff and the hub ("printer-status"). */
void kiosk_printer_set_store (KioskPrinter *self, KioskStore *store);
void kiosk_printer_set_escpos_options (KioskPrinter *self, const KioskEscposOptions *options);

/* Asks the status (DLE EOT 1..4) and, if the printer can print, sends the
 * slip as ESC/POS raster, asking again between bands. Errors:
 * KIOSK_ERROR_DEVICE (cannot open, disconnected, paper out, cover open…: the
 * message says which) and KIOSK_ERROR_TIMEOUT (no answer). After a failure the
 * connection is closed and the next job opens it again. The caller's ticket is
 * untouched whatever happens. */
void kiosk_printer_print_async (KioskPrinter *self, const KioskBitmap *slip, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data);
gboolean kiosk_printer_print_finish (KioskPrinter *self, GAsyncResult *result, GError **error);

/* The same for bytes already encoded (text mode, kiosk_escpos_encode_text()). */
void kiosk_printer_print_bytes_async (KioskPrinter *self, GBytes *escpos, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data);
gboolean kiosk_printer_print_bytes_finish (KioskPrinter *self, GAsyncResult *result, GError **error);

/* Asks the status now; #KioskPrinter:status holds the answer. */
void kiosk_printer_refresh_status_async (KioskPrinter *self, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean kiosk_printer_refresh_status_finish (KioskPrinter *self, GAsyncResult *result, GError **error);

G_END_DECLS
