package dev.baton.state;

import dev.baton.materialization.IntervalLedger.BatchRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code baton_intervals} table, portable between SQLite and PostgreSQL. */
final class IntervalRows {
    private IntervalRows() {}

    static List<BatchRecord> forNode(Connection connection, String nodeId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT interval_start, interval_end, succeeded, run_id, processed_at, rows_written, error"
                + " FROM baton_intervals WHERE node_id = ? ORDER BY interval_start")) {
            query.setString(1, nodeId);
            List<BatchRecord> batches = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    batches.add(new BatchRecord(LocalDateTime.parse(rows.getString(1)), LocalDateTime.parse(rows.getString(2)), rows.getBoolean(3),
                            rows.getString(4), Instant.ofEpochMilli(rows.getLong(5)), rows.getLong(6), Optional.ofNullable(rows.getString(7))));
                }
            }
            return batches;
        }
    }

    /** Replaces the record of the batch: delete then insert, in the caller's transaction. */
    static void upsert(Connection connection, String nodeId, BatchRecord batch) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM baton_intervals WHERE node_id = ? AND interval_start = ?")) {
            delete.setString(1, nodeId);
            delete.setString(2, batch.start().toString());
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO baton_intervals (node_id, interval_start, interval_end, succeeded, run_id,"
                + " processed_at, rows_written, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, nodeId);
            insert.setString(2, batch.start().toString());
            insert.setString(3, batch.end().toString());
            insert.setBoolean(4, batch.succeeded());
            insert.setString(5, batch.runId());
            insert.setLong(6, batch.processedAt().toEpochMilli());
            insert.setLong(7, batch.rows());
            insert.setString(8, batch.error().orElse(null));
            insert.executeUpdate();
        }
    }

    static void clear(Connection connection, String nodeId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM baton_intervals WHERE node_id = ?")) {
            delete.setString(1, nodeId);
            delete.executeUpdate();
        }
    }
}
