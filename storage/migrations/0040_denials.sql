-- Access denials (¶24, ¶32) and what each one changed, so that lifting it
-- undoes exactly that.
--
-- A denial of a back-office operator waits in 'pending_approval' for a
-- second security officer; every other denial is 'in_force' at once. A
-- lift of a ¶32.3 or ¶32.6 denial waits in 'lift_pending' (the denial
-- stays in force meanwhile). Nobody approves their own: the CHECKs compare
-- operator ids, so two sessions of one person cannot satisfy them.

CREATE TABLE denials (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_kind      text        NOT NULL,
    subject_id        bigint      NOT NULL,
    ground            text        NOT NULL,
    note              text        NOT NULL DEFAULT '',
    evidence          text        NOT NULL DEFAULT '',
    state             text        NOT NULL,
    raised_by         bigint      REFERENCES operators (id),  -- NULL: raised by a sweep
    raised_at         timestamptz NOT NULL,
    approved_by       bigint      REFERENCES operators (id),
    in_force_at       timestamptz,
    lift_reason       text        NOT NULL DEFAULT '',
    lift_requested_by bigint      REFERENCES operators (id),
    lift_approved_by  bigint      REFERENCES operators (id),
    lifted_at         timestamptz,
    refused_by        bigint      REFERENCES operators (id),
    refuse_reason     text        NOT NULL DEFAULT '',
    version           bigint      NOT NULL DEFAULT 1,

    CONSTRAINT denials_subject_kind_known CHECK (subject_kind IN ('platform_user', 'institution', 'operator')),
    CONSTRAINT denials_ground_known CHECK (ground IN ('32.1', '32.2', '32.3', '32.4', '32.5', '32.6', '32.7', '32.8')),
    CONSTRAINT denials_state_known CHECK (state IN ('pending_approval', 'in_force', 'lift_pending', 'lifted', 'cancelled')),
    CONSTRAINT denials_four_eyes CHECK (approved_by <> raised_by),
    CONSTRAINT denials_lift_four_eyes CHECK (lift_approved_by <> lift_requested_by),
    CONSTRAINT denials_in_force_when CHECK (state IN ('pending_approval', 'cancelled') OR in_force_at IS NOT NULL),
    CONSTRAINT denials_lifted_why CHECK (state <> 'lifted' OR (lifted_at IS NOT NULL AND lift_reason <> '')),
    CONSTRAINT denials_operator_approved CHECK (
        subject_kind <> 'operator' OR state IN ('pending_approval', 'cancelled') OR approved_by IS NOT NULL)
);

COMMENT ON TABLE denials IS 'Access denials (¶24, ¶32); see migration 0040.';

-- One live denial per subject and ground.
CREATE UNIQUE INDEX denials_live_key ON denials (subject_kind, subject_id, ground)
    WHERE state IN ('pending_approval', 'in_force', 'lift_pending');
CREATE INDEX denials_subject_idx ON denials (subject_kind, subject_id, id);
CREATE INDEX denials_state_idx ON denials (state, id);

-- What a denial changed when it took force: a user's sign-in refused
-- ('sign_in'), a role assignment suspended ('assignment'), an institution
-- suspended ('institution'), an operator disabled ('operator'). A target
-- has one owner at a time; when its denial is lifted while another denial
-- still covers the target, the row passes to that one instead of being
-- undone.
CREATE TABLE denial_effects (
    effect    text   NOT NULL,
    target_id bigint NOT NULL,
    denial_id bigint NOT NULL REFERENCES denials (id),

    PRIMARY KEY (effect, target_id),
    CONSTRAINT denial_effects_known CHECK (effect IN ('sign_in', 'assignment', 'institution', 'operator'))
);

CREATE INDEX denial_effects_denial_idx ON denial_effects (denial_id);

-- A suspended assignment is not running: the portal treats a row with
-- suspended_at set like an ended one until the denial is lifted.
ALTER TABLE role_assignments ADD COLUMN suspended_at timestamptz;
COMMENT ON COLUMN role_assignments.suspended_at IS 'Suspended by an access denial (¶32); cleared when it is lifted (denial_effects).';

-- Warnings of a role's end (¶32.1), each sent once.
CREATE TABLE role_expiry_warnings (
    assignment_id bigint      NOT NULL REFERENCES role_assignments (id),
    days          integer     NOT NULL,
    sent_at       timestamptz NOT NULL,
    outbox_id     bigint,

    PRIMARY KEY (assignment_id, days)
);
