package dev.baton.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The SQL of the run log table. */
final class RunLogRows {
    private RunLogRows() {}

    /** Replaces the run's log, in one transaction. */
    static void replace(Connection connection, RunLog log) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM baton_run_logs WHERE run_id = ?")) {
                delete.setString(1, log.runId());
                delete.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO baton_run_logs (run_id, seq, stream, text) VALUES (?, ?, ?, ?)")) {
                int seq = 0;
                for (RunLog.Chunk chunk : log.chunks()) {
                    insert.setString(1, log.runId());
                    insert.setInt(2, seq++);
                    insert.setString(3, chunk.stream());
                    insert.setString(4, chunk.text());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    static Optional<RunLog> read(Connection connection, String runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT stream, text FROM baton_run_logs WHERE run_id = ? ORDER BY seq")) {
            select.setString(1, runId);
            List<RunLog.Chunk> chunks = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    chunks.add(new RunLog.Chunk(rows.getString(1), rows.getString(2)));
                }
            }
            return chunks.isEmpty() ? Optional.empty() : Optional.of(new RunLog(runId, chunks));
        }
    }
}
