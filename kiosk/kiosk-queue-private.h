/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-queue.h"

G_BEGIN_DECLS

const KioskQueueSettings *kiosk_queue_get_settings (KioskQueue *self);

/* Inside a transaction the caller began: checks the rules and writes the
 * ticket and its outbox record. An appointment (@appointment_code non-NULL,
 * lane APPOINTMENT) is checked against the hours and the range only; its
 * slot was given by the hall, so caps and cut-offs do not apply. */
KioskTicket *kiosk_queue_issue_locked (KioskQueue *self, const KioskService *service, KioskLane lane,
                                       const char *appointment_code, KioskRefusal **refusal, GError **error);

/* Priority tickets called in a row since the last normal one on @day (only
 * up to max_priority_run + 1 matter). */
gboolean kiosk_queue_read_priority_run (KioskQueue *self, const char *queue_id, const char *day, guint *run,
                                        GError **error);

void kiosk_queue_emit_changed (KioskQueue *self, const char *queue_id);

G_END_DECLS
