-- The helpdesk (¶22, ¶31.3, ¶32.4, ¶17.5): mail sent to stars@viaa.gov.lv
-- becomes tickets; password resets go out as single-use links whose
-- tokens are stored only as SHA-256 hashes; operators who forgot their
-- password get a one-time code by e-mail.

CREATE TABLE tickets (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject          text        NOT NULL DEFAULT '',
    from_addr        text        NOT NULL DEFAULT '',  -- lower case; '' when unparsed
    lang             text        NOT NULL DEFAULT 'lv',
    category         text        NOT NULL,
    suggested        text        NOT NULL,
    state            text        NOT NULL DEFAULT 'new',
    account_kind     text,       -- matched by the sender's confirmed address
    account_id       bigint,
    version          bigint      NOT NULL DEFAULT 1,
    claimed_by       bigint      REFERENCES operators (id),
    claim_session    text,
    claim_expires_at timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,

    CONSTRAINT tickets_category_known CHECK (category IN ('password_reset', 'suspension', 'incident', 'question', 'other')),
    CONSTRAINT tickets_suggested_known CHECK (suggested IN ('password_reset', 'suspension', 'incident', 'question', 'other')),
    CONSTRAINT tickets_state_known CHECK (state IN ('new', 'in_progress', 'waiting', 'resolved')),
    CONSTRAINT tickets_lang_known CHECK (lang IN ('lv', 'en')),
    CONSTRAINT tickets_account_kind_known CHECK (account_kind IN ('platform_user', 'operator')),
    CONSTRAINT tickets_account_whole CHECK ((account_kind IS NULL) = (account_id IS NULL))
);

COMMENT ON TABLE tickets IS 'Helpdesk tickets: threads of mail to stars@viaa.gov.lv and the replies; see migration 0060.';

CREATE INDEX tickets_queue_idx ON tickets (state, created_at, id);

CREATE TABLE inbound_messages (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  text        NOT NULL,
    in_reply_to text        NOT NULL DEFAULT '',
    refs        text[]      NOT NULL DEFAULT '{}',
    from_addr   text        NOT NULL DEFAULT '',
    from_name   text        NOT NULL DEFAULT '',
    to_addrs    text[]      NOT NULL DEFAULT '{}',
    subject     text        NOT NULL DEFAULT '',
    sent_at     timestamptz,
    body        text        NOT NULL DEFAULT '',
    attachments jsonb       NOT NULL DEFAULT '[]',  -- metadata only: name, type, size, sha256
    raw         bytea       NOT NULL,
    parse_error text        NOT NULL DEFAULT '',
    received_at timestamptz NOT NULL,
    ticket_id   bigint      NOT NULL REFERENCES tickets (id),

    CONSTRAINT inbound_messages_message_id_key UNIQUE (message_id),
    CONSTRAINT inbound_messages_message_id_given CHECK (message_id <> '')
);

COMMENT ON TABLE inbound_messages IS 'Mail received for the helpdesk, each once by Message-ID; unparsable mail is kept raw with parse_error.';

CREATE INDEX inbound_messages_ticket_idx ON inbound_messages (ticket_id, received_at, id);

CREATE TABLE ticket_replies (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id  bigint      NOT NULL REFERENCES tickets (id),
    template   text        NOT NULL,
    lang       text        NOT NULL,
    body       text        NOT NULL DEFAULT '',  -- the operator's free text; never a reset link
    actor_id   bigint      REFERENCES operators (id),
    actor_name text        NOT NULL,
    outbox_id  bigint,
    created_at timestamptz NOT NULL
);

CREATE INDEX ticket_replies_ticket_idx ON ticket_replies (ticket_id, created_at, id);
CREATE INDEX ticket_replies_outbox_idx ON ticket_replies (outbox_id) WHERE outbox_id IS NOT NULL;

-- Password-reset links (¶31.3). Only the SHA-256 of the token is kept; a
-- token works once, until expires_at, and is voided when another is
-- issued or the account's password changes (the triggers below).
CREATE TABLE password_reset_tokens (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_kind text        NOT NULL,
    account_id   bigint      NOT NULL,
    token_hash   bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    voided_at    timestamptz,
    ticket_id    bigint      REFERENCES tickets (id),

    CONSTRAINT password_reset_tokens_hash_key UNIQUE (token_hash),
    CONSTRAINT password_reset_tokens_sha256 CHECK (octet_length(token_hash) = 32),
    CONSTRAINT password_reset_tokens_kind_known CHECK (account_kind IN ('platform_user', 'operator')),
    CONSTRAINT password_reset_tokens_expiry CHECK (expires_at > created_at)
);

CREATE INDEX password_reset_tokens_open_idx ON password_reset_tokens (account_kind, account_id)
    WHERE used_at IS NULL AND voided_at IS NULL;

-- One-time sign-in codes of operators who forgot their password.
CREATE TABLE operator_reset_codes (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    operator_id bigint      NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    code_hash   bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    voided_at   timestamptz,

    CONSTRAINT operator_reset_codes_sha256 CHECK (octet_length(code_hash) = 32),
    CONSTRAINT operator_reset_codes_expiry CHECK (expires_at > created_at)
);

CREATE INDEX operator_reset_codes_open_idx ON operator_reset_codes (operator_id)
    WHERE used_at IS NULL AND voided_at IS NULL;

-- A changed password voids every open reset token of the account (and an
-- operator's open codes), whoever changed it and however.
CREATE FUNCTION platform_users_void_reset_tokens() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE password_reset_tokens SET voided_at = now()
     WHERE account_kind = 'platform_user' AND account_id = NEW.id
       AND used_at IS NULL AND voided_at IS NULL;
    RETURN NULL;
END
$$;

CREATE TRIGGER platform_users_void_reset_tokens
    AFTER UPDATE OF password_hash ON platform_users
    FOR EACH ROW WHEN (NEW.password_hash IS DISTINCT FROM OLD.password_hash)
    EXECUTE FUNCTION platform_users_void_reset_tokens();

CREATE FUNCTION operators_void_reset_tokens() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE password_reset_tokens SET voided_at = now()
     WHERE account_kind = 'operator' AND account_id = NEW.id
       AND used_at IS NULL AND voided_at IS NULL;
    UPDATE operator_reset_codes SET voided_at = now()
     WHERE operator_id = NEW.id AND used_at IS NULL AND voided_at IS NULL;
    RETURN NULL;
END
$$;

CREATE TRIGGER operators_void_reset_tokens
    AFTER UPDATE OF password_hash ON operators
    FOR EACH ROW WHEN (NEW.password_hash IS DISTINCT FROM OLD.password_hash)
    EXECUTE FUNCTION operators_void_reset_tokens();
