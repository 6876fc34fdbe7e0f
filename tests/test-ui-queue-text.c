/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ui-queue-text"

#include "config.h"

#include "kiosk-error.h"
#include "kiosk-qr.h"
#include "kiosk-qr-texture.h"
#include "kiosk-queue-text.h"
#include "kiosk-serving-bar.h"
#include "kiosk-ui-text.h"

/* The take-a-number screens' texts in both languages, and the QR as a
 * texture. No display needed. */

static void
test_people_ahead (void)
{
  static const struct
  {
    guint ahead;
    const char *zh, *en;
  } cases[] = {
    { 0, "前面无人等候", "You are next" },
    { 1, "前面还有 1 人", "1 person ahead of you" },
    { 12, "前面还有 12 人", "12 people ahead of you" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *zh = NULL;
      g_autofree char *en = NULL;

      kiosk_ui_apply_language (KIOSK_LANG_ZH);
      zh = kiosk_ui_format_people_ahead (cases[i].ahead);
      kiosk_ui_apply_language (KIOSK_LANG_EN);
      en = kiosk_ui_format_people_ahead (cases[i].ahead);
      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
    }
}

static void
test_waits (void)
{
  static const struct
  {
    guint waiting;
    int low, high;
    const char *zh, *en;
    const char *wait_zh, *wait_en;
  } cases[] = {
    { 0, 0, 5, "无人等候", "Nobody waiting", "预计等候：约 0–5 分钟", "Estimated wait: about 0–5 min" },
    { 3, 10, 20, "等候 3 人 · 约 10–20 分钟", "3 waiting · about 10–20 min", "预计等候：约 10–20 分钟",
      "Estimated wait: about 10–20 min" },
    { 1, -1, -1, "等候 1 人 · 暂无估计", "1 waiting · no estimate", "预计等候：暂无估计",
      "Estimated wait: no estimate" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KioskQueueStatus status
          = { .waiting = cases[i].waiting, .wait_low = cases[i].low, .wait_high = cases[i].high };
      g_autofree char *zh = NULL;
      g_autofree char *en = NULL;
      g_autofree char *wait_zh = NULL;
      g_autofree char *wait_en = NULL;

      kiosk_ui_apply_language (KIOSK_LANG_ZH);
      zh = kiosk_ui_format_queue_state (&status, KIOSK_LANG_ZH);
      wait_zh = kiosk_ui_format_wait (cases[i].low, cases[i].high, KIOSK_LANG_ZH);
      kiosk_ui_apply_language (KIOSK_LANG_EN);
      en = kiosk_ui_format_queue_state (&status, KIOSK_LANG_EN);
      wait_en = kiosk_ui_format_wait (cases[i].low, cases[i].high, KIOSK_LANG_EN);
      g_assert_cmpstr (zh, ==, cases[i].zh);
      g_assert_cmpstr (en, ==, cases[i].en);
      g_assert_cmpstr (wait_zh, ==, cases[i].wait_zh);
      g_assert_cmpstr (wait_en, ==, cases[i].wait_en);
    }
}

static void
test_documents (void)
{
  KioskText id = { (char *)"居民身份证原件", (char *)"Resident ID card (original)" };
  KioskText photos = { (char *)"一寸免冠彩色照片 2 张", (char *)"2 passport photos (1-inch, colour)" };
  g_autoptr (GPtrArray) documents = g_ptr_array_new ();
  g_autofree char *none = kiosk_ui_join_documents (documents, KIOSK_LANG_ZH);
  g_autofree char *zh = NULL;
  g_autofree char *en = NULL;

  g_assert_null (none);
  g_assert_null (kiosk_ui_join_documents (NULL, KIOSK_LANG_EN));
  g_ptr_array_add (documents, &id);
  g_ptr_array_add (documents, &photos);
  zh = kiosk_ui_join_documents (documents, KIOSK_LANG_ZH);
  en = kiosk_ui_join_documents (documents, KIOSK_LANG_EN);
  g_assert_cmpstr (zh, ==, "居民身份证原件、一寸免冠彩色照片 2 张");
  g_assert_cmpstr (en, ==, "Resident ID card (original); 2 passport photos (1-inch, colour)");
}

static void
test_print_failure (void)
{
  g_autoptr (GError) timeout = g_error_new_literal (KIOSK_ERROR, KIOSK_ERROR_TIMEOUT, "no answer");
  g_autoptr (GError) device = g_error_new_literal (KIOSK_ERROR, KIOSK_ERROR_DEVICE, "cannot open");
  static const struct
  {
    KioskPrinterStatus status;
    gboolean timed_out;
    const char *zh, *en;
  } cases[] = {
    { KIOSK_PRINTER_STATUS_PAPER_OUT | KIOSK_PRINTER_STATUS_COVER_OPEN, FALSE, "打印纸用完", "Out of paper" },
    { KIOSK_PRINTER_STATUS_COVER_OPEN | KIOSK_PRINTER_STATUS_OFFLINE, FALSE, "打印机盖未关",
      "Printer cover open" },
    { KIOSK_PRINTER_STATUS_ERROR, FALSE, "打印机故障", "Printer fault" },
    { KIOSK_PRINTER_STATUS_UNKNOWN, TRUE, "打印机无响应", "The printer did not answer" },
    { KIOSK_PRINTER_STATUS_OFFLINE, FALSE, "打印机离线", "Printer offline" },
    { KIOSK_PRINTER_STATUS_UNKNOWN, FALSE, "打印机未连接", "Printer not connected" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const GError *error = cases[i].timed_out ? timeout : device;

      kiosk_ui_apply_language (KIOSK_LANG_ZH);
      g_assert_cmpstr (kiosk_ui_describe_print_failure (cases[i].status, error), ==, cases[i].zh);
      kiosk_ui_apply_language (KIOSK_LANG_EN);
      g_assert_cmpstr (kiosk_ui_describe_print_failure (cases[i].status, error), ==, cases[i].en);
    }
}

static void
test_qr_texture (void)
{
  const char *url = "https://hub.linli.test/t/J32XRRAJ4MKBX6TL";
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = kiosk_qr_texture_new (url, 300, &error);
  g_autoptr (KioskBitmap) qr = kiosk_qr_render (url, 300, NULL);
  g_autofree guchar *pixels = NULL;
  gsize stride;
  gsize black = 0;

  g_assert_no_error (error);
  /* Pixel for dot, unscaled: the code the slip carries. */
  g_assert_cmpint (gdk_texture_get_width (texture), ==, qr->width);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, qr->height);
  g_assert_cmpint (qr->width, <=, 300);
  stride = (gsize)qr->width * 4;
  pixels = g_malloc (stride * (gsize)qr->height);
  gdk_texture_download (texture, pixels, stride);
  for (int y = 0; y < qr->height; y++)
    for (int x = 0; x < qr->width; x++)
      {
        const guchar *p = pixels + (gsize)y * stride + (gsize)x * 4;
        gboolean dot = kiosk_bitmap_get (qr, x, y);

        /* Cairo's ARGB32 in memory: B, G, R, A on little-endian machines; grey anyway. */
        g_assert_cmpuint (p[0], ==, dot ? 0x00 : 0xff);
        g_assert_cmpuint (p[1], ==, p[0]);
        g_assert_cmpuint (p[2], ==, p[0]);
        black += dot;
      }
  g_assert_cmpuint (black, >, 0);

  /* Too long for the size: said so. */
  {
    g_autofree char *long_text = g_strnfill (3000, 'x');
    g_autoptr (GdkTexture) none = kiosk_qr_texture_new (long_text, 100, &error);

    g_assert_null (none);
    g_assert_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID);
  }
}

/* "Now serving": the desk in the screen's language, else the other, else none. */
static void
test_now_serving (void)
{
  const struct
  {
    const char *desk_zh, *desk_en, *lang, *want;
  } cases[] = {
    { "3号窗口", "Counter 3", "zh", "A023 → 3号窗口" },
    { "3号窗口", "Counter 3", "en", "A023 → Counter 3" },
    { "3号窗口", "", "en", "A023 → 3号窗口" },
    { "", "Counter 3", "zh", "A023 → Counter 3" },
    { "", "", "zh", "A023" },
    { NULL, NULL, "en", "A023" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KioskNowServing call = { (char *)"A023", (char *)cases[i].desk_zh, (char *)cases[i].desk_en, 1 };
      g_autofree char *text = kiosk_serving_bar_format_call (&call, cases[i].lang);

      g_assert_cmpstr (text, ==, cases[i].want);
    }
}

int
main (int argc, char *argv[])
{
  g_unsetenv ("LANGUAGE");
  g_test_init (&argc, &argv, NULL);
  kiosk_ui_i18n_init (BUILD_LOCALEDIR);

  g_test_add_func ("/kiosk/ui/queue-text/people-ahead", test_people_ahead);
  g_test_add_func ("/kiosk/ui/queue-text/waits", test_waits);
  g_test_add_func ("/kiosk/ui/queue-text/documents", test_documents);
  g_test_add_func ("/kiosk/ui/queue-text/print-failure", test_print_failure);
  g_test_add_func ("/kiosk/ui/queue-text/qr-texture", test_qr_texture);
  g_test_add_func ("/kiosk/ui/queue-text/now-serving", test_now_serving);
  return g_test_run ();
}
