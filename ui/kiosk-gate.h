/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-config.h"
#include "kiosk-content.h"
#include "kiosk-door.h"
#include "kiosk-entry.h"
#include "kiosk-reader-manager.h"
#include "kiosk-store.h"

G_BEGIN_DECLS

/* Everything between a card reader and the fitness club's door: the reader
 * manager ([readers]), the door relay ([door]), the member list and the entry
 * decisions ([fitness] and the bundle's club). No GTK here; the application
 * owns one and routes reads to it (kiosk-application.h says how).
 *
 * Signals:
 *   ::read (const char *reader_id, KioskCardRead *read): every read of the
 *     hardware readers, rejected ones included;
 *   ::decided (KioskEntryDecision *decision): after each decision of
 *     kiosk_gate_decide() or kiosk_gate_admit_manual() is recorded and, for a
 *     grant, the door pulsed. */
#define KIOSK_TYPE_GATE (kiosk_gate_get_type ())
G_DECLARE_FINAL_TYPE (KioskGate, kiosk_gate, KIOSK, GATE, GObject)

/* @store and @content are borrowed for the gate's life. */
KioskGate *kiosk_gate_new (KioskConfig *config, KioskStore *store, KioskContent *content);

/* The relay of [door]; with backend none the club has no door to open. */
gboolean kiosk_gate_open_door (KioskGate *self, GError **error);
/* Finds, grabs and watches the readers of [readers]. */
gboolean kiosk_gate_start_readers (KioskGate *self, GError **error);
/* Loads the card key ([fitness] card_key_file; @create_key: make one when
 * missing, for demo mode), and the badge rules, and opens the club of the
 * bundle in force. KIOSK_ERROR_NOT_FOUND when the bundle has no club. */
gboolean kiosk_gate_open_club (KioskGate *self, gboolean create_key, GError **error);
/* Imports @path as the whole member list if it changed since the last import
 * (kiosk_credentials_import_if_changed()), checked against the club's groups. */
gboolean kiosk_gate_import_members (KioskGate *self, const char *path, GPtrArray *problems,
                                    gboolean *imported, GError **error);
/* Switches the door off and lets the readers go (at shutdown). */
void kiosk_gate_shut (KioskGate *self);

/* NULL until kiosk_gate_open_club() succeeded. */
KioskEntry *kiosk_gate_get_entry (KioskGate *self);
/* NULL without a door. */
KioskDoor *kiosk_gate_get_door (KioskGate *self);
/* NULL when readers were not started (demo mode: the keyboard stands in). */
KioskReaderManager *kiosk_gate_get_readers (KioskGate *self);

/* Decides on @card (a normalised card UID), pulses the door on a grant and
 * emits ::decided. NULL with an error when there is no club
 * (KIOSK_ERROR_NOT_FOUND) or the record could not be written. */
KioskEntryDecision *kiosk_gate_decide (KioskGate *self, const char *card, GError **error);
/* Staff let someone in for @note (a preset reason): recorded, door pulsed. */
KioskEntryDecision *kiosk_gate_admit_manual (KioskGate *self, const char *note, GError **error);

G_END_DECLS
