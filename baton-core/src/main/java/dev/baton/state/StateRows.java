package dev.baton.state;

import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.event.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** The SQL of the state store and the mapping between rows and records. Portable between SQLite and PostgreSQL. */
final class StateRows {
    private static final String RUN_COLUMNS = "id, command, project, target, status, node_count, threads, started_at, finished_at,"
            + " elapsed_ms, success_count, error_count, skipped_count, pass_count, fail_count, warn_count, cancelled_count";
    private static final String RESULT_COLUMNS = "run_id, seq, node_id, resource_type, relation, status, message, started_at,"
            + " duration_ms, rows_affected, failures, compiled_sql_hash, error_message";
    private static final String INSERT_COLUMNS = RESULT_COLUMNS + ", config_hash, contract_hash, fingerprint";

    private StateRows() {}

    /** One node result waiting to be written, numbered in finish order within its run. */
    record PendingResult(String runId, int seq, NodeResult result, Optional<String> errorMessage) {}

    static void insertRun(Connection connection, RunEvent.RunStarted event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO baton_runs (id, command, project, target, status,"
                + " node_count, threads, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, event.runId());
            insert.setString(2, event.command());
            insert.setString(3, event.projectName());
            insert.setString(4, event.target());
            insert.setString(5, RunStatus.RUNNING.name());
            insert.setInt(6, event.nodeCount());
            insert.setInt(7, event.threads());
            insert.setLong(8, event.startedAt().toEpochMilli());
            insert.executeUpdate();
        }
    }

    static void insertResults(Connection connection, List<PendingResult> pending) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO baton_node_results (" + INSERT_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (PendingResult row : pending) {
                NodeResult result = row.result();
                insert.setString(1, row.runId());
                insert.setInt(2, row.seq());
                insert.setString(3, result.nodeId());
                insert.setString(4, result.resourceType());
                setOptional(insert, 5, result.relation());
                insert.setString(6, result.status().name());
                insert.setString(7, result.message());
                insert.setLong(8, result.startedAt().toEpochMilli());
                insert.setLong(9, result.duration().toMillis());
                setOptional(insert, 10, result.rowsAffected());
                setOptional(insert, 11, result.failures());
                setOptional(insert, 12, result.compiledSqlHash());
                setOptional(insert, 13, row.errorMessage());
                setOptional(insert, 14, result.fingerprint().map(dev.baton.api.event.Fingerprint::config));
                setOptional(insert, 15, result.fingerprint().map(dev.baton.api.event.Fingerprint::contract));
                setOptional(insert, 16, result.fingerprint().map(dev.baton.api.event.Fingerprint::combined));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Adds counts to runs' totals. */
    static void addCounts(Connection connection, Map<String, RunCounts> countsByRun) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE baton_runs SET success_count = success_count + ?,"
                + " error_count = error_count + ?, skipped_count = skipped_count + ?, pass_count = pass_count + ?,"
                + " fail_count = fail_count + ?, warn_count = warn_count + ?, cancelled_count = cancelled_count + ? WHERE id = ?")) {
            for (Map.Entry<String, RunCounts> entry : countsByRun.entrySet()) {
                RunCounts counts = entry.getValue();
                update.setInt(1, counts.success());
                update.setInt(2, counts.error());
                update.setInt(3, counts.skipped());
                update.setInt(4, counts.pass());
                update.setInt(5, counts.fail());
                update.setInt(6, counts.warn());
                update.setInt(7, counts.cancelled());
                update.setString(8, entry.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    static void finishRun(Connection connection, RunEvent.RunFinished event) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE baton_runs SET status = ?, finished_at = ?, elapsed_ms = ? WHERE id = ?")) {
            update.setString(1, event.status().name());
            update.setLong(2, event.finishedAt().toEpochMilli());
            update.setLong(3, event.elapsed().toMillis());
            update.setString(4, event.runId());
            update.executeUpdate();
        }
    }

    static List<RunRecord> recentRuns(Connection connection, int limit) throws SQLException {
        return queryRuns(connection, "SELECT " + RUN_COLUMNS + " FROM baton_runs ORDER BY started_at DESC, id DESC LIMIT ?",
                statement -> statement.setInt(1, limit));
    }

    static Optional<RunRecord> run(Connection connection, String id) throws SQLException {
        List<RunRecord> runs = queryRuns(connection, "SELECT " + RUN_COLUMNS + " FROM baton_runs WHERE id = ?",
                statement -> statement.setString(1, id));
        return runs.stream().findFirst();
    }

    /** Runs whose id starts with the prefix, at most {@code limit}, newest first. */
    static List<RunRecord> runsWithPrefix(Connection connection, String prefix, int limit) throws SQLException {
        return queryRuns(connection, "SELECT " + RUN_COLUMNS + " FROM baton_runs WHERE substr(id, 1, ?) = ?"
                + " ORDER BY started_at DESC, id DESC LIMIT ?", statement -> {
                    statement.setInt(1, prefix.length());
                    statement.setString(2, prefix);
                    statement.setInt(3, limit);
                });
    }

    /** A page of runs, newest first; the status filter is a bound parameter. */
    static List<RunRecord> runs(Connection connection, Optional<RunStatus> status, int limit, int offset) throws SQLException {
        return queryRuns(connection, "SELECT " + RUN_COLUMNS + " FROM baton_runs WHERE (CAST(? AS TEXT) IS NULL OR status = ?)"
                + " ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?", statement -> {
                    String value = status.map(RunStatus::name).orElse(null);
                    statement.setString(1, value);
                    statement.setString(2, value);
                    statement.setInt(3, limit);
                    statement.setInt(4, offset);
                });
    }

    /** A page of test results, newest first; every filter is a bound parameter. */
    static List<NodeResultRecord> checkResults(Connection connection, Optional<String> nodeId, Optional<NodeStatus> status, int limit, int offset)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT " + RESULT_COLUMNS + " FROM baton_node_results"
                + " WHERE resource_type = 'test' AND (CAST(? AS TEXT) IS NULL OR node_id = ?) AND (CAST(? AS TEXT) IS NULL OR status = ?)"
                + " ORDER BY started_at DESC, run_id DESC, seq DESC LIMIT ? OFFSET ?")) {
            select.setString(1, nodeId.orElse(null));
            select.setString(2, nodeId.orElse(null));
            select.setString(3, status.map(NodeStatus::name).orElse(null));
            select.setString(4, status.map(NodeStatus::name).orElse(null));
            select.setInt(5, limit);
            select.setInt(6, offset);
            return readResults(select);
        }
    }

    static List<NodeResultRecord> nodeResults(Connection connection, String runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + RESULT_COLUMNS + " FROM baton_node_results WHERE run_id = ? ORDER BY seq")) {
            select.setString(1, runId);
            return readResults(select);
        }
    }

    private static List<NodeResultRecord> readResults(PreparedStatement select) throws SQLException {
        List<NodeResultRecord> results = new ArrayList<>();
        {
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    results.add(new NodeResultRecord(rows.getString("run_id"), rows.getString("node_id"),
                            rows.getString("resource_type"), Optional.ofNullable(rows.getString("relation")),
                            NodeStatus.valueOf(rows.getString("status")), rows.getString("message"),
                            Instant.ofEpochMilli(rows.getLong("started_at")), Duration.ofMillis(rows.getLong("duration_ms")),
                            optionalLong(rows, "rows_affected"), optionalLong(rows, "failures"),
                            Optional.ofNullable(rows.getString("compiled_sql_hash")),
                            Optional.ofNullable(rows.getString("error_message"))));
                }
            }
            return results;
        }
    }

    static java.util.Map<String, String> lastBuiltHashes(Connection connection) throws SQLException {
        java.util.Map<String, String> hashes = new java.util.HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT r.node_id, r.compiled_sql_hash FROM baton_node_results r"
                        + " JOIN (SELECT node_id, MAX(started_at) AS started_at FROM baton_node_results"
                        + " WHERE status = 'SUCCESS' AND compiled_sql_hash IS NOT NULL GROUP BY node_id) latest"
                        + " ON r.node_id = latest.node_id AND r.started_at = latest.started_at"
                        + " WHERE r.status = 'SUCCESS' AND r.compiled_sql_hash IS NOT NULL");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                hashes.put(rows.getString(1), rows.getString(2));
            }
        }
        return hashes;
    }

    /**
     * The fingerprint of every node's latest successful build (for a test: its latest run that
     * reached a verdict, since its definition is what counts). Results recorded before fingerprints
     * existed have an empty config, contract and combined hash: a comparison treats them as unchanged.
     */
    static java.util.Map<String, dev.baton.api.event.Fingerprint> lastBuiltFingerprints(Connection connection) throws SQLException {
        java.util.Map<String, dev.baton.api.event.Fingerprint> fingerprints = new java.util.HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT r.node_id, r.compiled_sql_hash, r.config_hash, r.contract_hash, r.fingerprint FROM baton_node_results r"
                        + " JOIN (SELECT node_id, MAX(started_at) AS started_at FROM baton_node_results"
                        + " WHERE status IN ('SUCCESS', 'PASS', 'WARN', 'FAIL') AND compiled_sql_hash IS NOT NULL GROUP BY node_id) latest"
                        + " ON r.node_id = latest.node_id AND r.started_at = latest.started_at"
                        + " WHERE r.status IN ('SUCCESS', 'PASS', 'WARN', 'FAIL') AND r.compiled_sql_hash IS NOT NULL");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                fingerprints.put(rows.getString(1), new dev.baton.api.event.Fingerprint(rows.getString(2), orEmpty(rows.getString(3)),
                        orEmpty(rows.getString(4)), orEmpty(rows.getString(5))));
            }
        }
        return fingerprints;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** What is already written for a run: its node ids and the highest sequence number (0 when none). */
    record Written(Set<String> nodeIds, int highestSeq) {}

    static Written written(Connection connection, String runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT seq, node_id FROM baton_node_results WHERE run_id = ?")) {
            select.setString(1, runId);
            Set<String> nodeIds = new HashSet<>();
            int highestSeq = 0;
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    highestSeq = Math.max(highestSeq, rows.getInt(1));
                    nodeIds.add(rows.getString(2));
                }
            }
            return new Written(nodeIds, highestSeq);
        }
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private static List<RunRecord> queryRuns(Connection connection, String sql, Binder binder) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            binder.bind(select);
            List<RunRecord> runs = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    runs.add(toRun(rows));
                }
            }
            return runs;
        }
    }

    private static RunRecord toRun(ResultSet rows) throws SQLException {
        OptionalLong finishedAt = optionalLong(rows, "finished_at");
        OptionalLong elapsed = optionalLong(rows, "elapsed_ms");
        RunCounts counts = new RunCounts(rows.getInt("success_count"), rows.getInt("error_count"), rows.getInt("skipped_count"),
                rows.getInt("pass_count"), rows.getInt("fail_count"), rows.getInt("warn_count"), rows.getInt("cancelled_count"));
        return new RunRecord(rows.getString("id"), rows.getString("command"), rows.getString("project"), rows.getString("target"),
                RunStatus.valueOf(rows.getString("status")), rows.getInt("node_count"), rows.getInt("threads"),
                Instant.ofEpochMilli(rows.getLong("started_at")),
                finishedAt.isPresent() ? Optional.of(Instant.ofEpochMilli(finishedAt.getAsLong())) : Optional.empty(),
                elapsed.isPresent() ? Optional.of(Duration.ofMillis(elapsed.getAsLong())) : Optional.empty(),
                counts);
    }

    private static OptionalLong optionalLong(ResultSet rows, String column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(value);
    }

    private static void setOptional(PreparedStatement statement, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    private static void setOptional(PreparedStatement statement, int index, OptionalLong value) throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.getAsLong());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }
}
