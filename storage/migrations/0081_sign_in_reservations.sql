-- A password attempt is reserved before its password is hashed (issue 13):
-- its row is written at once, pending, and counts as a failure for the
-- account's and the address's limits until the hash has judged it. Before,
-- a failure was written only after the hash, within the attempt's
-- deadline; under a flood the hashes ran past it and nothing was recorded
-- or counted. A row left pending (the server stopped mid-hash, the
-- database went away) stays a failure.

ALTER TABLE sign_in_attempts ADD COLUMN pending boolean NOT NULL DEFAULT false;

ALTER TABLE sign_in_attempts ADD CONSTRAINT sign_in_attempts_pending_unjudged CHECK (NOT (pending AND success));

COMMENT ON COLUMN sign_in_attempts.pending IS 'Reserved, not yet judged: counts as a failure until it is (migration 0081).';
