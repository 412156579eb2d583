-- The semi-annual death check (¶32.8) and the sign-in method deactivated
-- by the portal (¶32.2).

ALTER TABLE platform_users
    ADD COLUMN auth_deactivated_at timestamptz,
    ADD COLUMN last_death_check_at timestamptz,
    ADD COLUMN death_check_due_at  timestamptz,
    ADD COLUMN deceased_on         date;

COMMENT ON COLUMN platform_users.auth_deactivated_at IS 'Set by the portal when the sign-in method was deactivated; the auth-deactivated sweep denies access (¶32.2).';
COMMENT ON COLUMN platform_users.death_check_due_at IS 'Next check against the Population Register (¶32.8); -infinity: due at once.';

-- A person's place in the 183-day cycle, in seconds: checks fall due on
-- the instants congruent to it, so that the load stays even over the
-- period and each person is checked every 183 days exactly.
CREATE FUNCTION death_check_phase(id bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (hashint8(id)::bigint + 2147483648) % 15811200
$$;

-- The next due time after a check at t: the last instant in its phase no
-- later than t + 183 days.
CREATE FUNCTION death_check_next_due(id bigint, t timestamptz) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT t + interval '183 days' - make_interval(secs =>
        (((floor(extract(epoch FROM t))::bigint - death_check_phase(id)) % 15811200) + 15811200) % 15811200
        + (extract(epoch FROM t) - floor(extract(epoch FROM t))))
$$;

-- Existing persons fall due within 183 days of registration, in phase.
UPDATE platform_users
   SET death_check_due_at = death_check_next_due(id, created_at)
 WHERE kind = 'viss';

-- A person the portal registers from now on is due at once (the sweep
-- then places them in their phase).
ALTER TABLE platform_users ALTER COLUMN death_check_due_at SET DEFAULT '-infinity';

-- What the sweep claims: living natural persons by due date.
CREATE INDEX platform_users_death_check_due_idx ON platform_users (death_check_due_at, id)
    WHERE kind = 'viss' AND deceased_on IS NULL;
CREATE INDEX platform_users_auth_deactivated_idx ON platform_users (id)
    WHERE auth_deactivated_at IS NOT NULL;

-- A mirror of the Population Register (Fizisko personu reģistrs),
-- loaded from the register's extracts.
CREATE TABLE population_register (
    personal_code text        PRIMARY KEY,
    deceased_on   date,
    fetched_at    timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE population_register IS 'Mirror of the Population Register for the death check (¶32.8).';
