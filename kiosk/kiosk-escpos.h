/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-bitmap.h"

G_BEGIN_DECLS

/* What DLE EOT tells of an ESC/POS printer. READY (no flag) means it can print. */
typedef enum /*< flags >*/
{
  KIOSK_PRINTER_STATUS_READY = 0,
  KIOSK_PRINTER_STATUS_OFFLINE = 1 << 0,
  KIOSK_PRINTER_STATUS_COVER_OPEN = 1 << 1,
  KIOSK_PRINTER_STATUS_PAPER_NEAR_END = 1 << 2, /* a warning: it still prints */
  KIOSK_PRINTER_STATUS_PAPER_OUT = 1 << 3,
  KIOSK_PRINTER_STATUS_ERROR = 1 << 4,   /* cutter, mechanism, head temperature */
  KIOSK_PRINTER_STATUS_UNKNOWN = 1 << 5, /* not connected, not asked yet, or no answer */
} KioskPrinterStatus;

GType kiosk_printer_status_get_type (void);
#define KIOSK_TYPE_PRINTER_STATUS (kiosk_printer_status_get_type ())

/* The flags that stop a print (all but PAPER_NEAR_END). */
#define KIOSK_PRINTER_STATUS_BLOCKING                                                                        \
  (KIOSK_PRINTER_STATUS_OFFLINE | KIOSK_PRINTER_STATUS_COVER_OPEN | KIOSK_PRINTER_STATUS_PAPER_OUT           \
   | KIOSK_PRINTER_STATUS_ERROR | KIOSK_PRINTER_STATUS_UNKNOWN)

/* "纸张用完 / Paper out" for one flag; "正常 / Ready" for READY. Static. */
const char *kiosk_printer_status_flag_describe (KioskPrinterStatus flag);
/* Every set flag, most serious first, joined by "; ". */
char *kiosk_printer_status_describe (KioskPrinterStatus status);
/* Stable ASCII names ("paper-out,cover-open"; "ready") for records sent to the hub. */
char *kiosk_printer_status_to_string (KioskPrinterStatus status);

typedef struct
{
  int band_rows;  /* rows per GS v 0 command, 1..KIOSK_ESCPOS_MAX_BAND_ROWS */
  int feed_lines; /* ESC d n before the cut, so the last line clears the cutter */
  gboolean cut;   /* GS V 1: partial cut, leaving a hinge that holds the slip */
} KioskEscposOptions;

#define KIOSK_ESCPOS_MAX_BAND_ROWS 256
/* 128 rows is 9 KB a band at 576 dots: small enough for the input buffer of
 * cheap printers and for the driver to ask DLE EOT between bands. */
#define KIOSK_ESCPOS_OPTIONS_DEFAULT                                                                         \
  {                                                                                                          \
    128, 4, TRUE                                                                                             \
  }

/* The slip as ESC/POS commands, in parts the driver may send one at a time
 * (asking the status between them): part 0 is ESC @ and the first GS v 0
 * band, then one part a band, the last part the feed and the cut.
 * KIOSK_ERROR_INVALID for options out of range. Element type GBytes. */
GPtrArray *kiosk_escpos_encode_raster_parts (const KioskBitmap *bitmap, const KioskEscposOptions *options,
                                             GError **error);
/* The same, in one piece. */
GBytes *kiosk_escpos_encode_raster (const KioskBitmap *bitmap, const KioskEscposOptions *options,
                                    GError **error);

/* Back from our own ESC/POS to the image: ESC @, GS v 0 (m = 0, all bands the
 * same width), ESC d, GS V and DLE EOT are understood; anything else is
 * KIOSK_ERROR_INVALID. For tests and the folder transport's files. */
KioskBitmap *kiosk_escpos_decode_raster (const guint8 *data, gsize len, GError **error);

/* Text mode for printers slow at raster: ESC @, FS & (Chinese characters on),
 * the lines in GB18030, the first one double size and centred when
 * @large_first_line, then feed and cut. KIOSK_ERROR_INVALID when a line cannot
 * be written in GB18030. */
GBytes *kiosk_escpos_encode_text (const char *const *lines, gboolean large_first_line,
                                  const KioskEscposOptions *options, GError **error);

/* DLE EOT n: the real-time status request, n = 1..4. */
#define KIOSK_ESCPOS_DLE 0x10
#define KIOSK_ESCPOS_EOT 0x04
void kiosk_escpos_status_request (guint8 n, guint8 out[3]);

/* Adds the flags in the reply to DLE EOT @n to @status and clears UNKNOWN
 * (start a round of n = 1..4 from READY). KIOSK_ERROR_INVALID when @reply lacks the fixed
 * bits every status byte has (bit 1 and 4 set, 0 and 7 clear): it is not an
 * answer to DLE EOT. */
gboolean kiosk_escpos_parse_status (guint8 n, guint8 reply, KioskPrinterStatus *status, GError **error);

G_END_DECLS
