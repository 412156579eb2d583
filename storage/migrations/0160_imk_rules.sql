-- IMK eligibility (¶26.4, issue 16): automatic decisions a person can
-- contest (GDPR Art. 22).
--
-- 1. Automatic rejection is a setting per rule, policy data like the rest:
--    auto_reject names the eligibility rules whose failure rejects without
--    a person looking; any other failed rule sends the application to
--    review. Existing versions get the default (every rule but "studying",
--    whose VIIS data is often incomplete). Adding a column with a default
--    changes no row through UPDATE, so the guard on approved versions
--    stays untouched.
-- 2. How the LKI and age priorities combine ('or' / 'and') is policy data
--    too; 'or' is what the checker did so far.
-- 3. An application's priority is yes / no / unknown: an unknown priority
--    is recorded, and no longer holds a decision.
-- 4. A person's request that a person review an automatic decision, with
--    the decision it contests kept beside it.

ALTER TABLE eligibility_policies
    ADD COLUMN auto_reject      text[] NOT NULL
        DEFAULT ARRAY['alive', 'age', 'residence', 'employment', 'no_other_imk']::text[],
    ADD COLUMN priority_combine text   NOT NULL DEFAULT 'or',
    ADD CONSTRAINT eligibility_policies_combine_known CHECK (priority_combine IN ('or', 'and')),
    ADD CONSTRAINT eligibility_policies_auto_reject_known CHECK (
        auto_reject <@ ARRAY['alive', 'age', 'residence', 'employment', 'no_other_imk', 'studying']::text[]);

-- A new version names its rules itself (storage.PolicyService.DraftPolicy).
ALTER TABLE eligibility_policies ALTER COLUMN auto_reject DROP DEFAULT;

-- priority: boolean → yes / no / unknown. A stored evaluation without
-- priority whose priority rules were not all known could have had it.
ALTER TABLE imk_applications ALTER COLUMN priority DROP DEFAULT;
ALTER TABLE imk_applications ALTER COLUMN priority TYPE text USING (
    CASE
        WHEN priority THEN 'yes'
        WHEN evaluation IS NOT NULL AND jsonb_path_exists(evaluation,
            '$.Rules[*] ? ((@.Rule == "priority_lki" || @.Rule == "priority_age") && @.Verdict == "unknown")') THEN 'unknown'
        ELSE 'no'
    END);
ALTER TABLE imk_applications ALTER COLUMN priority SET DEFAULT 'no';
ALTER TABLE imk_applications ADD CONSTRAINT imk_applications_priority_known CHECK (priority IN ('yes', 'no', 'unknown'));

UPDATE imk_applications
   SET evaluation = jsonb_set(evaluation, '{Priority}', to_jsonb(priority))
 WHERE evaluation IS NOT NULL AND jsonb_typeof(evaluation -> 'Priority') IS DISTINCT FROM 'string';

-- Requests that a person review an automatic decision (GDPR Art. 22):
-- each keeps the decision it contests, which the application then leaves
-- for the review queue.
CREATE TABLE imk_review_requests (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id     bigint      NOT NULL REFERENCES imk_applications (id),
    requested_at       timestamptz NOT NULL,
    channel            text        NOT NULL,
    message            text        NOT NULL DEFAULT '',
    api_client_id      bigint      REFERENCES api_clients (id),
    -- The automatic decision contested.
    decided_state      text        NOT NULL,
    decided_at         timestamptz NOT NULL,
    decided_reason     text        NOT NULL DEFAULT '',
    policy_id          bigint      REFERENCES eligibility_policies (id),
    evaluation         jsonb,

    CONSTRAINT imk_review_requests_channel_known CHECK (channel IN ('portal', 'mail')),
    CONSTRAINT imk_review_requests_decided_known CHECK (decided_state IN ('approved', 'rejected'))
);

CREATE INDEX imk_review_requests_application_idx ON imk_review_requests (application_id, requested_at);

COMMENT ON TABLE imk_review_requests IS 'Requests for a person to review an automatic IMK decision (GDPR Art. 22), with the decision contested.';
