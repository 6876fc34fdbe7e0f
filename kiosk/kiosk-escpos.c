/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-escpos"

#include <string.h>

#include "kiosk-error.h"
#include "kiosk-escpos.h"

#define ESC 0x1b
#define GS 0x1d
#define FS 0x1c

G_DEFINE_FLAGS_TYPE (KioskPrinterStatus, kiosk_printer_status,
                     G_DEFINE_ENUM_VALUE (KIOSK_PRINTER_STATUS_READY, "ready"),
                     G_DEFINE_ENUM_VALUE (KIOSK_PRINTER_STATUS_OFFLINE, "offline"),
                     G_DEFINE_ENUM_VALUE (KIOSK_PRINTER_STATUS_COVER_OPEN, "cover-open"),
                     G_DEFINE_ENUM_VALUE (KIOSK_PRINTER_STATUS_PAPER_NEAR_END, "paper-near-end"),
                     G_DEFINE_ENUM_VALUE (KIOSK_PRINTER_STATUS_PAPER_OUT, "paper-out"),
                     G_DEFINE_ENUM_VALUE (KIOSK_PRINTER_STATUS_ERROR, "error"),
                     G_DEFINE_ENUM_VALUE (KIOSK_PRINTER_STATUS_UNKNOWN, "unknown"))

/* Most serious first: what staff should fix first. */
static const struct
{
  KioskPrinterStatus flag;
  const char *name;
  const char *text;
} status_flags[] = {
  { KIOSK_PRINTER_STATUS_UNKNOWN, "unknown", "打印机无响应 / Printer not responding" },
  { KIOSK_PRINTER_STATUS_PAPER_OUT, "paper-out", "纸张用完 / Paper out" },
  { KIOSK_PRINTER_STATUS_COVER_OPEN, "cover-open", "打印机盖打开 / Cover open" },
  { KIOSK_PRINTER_STATUS_ERROR, "error", "打印机故障 / Printer error" },
  { KIOSK_PRINTER_STATUS_OFFLINE, "offline", "打印机脱机 / Printer offline" },
  { KIOSK_PRINTER_STATUS_PAPER_NEAR_END, "paper-near-end", "纸张将尽 / Paper low" },
};

const char *
kiosk_printer_status_flag_describe (KioskPrinterStatus flag)
{
  if (flag == KIOSK_PRINTER_STATUS_READY)
    return "正常 / Ready";
  for (guint i = 0; i < G_N_ELEMENTS (status_flags); i++)
    if (status_flags[i].flag == flag)
      return status_flags[i].text;
  return "未知状态 / Unknown status";
}

static char *
status_join (KioskPrinterStatus status, gboolean names)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (status == KIOSK_PRINTER_STATUS_READY)
    return g_strdup (names ? "ready" : kiosk_printer_status_flag_describe (status));
  for (guint i = 0; i < G_N_ELEMENTS (status_flags); i++)
    if (status & status_flags[i].flag)
      {
        if (out->len > 0)
          g_string_append (out, names ? "," : "; ");
        g_string_append (out, names ? status_flags[i].name : status_flags[i].text);
      }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
kiosk_printer_status_describe (KioskPrinterStatus status)
{
  return status_join (status, FALSE);
}

char *
kiosk_printer_status_to_string (KioskPrinterStatus status)
{
  return status_join (status, TRUE);
}

static gboolean
check_options (const KioskEscposOptions *o, GError **error)
{
  if (o->band_rows < 1 || o->band_rows > KIOSK_ESCPOS_MAX_BAND_ROWS || o->feed_lines < 0
      || o->feed_lines > 255)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "打印参数无效 / Invalid printer options: band %d rows, feed %d lines", o->band_rows,
                   o->feed_lines);
      return FALSE;
    }
  return TRUE;
}

static void
append_finish (GByteArray *out, const KioskEscposOptions *o)
{
  if (o->feed_lines > 0)
    g_byte_array_append (out, (guint8[]){ ESC, 'd', (guint8)o->feed_lines }, 3);
  if (o->cut)
    g_byte_array_append (out, (guint8[]){ GS, 'V', 1 }, 3);
}

GPtrArray *
kiosk_escpos_encode_raster_parts (const KioskBitmap *bitmap, const KioskEscposOptions *options,
                                  GError **error)
{
  const KioskEscposOptions defaults = KIOSK_ESCPOS_OPTIONS_DEFAULT;
  g_autoptr (GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify)g_bytes_unref);
  int row_bytes;
  GByteArray *part;

  g_return_val_if_fail (bitmap != NULL, NULL);

  if (options == NULL)
    options = &defaults;
  if (!check_options (options, error))
    return NULL;
  row_bytes = (bitmap->width + 7) / 8;

  for (int y0 = 0; y0 < bitmap->height; y0 += options->band_rows)
    {
      int rows = MIN (options->band_rows, bitmap->height - y0);
      /* GS v 0 m xL xH yL yH: m = 0 is normal density, x in bytes, y in dots. */
      guint8 head[8] = { GS, 'v', '0', 0, row_bytes & 0xff, row_bytes >> 8, rows & 0xff, rows >> 8 };

      part = g_byte_array_sized_new (8 + row_bytes * rows + 2);
      if (y0 == 0)
        g_byte_array_append (part, (guint8[]){ ESC, '@' }, 2);
      g_byte_array_append (part, head, sizeof head);
      for (int y = y0; y < y0 + rows; y++)
        g_byte_array_append (part, bitmap->bits + (gsize)y * bitmap->stride, row_bytes);
      g_ptr_array_add (parts, g_byte_array_free_to_bytes (part));
    }
  part = g_byte_array_new ();
  append_finish (part, options);
  g_ptr_array_add (parts, g_byte_array_free_to_bytes (part));
  return g_steal_pointer (&parts);
}

GBytes *
kiosk_escpos_encode_raster (const KioskBitmap *bitmap, const KioskEscposOptions *options, GError **error)
{
  g_autoptr (GPtrArray) parts = kiosk_escpos_encode_raster_parts (bitmap, options, error);
  g_autoptr (GByteArray) out = NULL;

  if (parts == NULL)
    return NULL;
  out = g_byte_array_new ();
  for (guint i = 0; i < parts->len; i++)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (parts->pdata[i], &len);

      g_byte_array_append (out, data, len);
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static gboolean
decode_fail (GError **error, gsize at, const char *what)
{
  g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
               "无法解析打印数据 / Cannot decode ESC/POS at byte %" G_GSIZE_FORMAT ": %s", at, what);
  return FALSE;
}

KioskBitmap *
kiosk_escpos_decode_raster (const guint8 *data, gsize len, GError **error)
{
  g_autoptr (GByteArray) rows = g_byte_array_new ();
  g_autoptr (KioskBitmap) out = NULL;
  int row_bytes = -1, height = 0;
  gsize i = 0;

  while (i < len)
    {
      gsize left = len - i;

      if (left >= 2 && data[i] == ESC && data[i + 1] == '@')
        i += 2;
      else if (left >= 3 && data[i] == ESC && data[i + 1] == 'd')
        i += 3;
      else if (left >= 3 && data[i] == GS && data[i + 1] == 'V')
        i += data[i + 2] >= 65 ? 4 : 3; /* GS V 65/66 n carries a feed amount */
      else if (left >= 3 && data[i] == KIOSK_ESCPOS_DLE && data[i + 1] == KIOSK_ESCPOS_EOT)
        i += 3;
      else if (left >= 8 && data[i] == GS && data[i + 1] == 'v' && data[i + 2] == '0')
        {
          int xb = data[i + 4] | data[i + 5] << 8, yd = data[i + 6] | data[i + 7] << 8;
          gsize size = (gsize)xb * yd;

          if (data[i + 3] != 0 || xb == 0 || yd == 0)
            return decode_fail (error, i, "GS v 0 mode or size"), NULL;
          if (row_bytes >= 0 && xb != row_bytes)
            return decode_fail (error, i, "bands of different widths"), NULL;
          if (left - 8 < size)
            return decode_fail (error, i, "raster data cut short"), NULL;
          row_bytes = xb;
          height += yd;
          g_byte_array_append (rows, data + i + 8, size);
          i += 8 + size;
        }
      else
        return decode_fail (error, i, "unknown command"), NULL;
    }
  if (row_bytes < 0)
    return decode_fail (error, len, "no raster image"), NULL;

  /* The width in dots is lost to byte rounding; the byte width times 8 is what
   * the printer prints. */
  out = kiosk_bitmap_new (row_bytes * 8, height, error);
  if (out == NULL)
    return NULL;
  memcpy (out->bits, rows->data, rows->len);
  return g_steal_pointer (&out);
}

GBytes *
kiosk_escpos_encode_text (const char *const *lines, gboolean large_first_line,
                          const KioskEscposOptions *options, GError **error)
{
  const KioskEscposOptions defaults = KIOSK_ESCPOS_OPTIONS_DEFAULT;
  g_autoptr (GByteArray) out = g_byte_array_new ();

  g_return_val_if_fail (lines != NULL, NULL);

  if (options == NULL)
    options = &defaults;
  if (!check_options (options, error))
    return NULL;
  /* ESC @, then FS &: double-byte characters on, so GB18030 pairs print as Chinese. */
  g_byte_array_append (out, (guint8[]){ ESC, '@', FS, '&' }, 4);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (GError) local = NULL;
      gsize n = 0;
      g_autofree char *gb = g_convert (lines[i], -1, "GB18030", "UTF-8", NULL, &n, &local);
      gboolean large = large_first_line && i == 0;

      if (gb == NULL)
        {
          g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                       "第 %u 行无法转换为 GB18030 / Line %u cannot be written in GB18030: %s", i + 1, i + 1,
                       local->message);
          return NULL;
        }
      if (large) /* ESC a 1 centres; GS ! 0x11 doubles width and height */
        g_byte_array_append (out, (guint8[]){ ESC, 'a', 1, GS, '!', 0x11 }, 6);
      g_byte_array_append (out, (const guint8 *)gb, n);
      g_byte_array_append (out, (guint8[]){ '\n' }, 1);
      if (large)
        g_byte_array_append (out, (guint8[]){ GS, '!', 0, ESC, 'a', 0 }, 6);
    }
  append_finish (out, options);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

void
kiosk_escpos_status_request (guint8 n, guint8 out[3])
{
  out[0] = KIOSK_ESCPOS_DLE;
  out[1] = KIOSK_ESCPOS_EOT;
  out[2] = n;
}

gboolean
kiosk_escpos_parse_status (guint8 n, guint8 reply, KioskPrinterStatus *status, GError **error)
{
  KioskPrinterStatus set = 0;

  g_return_val_if_fail (status != NULL, FALSE);

  if (n < 1 || n > 4)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "无效的状态请求 / Invalid DLE EOT n = %u", n);
      return FALSE;
    }
  if ((reply & 0x93) != 0x12)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "打印机应答无效 / Invalid status reply 0x%02x to DLE EOT %u", reply, n);
      return FALSE;
    }
  switch (n)
    {
      case 1: /* printer: bit 3 offline */
        set = reply & 0x08 ? KIOSK_PRINTER_STATUS_OFFLINE : 0;
        break;
      case 2: /* offline cause: bit 2 cover, bit 5 stopped at paper end, bit 6 error */
        set = (reply & 0x04 ? KIOSK_PRINTER_STATUS_COVER_OPEN : 0)
              | (reply & 0x20 ? KIOSK_PRINTER_STATUS_PAPER_OUT : 0)
              | (reply & 0x40 ? KIOSK_PRINTER_STATUS_ERROR : 0);
        break;
      case 3: /* error cause: recoverable, autocutter, unrecoverable, auto-recoverable */
        set = reply & 0x6c ? KIOSK_PRINTER_STATUS_ERROR : 0;
        break;
      default: /* roll paper sensor: bits 2-3 near end, bits 5-6 paper end */
        set = (reply & 0x0c ? KIOSK_PRINTER_STATUS_PAPER_NEAR_END : 0)
              | (reply & 0x60 ? KIOSK_PRINTER_STATUS_PAPER_OUT : 0);
        break;
    }
  *status = (*status & ~KIOSK_PRINTER_STATUS_UNKNOWN) | set;
  return TRUE;
}
