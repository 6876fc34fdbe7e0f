/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-screen.h"

G_BEGIN_DECLS

/* The services guide: categories → services → what to bring for one. */
#define KIOSK_TYPE_GUIDE_VIEW (kiosk_guide_view_get_type ())
G_DECLARE_FINAL_TYPE (KioskGuideView, kiosk_guide_view, KIOSK, GUIDE_VIEW, KioskScreen)

/* "categories", "services" or "detail". */
const char *kiosk_guide_view_get_page (KioskGuideView *self);

G_END_DECLS
