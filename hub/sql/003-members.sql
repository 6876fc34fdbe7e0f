-- SPDX-License-Identifier: GPL-3.0-or-later
-- The member list the fitness club checks badges against. Kiosks pull it
-- incrementally: every insert or update takes the next change_seq, and a
-- kiosk asks for rows after the last change_seq it has. Rows are never
-- deleted: status 'deleted' carries a removal to the kiosks.
CREATE SEQUENCE member_change_seq;

CREATE TABLE members (
  card_hash text PRIMARY KEY,
  kind text NOT NULL,
  name text NOT NULL DEFAULT '',
  valid_from timestamptz,
  valid_until timestamptz,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deleted')),
  member_group text NOT NULL DEFAULT '',
  change_seq bigint NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX members_change_seq ON members (change_seq);

-- Writers of members take one lock until they commit, so change_seq values
-- become visible in increasing order: a reader that has seen seq N has seen
-- every row below N, and its cursor never skips a row committed late.
CREATE FUNCTION members_next_seq () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock (7302001);
  NEW.change_seq := nextval ('member_change_seq');
  NEW.changed_at := now ();
  RETURN NEW;
END
$$;

CREATE TRIGGER members_seq BEFORE INSERT OR UPDATE ON members
  FOR EACH ROW EXECUTE FUNCTION members_next_seq ();
