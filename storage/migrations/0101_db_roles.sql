-- Database roles (issue 15). An installation has three roles instead of
-- one superuser (storage/roles.go names them and grants their privileges
-- after every migration):
--
--   owner   runs the migrations and owns every object;
--   app     what `ppp serve` and the verbs use: rows, never the schema;
--           on the audit tables it may only read and append;
--   report  reads the views of schema reporting, nothing else.
--
-- Owning nothing, the application cannot switch a trigger off, and the
-- functions that must do more than it may run as the owner (SECURITY
-- DEFINER) with a search_path of their own, so that a caller's temporary
-- tables or functions cannot stand in for ours (pg_temp is searched last).

-- The chain's trigger moves audit_head, which the application may only
-- read.
ALTER FUNCTION audit_log_chain() SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp;

-- Pending entries leave audit_pending only onto the chain. Only the owner
-- holds DELETE on the table, and the guard lets a DELETE through only when
-- it runs as the table's owner: for everyone but the owner that is inside
-- audit_seal(). A setting no longer opens it (ppp.audit_sealing let any
-- session delete pending entries).
CREATE OR REPLACE FUNCTION audit_pending_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_user = (SELECT pg_catalog.pg_get_userbyid(relowner) FROM pg_catalog.pg_class WHERE oid = TG_RELID) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_pending is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Pending audit entries leave only onto the chain, through audit_seal().';
END
$$;

-- audit_seal moves at most batch pending entries, oldest first, onto the
-- chain and returns how many it moved; it runs as the owner. Sealers take
-- the chain's lock first, so that two of them never interleave batches.
CREATE OR REPLACE FUNCTION audit_seal(batch integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    moved integer;
BEGIN
    PERFORM pg_advisory_xact_lock(8102099284598809716);
    WITH taken AS (
        DELETE FROM public.audit_pending
         WHERE id IN (SELECT id FROM public.audit_pending ORDER BY id LIMIT batch FOR UPDATE)
        RETURNING *
    )
    INSERT INTO public.audit_log (at, actor_id, actor_name, session_id, remote_addr,
                                  action, subject_kind, subject_id, reason, details)
    SELECT at, actor_id, actor_name, session_id, remote_addr,
           action, subject_kind, subject_id, reason, details
      FROM taken
     ORDER BY id;
    GET DIAGNOSTICS moved = ROW_COUNT;
    RETURN moved;
END
$$;

REVOKE ALL ON FUNCTION audit_seal(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_log_chain() FROM PUBLIC;

-- The roles this database was granted to, and for which schema (the
-- program's SchemaHash), written by the grants after each migration. No
-- row: a single-role database, where one role owns and does everything.
CREATE TABLE db_roles (
    id             boolean     PRIMARY KEY DEFAULT true CHECK (id),  -- exactly one row
    owner_role     text        NOT NULL,
    app_role       text        NOT NULL,
    report_role    text        NOT NULL,
    granted_schema text        NOT NULL,
    granted_at     timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE db_roles IS 'The owner, application and reporting roles this database is granted to (storage/roles.go).';

-- What the reporting role sees: views without personal codes (for BI
-- tools; the reports issue adds more). A view reads its tables with the
-- owner's privileges, so the reporting role needs none on the tables.
CREATE SCHEMA reporting;

COMMENT ON SCHEMA reporting IS 'Read-only views for the reporting role: counts and states, never a full personal code.';

-- The role request queue: requests by kind and state, the oldest waiting.
CREATE VIEW reporting.role_request_queue AS
SELECT kind,
       state,
       count(*)        AS requests,
       min(created_at) AS oldest_created_at,
       max(updated_at) AS last_changed_at
  FROM public.role_requests
 GROUP BY kind, state;

-- IMK applications by state.
CREATE VIEW reporting.imk_application_states AS
SELECT state,
       count(*)        AS applications,
       min(applied_at) AS oldest_applied_at,
       max(updated_at) AS last_changed_at
  FROM public.imk_applications
 GROUP BY state;
