/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-screen.h"

G_BEGIN_DECLS

/* The announcements valid now, newest first as the bundle lists them. */
#define KIOSK_TYPE_NOTICES_VIEW (kiosk_notices_view_get_type ())
G_DECLARE_FINAL_TYPE (KioskNoticesView, kiosk_notices_view, KIOSK, NOTICES_VIEW, KioskScreen)

G_END_DECLS
