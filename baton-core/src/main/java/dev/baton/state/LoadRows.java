package dev.baton.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for the {@code baton_loads} table, portable between SQLite and PostgreSQL. */
final class LoadRows {
    private static final String COLUMNS = "load_id, run_id, node_id, relation, connector, mode, started_at, duration_ms, rows_read, rows_loaded,"
            + " rows_quarantined, watermark";

    private LoadRows() {}

    static void insert(Connection connection, List<LoadRecord> loads) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO baton_loads (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (load_id) DO NOTHING")) {
            for (LoadRecord load : loads) {
                insert.setString(1, load.loadId());
                insert.setString(2, load.runId());
                insert.setString(3, load.nodeId());
                insert.setString(4, load.relation());
                insert.setString(5, load.connector());
                insert.setString(6, load.mode());
                insert.setLong(7, load.startedAt().toEpochMilli());
                insert.setLong(8, load.duration().toMillis());
                insert.setLong(9, load.rowsRead());
                insert.setLong(10, load.rowsLoaded());
                insert.setLong(11, load.rowsQuarantined());
                insert.setString(12, load.watermark().orElse(null));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    static List<LoadRecord> forNode(Connection connection, String nodeId, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM baton_loads WHERE node_id = ?"
                + " ORDER BY started_at DESC, load_id DESC LIMIT ?")) {
            query.setString(1, nodeId);
            query.setInt(2, limit);
            List<LoadRecord> loads = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    loads.add(new LoadRecord(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                            rows.getString(6), Instant.ofEpochMilli(rows.getLong(7)), Duration.ofMillis(rows.getLong(8)), rows.getLong(9),
                            rows.getLong(10), rows.getLong(11), Optional.ofNullable(rows.getString(12))));
                }
            }
            return loads;
        }
    }

    static Optional<Instant> latestStart(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT max(started_at) FROM baton_loads")) {
            rows.next();
            long value = rows.getLong(1);
            return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(value));
        }
    }
}
