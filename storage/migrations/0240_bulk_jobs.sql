-- Bulk actions (issue 17): a job is one action with one reason over the
-- items resolved from a selection when it was prepared. Its workers hold
-- a lease on the database clock (lease_until), as the sweeps do: a job
-- whose worker died continues on another server or the next start once
-- the lease has passed. An item leaves 'pending' in the transaction that
-- did it, so no item is done twice and none is skipped.

CREATE TABLE bulk_jobs (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text        NOT NULL,
    source        text        NOT NULL,
    reason        text        NOT NULL,
    ground        text        NOT NULL DEFAULT '',
    valid_until   timestamptz,
    template      text        NOT NULL DEFAULT '',
    state         text        NOT NULL DEFAULT 'preview',
    version       bigint      NOT NULL DEFAULT 1,
    requested_by  bigint      NOT NULL REFERENCES operators (id),
    approved_by   bigint      REFERENCES operators (id),
    created_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    total         integer     NOT NULL DEFAULT 0,
    done          integer     NOT NULL DEFAULT 0,
    failed        integer     NOT NULL DEFAULT 0,
    skipped       integer     NOT NULL DEFAULT 0,
    lease_holder  text        NOT NULL DEFAULT '',
    lease_until   timestamptz,

    CONSTRAINT bulk_jobs_kind_known CHECK (kind IN ('deny', 'lift', 'extend', 'mail', 'imk_check')),
    CONSTRAINT bulk_jobs_state_known CHECK (state IN ('preview', 'pending_approval', 'running', 'done', 'cancelled')),
    CONSTRAINT bulk_jobs_four_eyes CHECK (approved_by IS NULL OR approved_by <> requested_by),
    CONSTRAINT bulk_jobs_bounded CHECK (total BETWEEN 0 AND 10000)
);

-- The workers' claim: running jobs whose lease is free or passed.
CREATE INDEX bulk_jobs_running_idx ON bulk_jobs (lease_until NULLS FIRST, id) WHERE state = 'running';
CREATE INDEX bulk_jobs_created_idx ON bulk_jobs (created_at DESC, id DESC);

CREATE TABLE bulk_job_items (
    job_id      bigint      NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
    seq         integer     NOT NULL,
    target_kind text        NOT NULL,
    target_id   bigint      NOT NULL,
    state       text        NOT NULL DEFAULT 'pending',
    error_key   text        NOT NULL DEFAULT '',
    done_at     timestamptz,

    PRIMARY KEY (job_id, seq),
    CONSTRAINT bulk_job_items_once UNIQUE (job_id, target_kind, target_id),
    CONSTRAINT bulk_job_items_state_known CHECK (state IN ('pending', 'done', 'failed', 'skipped'))
);

CREATE INDEX bulk_job_items_pending_idx ON bulk_job_items (job_id, seq) WHERE state = 'pending';

COMMENT ON TABLE bulk_jobs IS 'Bulk actions (issue 17): one kind and reason over resolved items; leased by a worker on the database clock.';
COMMENT ON TABLE bulk_job_items IS 'The items of a bulk job and their outcomes; an item leaves pending in the transaction that did it.';
