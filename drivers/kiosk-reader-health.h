/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-card.h"

G_BEGIN_DECLS

/* How one reader is doing, for the heartbeat and the technician's page. */
typedef struct
{
  char *id;            /* stable name of the reader */
  char *path;          /* device node now, or the last one it had */
  gboolean present;    /* open and delivering */
  gboolean grabbed;    /* held exclusively (keyboard-wedge readers) */
  gint64 last_read_us; /* wall time of the last accepted read, 0 if none */
  guint n_reads;       /* accepted reads */
  guint n_errors;      /* failed opens, read errors, unplugs */
  guint n_rejected[KIOSK_CARD_N_REJECTS];
} KioskReaderHealth;

#define KIOSK_TYPE_READER_HEALTH (kiosk_reader_health_get_type ())
GType kiosk_reader_health_get_type (void) G_GNUC_CONST;

KioskReaderHealth *kiosk_reader_health_new (const char *id);
KioskReaderHealth *kiosk_reader_health_copy (const KioskReaderHealth *health);
void kiosk_reader_health_free (KioskReaderHealth *health);

/* Counts @read (accepted or rejected) seen at wall time @now_us. */
void kiosk_reader_health_count (KioskReaderHealth *health, const KioskCardRead *read, gint64 now_us);

/* TRUE when the reader has been silent through opening hours: the centre
 * opened at @opened_at_us, has been open for at least @grace_us by @now_us,
 * and no read came since it opened. Badges are tapped all day, so this means
 * a dead reader or a broken cable, not a quiet morning. Outside opening hours
 * the caller passes no @opened_at_us (0) and gets FALSE. */
gboolean kiosk_reader_health_is_silent (const KioskReaderHealth *health, gint64 opened_at_us, gint64 now_us,
                                        gint64 grace_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KioskReaderHealth, kiosk_reader_health_free)

G_END_DECLS
