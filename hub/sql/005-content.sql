-- SPDX-License-Identifier: GPL-3.0-or-later
-- Signed content releases (docs/content-releases.md). Files are stored once
-- by their SHA-256, whatever release lists them; a release keeps the exact
-- bytes of release.json and release.sig, never re-serialised after signing.
CREATE TABLE content_files (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size >= 0),
  data bytea NOT NULL
);

CREATE TABLE content_releases (
  release bigint PRIMARY KEY CHECK (release > 0),
  target text NOT NULL DEFAULT 'all',
  not_before timestamptz,
  release_json bytea NOT NULL,
  release_sig text NOT NULL,
  etag text NOT NULL,
  rollback_of bigint REFERENCES content_releases (release),
  published_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE content_release_files (
  release bigint NOT NULL REFERENCES content_releases (release),
  path text NOT NULL,
  sha256 text NOT NULL REFERENCES content_files (sha256),
  PRIMARY KEY (release, path)
);

-- The hall a kiosk stands in, for releases targeted at "hall:ID".
CREATE TABLE kiosk_halls (
  kiosk_id text PRIMARY KEY REFERENCES kiosks (id),
  hall text NOT NULL
);
