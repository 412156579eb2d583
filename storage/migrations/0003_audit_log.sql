-- The append-only, hash-chained audit log (¶19, ¶20).
--
-- Each entry's hash is
--
--     sha256(prev_hash || convert_to(canonical text, 'UTF8'))
--
-- where prev_hash is the hash of the entry before it (32 zero bytes for the
-- first) and the canonical text is these fields joined by the unit
-- separator U+001F, a NULL written as the empty string:
--
--     seq, at, actor_id, actor_name, session_id, remote_addr, action,
--     subject_kind, subject_id, reason, details
--
-- seq and actor_id in decimal, at in UTC as YYYY-MM-DDTHH:MM:SS.uuuuuuZ
-- (microseconds, the precision of timestamptz). No text field may contain
-- the separator, so the fields cannot be shifted into one another. The Go
-- verifier (storage/audit.go) recomputes the chain independently of this
-- trigger, from the same definition.
--
-- Appends serialise on a transaction-level advisory lock, held until the
-- appending transaction ends: write the audit entry last in a transaction,
-- just before commit, so that the lock is held as briefly as possible.

CREATE TABLE audit_log (
    seq          bigint      PRIMARY KEY,  -- 1, 2, 3 … set by the trigger
    at           timestamptz NOT NULL,
    actor_id     bigint,                   -- NULL for the command line and the system
    actor_name   text        NOT NULL,
    session_id   text        NOT NULL DEFAULT '',
    remote_addr  text        NOT NULL DEFAULT '',
    action       text        NOT NULL,
    subject_kind text        NOT NULL DEFAULT '',
    subject_id   text        NOT NULL DEFAULT '',
    reason       text        NOT NULL DEFAULT '',
    details      text        NOT NULL DEFAULT '',
    prev_hash    bytea       NOT NULL,
    hash         bytea       NOT NULL,

    CONSTRAINT audit_log_action_given CHECK (action <> ''),
    CONSTRAINT audit_log_actor_id_positive CHECK (actor_id > 0),
    CONSTRAINT audit_log_hash_length CHECK (length(prev_hash) = 32 AND length(hash) = 32),
    CONSTRAINT audit_log_no_separator CHECK (
        strpos(actor_name || session_id || remote_addr || action || subject_kind
               || subject_id || reason || details, E'\x1f') = 0
    )
);

COMMENT ON TABLE audit_log IS 'Append-only, hash-chained audit log; see migration 0003 for the hash definition.';

-- Searches page backwards along seq; these serve the common filters.
CREATE INDEX audit_log_actor_idx   ON audit_log (actor_name, seq);
CREATE INDEX audit_log_action_idx  ON audit_log (action text_pattern_ops, seq);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_kind, subject_id, seq);
-- at grows with seq, so a block-range index is tiny and enough for ranges.
CREATE INDEX audit_log_at_idx      ON audit_log USING brin (at);

-- The end of the chain, so that removing the newest entries is noticed too.
CREATE TABLE audit_head (
    id   boolean PRIMARY KEY DEFAULT true CHECK (id),  -- exactly one row
    seq  bigint  NOT NULL,
    hash bytea   NOT NULL CHECK (length(hash) = 32)
);

INSERT INTO audit_head (id, seq, hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));

CREATE FUNCTION audit_log_canonical(e audit_log) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT e.seq::text
        || E'\x1f' || coalesce(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '')
        || E'\x1f' || coalesce(e.actor_id::text, '')
        || E'\x1f' || coalesce(e.actor_name, '')
        || E'\x1f' || coalesce(e.session_id, '')
        || E'\x1f' || coalesce(e.remote_addr, '')
        || E'\x1f' || coalesce(e.action, '')
        || E'\x1f' || coalesce(e.subject_kind, '')
        || E'\x1f' || coalesce(e.subject_id, '')
        || E'\x1f' || coalesce(e.reason, '')
        || E'\x1f' || coalesce(e.details, '')
$$;

CREATE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    head audit_head%ROWTYPE;
BEGIN
    -- 'ppp_audt' as a big-endian integer. Concurrent appenders wait here,
    -- so each one reads the head its predecessor committed.
    PERFORM pg_advisory_xact_lock(8102099284598809716);

    SELECT * INTO STRICT head FROM audit_head WHERE id FOR UPDATE;

    NEW.seq       := head.seq + 1;
    NEW.at        := coalesce(NEW.at, now());
    NEW.prev_hash := head.hash;
    NEW.hash      := sha256(head.hash || convert_to(audit_log_canonical(NEW), 'UTF8'));

    UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_log_chain
    BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

CREATE FUNCTION audit_log_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit entries are never changed or removed; append a correcting entry instead.';
END
$$;

CREATE TRIGGER audit_log_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();

CREATE TRIGGER audit_log_no_truncate
    BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();

-- The head moves only with an append: a direct change would hide removed
-- entries from the verifier.
CREATE FUNCTION audit_head_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
        RETURN NEW;  -- from audit_log_chain
    END IF;
    RAISE EXCEPTION 'audit_head moves only when an audit entry is appended: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_head_guard
    BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_guard();

CREATE TRIGGER audit_head_no_truncate
    BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_head_guard();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_head FROM PUBLIC;
