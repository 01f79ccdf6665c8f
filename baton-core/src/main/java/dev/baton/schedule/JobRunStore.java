package dev.baton.schedule;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The run queue and job cursors in the state store. Every method holds the connection for its duration. */
final class JobRunStore {
    private static final String COLUMNS = "id, job_name, trigger_kind, scheduled_for, attempt, state, queued_at, not_before, started_at, finished_at, "
            + "build_run_id, message";

    private final Connection connection;

    JobRunStore(Connection connection) {
        this.connection = requireNonNull(connection, "connection is null");
    }

    /** Adds a queued run; returns false when a run for the same job, scheduled time and attempt exists. */
    synchronized boolean insert(JobRun run) {
        String sql = "INSERT INTO baton_job_runs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, run.id());
            statement.setString(2, run.jobName());
            statement.setString(3, run.trigger());
            setInstant(statement, 4, run.scheduledFor());
            statement.setInt(5, run.attempt());
            statement.setString(6, run.state().label());
            statement.setLong(7, run.queuedAt().toEpochMilli());
            statement.setLong(8, run.notBefore().toEpochMilli());
            setInstant(statement, 9, run.startedAt());
            setInstant(statement, 10, run.finishedAt());
            statement.setString(11, run.buildRunId().orElse(null));
            statement.setString(12, run.message());
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("queue a run of job '" + run.jobName() + "'", e);
        }
    }

    /** Moves a run from one state to another; returns false when it was not in {@code from}. */
    synchronized boolean transition(String id, RunState from, RunState to, Instant at, Optional<String> buildRunId, String message) {
        String timeColumn = to == RunState.RUNNING ? "started_at" : "finished_at";
        String sql = "UPDATE baton_job_runs SET state = ?, " + timeColumn + " = ?, build_run_id = COALESCE(?, build_run_id), message = ? "
                + "WHERE id = ? AND state = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, to.label());
            statement.setLong(2, at.toEpochMilli());
            statement.setString(3, buildRunId.orElse(null));
            statement.setString(4, message);
            statement.setString(5, id);
            statement.setString(6, from.label());
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("record the state of job run '" + id + "'", e);
        }
    }

    /** Marks every run still recorded as running as crashed; returns how many. */
    synchronized int markCrashed(Instant at) {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE baton_job_runs SET state = 'crashed', finished_at = ?, message = 'the scheduler stopped while it ran' WHERE state = 'running'")) {
            statement.setLong(1, at.toEpochMilli());
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("mark abandoned job runs as crashed", e);
        }
    }

    synchronized Optional<JobRun> run(String id) {
        List<JobRun> runs = query("SELECT " + COLUMNS + " FROM baton_job_runs WHERE id = ?", id);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    /** Queued runs that may start at {@code now}, oldest first. */
    synchronized List<JobRun> due(Instant now) {
        return query("SELECT " + COLUMNS + " FROM baton_job_runs WHERE state = 'queued' AND not_before <= ? ORDER BY queued_at, id", now.toEpochMilli());
    }

    synchronized int running(String jobName) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM baton_job_runs WHERE job_name = ? AND state = 'running'")) {
            statement.setString(1, jobName);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw failure("count the running runs of job '" + jobName + "'", e);
        }
    }

    /** The latest runs, newest first, optionally of one job. */
    synchronized List<JobRun> recent(Optional<String> jobName, int limit) {
        return jobName.isPresent()
                ? query("SELECT " + COLUMNS + " FROM baton_job_runs WHERE job_name = ? ORDER BY queued_at DESC, id DESC LIMIT ?", jobName.get(), limit)
                : query("SELECT " + COLUMNS + " FROM baton_job_runs ORDER BY queued_at DESC, id DESC LIMIT ?", limit);
    }

    synchronized Optional<String> cursor(String jobName, String key) {
        try (PreparedStatement statement = connection.prepareStatement("SELECT value FROM baton_job_cursors WHERE job_name = ? AND cursor_key = ?")) {
            statement.setString(1, jobName);
            statement.setString(2, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("read the cursor '" + key + "' of job '" + jobName + "'", e);
        }
    }

    synchronized void setCursor(String jobName, String key, String value) {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO baton_job_cursors (job_name, cursor_key, value) VALUES (?, ?, ?) "
                + "ON CONFLICT (job_name, cursor_key) DO UPDATE SET value = excluded.value")) {
            statement.setString(1, jobName);
            statement.setString(2, key);
            statement.setString(3, value);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("write the cursor '" + key + "' of job '" + jobName + "'", e);
        }
    }

    synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Nothing is pending: every write committed when it was made.
        }
    }

    private List<JobRun> query(String sql, Object... parameters) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<JobRun> runs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    runs.add(new JobRun(rows.getString(1), rows.getString(2), rows.getString(3), instant(rows, 4), rows.getInt(5),
                            RunState.fromLabel(rows.getString(6)), Instant.ofEpochMilli(rows.getLong(7)), Instant.ofEpochMilli(rows.getLong(8)),
                            instant(rows, 9), instant(rows, 10), Optional.ofNullable(rows.getString(11)), rows.getString(12)));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw failure("read job runs", e);
        }
    }

    private static Optional<Instant> instant(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
    }

    private static void setInstant(PreparedStatement statement, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.get().toEpochMilli());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }

    private static BatonException failure(String what, SQLException e) {
        return new BatonException(ErrorCode.STATE_STORE_FAILED, "could not " + what + " in the state store: " + e.getMessage(), Optional.empty(), e);
    }
}
