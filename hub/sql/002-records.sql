-- SPDX-License-Identifier: GPL-3.0-or-later
-- Every ticket, entry, status and call record, once. A record is its kiosk and
-- its UUID: a resend after a lost answer meets the primary key and is skipped.
CREATE TABLE records (
  kiosk_id text NOT NULL REFERENCES kiosks (id),
  uuid uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('ticket', 'entry', 'status', 'call')),
  payload jsonb NOT NULL CHECK (jsonb_typeof (payload) = 'object'),
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kiosk_id, uuid)
);
CREATE INDEX records_received ON records (received_at);
