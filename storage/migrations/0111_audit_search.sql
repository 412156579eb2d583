-- The audit log at the scale of years (issue 15): 10,000,000 entries and
-- more, searched by operator, action, subject, time range or free text,
-- every page in tens of milliseconds.
--
-- Searches run newest first along seq. Operator, action and subject have
-- indexes ending in seq (migration 0003), so a page of them is a short
-- backward range of one index. A time range is the exception: at is when
-- the change happened (the start of its transaction, or of a claim whose
-- entry waited in audit_pending), so at does not grow exactly with seq,
-- and a block-range index could only say where a range's entries may be.
-- This migration lets a range be turned into the exact range of seq that
-- holds its entries, after which every other index serves it too.
--
-- An entry is late by how much earlier its time is than the latest time
-- among the entries chained before it (0 for most). audit_time_bounds
-- keeps a bound L on the lateness of every entry. Then, for any time t:
--   * the last entry (by seq) before t lies within L before the latest
--     time before t, and
--   * the first entry (by seq) at or after t lies within L after the
--     earliest time at or after t,
-- so two short ranges of the index on (at, seq) give the bounds of seq
-- (storage/audit_search.go). L is a few seconds in practice; a server
-- that was down while claims waited in audit_pending makes it longer,
-- which makes the two ranges longer, never a result wrong.
--
-- So that most appends need not write the row, max_at is the latest time
-- only to within a minute: it moves when an entry is more than a minute
-- past it. An entry at or before max_at is late by at most max_at + 1
-- minute − its time, and one after it by less than a minute; max_late is
-- the greatest of these, so it is a bound, one minute wider than exact.

DROP INDEX audit_log_at_idx;
CREATE INDEX audit_log_at_idx ON audit_log (at, seq);

CREATE TABLE audit_time_bounds (
    id       boolean     PRIMARY KEY DEFAULT true CHECK (id),  -- exactly one row
    max_at   timestamptz,                                      -- the latest entry time, to within a minute
    max_late interval    NOT NULL DEFAULT '1 minute' CHECK (max_late >= '1 minute')
);

COMMENT ON TABLE audit_time_bounds IS 'A bound on how late (in at) an audit entry is against those chained before it; see migration 0111.';

-- audit_time_bounds_rebuild recomputes the bounds from the whole log:
-- for this migration, and for a log loaded with the triggers off.
CREATE FUNCTION audit_time_bounds_rebuild() RETURNS void
LANGUAGE sql AS $$
    INSERT INTO audit_time_bounds (id, max_at, max_late)
    SELECT true, max(at), coalesce(max(running - at), '0') + interval '1 minute'
      FROM (SELECT at, max(at) OVER (ORDER BY seq) AS running FROM audit_log) AS e
    ON CONFLICT (id) DO UPDATE SET max_at = excluded.max_at, max_late = excluded.max_late;
$$;

SELECT audit_time_bounds_rebuild();

-- Every entry appended to the chain widens the bounds when it needs to
-- (rarely: most entries are on time and within a minute of max_at). It
-- runs while the appending transaction holds the chain's lock
-- (audit_log_chain), so appends meet the row one at a time, and as the
-- owner, so that the application needs no right to change the row.
CREATE FUNCTION audit_time_bounds_note() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    b audit_time_bounds%ROWTYPE;
BEGIN
    SELECT * INTO b FROM audit_time_bounds WHERE id;
    IF b.max_at IS NULL OR NEW.at > b.max_at + interval '1 minute' THEN
        UPDATE audit_time_bounds SET max_at = NEW.at WHERE id;
    ELSIF b.max_at - NEW.at + interval '1 minute' > b.max_late THEN
        UPDATE audit_time_bounds SET max_late = b.max_at - NEW.at + interval '1 minute' WHERE id;
    END IF;
    RETURN NULL;
END
$$;

-- A SECURITY DEFINER function must not find its tables through a path
-- its caller can change: pin it to the schema this migration runs in.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION audit_time_bounds_note() SET search_path = %I, pg_catalog, pg_temp', current_schema());
END
$$;
REVOKE ALL ON FUNCTION audit_time_bounds_note() FROM PUBLIC;

CREATE TRIGGER audit_log_time_bounds
    AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_time_bounds_note();

CREATE FUNCTION audit_time_bounds_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
        RETURN NEW;  -- from audit_time_bounds_note
    END IF;
    RAISE EXCEPTION 'audit_time_bounds moves only when audit entries are appended: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_time_bounds_guard
    BEFORE UPDATE OR DELETE ON audit_time_bounds
    FOR EACH ROW EXECUTE FUNCTION audit_time_bounds_guard();

CREATE TRIGGER audit_time_bounds_no_truncate
    BEFORE TRUNCATE ON audit_time_bounds
    FOR EACH STATEMENT EXECUTE FUNCTION audit_time_bounds_guard();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_time_bounds FROM PUBLIC;

-- Free text: any part of the action, actor, subject, reason or details,
-- ignoring case, through trigrams (pg_trgm, installed by migration 0012
-- when the server has it). The expression is the one SearchAudit matches;
-- the fields are joined by U+001F, which no field holds, so a match never
-- spans two fields. Without pg_trgm a text search reads the log from the
-- newest entry back.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX audit_log_text_trgm_idx ON audit_log USING gin (
            (action || E'\x1f' || actor_name || E'\x1f' || subject_kind || E'\x1f'
             || subject_id || E'\x1f' || reason || E'\x1f' || details) gin_trgm_ops);
    END IF;
END
$$;
