-- Where the last successful verification of the audit chain ended, so
-- that the next one resumes there (issue 15): it checks that this entry
-- still has the hash it had then, and recomputes only the entries after
-- it. The row is a convenience, not a proof: whoever can change it can
-- only make a resumed verification skip entries it had verified before;
-- `ppp audit verify --full`, and any verification against checkpoints,
-- recomputes the chain from the first entry whatever it says.

CREATE TABLE audit_verified (
    id          boolean     PRIMARY KEY DEFAULT true CHECK (id),  -- exactly one row
    seq         bigint      NOT NULL CHECK (seq >= 0),
    hash        bytea       NOT NULL CHECK (length(hash) = 32),
    verified_at timestamptz NOT NULL
);

COMMENT ON TABLE audit_verified IS 'The entry where the last successful verification of the audit chain ended; see migration 0112.';
