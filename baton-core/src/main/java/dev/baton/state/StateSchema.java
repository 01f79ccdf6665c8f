package dev.baton.state;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;

/**
 * The schema version of a state store. Reading it costs one query, so opening an up-to-date
 * store never starts Flyway.
 */
final class StateSchema {
    /** The newest migration under {@code db/state}; raise it with every new migration. */
    static final int LATEST_VERSION = 9;

    static final String HISTORY_TABLE = "baton_schema_history";
    static final String MIGRATIONS = "db/state";

    private StateSchema() {}

    /**
     * The highest version migrated successfully, or empty when the store has no schema history
     * (a new store).
     */
    static OptionalInt recordedVersion(Connection connection) {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT version FROM " + HISTORY_TABLE + " WHERE success AND version IS NOT NULL")) {
            int highest = -1;
            while (rows.next()) {
                highest = Math.max(highest, majorVersion(rows.getString(1)));
            }
            return highest < 0 ? OptionalInt.empty() : OptionalInt.of(highest);
        } catch (SQLException e) {
            return OptionalInt.empty();
        }
    }

    private static int majorVersion(String version) {
        int end = 0;
        while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
    }
}
