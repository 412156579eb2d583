-- The people directory (issue 17): one page per person, found by a whole
-- personal code (person_codes), an e-mail address or a name prefix, its
-- sections each read newest first by keyset with a LIMIT. Every section's
-- read is an index range scan on the person, their account or their
-- addresses; the indexes below are the ones the tables lacked.

-- Names are searched without regard to case or Latvian diacritics
-- (domain.FoldName folds the same letters).
CREATE FUNCTION person_fold(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT translate(lower(regexp_replace(btrim(t), '\s+', ' ', 'g')), 'āčēģīķļņšūžōŗ', 'acegiklnsuzor')
$$;

CREATE INDEX persons_name_first_idx ON persons (person_fold(first_name || ' ' || last_name) text_pattern_ops, id);
CREATE INDEX persons_name_last_idx  ON persons (person_fold(last_name || ' ' || first_name) text_pattern_ops, id);

-- E-mail search and the mail and tickets sections, by address.
CREATE INDEX imk_applications_email_idx ON imk_applications (lower(email), person_id);
CREATE INDEX outbox_to_addr_idx ON outbox (lower(to_addr), created_at DESC, id DESC);
CREATE INDEX tickets_from_addr_idx ON tickets (lower(from_addr), created_at DESC, id DESC);
CREATE INDEX tickets_account_idx ON tickets (account_kind, account_id, created_at DESC, id DESC)
    WHERE account_id IS NOT NULL;

-- The sections by person or account, newest first.
CREATE INDEX role_assignments_user_idx ON role_assignments (user_id, valid_from DESC, id DESC);
CREATE INDEX denials_subject_time_idx ON denials (subject_kind, subject_id, raised_at DESC, id DESC);
CREATE INDEX role_requests_code_time_idx ON role_requests (personal_code, created_at DESC, id DESC)
    WHERE personal_code <> '';
CREATE INDEX imk_applications_person_time_idx ON imk_applications (person_id, applied_at DESC, id DESC);
CREATE INDEX platform_sign_ins_user_time_idx ON platform_sign_ins (user_id, at DESC, id DESC);
CREATE INDEX email_change_requests_user_idx ON email_change_requests (user_id, requested_at DESC, id DESC);
CREATE INDEX terms_acceptances_person_time_idx ON terms_acceptances (person_id, accepted_at DESC, version_id DESC)
    WHERE person_id IS NOT NULL;
CREATE INDEX terms_acceptances_user_time_idx ON terms_acceptances (user_id, accepted_at DESC, version_id DESC)
    WHERE user_id IS NOT NULL;
