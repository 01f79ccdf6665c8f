package dev.baton.ingest.jdbc;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a MariaDB table splits into contiguous ranges of its primary key, one per parallel stream.
 *
 * <p>Only an InnoDB table with a single integer primary key splits: InnoDB's consistent snapshots
 * are what keep the streams' reads at one instant, and an integer key can be cut into ranges by
 * its minimum and maximum. The first range is open below and the last open above, so the ranges
 * together hold every row whatever the bounds were when they were read.
 */
final class KeyRanges {
    /** Fewer keys than this per stream are not worth a connection of their own. */
    static final long MIN_KEYS_PER_STREAM = 10_000;

    private static final Set<String> INTEGER_TYPES = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");

    private KeyRanges() {}

    /**
     * The conditions of each stream's range, or one {@code true} when the table is read in one
     * stream: it has no single integer primary key, it is not InnoDB, or the rows within {@code
     * where} span fewer than two streams' worth of keys.
     *
     * @param schema the database that holds the table
     * @param from the table as the read names it, with its alias
     * @param where the read's condition, starting with {@code " WHERE "}
     */
    static List<String> split(Dialect dialect, Connection connection, String schema, String table, String from, String where, int parallel)
            throws SQLException {
        String filter = " WHERE TABLE_SCHEMA = " + dialect.literal(schema) + " AND TABLE_NAME = " + dialect.literal(table);
        List<List<String>> key = query(connection, "SELECT COLUMN_NAME FROM information_schema.STATISTICS" + filter + " AND INDEX_NAME = 'PRIMARY'");
        if (key.size() != 1) {
            return List.of("true");
        }
        String column = key.get(0).get(0);
        List<List<String>> shape = query(connection, "SELECT lower(DATA_TYPE), (SELECT lower(ENGINE) FROM information_schema.TABLES" + filter
                + ") FROM information_schema.COLUMNS" + filter + " AND COLUMN_NAME = " + dialect.literal(column));
        if (shape.size() != 1 || !INTEGER_TYPES.contains(shape.get(0).get(0)) || !"innodb".equals(shape.get(0).get(1))) {
            return List.of("true");
        }
        String quoted = dialect.quote(column);
        List<List<String>> bounds = query(connection, "SELECT CAST(min(" + quoted + ") AS CHAR), CAST(max(" + quoted + ") AS CHAR) FROM " + from + where);
        if (bounds.isEmpty() || bounds.get(0).get(0) == null) {
            return List.of("true");
        }
        return conditions(quoted, new BigInteger(bounds.get(0).get(0)), new BigInteger(bounds.get(0).get(1)), parallel);
    }

    /** Cuts [min, max] into at most {@code parallel} ranges of at least {@link #MIN_KEYS_PER_STREAM} keys each. */
    static List<String> conditions(String key, BigInteger min, BigInteger max, int parallel) {
        BigInteger keys = max.subtract(min).add(BigInteger.ONE);
        int streams = keys.divide(BigInteger.valueOf(MIN_KEYS_PER_STREAM)).min(BigInteger.valueOf(parallel)).intValue();
        if (streams < 2) {
            return List.of("true");
        }
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            String lower = i == 0 ? "" : key + " >= " + bound(min, keys, i, streams);
            String upper = i == streams - 1 ? "" : key + " < " + bound(min, keys, i + 1, streams);
            ranges.add(lower.isEmpty() ? upper : upper.isEmpty() ? lower : lower + " AND " + upper);
        }
        return List.copyOf(ranges);
    }

    private static BigInteger bound(BigInteger min, BigInteger keys, int index, int streams) {
        return min.add(keys.multiply(BigInteger.valueOf(index)).divide(BigInteger.valueOf(streams)));
    }

    /**
     * Whether a failure to lock the table or to open a stream's connection only means the table is
     * read in one stream: the user may not lock it (LOCK TABLES privilege), a transaction that
     * writes it held the lock past the wait, or the server has no connection to spare.
     */
    static boolean onlyPreventsParallelReads(SQLException e) {
        return switch (e.getErrorCode()) {
            case 1044, 1142, 1227 -> true; // access denied to the database, the table, or for lack of a privilege
            case 1205 -> true; // lock wait timeout
            case 1040, 1203 -> true; // too many connections, for the server or for the user
            default -> false;
        };
    }

    private static List<List<String>> query(Connection connection, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet results = statement.executeQuery(sql)) {
            int count = results.getMetaData().getColumnCount();
            while (results.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    row.add(results.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
