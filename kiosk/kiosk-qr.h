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

/* Longest public address the slip takes: with "/t/" and a 16-character code
 * its QR still fits 58 mm paper at KIOSK_QR_MIN_MODULE (version 9, M). */
#define KIOSK_PUBLIC_URL_MAX 128

/* Whether @url can be the hub's public address for people ([hub] public_url,
 * handed to kiosks): https (a phone warns on anything else), a host, at most
 * KIOSK_PUBLIC_URL_MAX bytes, no user info, query or fragment, and no
 * control character or space anywhere. KIOSK_ERROR_INVALID saying which. */
gboolean kiosk_qr_check_public_url (const char *url, GError **error);

/* "<public url>/t/<code>": the ticket's live page on the hub's web listener.
 * Trailing slashes on @public_url are dropped and @public_code is
 * percent-escaped. NULL with KIOSK_ERROR_INVALID unless
 * kiosk_qr_check_public_url() accepts @public_url and the code is non-empty. */
char *kiosk_qr_ticket_url (const char *public_url, const char *public_code, GError **error);

/* Largest module size (dots) such that @modules plus the quiet zone on both
 * sides fit in @max_dots; 0 when even one dot per module does not fit. */
int kiosk_qr_fit_module (int modules, int max_dots);

/* @text as a QR symbol (error correction M, 8-bit mode), modules of the fitted
 * size, quiet zone included, at most @max_dots square. KIOSK_ERROR_INVALID when
 * the text is too long for that width. */
KioskBitmap *kiosk_qr_render (const char *text, int max_dots, GError **error);

G_END_DECLS
