-- Retention (issue 18, "Retention and erasure"): one rule per kind of
-- data, each with a period and what happens at its end; the retention
-- sweep (storage/sweep_retention.go) applies them daily. GDPR Art. 5(1)(e)
-- (storage limitation); the defaults and their reasoning are in README.md
-- ("Retention").
--
-- A period is months and days (a year is 12 months), so that "7 years"
-- ends on the same calendar day. The audit rule may only minimise, and not
-- sooner than a year: the chain must keep verifying (see below).
CREATE TABLE retention_rules (
    kind          text        PRIMARY KEY,
    period_months integer     NOT NULL DEFAULT 0,
    period_days   integer     NOT NULL DEFAULT 0,
    action        text        NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text        NOT NULL DEFAULT '',

    CONSTRAINT retention_rules_kind_known CHECK (kind IN (
        'inbound_mail', 'register_snapshots', 'role_requests', 'sign_in_attempts', 'outbox_bodies', 'audit')),
    CONSTRAINT retention_rules_action_known CHECK (action IN ('delete', 'minimise')),
    CONSTRAINT retention_rules_period_positive CHECK (
        period_months >= 0 AND period_days >= 0 AND period_months + period_days > 0),
    -- What each kind can do at its end (domain.RetentionActions).
    CONSTRAINT retention_rules_action_allowed CHECK (
        (kind IN ('role_requests', 'audit') AND action = 'minimise')
        OR (kind = 'register_snapshots' AND action = 'delete')
        OR kind IN ('inbound_mail', 'sign_in_attempts', 'outbox_bodies')),
    CONSTRAINT retention_rules_audit_floor CHECK (
        kind <> 'audit' OR period_months * 31 + period_days >= 365)
);

COMMENT ON TABLE retention_rules IS 'Retention periods per kind of data and their end (delete/minimise); `ppp retention set`, applied by the retention sweep.';

INSERT INTO retention_rules (kind, period_months, period_days, action, updated_by) VALUES
    ('inbound_mail',       12,  0, 'minimise', 'migration 0320'),
    ('register_snapshots', 36,  0, 'delete',   'migration 0320'),
    ('role_requests',      12,  0, 'minimise', 'migration 0320'),
    ('sign_in_attempts',    0, 180, 'delete',  'migration 0320'),
    ('outbox_bodies',       0, 90, 'minimise', 'migration 0320'),
    ('audit',             120,  0, 'minimise', 'migration 0320');

-- Minimised rows: what stays is what other records point at and counts.
ALTER TABLE role_requests ADD COLUMN minimised_at timestamptz;
ALTER TABLE inbound_messages ADD COLUMN minimised_at timestamptz;
ALTER TABLE outbox ADD COLUMN minimised_at timestamptz;

-- A minimised role request has no e-mail address or personal code left.
ALTER TABLE role_requests DROP CONSTRAINT role_requests_email_given;
ALTER TABLE role_requests ADD CONSTRAINT role_requests_email_given CHECK (email <> '' OR minimised_at IS NOT NULL);
ALTER TABLE role_requests DROP CONSTRAINT role_requests_personal_code_given;
ALTER TABLE role_requests ADD CONSTRAINT role_requests_personal_code_given CHECK (
    kind IN ('institution', 'institution_staff') OR personal_code <> '' OR minimised_at IS NOT NULL);
ALTER TABLE role_requests ADD CONSTRAINT role_requests_minimised_final CHECK (
    minimised_at IS NULL OR state IN ('rejected', 'expired'));

-- A minimised e-mail keeps its template, times and state, not its address.
ALTER TABLE outbox DROP CONSTRAINT outbox_to_addr_one_line;
ALTER TABLE outbox ADD CONSTRAINT outbox_to_addr_one_line CHECK (
    (to_addr <> '' OR minimised_at IS NOT NULL) AND to_addr !~ '[\r\n]');

CREATE INDEX role_requests_retention_idx ON role_requests (updated_at, id)
    WHERE state IN ('rejected', 'expired') AND minimised_at IS NULL;
CREATE INDEX sign_in_attempts_at_idx ON sign_in_attempts USING brin (at);
CREATE INDEX register_snapshots_fetched_idx ON register_snapshots USING brin (fetched_at);

-- Audit entries past their period are redacted: the content (subject id,
-- reason, details) and the source address are cleared, and the entry is
-- marked (redacted_at). Its hash and prev_hash stay, so the entries after
-- it still link to it, and its redaction_seal binds what is kept to that
-- hash:
--
--     sha256(hash || convert_to(kept text, 'UTF8'))
--
-- the kept text being seq, at, actor_id, actor_name, session_id, action,
-- subject_kind joined by U+001F as in audit_log_canonical. The verifier
-- (storage/audit_verify.go) recomputes the seal of a redacted entry
-- instead of its hash, which it can no longer recompute.
ALTER TABLE audit_log ADD COLUMN redacted_at timestamptz;
ALTER TABLE audit_log ADD COLUMN redaction_seal bytea;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_redaction_whole CHECK (
    (redacted_at IS NULL AND redaction_seal IS NULL)
    OR (redacted_at IS NOT NULL AND length(redaction_seal) = 32
        AND subject_id = '' AND reason = '' AND details = '' AND remote_addr = ''));

CREATE FUNCTION audit_log_kept(e audit_log) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT e.seq::text
        || E'\x1f' || coalesce(to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), '')
        || E'\x1f' || coalesce(e.actor_id::text, '')
        || E'\x1f' || coalesce(e.actor_name, '')
        || E'\x1f' || coalesce(e.session_id, '')
        || E'\x1f' || coalesce(e.action, '')
        || E'\x1f' || coalesce(e.subject_kind, '')
$$;

-- The log stays append-only, but for one change: the redaction of an
-- intact entry past the audit rule's period, run by its owner (inside
-- audit_redact). Anything else is refused as before.
CREATE OR REPLACE FUNCTION audit_log_refuse() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_user = (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = TG_RELID)
       AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
       AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
       AND NEW.actor_name = OLD.actor_name AND NEW.session_id = OLD.session_id
       AND NEW.action = OLD.action AND NEW.subject_kind = OLD.subject_kind
       AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash
       AND OLD.hash = sha256(OLD.prev_hash || convert_to(public.audit_log_canonical(OLD), 'UTF8'))
       AND NEW.redaction_seal = sha256(NEW.hash || convert_to(public.audit_log_kept(NEW), 'UTF8'))
       AND OLD.at < now() - (SELECT make_interval(months => r.period_months, days => r.period_days)
                               FROM public.retention_rules r WHERE r.kind = 'audit') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Audit entries are never changed or removed; append a correcting entry instead.';
END
$$;

-- audit_redact redacts at most batch entries older than the audit rule's
-- period, lowest seq first, and returns how many. It runs as the owner;
-- the application may call it (storage/roles.go).
CREATE FUNCTION audit_redact(batch integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    cutoff timestamptz;
    n      integer;
BEGIN
    SELECT now() - make_interval(months => period_months, days => period_days) INTO STRICT cutoff
      FROM public.retention_rules WHERE kind = 'audit';
    WITH due AS (
        SELECT seq FROM public.audit_log
         WHERE redacted_at IS NULL AND at < cutoff
         ORDER BY seq LIMIT batch FOR UPDATE
    )
    UPDATE public.audit_log e
       SET subject_id = '', reason = '', details = '', remote_addr = '', redacted_at = now(),
           redaction_seal = sha256(e.hash || convert_to(public.audit_log_kept(e), 'UTF8'))
      FROM due WHERE e.seq = due.seq;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

REVOKE ALL ON FUNCTION audit_redact(integer) FROM PUBLIC;

-- The retention sweep records its runs in sweep_runs like the others.
ALTER TABLE sweep_runs DROP CONSTRAINT sweep_runs_sweep_known;
ALTER TABLE sweep_runs ADD CONSTRAINT sweep_runs_sweep_known
    CHECK (sweep IN ('role-expiry', 'auth-deactivated', 'death-check', 'consultant-reminder', 'reverify', 'sanction-expiry', 'retention'));
