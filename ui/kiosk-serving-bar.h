/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-queue.h"

G_BEGIN_DECLS

/* The home screen's "正在办理 / Now serving" line: the hall's latest calls
 * ("A023 → 3号窗口"), newest first. Hidden while nobody has been called
 * today. Reads the queue again on its ::changed (the sync announces new
 * counter actions that way) and once a minute, so a new day clears it. */
#define KIOSK_TYPE_SERVING_BAR (kiosk_serving_bar_get_type ())
G_DECLARE_FINAL_TYPE (KioskServingBar, kiosk_serving_bar, KIOSK, SERVING_BAR, GtkWidget)

/* Calls shown at most. */
#define KIOSK_SERVING_BAR_MAX_CALLS 3

GtkWidget *kiosk_serving_bar_new (void);
/* NULL: no queue, always hidden. */
void kiosk_serving_bar_set_queue (KioskServingBar *self, KioskQueue *queue);
/* Redraws in @lang ("zh" or "en"); the home screen calls it on every refresh. */
void kiosk_serving_bar_set_language (KioskServingBar *self, const char *lang);
/* The calls on show now (for tests): "A023 → 3号窗口", newest first. */
GPtrArray *kiosk_serving_bar_get_texts (KioskServingBar *self);

/* "A023 → 3号窗口" / "A023 → Counter 3": the desk in @lang, else in the
 * other language, else the number alone. Pure. */
char *kiosk_serving_bar_format_call (const KioskNowServing *call, const char *lang);

G_END_DECLS
