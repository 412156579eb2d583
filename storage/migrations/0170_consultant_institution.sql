-- ¶29.3: "ja Karjeras konsultants reģistrējas kā Platformā reģistrētas
-- izglītības iestādes Karjeras konsultants, tad izglītības iestāde
-- Platformā apstiprina to kā Lietotāju. Pārējiem – dalību Platformā
-- apstiprina Aģentūras darbinieks."
--
-- A career consultant's request waiting at an institution: when the
-- institution was reminded before the Agency's take-over limit (the
-- sweep's reminder, sent once), and when the Agency last reminded it
-- after the limit. The first mail, on the applicant's e-mail confirmation,
-- is in the outbox and the request's history.
ALTER TABLE role_requests
    ADD COLUMN institution_reminder_at timestamptz,
    ADD COLUMN agency_reminded_at      timestamptz;

COMMENT ON COLUMN role_requests.institution_reminder_at IS
    '¶29.3: when the institution was reminded (once, by the consultant-reminder sweep) before the take-over limit.';
COMMENT ON COLUMN role_requests.agency_reminded_at IS
    '¶29.3: when the Agency last reminded the institution after the take-over limit.';

-- The reminder sweep: requests waiting at an institution, not yet
-- reminded, by the time their wait began.
CREATE INDEX role_requests_institution_reminder_idx ON role_requests (email_confirmed_at, id)
    WHERE state = 'at_institution' AND institution_reminder_at IS NULL;

-- ¶29.3: a career consultant's role is scoped to an institution only when
-- that institution approved it (PortalService.InstitutionDecide). The
-- Agency approves the others, a request it took over among them, without
-- an institution's scope: never in an institution's name. A trigger
-- rather than a CHECK so that rows written before this rule can still be
-- ended (¶32); it judges new rows and changes of role, scope or granter.
CREATE FUNCTION role_assignments_consultant_scope() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role = 'career_consultant' AND NEW.institution_id IS NOT NULL
       AND NEW.granted_by_institution IS DISTINCT FROM NEW.institution_id THEN
        RAISE EXCEPTION 'a career consultant is scoped to institution % only by its own approval (¶29.3)', NEW.institution_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'role_assignments_consultant_scope',
                  TABLE = 'role_assignments';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER role_assignments_consultant_scope
    BEFORE INSERT OR UPDATE OF role, institution_id, granted_by_institution ON role_assignments
    FOR EACH ROW EXECUTE FUNCTION role_assignments_consultant_scope();

-- The consultant-reminder sweep (storage.SweepConsultantReminder) records
-- its runs as the others do.
ALTER TABLE sweep_runs DROP CONSTRAINT sweep_runs_sweep_known;
ALTER TABLE sweep_runs ADD CONSTRAINT sweep_runs_sweep_known
    CHECK (sweep IN ('role-expiry', 'auth-deactivated', 'death-check', 'consultant-reminder'));
