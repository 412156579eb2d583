-- Scheduled sweeps: a leader row per sweep, so that with several servers
-- each sweep runs on one of them at a time, and the record of every run.

CREATE TABLE sweep_leases (
    name       text        PRIMARY KEY,
    holder     text        NOT NULL,
    expires_at timestamptz NOT NULL
);

COMMENT ON TABLE sweep_leases IS 'Who runs a sweep now; a lease past expires_at may be taken over (compared with the database clock).';

CREATE TABLE sweep_runs (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sweep       text        NOT NULL,
    instance    text        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    checked     bigint      NOT NULL DEFAULT 0,
    changed     bigint      NOT NULL DEFAULT 0,
    error       text        NOT NULL DEFAULT '',

    CONSTRAINT sweep_runs_sweep_known CHECK (sweep IN ('role-expiry', 'auth-deactivated', 'death-check'))
);

CREATE INDEX sweep_runs_sweep_idx ON sweep_runs (sweep, started_at DESC);
