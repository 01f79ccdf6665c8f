-- The batches of microbatch models: one row per model and batch, the latest attempt. A batch is
-- recorded only after its rows were committed to the warehouse. Times of the window are ISO local
-- date-times in UTC (2024-01-05T00:00); processed_at is epoch milliseconds.
CREATE TABLE baton_intervals (
    node_id        TEXT NOT NULL,
    interval_start TEXT NOT NULL,
    interval_end   TEXT NOT NULL,
    succeeded      BOOLEAN NOT NULL,
    run_id         TEXT NOT NULL,
    processed_at   BIGINT NOT NULL,
    rows_written   BIGINT NOT NULL,
    error          TEXT,
    PRIMARY KEY (node_id, interval_start)
);
