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
  /* The service-hall queue: tickets with their whole history (the service
   * day is part of every key; retention deletes only past days) and
   * imported bookings. */
  { 3, "queue tickets and appointments",
    "CREATE TABLE tickets ("
    "  uuid TEXT PRIMARY KEY,"
    "  hall_id TEXT NOT NULL,"
    "  kiosk_id TEXT NOT NULL,"
    "  kiosk_index INTEGER NOT NULL,"
    "  kiosks_in_hall INTEGER NOT NULL CHECK (kiosk_index < kiosks_in_hall),"
    "  queue_id TEXT NOT NULL,"
    "  service_id TEXT NOT NULL,"
    "  service_day TEXT NOT NULL,"
    "  seq INTEGER NOT NULL CHECK (seq >= 0),"
    "  number INTEGER NOT NULL,"
    "  label TEXT NOT NULL,"
    "  lane TEXT NOT NULL CHECK (lane IN ('normal', 'elderly', 'pregnant', 'disabled', 'appointment')),"
    "  issued_us INTEGER NOT NULL,"
    "  people_ahead INTEGER NOT NULL,"
    "  wait_low INTEGER NOT NULL,"
    "  wait_high INTEGER NOT NULL,"
    "  public_code TEXT NOT NULL,"
    "  appointment_code TEXT,"
    "  called_us INTEGER,"
    "  call_seq INTEGER UNIQUE," /* order of calls that share a called_us */
    "  served_us INTEGER,"
    "  no_show_us INTEGER,"
    "  UNIQUE (queue_id, service_day, number),"
    "  UNIQUE (queue_id, service_day, kiosk_index, kiosks_in_hall, seq));"
    "CREATE INDEX tickets_waiting ON tickets (queue_id, service_day, lane)"
    "  WHERE called_us IS NULL AND no_show_us IS NULL;"
    "CREATE INDEX tickets_called ON tickets (queue_id, service_day, called_us) WHERE called_us IS NOT NULL;"
    "CREATE INDEX tickets_served ON tickets (queue_id, served_us) WHERE served_us IS NOT NULL;"
    "CREATE INDEX tickets_service_day ON tickets (service_id, service_day, kiosk_index, kiosks_in_hall);"
    "CREATE TABLE appointments ("
    "  code TEXT PRIMARY KEY,"
    "  service_id TEXT NOT NULL,"
    "  slot_us INTEGER NOT NULL,"
    "  id_hash TEXT,"
    "  imported_us INTEGER NOT NULL,"
    "  used_us INTEGER,"
    "  ticket_uuid TEXT REFERENCES tickets (uuid));"
    "CREATE INDEX appointments_id_hash ON appointments (id_hash) WHERE id_hash IS NOT NULL;" },

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

  /* Outbox rows the hub refused as malformed (or that could never be sent),
   * kept with the reason: they stay unsent and visible to staff, and no
   * longer hold up the rows behind them. */
  { 5, "outbox rejected",
    "CREATE TABLE outbox_rejected ("
    "  seq INTEGER PRIMARY KEY REFERENCES outbox (seq),"
    "  at_us INTEGER NOT NULL,"
    "  status INTEGER NOT NULL,"
    "  reason TEXT NOT NULL);" },

  /* Counter actions pulled from the hub (GET /v1/calls): each ticket keeps
   * the id of the last one applied to it, so a page applied twice changes
   * nothing; a ticket a counter sent to another queue's line leaves this
   * one (transferred_us) and its later service is not a sample here. The
   * hall's calls are kept two days for the home screen's "now serving". */
  { 6, "hub counter actions",
    "ALTER TABLE tickets ADD COLUMN hub_action INTEGER;"
    "ALTER TABLE tickets ADD COLUMN transferred_us INTEGER;"
    "CREATE TABLE hub_calls ("
    "  id INTEGER PRIMARY KEY," /* the hub's counter action id */
    "  ticket_uuid TEXT NOT NULL,"
    "  label TEXT NOT NULL,"
    "  desk_zh TEXT NOT NULL,"
    "  desk_en TEXT NOT NULL,"
    "  at_us INTEGER NOT NULL);"
    "CREATE INDEX hub_calls_at ON hub_calls (at_us);" },

  /* Retention deletes old tickets: the foreign key check from appointments
   * and its own "still booked?" test look tickets up here, not by a scan of
   * every appointment for every ticket. */
  { 7, "appointments by ticket",
    "CREATE INDEX appointments_ticket ON appointments (ticket_uuid) WHERE ticket_uuid IS NOT NULL;" },
};

const guint kiosk_store_n_migrations = G_N_ELEMENTS (kiosk_store_migrations);
