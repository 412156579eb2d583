-- Defences against account takeover and staff misuse (issue 9, ¶18.4,
-- ¶20, ¶31.3): privileged password resets wait for a second person,
-- staff changes of e-mail addresses are recorded with a reason, and
-- operators who open or reveal too much raise alerts.

-- A password reset of an institution administrator or an agency employee,
-- held until a second helpdesk or security person approves it.
CREATE TABLE pending_resets (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id         bigint      NOT NULL REFERENCES tickets (id),
    account_kind      text        NOT NULL,
    account_id        bigint      NOT NULL,
    lang              text        NOT NULL DEFAULT 'lv',
    requested_by      bigint      NOT NULL REFERENCES operators (id),
    requested_session text        NOT NULL DEFAULT '',
    requested_at      timestamptz NOT NULL,
    state             text        NOT NULL DEFAULT 'pending',
    decided_by        bigint      REFERENCES operators (id),
    decided_at        timestamptz,
    note              text        NOT NULL DEFAULT '',

    CONSTRAINT pending_resets_kind_known CHECK (account_kind IN ('platform_user', 'operator')),
    CONSTRAINT pending_resets_state_known CHECK (state IN ('pending', 'approved', 'refused')),
    CONSTRAINT pending_resets_decided CHECK ((state = 'pending') = (decided_by IS NULL AND decided_at IS NULL)),
    CONSTRAINT pending_resets_second_person CHECK (state <> 'approved' OR decided_by <> requested_by)
);

COMMENT ON TABLE pending_resets IS 'Privileged password resets waiting for a second person (issue 9); see migration 0070.';

CREATE UNIQUE INDEX pending_resets_one_open_key ON pending_resets (account_kind, account_id) WHERE state = 'pending';
CREATE INDEX pending_resets_open_idx ON pending_resets (requested_at, id) WHERE state = 'pending';

-- Staff changes of a Platform account, with the old and new values.
CREATE TABLE account_changes (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES platform_users (id),
    field      text        NOT NULL,
    old_value  text        NOT NULL,
    new_value  text        NOT NULL,
    reason     text        NOT NULL,
    actor_id   bigint      REFERENCES operators (id),
    actor_name text        NOT NULL,
    at         timestamptz NOT NULL,

    CONSTRAINT account_changes_field_known CHECK (field IN ('email')),
    CONSTRAINT account_changes_reason_given CHECK (btrim(reason) <> '')
);

CREATE INDEX account_changes_user_idx ON account_changes (user_id, at DESC, id DESC);

-- Which persons' records an operator opened (by a key, never the code).
CREATE TABLE person_views (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id bigint      NOT NULL REFERENCES operators (id),
    person_key  text        NOT NULL,
    at          timestamptz NOT NULL
);

CREATE INDEX person_views_operator_at_idx ON person_views (operator_id, at) INCLUDE (person_key);

-- Misuse alerts: an operator went over a threshold in an hour.
CREATE TABLE alerts (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text        NOT NULL,
    operator_id  bigint      NOT NULL REFERENCES operators (id),
    count        integer     NOT NULL,
    threshold    integer     NOT NULL,
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    raised_at    timestamptz NOT NULL,
    closed_by    bigint      REFERENCES operators (id),
    closed_at    timestamptz,
    note         text        NOT NULL DEFAULT '',

    CONSTRAINT alerts_kind_known CHECK (kind IN ('reveals', 'views')),
    CONSTRAINT alerts_closed_whole CHECK ((closed_by IS NULL) = (closed_at IS NULL)),
    CONSTRAINT alerts_closed_with_note CHECK (closed_at IS NULL OR btrim(note) <> '')
);

CREATE INDEX alerts_operator_kind_idx ON alerts (operator_id, kind, raised_at);
CREATE INDEX alerts_open_idx ON alerts (raised_at DESC, id DESC) WHERE closed_at IS NULL;
CREATE INDEX audit_log_reveal_idx ON audit_log (actor_id, at) WHERE action = 'personal_data.reveal';
