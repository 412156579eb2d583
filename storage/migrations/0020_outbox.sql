-- The transactional outbox: every e-mail the back office sends.
--
-- A workflow inserts its message in the same transaction as the decision
-- the message tells about, so the mail exists if and only if the decision
-- committed. Delivery workers (storage/outbox.go) then move each row
--
--     pending → sending → sent
--                  ↘ pending (retry later, next_try_at moved on)
--                  ↘ failed  (given up: too many attempts, or refused for good)
--
-- A worker claims a row by setting state 'sending' with a lease
-- (locked_until) and committing before it sends; its final write is
-- guarded by state = 'sending' and the attempt number it claimed, so a
-- late write of a worker whose lease ran out changes nothing. The id is
-- the message's Message-ID (<outbox-ID@ppp.viaa.gov.lv>).
--
-- Workers compare next_try_at and locked_until with the database's now(),
-- never with their own clocks, so several servers agree on what is due.

CREATE TABLE outbox (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at   timestamptz NOT NULL DEFAULT now(),
    to_addr      text        NOT NULL,
    lang         text        NOT NULL,
    template     text        NOT NULL,
    subject      text        NOT NULL,
    body         text        NOT NULL,
    state        text        NOT NULL DEFAULT 'pending',
    attempts     integer     NOT NULL DEFAULT 0,
    next_try_at  timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz,
    sent_at      timestamptz,
    last_error   text        NOT NULL DEFAULT '',

    CONSTRAINT outbox_state_valid CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    CONSTRAINT outbox_lang_valid CHECK (lang IN ('lv', 'en')),
    CONSTRAINT outbox_to_addr_one_line CHECK (to_addr <> '' AND to_addr !~ '[\r\n]'),
    CONSTRAINT outbox_subject_one_line CHECK (subject !~ '[\r\n]'),
    CONSTRAINT outbox_attempts_positive CHECK (attempts >= 0),
    CONSTRAINT outbox_sending_leased CHECK (state <> 'sending' OR locked_until IS NOT NULL),
    CONSTRAINT outbox_sent_when CHECK ((state = 'sent') = (sent_at IS NOT NULL))
);

COMMENT ON TABLE outbox IS 'Transactional outbox of e-mails; see migration 0020 for the delivery protocol.';

-- What workers look for: due pending rows, and sending rows whose lease
-- ran out. Sent and failed rows, the bulk of the table, stay out of it.
CREATE INDEX outbox_due_idx ON outbox (state, next_try_at, id)
    WHERE state IN ('pending', 'sending');

-- Wakes the workers when the inserting transaction commits. The payload
-- carries the id only: notifications are visible to every database user.
CREATE FUNCTION outbox_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ppp_change', 'outbox:' || NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify
    AFTER INSERT ON outbox
    FOR EACH ROW EXECUTE FUNCTION outbox_notify();
