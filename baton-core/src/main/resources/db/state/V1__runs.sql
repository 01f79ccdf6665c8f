-- Runs and node results. Portable between SQLite and PostgreSQL: times are epoch milliseconds (UTC),
-- durations are milliseconds.
CREATE TABLE baton_runs (
    id             TEXT NOT NULL PRIMARY KEY,
    command        TEXT NOT NULL,
    project        TEXT NOT NULL,
    target         TEXT NOT NULL,
    status         TEXT NOT NULL,
    node_count     INTEGER NOT NULL,
    threads        INTEGER NOT NULL,
    started_at     BIGINT NOT NULL,
    finished_at    BIGINT,
    elapsed_ms     BIGINT,
    success_count  INTEGER NOT NULL DEFAULT 0,
    error_count    INTEGER NOT NULL DEFAULT 0,
    skipped_count  INTEGER NOT NULL DEFAULT 0,
    pass_count     INTEGER NOT NULL DEFAULT 0,
    fail_count     INTEGER NOT NULL DEFAULT 0,
    warn_count     INTEGER NOT NULL DEFAULT 0,
    cancelled_count INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX baton_runs_started_at ON baton_runs (started_at);

CREATE TABLE baton_node_results (
    run_id            TEXT NOT NULL REFERENCES baton_runs (id) ON DELETE CASCADE,
    seq               INTEGER NOT NULL,
    node_id           TEXT NOT NULL,
    resource_type     TEXT NOT NULL,
    relation          TEXT,
    status            TEXT NOT NULL,
    message           TEXT NOT NULL,
    started_at        BIGINT NOT NULL,
    duration_ms       BIGINT NOT NULL,
    rows_affected     BIGINT,
    failures          BIGINT,
    compiled_sql_hash TEXT,
    error_message     TEXT,
    PRIMARY KEY (run_id, seq)
);

CREATE INDEX baton_node_results_node_id ON baton_node_results (node_id, run_id);
