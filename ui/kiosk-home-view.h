/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-queue.h"
#include "kiosk-screen.h"

G_BEGIN_DECLS

/* The first screen: four large tiles, the hall's latest calls ("now
 * serving", while there are any today) and the latest announcement. */
#define KIOSK_TYPE_HOME_VIEW (kiosk_home_view_get_type ())
G_DECLARE_FINAL_TYPE (KioskHomeView, kiosk_home_view, KIOSK, HOME_VIEW, KioskScreen)

/* Tiles in @columns (1, 2 or 4) columns; each tile's icon above its words,
 * or beside them where large text needs the width. */
void kiosk_home_view_set_layout (KioskHomeView *self, guint columns, gboolean icon_beside_text);
/* The queue whose hall calls "now serving" shows; NULL hides it. */
void kiosk_home_view_set_queue (KioskHomeView *self, KioskQueue *queue);
guint kiosk_home_view_get_columns (KioskHomeView *self);

G_END_DECLS
