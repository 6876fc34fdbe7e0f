-- SPDX-License-Identifier: GPL-3.0-or-later
-- Bookings for the service hall, imported by staff (linli-hub appointments
-- import FILE) and pulled by kiosks (GET /v1/appointments) as the member list
-- is: every insert or update takes the next change_seq under one lock, so a
-- kiosk's cursor never skips a row committed late.
--
-- Neither the booking code (it grants a ticket) nor the resident ID number is
-- stored: both are HMAC-SHA256 under the deployment's card key, as 64 hex
-- digits, which is what kiosks check them against. Staff read the masked
-- forms (code_hint "****Q9", id_hint "****002X").
CREATE SEQUENCE appointment_change_seq;

CREATE TABLE appointments (
  code_hash text PRIMARY KEY CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  code_hint text NOT NULL,
  service text NOT NULL CHECK (service <> ''),
  slot timestamptz NOT NULL,
  id_hash text CHECK (id_hash ~ '^[0-9a-f]{64}$'),
  id_hint text,
  status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'checked_in')),
  checked_in_at timestamptz,
  checked_in_kiosk text,
  ticket_uuid uuid,
  imported_at timestamptz NOT NULL DEFAULT now(),
  change_seq bigint NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX appointments_change_seq ON appointments (change_seq);
CREATE INDEX appointments_slot ON appointments (slot);

CREATE FUNCTION appointments_next_seq () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock (7302003);
  NEW.change_seq := nextval ('appointment_change_seq');
  NEW.changed_at := now ();
  RETURN NEW;
END
$$;

CREATE TRIGGER appointments_seq BEFORE INSERT OR UPDATE ON appointments
  FOR EACH ROW EXECUTE FUNCTION appointments_next_seq ();

-- A kiosk's ticket for a booking (its record's "appointment" is the code
-- hash) is the check-in: the booking is marked with the kiosk and the ticket,
-- and as a change it reaches every other kiosk, which then refuses the code.
-- In the same statement as the record, so a record is never stored without it.
CREATE FUNCTION appointments_check_in () RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE appointments
    SET status = 'checked_in', checked_in_at = now (), checked_in_kiosk = NEW.kiosk_id, ticket_uuid = NEW.uuid
    WHERE code_hash = NEW.payload ->> 'appointment' AND status <> 'checked_in';
  RETURN NULL;
END
$$;

CREATE TRIGGER records_appointment_check_in AFTER INSERT ON records
  FOR EACH ROW WHEN (NEW.kind = 'ticket' AND NEW.payload ->> 'appointment' IS NOT NULL)
  EXECUTE FUNCTION appointments_check_in ();
