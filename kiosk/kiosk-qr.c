/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-qr"

#include <errno.h>
#include <string.h>

#include "kiosk-autocleanups.h"
#include "kiosk-error.h"
#include "kiosk-qr.h"

gboolean
kiosk_qr_check_public_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  const char *why = NULL;

  if (url == NULL || *url == '\0')
    why = "empty";
  else if (strlen (url) > KIOSK_PUBLIC_URL_MAX)
    why = "too long for the slip's QR";
  else
    for (const char *p = url; *p != '\0' && why == NULL; p++)
      if ((guchar)*p <= ' ' || *p == 0x7f)
        why = "a control character or a space";
  if (why == NULL)
    {
      uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
      if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
        why = "not a URL with a host";
      else if (!g_str_equal (g_uri_get_scheme (uri), "https"))
        why = "not https";
      else if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
               || g_uri_get_fragment (uri) != NULL)
        why = "user info, query or fragment";
    }
  if (why != NULL)
    {
      g_autofree char *shown = url != NULL ? g_strescape (url, NULL) : NULL;

      /* Escaped and cut: the message may reach a log or a screen. */
      if (shown != NULL && strlen (shown) > 2 * KIOSK_PUBLIC_URL_MAX)
        shown[2 * KIOSK_PUBLIC_URL_MAX] = '\0';
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "公开地址无效 / Invalid public address (%s): %s",
                   why, shown != NULL ? shown : "(none)");
      return FALSE;
    }
  return TRUE;
}

char *
kiosk_qr_ticket_url (const char *public_url, const char *public_code, GError **error)
{
  g_autofree char *base = NULL;
  g_autofree char *code = NULL;
  gsize len;

  if (!kiosk_qr_check_public_url (public_url, error))
    return NULL;
  if (public_code == NULL || *public_code == '\0')
    {
      g_set_error_literal (error, KIOSK_ERROR, KIOSK_ERROR_INVALID, "缺少票号代码 / Missing ticket code");
      return NULL;
    }
  base = g_strdup (public_url);
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  code = g_uri_escape_string (public_code, NULL, FALSE);
  return g_strdup_printf ("%s/t/%s", base, code);
}

int
kiosk_qr_fit_module (int modules, int max_dots)
{
  if (modules <= 0 || max_dots <= 0)
    return 0;
  return max_dots / (modules + 2 * KIOSK_QR_QUIET_ZONE);
}

KioskBitmap *
kiosk_qr_render (const char *text, int max_dots, GError **error)
{
  g_autoptr (QRcode) qr = NULL;
  g_autoptr (KioskBitmap) bmp = NULL;
  int module, side;

  g_return_val_if_fail (text != NULL, NULL);

  errno = 0;
  qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == NULL)
    {
      int saved = errno;

      g_set_error (error, KIOSK_ERROR, saved == ERANGE ? KIOSK_ERROR_INVALID : KIOSK_ERROR_FAILED,
                   "无法生成二维码 / Cannot make the QR code: %s", g_strerror (saved));
      return NULL;
    }
  module = kiosk_qr_fit_module (qr->width, max_dots);
  if (module < KIOSK_QR_MIN_MODULE)
    {
      g_set_error (error, KIOSK_ERROR, KIOSK_ERROR_INVALID,
                   "二维码内容过长 / QR text too long: %d modules do not fit %d dots", qr->width, max_dots);
      return NULL;
    }
  side = (qr->width + 2 * KIOSK_QR_QUIET_ZONE) * module;
  bmp = kiosk_bitmap_new (side, side, error);
  if (bmp == NULL)
    return NULL;
  for (int my = 0; my < qr->width; my++)
    for (int mx = 0; mx < qr->width; mx++)
      if (qr->data[my * qr->width + mx] & 1)
        kiosk_bitmap_fill_rect (bmp, (mx + KIOSK_QR_QUIET_ZONE) * module, (my + KIOSK_QR_QUIET_ZONE) * module,
                                module, module, TRUE);
  return g_steal_pointer (&bmp);
}
