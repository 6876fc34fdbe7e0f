-- SPDX-License-Identifier: GPL-3.0-or-later
-- The hall display shows the announcements of the published content, as the
-- kiosks do (hub/db/hub-db-published.c), so a centre writes them in one place.
-- The announcements table goes. Rows staff wrote there are kept, renamed
-- announcements_retired, so nothing stored is lost: publish them in the
-- content (docs/calling.md), then drop that table.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM announcements) THEN
    ALTER TABLE announcements RENAME TO announcements_retired;
  ELSE
    DROP TABLE announcements;
  END IF;
END
$$;

-- A time of the content manifest as kiosk-bundle.c reads it: ISO 8601, and
-- without an offset China Standard Time (+08:00).
CREATE FUNCTION content_time (t text) RETURNS timestamptz LANGUAGE sql STABLE STRICT AS $$
  SELECT CASE WHEN t ~ '([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$' THEN t::timestamptz
              ELSE (t || '+08:00')::timestamptz END
$$;
