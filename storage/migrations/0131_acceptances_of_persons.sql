-- Acceptances of the terms hang from the person (¶26.2, issue 16): one
-- table, terms_acceptances, keyed (person_id, version_id), holds what
-- terms_acceptances (by Platform user) and person_terms_acceptances (by
-- personal code, from the portal API) held. The one exception are
-- institution users without a personal code (¶27.2), who are no person
-- record: their acceptances stay keyed by (user_id, version_id). A row
-- names exactly one of the two.
--
-- Writers may still name the user: a trigger puts the acceptance on the
-- user's person. Whoever accepts twice keeps the first acceptance.

ALTER TABLE terms_acceptances DROP CONSTRAINT terms_acceptances_pkey;
ALTER TABLE terms_acceptances ALTER COLUMN user_id DROP NOT NULL;
ALTER TABLE terms_acceptances
    ADD COLUMN person_id          bigint REFERENCES persons (id),
    ADD COLUMN imk_application_id bigint REFERENCES imk_applications (id);

UPDATE terms_acceptances a SET person_id = u.person_id, user_id = NULL
  FROM platform_users u WHERE u.id = a.user_id AND u.person_id IS NOT NULL;

ALTER TABLE terms_acceptances ADD CONSTRAINT terms_acceptances_person_or_user
    CHECK (num_nonnulls(person_id, user_id) = 1);

CREATE UNIQUE INDEX terms_acceptances_person_key ON terms_acceptances (person_id, version_id) WHERE person_id IS NOT NULL;
CREATE UNIQUE INDEX terms_acceptances_user_key ON terms_acceptances (user_id, version_id) WHERE user_id IS NOT NULL;
DROP INDEX terms_acceptances_version_idx;
CREATE INDEX terms_acceptances_version_person_idx ON terms_acceptances (version_id, person_id) WHERE person_id IS NOT NULL;
CREATE INDEX terms_acceptances_version_user_idx ON terms_acceptances (version_id, user_id) WHERE user_id IS NOT NULL;

-- The portal's acceptances by personal code: the person's, the first of
-- each version kept when the person had accepted it as a user too.
INSERT INTO terms_acceptances AS a (person_id, version_id, accepted_at, channel, recorded_at, api_client_id, imk_application_id)
SELECT DISTINCT ON (person_id, version_id) person_id, version_id, accepted_at, channel, recorded_at, api_client_id, imk_application_id
  FROM person_terms_acceptances
 ORDER BY person_id, version_id, accepted_at
ON CONFLICT (person_id, version_id) WHERE person_id IS NOT NULL DO UPDATE
   SET accepted_at = EXCLUDED.accepted_at, channel = EXCLUDED.channel, recorded_at = EXCLUDED.recorded_at,
       api_client_id = EXCLUDED.api_client_id, imk_application_id = EXCLUDED.imk_application_id
 WHERE EXCLUDED.accepted_at < a.accepted_at;

DROP TABLE person_terms_acceptances;
DROP FUNCTION person_terms_acceptances_person();

COMMENT ON TABLE terms_acceptances IS 'Acceptances of terms-of-use versions (¶26.2): by person (person_id), or by an institution user without a personal code (user_id).';

CREATE FUNCTION terms_acceptances_person() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    pid bigint;
BEGIN
    IF NEW.person_id IS NULL AND NEW.user_id IS NOT NULL THEN
        SELECT u.person_id INTO pid FROM platform_users u WHERE u.id = NEW.user_id;
        IF pid IS NOT NULL THEN
            NEW.person_id := pid;
            NEW.user_id := NULL;
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER terms_acceptances_person
    BEFORE INSERT ON terms_acceptances
    FOR EACH ROW EXECUTE FUNCTION terms_acceptances_person();

-- Two person records the Population Register says are one person (see
-- storage/person.go) bring their acceptances together: where both
-- accepted a version, the earlier acceptance stays. The application may
-- neither change nor remove an acceptance (a person's act), so this runs
-- as the owner, and does nothing else.
CREATE FUNCTION terms_acceptances_merge(p_from bigint, p_into bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- Only two records the register names as one person (an old code
    -- whose current code is the other's).
    IF NOT EXISTS (SELECT FROM population_register r
                     JOIN person_codes a ON a.code = r.personal_code
                     JOIN person_codes b ON b.code = r.current_code
                    WHERE a.person_id = p_from AND b.person_id = p_into) THEN
        RAISE EXCEPTION 'persons % and % are not linked by the Population Register', p_from, p_into
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    DELETE FROM terms_acceptances f USING terms_acceptances i
     WHERE f.person_id = p_from AND i.person_id = p_into AND f.version_id = i.version_id AND f.accepted_at >= i.accepted_at;
    DELETE FROM terms_acceptances i USING terms_acceptances f
     WHERE i.person_id = p_into AND f.person_id = p_from AND f.version_id = i.version_id AND f.accepted_at < i.accepted_at;
    UPDATE terms_acceptances SET person_id = p_into WHERE person_id = p_from;
END
$$;
