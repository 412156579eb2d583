-- Back-office accounts and the SSH keys registered to them.

CREATE TABLE operators (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL,
    full_name       text        NOT NULL DEFAULT '',
    email           text        NOT NULL DEFAULT '',
    roles           text[]      NOT NULL,
    language        text        NOT NULL DEFAULT 'lv',
    disabled        boolean     NOT NULL DEFAULT false,
    disabled_reason text        NOT NULL DEFAULT '',
    locked_until    timestamptz,
    password_hash   text,       -- Argon2id PHC string; NULL for key-only accounts
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT operators_name_key UNIQUE (name),
    CONSTRAINT operators_name_format CHECK (name ~ '^[a-z][a-z0-9._-]{1,31}$'),
    -- At least one role, and only known ones. An array holding NULL is
    -- never contained in the list, so NULL roles are refused too.
    CONSTRAINT operators_roles_known CHECK (
        cardinality(roles) > 0
        AND roles <@ ARRAY['reviewer', 'helpdesk', 'security', 'editor', 'admin']::text[]
    ),
    CONSTRAINT operators_language_known CHECK (language IN ('lv', 'en'))
);

COMMENT ON TABLE operators IS 'Agency employees who sign in to the back office.';
COMMENT ON COLUMN operators.locked_until IS 'Set when too many sign-in attempts failed; sign-in is refused until then.';

-- A key belongs to one operator: the fingerprint alone identifies it.
CREATE TABLE operator_keys (
    fingerprint    text        PRIMARY KEY,  -- "SHA256:…", as ssh-keygen -l prints it
    operator_id    bigint      NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    key_type       text        NOT NULL,
    authorized_key text        NOT NULL,     -- "<type> <base64>", without options or comment
    comment        text        NOT NULL DEFAULT '',
    added_at       timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT operator_keys_fingerprint_format CHECK (fingerprint LIKE 'SHA256:%')
);

CREATE INDEX operator_keys_operator_id_idx ON operator_keys (operator_id, added_at);

-- Every change to an account is announced on the change feed, so that open
-- sessions notice at once when their operator is disabled, locked or
-- changed. The payload carries the id only: NOTIFY is visible to every
-- database user, and listeners re-read the row.
CREATE FUNCTION operators_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ppp_change', 'operator:' || NEW.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER operators_notify
    AFTER INSERT OR UPDATE ON operators
    FOR EACH ROW EXECUTE FUNCTION operators_notify();

CREATE FUNCTION operator_keys_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('ppp_change', 'operator:' || OLD.operator_id);
    ELSE
        PERFORM pg_notify('ppp_change', 'operator:' || NEW.operator_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER operator_keys_notify
    AFTER INSERT OR DELETE ON operator_keys
    FOR EACH ROW EXECUTE FUNCTION operator_keys_notify();
