/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "kiosk-clock.h"
#include "kiosk-feedback.h"

G_BEGIN_DECLS

/* The answer to a card, over the whole window and every screen: a green ✓
 * with the masked name and 欢迎 / Welcome, or a red ✗ with the reason. It is
 * visible from the frame after kiosk_entry_overlay_show() (no transition),
 * and goes by itself KIOSK_ENTRY_OVERLAY_SECONDS later on the kiosk's clock,
 * or at a touch. */
#define KIOSK_ENTRY_OVERLAY_SECONDS 3

#define KIOSK_TYPE_ENTRY_OVERLAY (kiosk_entry_overlay_get_type ())
G_DECLARE_FINAL_TYPE (KioskEntryOverlay, kiosk_entry_overlay, KIOSK, ENTRY_OVERLAY, GtkWidget)

/* @clock: borrowed; it must outlive the overlay. */
void kiosk_entry_overlay_set_clock (KioskEntryOverlay *self, KioskClock *clock);
void kiosk_entry_overlay_show (KioskEntryOverlay *self, const KioskFeedback *feedback);
void kiosk_entry_overlay_dismiss (KioskEntryOverlay *self);
/* What is shown now; NULL when hidden. Borrowed. */
const KioskFeedback *kiosk_entry_overlay_get_feedback (KioskEntryOverlay *self);

G_END_DECLS
