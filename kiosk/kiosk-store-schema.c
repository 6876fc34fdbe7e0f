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

  /* Outbox rows the hub refused as malformed (or that could never be sent),
   * kept with the reason: they stay unsent and visible to staff, and no
   * longer hold up the rows behind them. */
  { 5, "outbox rejected",
    "CREATE TABLE outbox_rejected ("
    "  seq INTEGER PRIMARY KEY REFERENCES outbox (seq),"
    "  at_us INTEGER NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  reason TEXT NOT NULL);" },
};

const guint kiosk_store_n_migrations = G_N_ELEMENTS (kiosk_store_migrations);
