-- Misuse by applicants and providers (issue 18): signals about the
-- Platform's side, beside the alerts about staff (0070). The sweep
-- "misuse-signals" (storage/sweep_misuse.go) raises them from the rows of
-- role requests, IMK applications, helpdesk tickets and held resets, with
-- the thresholds below; a security officer closes one with a note.
--
--   shared_contact  one e-mail address or phone behind role requests (and
--                   IMK applications) of several persons (¶8, ¶27.3);
--   imk_contact     IMK applications of several persons sharing an e-mail
--                   address;
--   request_burst   many staff or career consultant role requests for one
--                   institution within the window (¶27.2, ¶29.3);
--   reset_burst     many password-reset requests for one account within
--                   the window (¶31.3).

-- The thresholds: policy data, changed by an administrator (`ppp misuse
-- threshold`), audited. A signal is raised when a count reaches the
-- threshold within window_minutes before the sweep.
CREATE TABLE misuse_policy (
    kind           text        PRIMARY KEY,
    threshold      integer     NOT NULL,
    window_minutes integer     NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now(),
    changed_by     bigint      REFERENCES operators (id),

    CONSTRAINT misuse_policy_kind_known CHECK (kind IN ('shared_contact', 'imk_contact', 'request_burst', 'reset_burst')),
    CONSTRAINT misuse_policy_threshold_range CHECK (threshold BETWEEN 2 AND 10000),
    CONSTRAINT misuse_policy_window_range CHECK (window_minutes BETWEEN 1 AND 527040)
);

INSERT INTO misuse_policy (kind, threshold, window_minutes) VALUES
    ('shared_contact', 3, 43200),
    ('imk_contact',    2, 43200),
    ('request_burst', 10, 60),
    ('reset_burst',    5, 1440);

-- The signals. key names what a signal is about without personal data
-- ('email:' or 'phone:' and the SHA-256 of the contact, 'institution:ID',
-- 'platform_user:ID', 'operator:ID'), so that audit details and NOTIFY
-- payloads never carry the contact; subject is what the officer reads (the
-- contact, the institution's name, the account's address). evidence lists
-- the rows counted: [{"kind": "role_request", "id": 12}, ...]. One open
-- signal per (kind, key).
CREATE TABLE misuse_signals (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind         text        NOT NULL,
    key          text        NOT NULL,
    subject      text        NOT NULL DEFAULT '',
    count        integer     NOT NULL,
    threshold    integer     NOT NULL,
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    evidence     jsonb       NOT NULL DEFAULT '[]',
    raised_at    timestamptz NOT NULL,
    closed_by    bigint      REFERENCES operators (id),
    closed_at    timestamptz,
    note         text        NOT NULL DEFAULT '',

    CONSTRAINT misuse_signals_kind_known CHECK (kind IN ('shared_contact', 'imk_contact', 'request_burst', 'reset_burst')),
    CONSTRAINT misuse_signals_closed_whole CHECK ((closed_at IS NULL) = (closed_by IS NULL)),
    CONSTRAINT misuse_signals_closed_noted CHECK (closed_at IS NULL OR btrim(note) <> '')
);

CREATE UNIQUE INDEX misuse_signals_one_open_idx ON misuse_signals (kind, key) WHERE closed_at IS NULL;
CREATE INDEX misuse_signals_closed_idx ON misuse_signals (kind, key, closed_at DESC) WHERE closed_at IS NOT NULL;
CREATE INDEX misuse_signals_open_idx ON misuse_signals (raised_at DESC, id DESC) WHERE closed_at IS NULL;

-- The sweep's scans by time. On role_requests a BRIN index (created_at
-- follows the order rows are written): a btree on created_at alone drew the
-- queue's keyset page away from role_requests_queue_idx into a sort
-- (TestRoleRequests_List_UsesTheQueueIndexNotASort).
CREATE INDEX role_requests_created_brin ON role_requests USING brin (created_at);
-- imk_applications (applied_at) is indexed by 0300 (the reports) already.
CREATE INDEX IF NOT EXISTS imk_applications_applied_idx ON imk_applications (applied_at);
CREATE INDEX tickets_reset_idx ON tickets (created_at) WHERE category = 'password_reset' AND account_id IS NOT NULL;
CREATE INDEX pending_resets_account_idx ON pending_resets (requested_at) WHERE ticket_id IS NULL;

ALTER TABLE sweep_runs DROP CONSTRAINT sweep_runs_sweep_known;
ALTER TABLE sweep_runs ADD CONSTRAINT sweep_runs_sweep_known
    CHECK (sweep IN ('role-expiry', 'auth-deactivated', 'death-check', 'consultant-reminder', 'reverify', 'sanction-expiry', 'retention',
                     'misuse-signals'));
