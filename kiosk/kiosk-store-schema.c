/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "kiosk-store"

#include "kiosk-store-private.h"

/* The schema, one step a version. Never edit a step that has shipped: add one.
 * Times are microseconds since the epoch (UTC); days are local "YYYY-MM-DD". */
const KioskMigration kiosk_store_migrations[] = {
  { 1, "meta and events",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY,"
    "  at_us INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  detail TEXT NOT NULL);" },

  /* Records for the hub, written in the same transaction as what they record. */
  { 2, "outbox",
    "CREATE TABLE outbox ("
    "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('ticket', 'entry', 'status', 'call')),"
    "  payload TEXT NOT NULL CHECK (json_valid (payload)),"
    "  created_us INTEGER NOT NULL,"
    "  sent_us INTEGER);"
    "CREATE INDEX outbox_pending ON outbox (seq) WHERE sent_us IS NULL;" },

  /* Fitness club: members known by a keyed hash of their card, never the
   * number; every decision at the door, granted or not. */
  { 4, "fitness credentials and entries",
    "CREATE TABLE credentials ("
    "  card_hash TEXT PRIMARY KEY CHECK (length (card_hash) = 64),"
    "  kind TEXT NOT NULL CHECK (kind IN ('worker', 'resident', 'staff')),"
    "  name TEXT NOT NULL,"
    "  valid_from TEXT,"
    "  valid_until TEXT,"
    "  status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),"
    "  grp TEXT NOT NULL,"
    "  updated_us INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE TABLE entries ("
    "  id INTEGER PRIMARY KEY,"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  at_us INTEGER NOT NULL,"
    "  card_hash TEXT,"
    "  result TEXT NOT NULL CHECK (result IN ('granted', 'denied', 'exit')),"
    "  reason TEXT NOT NULL,"
    "  masked_name TEXT NOT NULL,"
    "  grp TEXT,"
    "  note TEXT,"
    "  left_us INTEGER);"
    "CREATE INDEX entries_at ON entries (at_us);"
    "CREATE INDEX entries_card ON entries (card_hash, at_us) WHERE card_hash IS NOT NULL;"
    "CREATE INDEX entries_inside ON entries (at_us) WHERE result = 'granted' AND left_us IS NULL;" },
};

const guint kiosk_store_n_migrations = G_N_ELEMENTS (kiosk_store_migrations);
