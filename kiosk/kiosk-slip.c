/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-slip"

#include <pango/pangocairo.h>
#include <string.h>

#include "kiosk-error.h"
#include "kiosk-qr.h"
#include "kiosk-slip.h"

/* Sizes in dots for the 80 mm slip; other widths scale them. 8 dots = 1 mm. */
#define BASE_WIDTH 576.0
/* Coverage at which a dot is printed: a little under half keeps the thin
 * horizontal strokes of Chinese characters from breaking up. */
#define INK_THRESHOLD 96

typedef enum
{
  ITEM_TEXT,
  ITEM_IMAGE,
  ITEM_RULE,
  ITEM_GAP,
} ItemKind;

typedef struct
{
  ItemKind kind;
  int height;
  /* Owned */
  PangoLayout *layout; /* ITEM_TEXT */
  KioskBitmap *image;  /* ITEM_IMAGE, drawn centred */
  /* ITEM_TEXT: drawn this far above its slot (trims the empty ascent of the big label) */
  int y_shift;
  /* ITEM_TEXT: indent from the margin */
  int x;
} Item;

typedef struct
{
  int width;
  int margin;
  double scale;
  /* Owned */
  PangoContext *context;
  GArray *items;
} Slip;

static void
item_clear (gpointer p)
{
  Item *item = p;

  g_clear_object (&item->layout);
  g_clear_pointer (&item->image, kiosk_bitmap_free);
}

static void
slip_clear (Slip *slip)
{
  g_clear_object (&slip->context);
  g_clear_pointer (&slip->items, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Slip, slip_clear)

static int
px (const Slip *slip, double base)
{
  return (int)(base * slip->scale + 0.5);
}

static PangoLayout *
slip_layout (Slip *slip, const char *text, double size, gboolean bold, PangoAlignment align)
{
  PangoLayout *layout = pango_layout_new (slip->context);
  g_autoptr (PangoFontDescription) font = pango_font_description_new ();

  pango_font_description_set_family (font, KIOSK_SLIP_FONT_FAMILY);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (font, px (slip, size) * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (slip->width - 2 * slip->margin) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
add_text (Slip *slip, const char *text, double size, gboolean bold, PangoAlignment align)
{
  Item item = { .kind = ITEM_TEXT };

  item.layout = slip_layout (slip, text, size, bold, align);
  pango_layout_get_pixel_size (item.layout, NULL, &item.height);
  g_array_append_val (slip->items, item);
}

/* Makes the first @len bytes of the last text item bold (the checkbox of a
 * document line: the regular box's thin stems vanish at 58 mm sizes). */
static void
bold_prefix (Slip *slip, guint len)
{
  Item *item = &g_array_index (slip->items, Item, slip->items->len - 1);
  PangoAttrList *attrs = pango_attr_list_new ();
  PangoAttribute *bold = pango_attr_weight_new (PANGO_WEIGHT_HEAVY);

  bold->start_index = 0;
  bold->end_index = len;
  pango_attr_list_insert (attrs, bold);
  pango_layout_set_attributes (item->layout, attrs);
  pango_attr_list_unref (attrs);
}

/* Moves the last text item right by @dots, narrowing it to still fit. */
static void
indent_last (Slip *slip, int dots)
{
  Item *item = &g_array_index (slip->items, Item, slip->items->len - 1);

  item->x = dots;
  pango_layout_set_width (item->layout, (slip->width - 2 * slip->margin - dots) * PANGO_SCALE);
  pango_layout_get_pixel_size (item->layout, NULL, &item->height);
}

static void
add_gap (Slip *slip, double size)
{
  Item item = { .kind = ITEM_GAP, .height = px (slip, size) };

  g_array_append_val (slip->items, item);
}

static void
add_rule (Slip *slip)
{
  Item item = { .kind = ITEM_RULE, .height = MAX (2, px (slip, 3)) };

  add_gap (slip, 10);
  g_array_append_val (slip->items, item);
  add_gap (slip, 10);
}

static void
add_image (Slip *slip, KioskBitmap *image)
{
  Item item = { .kind = ITEM_IMAGE, .image = image, .height = image->height };

  g_array_append_val (slip->items, item);
}

/* "中文 / English" as a large Chinese line over a smaller English one. */
static void
add_bilingual (Slip *slip, const char *text, double zh_size, double en_size, gboolean bold,
               PangoAlignment align)
{
  const char *sep = strstr (text, " / ");

  if (sep == NULL)
    {
      add_text (slip, text, zh_size, bold, align);
      return;
    }
  {
    g_autofree char *zh = g_strndup (text, sep - text);

    add_text (slip, zh, zh_size, bold, align);
    add_text (slip, sep + 3, en_size, FALSE, align);
  }
}

/* The ticket label as large as the width allows, trimmed to its ink. */
static void
add_label (Slip *slip, const char *label)
{
  Item item = { .kind = ITEM_TEXT };
  PangoRectangle ink, logical;
  int avail = slip->width - 2 * slip->margin;

  item.layout = slip_layout (slip, label, 176, TRUE, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_extents (item.layout, &ink, &logical);
  if (ink.width > avail)
    {
      g_autoptr (PangoFontDescription) font
          = pango_font_description_copy (pango_layout_get_font_description (item.layout));

      pango_font_description_set_absolute_size (font, (double)pango_font_description_get_size (font) * avail
                                                          / (ink.width + 2));
      pango_layout_set_font_description (item.layout, font);
      pango_layout_get_pixel_extents (item.layout, &ink, &logical);
    }
  item.y_shift = ink.y;
  item.height = ink.height;
  g_array_append_val (slip->items, item);
}

static KioskBitmap *
load_logo (const char *path, int max_w, int max_h, GError **error)
{
  cairo_surface_t *src = cairo_image_surface_create_from_png (path);
  cairo_surface_t *dst = NULL;
  cairo_t *cr;
  KioskBitmap *out = NULL;
  int w, h, stride;
  double s;
  g_autofree guint8 *grey = NULL;
  guint8 *data;

  if (cairo_surface_status (src) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "无法读取标志图片 %s / Cannot read logo %s: %s",
                   path, path, cairo_status_to_string (cairo_surface_status (src)));
      cairo_surface_destroy (src);
      return NULL;
    }
  w = cairo_image_surface_get_width (src);
  h = cairo_image_surface_get_height (src);
  s = MIN (MIN ((double)max_w / w, (double)max_h / h), 1.0);
  w = MAX (1, (int)(w * s));
  h = MAX (1, (int)(h * s));

  /* Scaled and flattened onto white paper, then to grey and dithered. */
  dst = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cr = cairo_create (dst);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, s, s);
  cairo_set_source_surface (cr, src, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_destroy (cr);
  cairo_surface_flush (dst);

  data = cairo_image_surface_get_data (dst);
  stride = cairo_image_surface_get_stride (dst);
  grey = g_malloc ((gsize)w * h);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 p = ((guint32 *)(gpointer)(data + (gsize)y * stride))[x];
        guint r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

        grey[(gsize)y * w + x] = (guint8)((r * 299 + g * 587 + b * 114) / 1000);
      }
  out = kiosk_bitmap_new_dithered (grey, w, h, w, error);
  cairo_surface_destroy (dst);
  cairo_surface_destroy (src);
  return out;
}

static gboolean
slip_build (Slip *slip, const KioskSlipData *data, int width, GError **error)
{
  cairo_font_options_t *options;
  g_autofree char *ahead = NULL;
  g_autofree char *issued = NULL;

  if (width < KIOSK_SLIP_MIN_WIDTH || width > KIOSK_SLIP_MAX_WIDTH)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "打印宽度无效 / Invalid print width: %d dots",
                   width);
      return FALSE;
    }
  if (data->centre_name_zh == NULL || data->ticket_label == NULL || *data->ticket_label == '\0'
      || data->service_zh == NULL || data->issued_at == NULL)
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                           "小票内容不完整 / Slip data incomplete (centre, ticket, service, time)");
      return FALSE;
    }

  slip->width = width;
  slip->scale = width / BASE_WIDTH;
  slip->margin = px (slip, 8);
  slip->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (slip->items, item_clear);
  slip->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_context_set_language (slip->context, pango_language_from_string ("zh-cn"));
  /* No hinted metrics: the layout must not depend on the hinting setup of the
   * machine, so the test's images equal the kiosk's. */
  options = cairo_font_options_create ();
  cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_SLIGHT);
  pango_cairo_context_set_font_options (slip->context, options);
  cairo_font_options_destroy (options);

  if (data->logo_path != NULL)
    {
      KioskBitmap *logo = load_logo (data->logo_path, width / 2, px (slip, 120), error);

      if (logo == NULL)
        return FALSE;
      add_image (slip, logo);
      add_gap (slip, 8);
    }
  add_text (slip, data->centre_name_zh, 30, TRUE, PANGO_ALIGN_CENTER);
  if (data->centre_name_en != NULL)
    add_text (slip, data->centre_name_en, 20, FALSE, PANGO_ALIGN_CENTER);
  add_rule (slip);

  add_text (slip, "您的号码 / Your number", 22, FALSE, PANGO_ALIGN_CENTER);
  add_gap (slip, 18);
  add_label (slip, data->ticket_label);
  add_gap (slip, 22);
  add_text (slip, data->service_zh, 38, TRUE, PANGO_ALIGN_CENTER);
  if (data->service_en != NULL)
    add_text (slip, data->service_en, 24, FALSE, PANGO_ALIGN_CENTER);
  add_rule (slip);

  if (data->people_ahead >= 0)
    {
      ahead = kiosk_slip_format_people_ahead (data->people_ahead);
      add_bilingual (slip, ahead, 30, 22, TRUE, PANGO_ALIGN_LEFT);
      add_gap (slip, 8);
    }
  if (data->wait_text != NULL)
    {
      g_autofree char *wait = g_strconcat ("预计等候 ", data->wait_text, NULL);
      const char *sep = strstr (wait, " / ");
      g_autofree char *line
          = sep != NULL ? g_strdup_printf ("%.*s / Expected wait: %s", (int)(sep - wait), wait, sep + 3)
                        : g_strdup (wait);

      add_bilingual (slip, line, 30, 22, TRUE, PANGO_ALIGN_LEFT);
      add_gap (slip, 8);
    }
  issued = g_date_time_format (data->issued_at, "取号时间 / Issued  %Y-%m-%d %H:%M");
  add_text (slip, issued, 22, FALSE, PANGO_ALIGN_LEFT);

  if (data->documents != NULL && data->documents[0] != NULL)
    {
      add_rule (slip);
      add_text (slip, "请携带以下材料 / Please bring", 26, TRUE, PANGO_ALIGN_LEFT);
      add_gap (slip, 6);
      for (guint i = 0; data->documents[i] != NULL; i++)
        {
          const char *doc = data->documents[i];
          const char *sep = strstr (doc, " / ");
          int zh_len = sep != NULL ? (int)(sep - doc) : (int)strlen (doc);
          g_autofree char *zh = g_strdup_printf ("□ %.*s", zh_len, doc);
          PangoRectangle pos;

          add_text (slip, zh, 26, FALSE, PANGO_ALIGN_LEFT);
          bold_prefix (slip, strlen ("□"));
          if (sep != NULL)
            {
              /* The English name lines up with the Chinese one, not the box. */
              PangoLayout *zh_layout = g_array_index (slip->items, Item, slip->items->len - 1).layout;

              pango_layout_index_to_pos (zh_layout, strlen ("□ "), &pos);
              add_text (slip, sep + 3, 20, FALSE, PANGO_ALIGN_LEFT);
              indent_last (slip, PANGO_PIXELS (pos.x));
            }
          add_gap (slip, 6);
        }
    }

  if (data->qr_url != NULL)
    {
      KioskBitmap *qr = kiosk_qr_render (data->qr_url, MIN (width / 2, px (slip, 280)), error);

      if (qr == NULL)
        return FALSE;
      add_rule (slip);
      add_bilingual (slip, "扫码查看排队进度 / Scan to follow your place in the queue", 24, 20, TRUE,
                     PANGO_ALIGN_CENTER);
      add_image (slip, qr);
      add_text (slip, data->qr_url, 18, FALSE, PANGO_ALIGN_CENTER);
    }
  else
    {
      /* No phone page to point at: say how the turn will come instead. */
      add_rule (slip);
      add_bilingual (slip, KIOSK_SLIP_NO_QR_NOTE, 24, 20, TRUE, PANGO_ALIGN_CENTER);
    }
  add_gap (slip, 16);
  add_text (slip, "过号请到窗口咨询 / Missed your turn? Ask at the desk", 20, FALSE, PANGO_ALIGN_CENTER);
  add_gap (slip, 24);
  return TRUE;
}

KioskBitmap *
kiosk_slip_render (const KioskSlipData *data, int width_dots, GError **error)
{
  g_auto (Slip) slip = { 0 };
  g_autoptr (KioskBitmap) out = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int height = 0, y = 0;

  g_return_val_if_fail (data != NULL, NULL);

  if (!slip_build (&slip, data, width_dots, error))
    return NULL;
  for (guint i = 0; i < slip.items->len; i++)
    height += g_array_index (slip.items, Item, i).height;

  /* Text is drawn as ink coverage (A8) with grey antialiasing, then cut at a
   * threshold: sharper Chinese strokes than cairo's own 1-bit rasteriser. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_A8, width_dots, height);
  cr = cairo_create (surface);
  cairo_set_source_rgba (cr, 0, 0, 0, 1);
  for (guint i = 0; i < slip.items->len; i++)
    {
      Item *item = &g_array_index (slip.items, Item, i);

      if (item->kind == ITEM_TEXT)
        {
          cairo_move_to (cr, slip.margin + item->x, y - item->y_shift);
          pango_cairo_show_layout (cr, item->layout);
        }
      y += item->height;
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  out = kiosk_bitmap_new_from_coverage (cairo_image_surface_get_data (surface), width_dots, height,
                                        cairo_image_surface_get_stride (surface), INK_THRESHOLD, error);
  cairo_surface_destroy (surface);
  if (out == NULL)
    return NULL;

  /* Images and rules go straight into the bitmap, dot-exact: a QR module
   * smoothed by antialiasing would be a worse QR module. */
  y = 0;
  for (guint i = 0; i < slip.items->len; i++)
    {
      Item *item = &g_array_index (slip.items, Item, i);

      if (item->kind == ITEM_IMAGE)
        kiosk_bitmap_blit (out, item->image, (width_dots - item->image->width) / 2, y);
      else if (item->kind == ITEM_RULE)
        for (int x = slip.margin; x < width_dots - slip.margin; x += px (&slip, 14))
          kiosk_bitmap_fill_rect (out, x, y, px (&slip, 8), item->height, TRUE);
      y += item->height;
    }
  return g_steal_pointer (&out);
}

gboolean
kiosk_slip_check_fonts (const KioskSlipData *data, int width_dots, GError **error)
{
  g_auto (Slip) slip = { 0 };
  int unknown = 0;

  g_return_val_if_fail (data != NULL, FALSE);

  if (!slip_build (&slip, data, width_dots, error))
    return FALSE;
  for (guint i = 0; i < slip.items->len; i++)
    {
      Item *item = &g_array_index (slip.items, Item, i);

      if (item->kind == ITEM_TEXT)
        unknown += pango_layout_get_unknown_glyphs_count (item->layout);
    }
  if (unknown > 0)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_NOT_FOUND,
                   "缺少中文字体，%d 个字无法显示 / Chinese font missing: %d characters have no glyph "
                   "(install fonts-noto-cjk)",
                   unknown, unknown);
      return FALSE;
    }
  return TRUE;
}

char *
kiosk_slip_format_people_ahead (int people_ahead)
{
  if (people_ahead <= 0)
    return g_strdup ("前面无人等候 / You are next");
  if (people_ahead == 1)
    return g_strdup ("前面还有 1 人 / 1 person ahead");
  return g_strdup_printf ("前面还有 %d 人 / %d people ahead", people_ahead, people_ahead);
}

int
kiosk_slip_text_cells (const char *text)
{
  int cells = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_iszerowidth (c))
        cells += g_unichar_iswide (c) || g_unichar_iswide_cjk (c) ? 2 : 1;
    }
  return cells;
}

/* Appends @text broken into lines of at most @columns cells, centred if asked. */
static void
wrap_cells (GPtrArray *lines, const char *text, int columns, gboolean centre)
{
  const char *start = text;

  while (*start != '\0')
    {
      const char *p = start, *brk = NULL;
      int cells = 0;
      g_autofree char *line = NULL;

      while (*p != '\0')
        {
          gunichar c = g_utf8_get_char (p);
          int w = g_unichar_iswide (c) || g_unichar_iswide_cjk (c) ? 2 : 1;

          if (cells + w > columns)
            break;
          cells += w;
          p = g_utf8_next_char (p);
          /* Latin words break at spaces; Chinese may break after any character. */
          if (c == ' ' || w == 2)
            brk = p;
        }
      if (*p != '\0' && brk != NULL && brk > start)
        p = brk;
      line = g_strstrip (g_strndup (start, p - start));
      cells = kiosk_slip_text_cells (line);
      if (centre && cells < columns)
        g_ptr_array_add (lines, g_strdup_printf ("%*s%s", (columns - cells) / 2, "", line));
      else
        g_ptr_array_add (lines, g_steal_pointer (&line));
      start = p;
      while (*start == ' ')
        start++;
    }
}

static void
wrap_bilingual (GPtrArray *lines, const char *text, int columns, gboolean centre)
{
  const char *sep = strstr (text, " / ");
  g_autofree char *zh = NULL;

  if (sep == NULL)
    {
      wrap_cells (lines, text, columns, centre);
      return;
    }
  zh = g_strndup (text, sep - text);
  wrap_cells (lines, zh, columns, centre);
  wrap_cells (lines, sep + 3, columns, centre);
}

char **
kiosk_slip_format_text (const KioskSlipData *data, int columns)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *rule = NULL;

  g_return_val_if_fail (data != NULL && data->ticket_label != NULL, NULL);

  columns = MAX (columns, 16);
  rule = g_strnfill (columns, '-');
  g_ptr_array_add (lines, g_strdup (data->ticket_label));
  if (data->centre_name_zh != NULL)
    wrap_cells (lines, data->centre_name_zh, columns, TRUE);
  if (data->centre_name_en != NULL)
    wrap_cells (lines, data->centre_name_en, columns, TRUE);
  g_ptr_array_add (lines, g_strdup (rule));
  if (data->service_zh != NULL)
    wrap_cells (lines, data->service_zh, columns, TRUE);
  if (data->service_en != NULL)
    wrap_cells (lines, data->service_en, columns, TRUE);
  g_ptr_array_add (lines, g_strdup (rule));
  if (data->people_ahead >= 0)
    {
      g_autofree char *ahead = kiosk_slip_format_people_ahead (data->people_ahead);

      wrap_bilingual (lines, ahead, columns, FALSE);
    }
  if (data->wait_text != NULL)
    {
      g_autofree char *wait = g_strconcat ("预计等候 ", data->wait_text, NULL);

      wrap_bilingual (lines, wait, columns, FALSE);
    }
  if (data->issued_at != NULL)
    {
      g_autofree char *issued = g_date_time_format (data->issued_at, "取号 / Issued %Y-%m-%d %H:%M");

      wrap_cells (lines, issued, columns, FALSE);
    }
  if (data->documents != NULL && data->documents[0] != NULL)
    {
      g_ptr_array_add (lines, g_strdup (rule));
      wrap_cells (lines, "请携带 / Please bring:", columns, FALSE);
      for (guint i = 0; data->documents[i] != NULL; i++)
        {
          g_autofree char *item = g_strconcat ("- ", data->documents[i], NULL);

          wrap_cells (lines, item, columns, FALSE);
        }
    }
  if (data->qr_url != NULL)
    {
      g_ptr_array_add (lines, g_strdup (rule));
      wrap_cells (lines, "排队进度 / Queue status:", columns, FALSE);
      wrap_cells (lines, data->qr_url, columns, FALSE);
    }
  else
    {
      g_ptr_array_add (lines, g_strdup (rule));
      wrap_bilingual (lines, KIOSK_SLIP_NO_QR_NOTE, columns, FALSE);
    }
  g_ptr_array_add (lines, NULL);
  return (char **)g_ptr_array_free (g_steal_pointer (&lines), FALSE);
}
