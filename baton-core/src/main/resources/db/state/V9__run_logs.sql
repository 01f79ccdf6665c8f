-- What a run executed by `baton serve` printed, in order: GET /api/v1/runs/{id}/logs after the
-- server restarted. No foreign key: a run that fails before it starts has no baton_runs row.
CREATE TABLE baton_run_logs (
    run_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    stream TEXT NOT NULL,
    text   TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
