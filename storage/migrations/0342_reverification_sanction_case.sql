-- An escalated re-verification names the sanction case it opened or was
-- noted on, so that the institution's page leads from one to the other.
ALTER TABLE reverifications ADD COLUMN sanction_case_id bigint REFERENCES sanction_cases (id);
COMMENT ON COLUMN reverifications.sanction_case_id IS 'An escalated item: the sanction case it opened or was noted on (¶32.5, ¶32.7).';
