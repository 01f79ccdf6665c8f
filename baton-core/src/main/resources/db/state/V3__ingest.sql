-- Committed loads of sources with a connector: a mirror of the warehouse's baton_ingest.loads, which is
-- written in the same transaction as the rows. Times are epoch milliseconds (UTC).
CREATE TABLE baton_loads (
    load_id          TEXT NOT NULL PRIMARY KEY,
    run_id           TEXT NOT NULL,
    node_id          TEXT NOT NULL,
    relation         TEXT NOT NULL,
    connector        TEXT NOT NULL,
    mode             TEXT NOT NULL,
    started_at       BIGINT NOT NULL,
    duration_ms      BIGINT NOT NULL,
    rows_read        BIGINT NOT NULL,
    rows_loaded      BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    watermark        TEXT
);

CREATE INDEX baton_loads_node_id ON baton_loads (node_id, started_at);
CREATE INDEX baton_loads_started_at ON baton_loads (started_at);
