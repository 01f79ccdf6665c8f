-- What the audits' scans measured, per run: the metric history behind anomaly detection.
-- column_name is empty for metrics of the whole relation; value is text (min/max of any type),
-- numeric_value holds it as a number when it is one. published is 1 when the audited version went live.
CREATE TABLE baton_check_metrics (
    run_id        TEXT NOT NULL REFERENCES baton_runs (id) ON DELETE CASCADE,
    node_id       TEXT NOT NULL,
    relation      TEXT NOT NULL,
    column_name   TEXT NOT NULL,
    metric        TEXT NOT NULL,
    value         TEXT,
    numeric_value DOUBLE PRECISION,
    published     INTEGER NOT NULL,
    recorded_at   BIGINT NOT NULL,
    PRIMARY KEY (run_id, node_id, column_name, metric)
);

CREATE INDEX baton_check_metrics_history ON baton_check_metrics (node_id, metric, column_name, recorded_at);
