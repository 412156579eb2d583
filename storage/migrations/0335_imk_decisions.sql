-- Every eligibility decision of an IMK application, with its evidence
-- (issue 18, GDPR Art. 15: "IMK with each eligibility decision, its
-- evidence and the register data used"). imk_applications keeps only the
-- latest evaluation: a re-fetch, a person's request for review (Art. 22)
-- and a reviewer's decision each replace or follow the one before. This
-- table keeps each of them as it was, for the person's export.
--
-- A row is written by the trigger below, never by the application: when
-- an application gets an evaluation that differs from the one before (the
-- reasons for review aside, which a review request rewrites), and when it
-- is approved or rejected (by the check or by a reviewer). The trigger
-- runs as the owner; the application's role only reads the rows
-- (storage/roles.go), so a decision's record cannot be rewritten from the
-- application.
CREATE TABLE imk_decisions (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id bigint      NOT NULL REFERENCES imk_applications (id) ON DELETE CASCADE,
    at             timestamptz NOT NULL,
    state          text        NOT NULL,
    decided_by     bigint      REFERENCES operators (id),  -- NULL: the system (or no decision yet)
    reason         text        NOT NULL DEFAULT '',
    policy_id      bigint      REFERENCES eligibility_policies (id),
    evaluation     jsonb
);

CREATE INDEX imk_decisions_application_idx ON imk_decisions (application_id, at, id);

COMMENT ON TABLE imk_decisions IS 'Each eligibility decision and evaluation of an IMK application (issue 18, GDPR Art. 15), written by a trigger.';

-- What was decided before this migration: the decisions people contested
-- (kept with their review requests), then each application's latest.
INSERT INTO imk_decisions (application_id, at, state, decided_by, reason, policy_id, evaluation)
SELECT application_id, decided_at, decided_state, NULL, decided_reason, policy_id, evaluation
  FROM imk_review_requests ORDER BY requested_at, id;

INSERT INTO imk_decisions (application_id, at, state, decided_by, reason, policy_id, evaluation)
SELECT id, CASE WHEN state IN ('approved', 'rejected') THEN coalesce(decided_at, updated_at) ELSE updated_at END,
       state, decided_by, reason, policy_id, evaluation
  FROM imk_applications
 WHERE evaluation IS NOT NULL OR state IN ('approved', 'rejected')
 ORDER BY id;

CREATE FUNCTION imk_decisions_record() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF (NEW.evaluation IS NOT NULL
        AND (TG_OP = 'INSERT' OR (OLD.evaluation - 'ReviewWhy') IS DISTINCT FROM (NEW.evaluation - 'ReviewWhy')))
       OR (NEW.state IN ('approved', 'rejected')
        AND (TG_OP = 'INSERT' OR OLD.state IS DISTINCT FROM NEW.state)) THEN
        INSERT INTO public.imk_decisions (application_id, at, state, decided_by, reason, policy_id, evaluation)
        VALUES (NEW.id,
                CASE WHEN NEW.state IN ('approved', 'rejected') THEN coalesce(NEW.decided_at, NEW.updated_at)
                     ELSE NEW.updated_at END,
                NEW.state, NEW.decided_by, NEW.reason, NEW.policy_id, NEW.evaluation);
    END IF;
    RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION imk_decisions_record() FROM PUBLIC;

CREATE TRIGGER imk_decisions_record
    AFTER INSERT OR UPDATE OF evaluation, state ON imk_applications
    FOR EACH ROW EXECUTE FUNCTION imk_decisions_record();
