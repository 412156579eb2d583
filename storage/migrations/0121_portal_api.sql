-- The portal API (issue 15): its clients and their bearer tokens, the
-- idempotency keys of their POSTs, the files of role requests' documents,
-- the Platform sign-ins the portal reports, and acceptances of the terms
-- as the person's act (¶26.2), carried by the portal with their version,
-- time and channel.

-- A system that calls the API. Only the SHA-256 of its token is kept (the
-- token is 256 random bits, shown once). Names are never reused, so that
-- "api:<name>" in the audit log names one client for good.
CREATE TABLE api_clients (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL,
    token_hash  bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL DEFAULT '',
    revoked_at  timestamptz,
    revoked_by  text        NOT NULL DEFAULT '',

    CONSTRAINT api_clients_name_key UNIQUE (name),
    CONSTRAINT api_clients_token_hash_key UNIQUE (token_hash),
    CONSTRAINT api_clients_name_format CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    CONSTRAINT api_clients_token_hash_size CHECK (octet_length(token_hash) = 32)
);

COMMENT ON TABLE api_clients IS 'Portal API clients (issue 15); only the SHA-256 of each bearer token.';

-- A client's POST by its Idempotency-Key: the hash of the request (method,
-- path, body) and the response of its success, written in the same
-- transaction as what the call changed, so that a retry is answered with
-- it and never runs twice. Failures store nothing. Kept for 24 hours.
CREATE TABLE api_idempotency (
    client_id    bigint      NOT NULL REFERENCES api_clients (id),
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    status       integer     NOT NULL DEFAULT 0,
    response     bytea       NOT NULL DEFAULT ''::bytea,
    created_at   timestamptz NOT NULL,

    PRIMARY KEY (client_id, key),
    CONSTRAINT api_idempotency_key_size CHECK (octet_length(key) BETWEEN 1 AND 255),
    CONSTRAINT api_idempotency_request_hash_size CHECK (octet_length(request_hash) = 32)
);

CREATE INDEX api_idempotency_created_idx ON api_idempotency (created_at);

-- The files of role requests' documents sent through the API, beside
-- their metadata (role_request_documents, whose sha256 is the file's).
-- Never changed once stored. PDFs, images and e-signed containers are
-- compressed already: stored out of line without trying again.
CREATE TABLE role_request_document_contents (
    document_id bigint PRIMARY KEY REFERENCES role_request_documents (id),
    content     bytea  NOT NULL,

    CONSTRAINT role_request_document_contents_size CHECK (octet_length(content) BETWEEN 1 AND 10485760)
);
ALTER TABLE role_request_document_contents ALTER COLUMN content SET STORAGE EXTERNAL;

COMMENT ON TABLE role_request_document_contents IS 'Files of role requests'' documents (issue 15), at most 10 MiB each.';

-- Sign-ins to the Platform, as the portal reports them.
CREATE TABLE platform_sign_ins (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint      NOT NULL REFERENCES platform_users (id),
    at            timestamptz NOT NULL,
    method        text        NOT NULL,
    recorded_at   timestamptz NOT NULL,
    api_client_id bigint      REFERENCES api_clients (id),

    CONSTRAINT platform_sign_ins_method_known CHECK (method IN (
        'eparaksts_mobile', 'eid_card', 'smart_id', 'eu_eid', 'password'))
);

CREATE INDEX platform_sign_ins_user_idx ON platform_sign_ins (user_id, at DESC);

-- The method the portal deactivated (¶32.2), beside its time (0041).
ALTER TABLE platform_users ADD COLUMN auth_deactivated_method text NOT NULL DEFAULT '';

-- An acceptance the person made through the portal carries its channel and
-- the client that reported it; those written before (registering accepted
-- the version in force) have none.
ALTER TABLE terms_acceptances
    ADD COLUMN channel       text        NOT NULL DEFAULT '',
    ADD COLUMN recorded_at   timestamptz,
    ADD COLUMN api_client_id bigint      REFERENCES api_clients (id);

ALTER TABLE terms_acceptances ADD CONSTRAINT terms_acceptances_channel_known
    CHECK (channel IN ('', 'web', 'mobile_app'));

-- Acceptances by persons who are no Platform user yet (an IMK applicant,
-- ¶26.2), by personal code: the person model of issue 16 takes them over.
CREATE TABLE person_terms_acceptances (
    personal_code      text        NOT NULL,
    version_id         bigint      NOT NULL REFERENCES terms_versions (id),
    accepted_at        timestamptz NOT NULL,
    channel            text        NOT NULL,
    recorded_at        timestamptz NOT NULL,
    api_client_id      bigint      REFERENCES api_clients (id),
    imk_application_id bigint      REFERENCES imk_applications (id),

    PRIMARY KEY (personal_code, version_id),
    CONSTRAINT person_terms_acceptances_channel_known CHECK (channel IN ('web', 'mobile_app'))
);

COMMENT ON TABLE person_terms_acceptances IS 'Acceptances of the terms (¶26.2) by persons who are no Platform user, as the portal reported them.';

-- Only a published version can have been accepted (as for 0030's table).
CREATE TRIGGER person_terms_acceptances_check
    BEFORE INSERT OR UPDATE ON person_terms_acceptances
    FOR EACH ROW EXECUTE FUNCTION terms_acceptances_check();
