/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "kiosk-card.h"
#include "kiosk-reader-health.h"

G_BEGIN_DECLS

/* A desktop resident ID card reader (GA 450, a security module inside) on a
 * serial or USB serial port. Its own thread asks "is a card there?" a few
 * times a second; a card put on the reader is selected and its base
 * information read once, and reaches ::read as a RESIDENT_ID read whose
 * id_card holds the decoded text (the photo is dropped unread). A card left on
 * the reader is not read again until it is taken away (two "no card" answers
 * in a row). A card that cannot be read or trusted gives one rejected read
 * (UNSUPPORTED or UNVERIFIED) for that placement; an exchange spoilt by noise
 * is retried. A reader that stops answering, or whose security module fails,
 * is marked not present in its health; an unplugged one is reopened. */

#define KIOSK_TYPE_ID_READER (kiosk_id_reader_get_type ())
G_DECLARE_FINAL_TYPE (KioskIdReader, kiosk_id_reader, KIOSK, ID_READER, GObject)

/* @baud: most readers talk at 115200. @clock: the kiosk's, for the date a
 * card's birth date must not pass (NULL: the system clock). */
KioskIdReader *kiosk_id_reader_new (const char *id, const char *path, guint baud, KioskClock *clock);

/* Starts the reader's thread; its signals are emitted in the thread-default
 * main context of the caller. Opening the port is the thread's work: a port
 * that is not there yet is retried every reopen interval. */
void kiosk_id_reader_start (KioskIdReader *self);
/* Stops and joins the thread. */
void kiosk_id_reader_stop (KioskIdReader *self);

/* How often to ask for a card, how long to wait for an answer, how long to
 * wait before reopening a lost port (ms). For tests; the defaults suit the
 * readers sold today. Call before start. */
void kiosk_id_reader_set_timing (KioskIdReader *self, guint poll_ms, guint answer_ms, guint reopen_ms);

const char *kiosk_id_reader_get_id (KioskIdReader *self);
gboolean kiosk_id_reader_get_connected (KioskIdReader *self);
/* Transfer full. */
KioskReaderHealth *kiosk_id_reader_get_health (KioskIdReader *self);

G_END_DECLS
