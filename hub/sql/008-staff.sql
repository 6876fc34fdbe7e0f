-- SPDX-License-Identifier: GPL-3.0-or-later
-- Staff accounts for the console (hub/console/): one per person, a role, and
-- the hall (centre) they belong to, NULL for the district. Passwords are
-- Argon2id strings (libsodium crypto_pwhash_str); session tokens are kept
-- only as their SHA-256, so a copy of the database signs nobody in.
CREATE TABLE staff_accounts (
  id bigserial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,31}$'),
  display_name text NOT NULL CHECK (char_length (display_name) BETWEEN 1 AND 64),
  role text NOT NULL CHECK (role IN ('counter', 'editor', 'publisher', 'admin')),
  hall text CHECK (hall IS NULL OR hall ~ '^[A-Za-z0-9_.-]{1,64}$'),
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  -- A password the hub made (first account, reset) is for one sign-in.
  must_change_password boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff_sessions (
  token_hash bytea PRIMARY KEY CHECK (length (token_hash) = 32),
  account_id bigint NOT NULL REFERENCES staff_accounts ON DELETE CASCADE,
  csrf text NOT NULL,
  address text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_sessions_account ON staff_sessions (account_id);

-- Failed sign-ins, per name and per address, for the lock-out.
CREATE TABLE staff_login_failures (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  address text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_login_failures_name ON staff_login_failures (name, at);
CREATE INDEX staff_login_failures_address ON staff_login_failures (address, at);

-- Every change made through the console or the staff commands: who, when,
-- from where, what. Never updated or deleted by the hub.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  account_id bigint REFERENCES staff_accounts,
  actor text NOT NULL,
  address text,
  action text NOT NULL,
  target text,
  hall text,
  details jsonb
);
CREATE INDEX audit_log_at ON audit_log (at);
