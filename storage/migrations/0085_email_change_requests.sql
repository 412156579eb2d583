-- A staff change of a Platform account's e-mail address is a request that
-- takes effect only when a second person approves it in their own SSH
-- session (issue 13): the command line no longer changes an address on
-- one person's word. The notices to the old and the new address go out on
-- approval. A request waits at most its expires_at; an expired or decided
-- request changes nothing.

CREATE TABLE email_change_requests (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id           bigint      NOT NULL REFERENCES platform_users (id),
    old_email         text        NOT NULL,
    new_email         text        NOT NULL,
    reason            text        NOT NULL,
    requested_by      bigint      NOT NULL REFERENCES operators (id),
    requested_session text        NOT NULL DEFAULT '',
    requested_at      timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL,
    state             text        NOT NULL DEFAULT 'pending',
    decided_by        bigint      REFERENCES operators (id),
    decided_at        timestamptz,
    note              text        NOT NULL DEFAULT '',

    CONSTRAINT email_change_requests_state_known CHECK (state IN ('pending', 'approved', 'refused', 'expired')),
    CONSTRAINT email_change_requests_reason_given CHECK (btrim(reason) <> ''),
    CONSTRAINT email_change_requests_expiry_after CHECK (expires_at > requested_at),
    CONSTRAINT email_change_requests_decided_when CHECK ((state = 'pending') = (decided_at IS NULL)),
    CONSTRAINT email_change_requests_decided_by CHECK ((state IN ('approved', 'refused')) = (decided_by IS NOT NULL)),
    CONSTRAINT email_change_requests_refused_with_note CHECK (state <> 'refused' OR btrim(note) <> ''),
    CONSTRAINT email_change_requests_second_person CHECK (state <> 'approved' OR decided_by <> requested_by)
);

COMMENT ON TABLE email_change_requests IS 'Staff changes of a Platform account''s e-mail address waiting for a second person (issue 13); see migration 0085.';

CREATE UNIQUE INDEX email_change_requests_one_open_key ON email_change_requests (user_id) WHERE state = 'pending';
CREATE INDEX email_change_requests_open_idx ON email_change_requests (requested_at, id) WHERE state = 'pending';

-- Who approved a change; empty for the changes made before four eyes.
ALTER TABLE account_changes
    ADD COLUMN approved_by      bigint REFERENCES operators (id),
    ADD COLUMN approved_by_name text   NOT NULL DEFAULT '';
