/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-bundle.h"

G_BEGIN_DECLS

/* The bundle in force. Screens bind to #KioskContent:bundle and redraw on
 * notify; a swap replaces the whole immutable bundle in one step, so no
 * screen ever sees half of an update. */
#define KIOSK_TYPE_CONTENT (kiosk_content_get_type ())
G_DECLARE_FINAL_TYPE (KioskContent, kiosk_content, KIOSK, CONTENT, GObject)

KioskContent *kiosk_content_new (KioskBundle *bundle);
KioskBundle *kiosk_content_get_bundle (KioskContent *self);
void kiosk_content_swap (KioskContent *self, KioskBundle *bundle);

G_END_DECLS
