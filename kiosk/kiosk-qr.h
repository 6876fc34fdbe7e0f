/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "kiosk-bitmap.h"

G_BEGIN_DECLS

/* Phones read a QR reliably from a quiet zone of 4 modules up; thermal paper
 * needs no more. */
#define KIOSK_QR_QUIET_ZONE 4
/* Below 3 dots (0.375 mm at 203 dpi) a thermal module smears into its
 * neighbours and cheap phone cameras fail. */
#define KIOSK_QR_MIN_MODULE 3

/* "<hub>/t/<code>": the ticket's live-status page. Trailing slashes on
 * @hub_url are dropped and @public_code is percent-escaped. NULL with
 * KIOSK_ERROR_INVALID unless @hub_url is an http(s) URL and the code non-empty. */
char *kiosk_qr_ticket_url (const char *hub_url, const char *public_code, GError **error);

/* Largest module size (dots) such that @modules plus the quiet zone on both
 * sides fit in @max_dots; 0 when even one dot per module does not fit. */
int kiosk_qr_fit_module (int modules, int max_dots);

/* @text as a QR symbol (error correction M, 8-bit mode), modules of the fitted
 * size, quiet zone included, at most @max_dots square. KIOSK_ERROR_INVALID when
 * the text is too long for that width. */
KioskBitmap *kiosk_qr_render (const char *text, int max_dots, GError **error);

G_END_DECLS
