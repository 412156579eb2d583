-- Claims are the queue's busiest write: every reviewer takes one per
-- request opened. Appending each claim's audit entry to the chain at
-- commit serialised all claimers on the chain's lock and made a claim
-- cost three times a bare one. A claim's entry is written instead to
-- audit_pending, in the claim's own transaction (so it commits or rolls
-- back with the claim), and audit_seal() moves pending entries onto the
-- chain in batches, in the order they were written, within about a second
-- (the server seals every second; verification and search seal first).
--
-- Pending entries are as append-only as the log: no UPDATE, no TRUNCATE,
-- and DELETE only by audit_seal(), which inserts every row it deletes
-- into audit_log in the same statement.

CREATE TABLE audit_pending (
    id           bigserial   PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor_id     bigint,
    actor_name   text        NOT NULL,
    session_id   text        NOT NULL DEFAULT '',
    remote_addr  text        NOT NULL DEFAULT '',
    action       text        NOT NULL,
    subject_kind text        NOT NULL DEFAULT '',
    subject_id   text        NOT NULL DEFAULT '',
    reason       text        NOT NULL DEFAULT '',
    details      text        NOT NULL DEFAULT '',

    CONSTRAINT audit_pending_action_given CHECK (action <> ''),
    CONSTRAINT audit_pending_actor_id_positive CHECK (actor_id > 0),
    CONSTRAINT audit_pending_no_separator CHECK (
        strpos(actor_name || session_id || remote_addr || action || subject_kind
               || subject_id || reason || details, E'\x1f') = 0
    )
);

COMMENT ON TABLE audit_pending IS 'Audit entries written, not yet on the chain; audit_seal() chains them (migration 0072).';

CREATE FUNCTION audit_pending_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('ppp.audit_sealing', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_pending is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Pending audit entries leave only onto the chain, through audit_seal().';
END
$$;

CREATE TRIGGER audit_pending_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_pending
    FOR EACH ROW EXECUTE FUNCTION audit_pending_guard();

CREATE TRIGGER audit_pending_no_truncate
    BEFORE TRUNCATE ON audit_pending
    FOR EACH STATEMENT EXECUTE FUNCTION audit_pending_guard();

-- audit_seal moves at most batch pending entries, oldest first, onto the
-- chain and returns how many it moved. Sealers take the chain's lock
-- first, so that two of them never interleave their batches.
CREATE FUNCTION audit_seal(batch integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    moved integer;
BEGIN
    PERFORM pg_advisory_xact_lock(8102099284598809716);
    PERFORM set_config('ppp.audit_sealing', 'on', true);
    WITH taken AS (
        DELETE FROM audit_pending
         WHERE id IN (SELECT id FROM audit_pending ORDER BY id LIMIT batch FOR UPDATE)
        RETURNING *
    )
    INSERT INTO audit_log (at, actor_id, actor_name, session_id, remote_addr,
                           action, subject_kind, subject_id, reason, details)
    SELECT at, actor_id, actor_name, session_id, remote_addr,
           action, subject_kind, subject_id, reason, details
      FROM taken
     ORDER BY id;
    GET DIAGNOSTICS moved = ROW_COUNT;
    PERFORM set_config('ppp.audit_sealing', 'off', true);
    RETURN moved;
END
$$;
