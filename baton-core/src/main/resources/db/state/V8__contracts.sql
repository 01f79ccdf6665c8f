-- The contract of a model each time a build published it (ODCS 3.1 YAML): what `baton contract diff`
-- compares the project's contracts against.
CREATE TABLE baton_contracts (
    node_id      TEXT NOT NULL,
    run_id       TEXT NOT NULL REFERENCES baton_runs (id) ON DELETE CASCADE,
    version      TEXT NOT NULL,
    contract     TEXT NOT NULL,
    published_at BIGINT NOT NULL,
    PRIMARY KEY (node_id, run_id)
);

CREATE INDEX baton_contracts_latest ON baton_contracts (node_id, published_at);
