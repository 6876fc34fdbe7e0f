/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kiosk-config.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

/* Rows examined (and at most deleted) per transaction. */
#define KIOSK_RETENTION_BATCH_ROWS 1000
/* The newest two days are always kept, whatever [kiosk] keep_days says: the
 * day's numbering, daily caps and reset, occupancy, anti-passback and the
 * wait estimate read back at most 24 hours (their settings' limits). */
#define KIOSK_RETENTION_MIN_KEEP_US (2 * G_TIME_SPAN_DAY)
/* Local time of the daily run; a kiosk also runs one as it starts. */
#define KIOSK_RETENTION_HOUR 3

#define KIOSK_TYPE_RETENTION (kiosk_retention_get_type ())
G_DECLARE_FINAL_TYPE (KioskRetention, kiosk_retention, KIOSK, RETENTION, GObject)

/* Deletes the per-input history (tickets, entry decisions, events, hub
 * calls, appointments, confirmed outbox rows) older than @keep_days days;
 * 0 keeps everything. An outbox row the hub has not confirmed is never
 * deleted, nor the ticket or entry it records. */
KioskRetention *kiosk_retention_new (KioskStore *store, guint keep_days);
/* Reads [kiosk] keep_days. */
KioskRetention *kiosk_retention_new_from_config (KioskConfig *config, KioskStore *store);

guint kiosk_retention_get_keep_days (KioskRetention *self);
/* Tests: rows per transaction (KIOSK_RETENTION_BATCH_ROWS by default). */
void kiosk_retention_set_batch_rows (KioskRetention *self, guint rows);

/* Starts a run now, one batch per idle turn of the main loop, and another at
 * KIOSK_RETENTION_HOUR each day (the store's clock: a fake clock's moves
 * are noticed at once). Each run ends with #KioskRetention::finished. */
void kiosk_retention_start (KioskRetention *self);
void kiosk_retention_stop (KioskRetention *self);
gboolean kiosk_retention_get_running (KioskRetention *self);
/* Monotonic time (the store clock's) of the next daily run; 0 when stopped. */
gint64 kiosk_retention_get_next_run_monotonic (KioskRetention *self);

/* One transaction of the run in progress, beginning one if none is: sets
 * @more while batches remain. After a failed batch (rolled back; what
 * earlier batches deleted stays deleted) the run ends with the error. */
gboolean kiosk_retention_step (KioskRetention *self, gboolean *more, GError **error);
/* A whole run now, batch after batch; @removed counts the rows deleted. */
gboolean kiosk_retention_run (KioskRetention *self, gint64 *removed, GError **error);

G_END_DECLS
