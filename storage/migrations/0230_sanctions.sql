-- Sanction cases against education institutions (¶32.5, ¶32.7) with
-- graduated steps: a warning, a suspension for a period, a denial.
--
-- A suspension or a denial in force is a denial of the institution
-- (denials, subject_kind 'institution'), so that its effects are the
-- denial effects (denial_effects), undone exactly when it ends. A
-- suspension's denial carries ends_at: the sanction-expiry sweep lifts it
-- then. Nobody approves their own step: the CHECK compares operator ids,
-- so two sessions of one person cannot satisfy it.

-- A suspension ends by itself; it may stand beside a denial of the
-- institution on the same clause (a separate denial, or the denial step
-- that takes its place), so the one-live-denial-per-ground index leaves
-- suspensions out.
ALTER TABLE denials ADD COLUMN ends_at timestamptz;
COMMENT ON COLUMN denials.ends_at IS 'A sanction suspension (¶32.5, ¶32.7): the sanction-expiry sweep lifts it at this time.';
ALTER TABLE denials ADD CONSTRAINT denials_ends_after CHECK (ends_at IS NULL OR (subject_kind = 'institution' AND ends_at > raised_at));
DROP INDEX denials_live_key;
CREATE UNIQUE INDEX denials_live_key ON denials (subject_kind, subject_id, ground)
    WHERE state IN ('pending_approval', 'in_force', 'lift_pending') AND ends_at IS NULL;

CREATE TABLE sanction_cases (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution_id bigint      NOT NULL REFERENCES institutions (id),
    clause         text        NOT NULL,
    reason         text        NOT NULL,
    evidence       text        NOT NULL DEFAULT '',
    state          text        NOT NULL DEFAULT 'open',
    opened_by      bigint      REFERENCES operators (id),  -- NULL: opened by the back office itself
    opened_at      timestamptz NOT NULL,
    closed_by      bigint      REFERENCES operators (id),
    closed_at      timestamptz,
    close_reason   text        NOT NULL DEFAULT '',
    current_step   text        NOT NULL DEFAULT '',  -- domain.SanctionCase.Summarize, kept for the list's filter
    pending        boolean     NOT NULL DEFAULT false,
    version        bigint      NOT NULL DEFAULT 1,

    CONSTRAINT sanction_cases_clause_known CHECK (clause IN ('32.5', '32.7')),
    CONSTRAINT sanction_cases_state_known CHECK (state IN ('open', 'closed')),
    CONSTRAINT sanction_cases_reason_given CHECK (reason <> ''),
    CONSTRAINT sanction_cases_closed_why CHECK (state = 'open' OR (closed_at IS NOT NULL AND close_reason <> '')),
    CONSTRAINT sanction_cases_current_known CHECK (current_step IN ('', 'warning', 'suspension', 'denial'))
);

COMMENT ON TABLE sanction_cases IS 'Sanction cases against institutions (¶32.5, ¶32.7); see migration 0230.';

-- One open case per institution.
CREATE UNIQUE INDEX sanction_cases_open_key ON sanction_cases (institution_id) WHERE state = 'open';
CREATE INDEX sanction_cases_institution_idx ON sanction_cases (institution_id, id);
CREATE INDEX sanction_cases_list_idx ON sanction_cases ((state <> 'open'), id);

CREATE TABLE sanction_steps (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id       bigint      NOT NULL REFERENCES sanction_cases (id),
    kind          text        NOT NULL,
    reason        text        NOT NULL,
    evidence      text        NOT NULL DEFAULT '',
    until         timestamptz,
    state         text        NOT NULL,
    proposed_by   bigint      NOT NULL REFERENCES operators (id),
    proposed_at   timestamptz NOT NULL,
    decided_by    bigint      REFERENCES operators (id),
    decided_at    timestamptz,
    refuse_reason text        NOT NULL DEFAULT '',
    in_force_at   timestamptz,
    ended_at      timestamptz,
    end_reason    text        NOT NULL DEFAULT '',
    ended_by      bigint      REFERENCES operators (id),  -- NULL: the sweep, or a denial that took over
    denial_id     bigint      REFERENCES denials (id),
    version       bigint      NOT NULL DEFAULT 1,

    CONSTRAINT sanction_steps_kind_known CHECK (kind IN ('warning', 'suspension', 'denial')),
    CONSTRAINT sanction_steps_state_known CHECK (state IN ('pending', 'refused', 'given', 'in_force', 'lifted', 'expired', 'superseded')),
    CONSTRAINT sanction_steps_until_of_suspension CHECK ((kind = 'suspension') = (until IS NOT NULL)),
    CONSTRAINT sanction_steps_warning_given CHECK ((kind = 'warning') = (state = 'given')),
    CONSTRAINT sanction_steps_four_eyes CHECK (state IN ('pending', 'refused', 'given') OR decided_by <> proposed_by),
    CONSTRAINT sanction_steps_denial_when CHECK (state IN ('pending', 'refused', 'given') OR denial_id IS NOT NULL),
    CONSTRAINT sanction_steps_refused_why CHECK (state <> 'refused' OR refuse_reason <> '')
);

COMMENT ON TABLE sanction_steps IS 'Steps of sanction cases: warning, suspension, denial (¶32.5, ¶32.7); see migration 0230.';

-- One step waiting for approval per case.
CREATE UNIQUE INDEX sanction_steps_pending_key ON sanction_steps (case_id) WHERE state = 'pending';
CREATE INDEX sanction_steps_case_idx ON sanction_steps (case_id, id);
CREATE INDEX sanction_steps_due_idx ON sanction_steps (until) WHERE state = 'in_force' AND kind = 'suspension';

-- The sanction-expiry sweep (storage.SweepSanctionExpiry) records its runs
-- as the others do.
ALTER TABLE sweep_runs DROP CONSTRAINT sweep_runs_sweep_known;
ALTER TABLE sweep_runs ADD CONSTRAINT sweep_runs_sweep_known
    CHECK (sweep IN ('role-expiry', 'auth-deactivated', 'death-check', 'consultant-reminder', 'reverify', 'sanction-expiry'));
