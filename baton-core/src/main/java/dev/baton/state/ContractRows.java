package dev.baton.state;

import dev.baton.api.event.RunEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** SQL for the published contracts. */
final class ContractRows {
    private ContractRows() {}

    static void insert(Connection connection, RunEvent.ContractPublished event) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO baton_contracts (node_id, run_id, version, contract, published_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, event.nodeId());
            insert.setString(2, event.runId());
            insert.setString(3, event.version());
            insert.setString(4, event.contract());
            insert.setLong(5, event.publishedAt().toEpochMilli());
            insert.executeUpdate();
        }
    }

    /** For every node, its most recently published contract. */
    static Map<String, ContractRecord> latest(Connection connection) throws SQLException {
        Map<String, ContractRecord> latest = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT c.node_id, c.run_id, c.version, c.contract, c.published_at"
                + " FROM baton_contracts c WHERE c.published_at = (SELECT max(n.published_at) FROM baton_contracts n WHERE n.node_id = c.node_id)"
                + " ORDER BY c.node_id, c.run_id");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                latest.put(rows.getString(1), new ContractRecord(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                        Instant.ofEpochMilli(rows.getLong(5))));
            }
        }
        return latest;
    }
}
