-- SPDX-License-Identifier: GPL-3.0-or-later
-- Kiosks and their client certificates. A request is allowed when the
-- certificate's fingerprint is enrolled to the kiosk named by its CN and
-- neither is revoked.
CREATE TABLE kiosks (
  id text PRIMARY KEY,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  sync_requested boolean NOT NULL DEFAULT false,
  last_heartbeat_at timestamptz,
  heartbeat jsonb
);

CREATE TABLE kiosk_certs (
  fingerprint text PRIMARY KEY, -- SHA-256 of the DER, hex
  kiosk_id text NOT NULL REFERENCES kiosks (id),
  serial text NOT NULL,
  not_after timestamptz NOT NULL,
  issued_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX kiosk_certs_kiosk ON kiosk_certs (kiosk_id);
