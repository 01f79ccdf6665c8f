-- Scheduled and triggered job runs, sensor cursors, incidents, freshness observations and sent
-- alerts. Times are epoch milliseconds (UTC).
CREATE TABLE baton_job_runs (
    id            TEXT NOT NULL PRIMARY KEY,
    job_name      TEXT NOT NULL,
    trigger_kind  TEXT NOT NULL,
    scheduled_for BIGINT,
    attempt       INTEGER NOT NULL,
    state         TEXT NOT NULL,
    queued_at     BIGINT NOT NULL,
    not_before    BIGINT NOT NULL,
    started_at    BIGINT,
    finished_at   BIGINT,
    build_run_id  TEXT,
    message       TEXT NOT NULL DEFAULT ''
);

-- A scheduled time runs once per attempt, however often schedulers restart.
CREATE UNIQUE INDEX baton_job_runs_once ON baton_job_runs (job_name, scheduled_for, attempt);
CREATE INDEX baton_job_runs_state ON baton_job_runs (state, not_before);
CREATE INDEX baton_job_runs_queued_at ON baton_job_runs (queued_at);

-- How far each job's schedule and sensors have been looked at.
CREATE TABLE baton_job_cursors (
    job_name   TEXT NOT NULL,
    cursor_key TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (job_name, cursor_key)
);

CREATE TABLE baton_incidents (
    id                TEXT NOT NULL PRIMARY KEY,
    asset             TEXT NOT NULL,
    cause             TEXT NOT NULL,
    status            TEXT NOT NULL,
    tier              INTEGER,
    owner             TEXT,
    runbook           TEXT,
    summary           TEXT NOT NULL,
    run_id            TEXT,
    opened_at         BIGINT NOT NULL,
    last_seen_at      BIGINT NOT NULL,
    occurrences       INTEGER NOT NULL,
    acknowledged_at   BIGINT,
    acknowledged_by   TEXT,
    resolved_at       BIGINT,
    resolved_by       TEXT,
    resolution_reason TEXT,
    resolution_note   TEXT
);

-- One open incident per asset and cause.
CREATE UNIQUE INDEX baton_incidents_open ON baton_incidents (asset, cause) WHERE status <> 'resolved';
CREATE INDEX baton_incidents_opened_at ON baton_incidents (opened_at);

CREATE TABLE baton_incident_transitions (
    incident_id TEXT NOT NULL REFERENCES baton_incidents (id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);

CREATE INDEX baton_incident_transitions_incident ON baton_incident_transitions (incident_id, at);

-- Each evaluation of a freshness SLA: the history behind SLA adherence.
CREATE TABLE baton_freshness_checks (
    asset        TEXT NOT NULL,
    tier         INTEGER,
    checked_at   BIGINT NOT NULL,
    status       TEXT NOT NULL,
    age_ms       BIGINT,
    error_after_ms BIGINT
);

CREATE INDEX baton_freshness_checks_checked_at ON baton_freshness_checks (checked_at);

-- When an alert last went to a route for an asset and cause: the suppression interval's memory.
CREATE TABLE baton_alerts_sent (
    route    TEXT NOT NULL,
    asset    TEXT NOT NULL,
    cause    TEXT NOT NULL,
    sent_at  BIGINT NOT NULL,
    PRIMARY KEY (route, asset, cause)
);
