-- ClaimNext looks for the pending request whose claim lapsed first.
-- role_requests_claimed_pending_idx was in arrival order, so finding a
-- lapsed claim read every claim still running; this index finds the
-- lapsed ones by their lease's end, the first of them at once. The old
-- index served nothing else.
CREATE INDEX role_requests_lapsed_claims_idx ON role_requests (claim_expires_at, id)
    WHERE state = 'pending' AND claimed_by IS NOT NULL;
DROP INDEX role_requests_claimed_pending_idx;
