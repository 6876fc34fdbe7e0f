-- SPDX-License-Identifier: GPL-3.0-or-later
-- What staff edit in the console before it is published: one draft per
-- target ("all" or "hall:ID"), with a version so that two editors saving at
-- once cannot overwrite each other (the second is told and keeps their text).
CREATE TABLE content_drafts (
  target text PRIMARY KEY CHECK (target = 'all' OR target ~ '^hall:[A-Za-z0-9_.-]{1,64}$'),
  announcements jsonb NOT NULL CHECK (jsonb_typeof (announcements) = 'array'),
  version int NOT NULL DEFAULT 1,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
