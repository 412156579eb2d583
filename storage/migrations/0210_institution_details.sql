-- Issue 17, institutions: the page of an institution. Its details gain a
-- phone number and a postal address (both optional: rows registered
-- before them have neither), a version that guards edits (two reviewers
-- editing at once: the second gets ECONFLICT "institution.changed", and
-- nothing either typed is lost), and every change of a detail is kept
-- with its reason (¶17.2: the institution keeps its data current, and
-- the Agency keeps track of what changed, when, by whom and why).

-- The columns' names are their own (not phone, address, version): the
-- tables institutions is joined with have columns of those names, and an
-- unqualified one in an existing query would become ambiguous.
ALTER TABLE institutions
    ADD COLUMN contact_phone   text   NOT NULL DEFAULT '',
    ADD COLUMN postal_address  text   NOT NULL DEFAULT '',
    ADD COLUMN details_version bigint NOT NULL DEFAULT 1,
    -- domain.ValidatePhone writes '+' and 8 to 15 digits; '' for none.
    ADD CONSTRAINT institutions_phone_format CHECK (contact_phone = '' OR contact_phone ~ '^\+[0-9]{8,15}$'),
    -- domain.InstitutionAddressMaxLength; one line, made plain by Validate.
    ADD CONSTRAINT institutions_address_length CHECK (char_length(postal_address) <= 200),
    ADD CONSTRAINT institutions_version_positive CHECK (details_version > 0);

COMMENT ON COLUMN institutions.details_version IS 'Incremented by every edit of the details; an edit names the version it was typed over.';

-- The history of the details (¶17.2), oldest first per institution. The
-- source says who changed it: an operator on the institutions screen, the
-- re-verification against the registers (issue 17), or an import of a
-- register extract.
CREATE TABLE institution_changes (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    institution_id bigint      NOT NULL REFERENCES institutions (id),
    field          text        NOT NULL,
    old_value      text        NOT NULL,
    new_value      text        NOT NULL,
    reason         text        NOT NULL,
    operator_id    bigint      REFERENCES operators (id),
    source         text        NOT NULL DEFAULT 'operator',
    changed_at     timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT institution_changes_field_known CHECK (field IN (
        'name', 'company_reg_number', 'education_reg_number', 'email', 'phone', 'address')),
    CONSTRAINT institution_changes_source_known CHECK (source IN ('operator', 'reverification', 'register')),
    CONSTRAINT institution_changes_reason_given CHECK (reason <> ''),
    CONSTRAINT institution_changes_changed CHECK (old_value IS DISTINCT FROM new_value),
    CONSTRAINT institution_changes_operator_acts CHECK (source <> 'operator' OR operator_id IS NOT NULL)
);

COMMENT ON TABLE institution_changes IS 'History of an institution''s details (¶17.2), with the reason and who changed them.';

CREATE INDEX institution_changes_institution_idx ON institution_changes (institution_id, changed_at DESC, id DESC);

-- The list: keyset paged by (lower(name), id); a part of the name with
-- pg_trgm when the database has it, else a prefix (the index of 0011).
CREATE INDEX institutions_name_id_idx ON institutions (lower(name), id);
CREATE INDEX institutions_company_reg_idx ON institutions (company_reg_number);
CREATE INDEX institutions_education_reg_idx ON institutions (education_reg_number);
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX institutions_name_trgm_idx ON institutions USING gin (lower(name) gin_trgm_ops);
    END IF;
END
$$;
