-- SPDX-License-Identifier: GPL-3.0-or-later
-- What staff edit in the console before it is published: one draft per
-- target ("all" or "hall:ID"). Each section of the manifest a form edits
-- (announcements, hours) is NULL until edited: publishing replaces only the
-- sections the draft holds. A version per draft, so that two editors saving
-- at once cannot overwrite each other (the second is told, keeps their text).
CREATE TABLE content_drafts (
  target text PRIMARY KEY CHECK (target = 'all' OR target ~ '^hall:[A-Za-z0-9_.-]{1,64}$'),
  announcements jsonb CHECK (announcements IS NULL OR jsonb_typeof (announcements) = 'array'),
  hours jsonb CHECK (hours IS NULL OR jsonb_typeof (hours) = 'object'),
  version int NOT NULL DEFAULT 1,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
