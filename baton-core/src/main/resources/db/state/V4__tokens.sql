-- API tokens of the server. Only the SHA-256 of a token is kept; the token itself is shown once.
CREATE TABLE baton_tokens (
    id          TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);
