package dev.baton.ingest;

import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.state.LoadRecord;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The warehouse's own record of committed loads, {@code baton_ingest.loads}. A load's row is
 * written in the same transaction as its data, so it is the truth about what landed and how far
 * an incremental source was read; the state store holds a mirror of it.
 */
final class LoadLog {
    static final String SCHEMA = "baton_ingest";
    static final String TABLE = SCHEMA + ".loads";
    private static final String COLUMNS = "load_id, run_id, node_id, relation, connector, mode, started_at, duration_ms, rows_read, rows_loaded,"
            + " rows_quarantined, watermark";

    private LoadLog() {}

    /** Sources load in parallel; creating the log is serialised so that two first loads do not conflict. */
    private static final Object CREATE_LOCK = new Object();

    static void ensure(EngineSession session) throws SQLException {
        synchronized (CREATE_LOCK) {
            create(session);
        }
    }

    private static void create(EngineSession session) throws SQLException {
        session.createSchemaIfMissing(SCHEMA);
        session.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (load_id VARCHAR PRIMARY KEY, run_id VARCHAR NOT NULL, node_id VARCHAR NOT NULL,"
                + " relation VARCHAR NOT NULL, connector VARCHAR NOT NULL, mode VARCHAR NOT NULL, started_at BIGINT NOT NULL,"
                + " duration_ms BIGINT NOT NULL, rows_read BIGINT NOT NULL, rows_loaded BIGINT NOT NULL, rows_quarantined BIGINT NOT NULL,"
                + " watermark VARCHAR)");
    }

    /** The high-water mark of the node's latest committed load, if it had one. */
    static Optional<String> watermark(EngineSession session, String nodeId) throws SQLException {
        QueryResult result = session.query("SELECT watermark FROM " + TABLE + " WHERE node_id = " + literal(nodeId)
                + " ORDER BY started_at DESC, load_id DESC LIMIT 1", 1);
        return result.rows().isEmpty() ? Optional.empty() : Optional.ofNullable(result.rows().get(0).get(0));
    }

    static String insert(LoadRecord load) {
        return "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (" + String.join(", ", literal(load.loadId()), literal(load.runId()),
                literal(load.nodeId()), literal(load.relation()), literal(load.connector()), literal(load.mode()),
                Long.toString(load.startedAt().toEpochMilli()), Long.toString(load.duration().toMillis()), Long.toString(load.rowsRead()),
                Long.toString(load.rowsLoaded()), Long.toString(load.rowsQuarantined()), load.watermark().map(LoadLog::literal).orElse("NULL")) + ")";
    }

    /** Loads that started at or after {@code sinceMillis}, oldest first; empty when nothing was ever loaded. */
    static List<LoadRecord> since(EngineSession session, long sinceMillis) throws SQLException {
        if (session.relationType(new dev.baton.api.engine.Relation(SCHEMA, "loads")).isEmpty()) {
            return List.of();
        }
        QueryResult result = session.query("SELECT " + COLUMNS + " FROM " + TABLE + " WHERE started_at >= " + sinceMillis
                + " ORDER BY started_at, load_id", Integer.MAX_VALUE);
        List<LoadRecord> loads = new ArrayList<>();
        for (List<String> row : result.rows()) {
            loads.add(new LoadRecord(row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5), Instant.ofEpochMilli(Long.parseLong(row.get(6))),
                    Duration.ofMillis(Long.parseLong(row.get(7))), Long.parseLong(row.get(8)), Long.parseLong(row.get(9)), Long.parseLong(row.get(10)),
                    Optional.ofNullable(row.get(11))));
        }
        return loads;
    }

    static String literal(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }
}
