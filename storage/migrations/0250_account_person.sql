-- Staff actions on a person's Platform account and records (issue 17).
--
-- A password reset started from a person's account, not from a helpdesk
-- ticket (¶31.3): a privileged account's waits in pending_resets for a
-- second person as a ticket's does, with no ticket behind it, and the
-- requester's reason.
ALTER TABLE pending_resets
    ALTER COLUMN ticket_id DROP NOT NULL,
    ADD COLUMN user_reason text NOT NULL DEFAULT '',
    ADD CONSTRAINT pending_resets_ticket_or_reason CHECK (ticket_id IS NOT NULL OR btrim(user_reason) <> '');

-- An account ended when an operator merged two records of one person and
-- kept the other account: it signs in no more (the portal reads ended_at
-- with sign_in_denied), leaves its person (one account per person), and
-- keeps why and which person it belonged to. A Latvija.gov.lv account so
-- ended loses its personal code: the code is the kept person's now.
ALTER TABLE platform_users
    ADD COLUMN ended_at        timestamptz,
    ADD COLUMN ended_reason    text   NOT NULL DEFAULT '',
    ADD COLUMN ended_person_id bigint,
    DROP CONSTRAINT platform_users_viss_by_code,
    ADD CONSTRAINT platform_users_viss_by_code CHECK (
        (kind = 'viss') = (personal_code IS NOT NULL) OR (kind = 'viss' AND ended_at IS NOT NULL AND personal_code IS NULL)),
    ADD CONSTRAINT platform_users_ended_with_reason CHECK (ended_at IS NULL OR btrim(ended_reason) <> '');

-- How an operator resolved a merge conflict (migration 0130): 'merged'
-- (kept_user_id stays, ended_user_id was ended; merged_person_id is the
-- record folded into person_id), or 'distinct' (not the same person).
ALTER TABLE person_merge_conflicts
    ADD COLUMN resolution        text,
    ADD COLUMN resolved_by       bigint REFERENCES operators (id),
    ADD COLUMN resolution_reason text   NOT NULL DEFAULT '',
    ADD COLUMN kept_user_id      bigint REFERENCES platform_users (id),
    ADD COLUMN ended_user_id     bigint REFERENCES platform_users (id),
    ADD COLUMN merged_person_id  bigint,
    ADD CONSTRAINT person_merge_conflicts_resolution_known CHECK (resolution IN ('merged', 'distinct')),
    ADD CONSTRAINT person_merge_conflicts_resolved CHECK (
        (resolution IS NULL) = (resolved_at IS NULL) AND (resolution IS NULL) = (resolved_by IS NULL)),
    ADD CONSTRAINT person_merge_conflicts_resolved_with_reason CHECK (resolution IS NULL OR btrim(resolution_reason) <> '');

CREATE INDEX person_merge_conflicts_open_idx ON person_merge_conflicts (found_at, id) WHERE resolved_at IS NULL;
