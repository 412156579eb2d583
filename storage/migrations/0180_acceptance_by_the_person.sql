-- ¶26.2: registration only once the client has read and approved the
-- Platform's terms of use. Acceptance is the person's own act, never the
-- Agency's: approving a request no longer accepts on the person's behalf.
-- The portal reports the acceptance with the submission of a role request
-- (which version, when, through which channel): it is stored on the
-- request as submitted and, for a person with a personal code, on the
-- person (terms_acceptances, naming the request it came with). An
-- institution user without a personal code (¶27.2) is no person record:
-- their acceptance stays on the request until approval creates their
-- account, which then carries that same acceptance (their act, with its
-- own time and channel).

ALTER TABLE role_requests
    ADD COLUMN terms_version_id  bigint REFERENCES terms_versions (id),
    ADD COLUMN terms_accepted_at timestamptz,
    ADD COLUMN terms_channel     text,
    ADD CONSTRAINT role_requests_terms_whole CHECK (
        num_nulls(terms_version_id, terms_accepted_at, terms_channel) IN (0, 3));

ALTER TABLE terms_acceptances
    ADD COLUMN role_request_id bigint REFERENCES role_requests (id);

COMMENT ON COLUMN role_requests.terms_version_id IS 'The terms version the applicant accepted with the submission (¶26.2), as the portal reported it.';
COMMENT ON COLUMN terms_acceptances.role_request_id IS 'The role request whose submission carried this acceptance (¶26.2).';
