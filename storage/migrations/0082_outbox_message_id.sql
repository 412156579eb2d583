-- Issue 13. Our mail's Message-ID was <outbox-ID@ppp.viaa.gov.lv>: anyone
-- could list those in References and be threaded into another person's
-- helpdesk ticket. Each message now has a Message-ID of 160 random bits
-- (40 hex digits of the SHA-256 of two version-4 UUIDs, 244 bits from
-- PostgreSQL's strong random source; short enough that the header stays
-- within 78 characters), chosen once when it is written, so every attempt
-- at one message carries the same id. Threading also checks the sender
-- (storage/helpdesk.go).
--
-- Existing rows: a message that may already have gone out (sent, failed,
-- or tried at least once) keeps the id it went out with, so that replies
-- to it still find their ticket (their sender must match the ticket's
-- address now); a message never tried gets a random one.

CREATE FUNCTION outbox_new_message_id() RETURNS text
LANGUAGE sql VOLATILE AS $$
    SELECT left(encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'), 40)
           || '@ppp.viaa.gov.lv'
$$;

COMMENT ON FUNCTION outbox_new_message_id() IS
    'A fresh Message-ID (without angle brackets) for an outbox message: 160 random bits in 40 hex digits.';

ALTER TABLE outbox ADD COLUMN message_id text;

UPDATE outbox
   SET message_id = CASE WHEN state = 'pending' AND attempts = 0 THEN outbox_new_message_id()
                         ELSE 'outbox-' || id || '@ppp.viaa.gov.lv' END;

ALTER TABLE outbox
    ALTER COLUMN message_id SET DEFAULT outbox_new_message_id(),
    ALTER COLUMN message_id SET NOT NULL,
    ADD CONSTRAINT outbox_message_id_key UNIQUE (message_id),
    ADD CONSTRAINT outbox_message_id_plain CHECK (message_id ~ '^[!-;=?-~]+@[!-;=?-~]+$');

COMMENT ON COLUMN outbox.message_id IS
    'The Message-ID of every attempt at this message, without angle brackets; random since migration 0082.';

-- Secrets at rest: reset links, one-time codes and e-mail confirmation
-- links are wiped from a message once it is sent, fails for good, or its
-- secret expires (storage/outbox_secret.go). Messages sent or failed
-- before that are wiped here.
UPDATE outbox
   SET body = '[removed: it carried a single-use secret]'
 WHERE template IN ('helpdesk.reset_link', 'operator.reset_code', 'rolerequest.submitted_confirm')
   AND state IN ('sent', 'failed');
