-- SPDX-License-Identifier: GPL-3.0-or-later
-- Counter calling. Tickets are the 'ticket' records kiosks upload; a ticket
-- with no row in ticket_states is waiting in the service it was issued for.
-- Staff actions add a row to counter_actions, the audit trail, and the
-- display reads its latest calls from there.
CREATE TABLE counters (
  id text PRIMARY KEY,
  name_zh text NOT NULL,              -- "3号窗口"
  name_en text NOT NULL,              -- "Counter 3"
  services text[] NOT NULL,           -- service ids this desk calls from
  priority_run integer NOT NULL DEFAULT 0 CHECK (priority_run >= 0),
  max_priority_run integer NOT NULL DEFAULT 2 CHECK (max_priority_run >= 0)
);

CREATE TABLE ticket_states (
  kiosk_id text NOT NULL,
  uuid uuid NOT NULL,
  service text NOT NULL, -- the service now (a transfer changes it)
  state text NOT NULL CHECK (state IN ('waiting', 'called', 'served', 'no_show')),
  desk_id text REFERENCES counters (id),
  called_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kiosk_id, uuid),
  FOREIGN KEY (kiosk_id, uuid) REFERENCES records (kiosk_id, uuid)
);
CREATE INDEX ticket_states_called ON ticket_states (desk_id) WHERE state = 'called';

CREATE TABLE counter_actions (
  id bigserial PRIMARY KEY,
  desk_id text NOT NULL REFERENCES counters (id),
  action text NOT NULL CHECK (action IN ('next', 'recall', 'call', 'transfer', 'no_show', 'served')),
  kiosk_id text,
  uuid uuid,
  label text,
  detail jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX counter_actions_calls ON counter_actions (id) WHERE action IN ('next', 'recall', 'call');

-- Shown on the hall display, Chinese first.
CREATE TABLE announcements (
  id serial PRIMARY KEY,
  text_zh text NOT NULL,
  text_en text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX records_ticket_day ON records ((payload ->> 'service_day')) WHERE kind = 'ticket';
CREATE INDEX records_ticket_code ON records ((payload ->> 'public_code')) WHERE kind = 'ticket';
