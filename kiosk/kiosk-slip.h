/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-bitmap.h"

G_BEGIN_DECLS

/* Printer widths in dots at 203 dpi: the printable line of 80 mm and 58 mm paper. */
#define KIOSK_SLIP_WIDTH_80MM 576
#define KIOSK_SLIP_WIDTH_58MM 384
#define KIOSK_SLIP_MIN_WIDTH 256
#define KIOSK_SLIP_MAX_WIDTH 2048

/* The font family every slip uses: Debian's fonts-noto-cjk. Its Latin glyphs
 * serve the English lines, so one family keeps both languages the same weight. */
#define KIOSK_SLIP_FONT_FAMILY "Noto Sans CJK SC"

/* What a slip shows. All members are borrowed from the caller. Bilingual texts
 * are "中文 / English": the renderer prints the Chinese half large and the
 * English half smaller under it. */
typedef struct
{
  const char *centre_name_zh;   /* required */
  const char *centre_name_en;   /* NULL: omitted */
  const char *ticket_label;     /* required, e.g. "A023" */
  const char *service_zh;       /* required */
  const char *service_en;       /* NULL: omitted */
  int people_ahead;             /* < 0: unknown, line omitted */
  const char *wait_text;        /* "约 10–20 分钟 / about 10–20 min"; NULL: omitted */
  GDateTime *issued_at;         /* required, printed in its own time zone */
  const char *const *documents; /* NULL-terminated "居住证申请表 / Residence permit form"; NULL: none */
  const char *qr_url;           /* NULL: no QR, and KIOSK_SLIP_NO_QR_NOTE instead */
  const char *logo_path;        /* a PNG, dithered; NULL: none */
} KioskSlipData;

/* Printed where the QR would be when the kiosk has no public address for the
 * ticket page: a code a phone cannot open is worse than none. */
#define KIOSK_SLIP_NO_QR_NOTE "请留意大厅叫号屏和广播 / Watch the hall screen and listen for your number"

/* The slip as a 1-bit image @width_dots wide, as tall as it needs.
 * KIOSK_ERROR_INVALID for missing fields, a bad width, an unreadable logo (retry
 * with logo_path = NULL: the ticket matters more than the logo) or a URL too
 * long for the QR. */
KioskBitmap *kiosk_slip_render (const KioskSlipData *data, int width_dots, GError **error);

/* FALSE with KIOSK_ERROR_NOT_FOUND when some character of the slip has no glyph
 * in the installed fonts (it would print as a box): fonts-noto-cjk is missing. */
gboolean kiosk_slip_check_fonts (const KioskSlipData *data, int width_dots, GError **error);

/* "前面还有 3 人 / 3 people ahead"; 0 → "前面无人等候 / You are next". */
char *kiosk_slip_format_people_ahead (int people_ahead);

/* The slip as plain text lines of at most @columns half-width cells (a CJK
 * character takes two), for printers that are slow at raster; see
 * kiosk_escpos_encode_text(). The first line is the ticket label alone. */
char **kiosk_slip_format_text (const KioskSlipData *data, int columns);

/* Half-width cells @text takes on a text-mode printer. */
int kiosk_slip_text_cells (const char *text);

G_END_DECLS
