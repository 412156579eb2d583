-- Every sign-in attempt, successful or not: the lockout counts failures per
-- account and per source address over a sliding window, and a sign-in
-- history screen reads it back.

CREATE TABLE sign_in_attempts (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at            timestamptz NOT NULL,
    operator_name text        NOT NULL,  -- the name tried, whether or not such an account exists
    remote_addr   text        NOT NULL,  -- the source host, without the port
    method        text        NOT NULL,
    success       boolean     NOT NULL,

    CONSTRAINT sign_in_attempts_method_known CHECK (method IN ('password', 'publickey'))
);

-- Both counts read only (key, at, success), so they are index-only scans
-- over the few rows inside the window.
CREATE INDEX sign_in_attempts_name_at_idx ON sign_in_attempts (operator_name, at) INCLUDE (success);
CREATE INDEX sign_in_attempts_addr_at_idx ON sign_in_attempts (remote_addr, at) INCLUDE (success);
