package dev.baton.state;

import dev.baton.api.event.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** SQL for the metric history. */
final class MetricRows {
    private MetricRows() {}

    static void insert(Connection connection, RunEvent.AuditFinished event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO baton_check_metrics"
                + " (run_id, node_id, relation, column_name, metric, value, numeric_value, published, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (RunEvent.Metric metric : event.metrics()) {
                insert.setString(1, event.runId());
                insert.setString(2, event.nodeId());
                insert.setString(3, event.relation());
                insert.setString(4, metric.column());
                insert.setString(5, metric.name());
                insert.setString(6, metric.value());
                OptionalDouble number = number(metric.value());
                if (number.isPresent()) {
                    insert.setDouble(7, number.getAsDouble());
                } else {
                    insert.setNull(7, Types.DOUBLE);
                }
                insert.setInt(8, event.published() ? 1 : 0);
                insert.setLong(9, event.finishedAt().toEpochMilli());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    static List<MetricRecord> history(Connection connection, String nodeId, String column, String metric, int limit) throws SQLException {
        List<MetricRecord> records = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, node_id, relation, column_name, metric, value, numeric_value,"
                + " published, recorded_at FROM baton_check_metrics WHERE node_id = ? AND column_name = ? AND metric = ?"
                + " ORDER BY recorded_at DESC LIMIT ?")) {
            select.setString(1, nodeId);
            select.setString(2, column);
            select.setString(3, metric);
            select.setInt(4, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    double number = rows.getDouble(7);
                    OptionalDouble numeric = rows.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(number);
                    records.add(new MetricRecord(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                            Optional.ofNullable(rows.getString(6)), numeric, rows.getInt(8) == 1, Instant.ofEpochMilli(rows.getLong(9))));
                }
            }
        }
        return records;
    }

    private static OptionalDouble number(String value) {
        if (value == null) {
            return OptionalDouble.empty();
        }
        try {
            double number = Double.parseDouble(value);
            return Double.isFinite(number) ? OptionalDouble.of(number) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
