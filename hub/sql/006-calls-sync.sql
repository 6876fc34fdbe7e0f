-- SPDX-License-Identifier: GPL-3.0-or-later
-- Kiosks pull the counter actions on their hall's tickets (GET /v1/calls),
-- by counter_actions.id as the cursor: ids are taken under the calling lock
-- and commit in that order, so a kiosk that has seen id N has seen every id
-- below it. Only the last day is sent; this index finds where it starts.
CREATE INDEX counter_actions_at ON counter_actions (at);
