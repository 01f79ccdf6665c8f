package dev.baton.server.run;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineCapabilities;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The warehouse as the server's monitors see it: every read is a short task on the run queue's
 * thread, between runs, on an engine opened for it and closed after it. So the freshness SLA
 * monitor and the source-freshness sensors read the warehouse without a second handle beside a
 * run's (an embedded DuckDB file takes one at a time).
 *
 * <p>A read that cannot start within the wait (a run holds the warehouse) fails with a
 * {@link SQLTransientException}: the caller tries again later. Sessions only read.
 */
public final class QueuedWarehouse implements Engine {
    private final String type;
    private final Supplier<RunQueue> queue;
    private final Supplier<Engine> opener;
    private final Function<String, String> quoting;
    private final String defaultSchema;
    private final Duration wait;
    private volatile EngineCapabilities capabilities;

    /**
     * @param type the target's engine type, such as {@code duckdb}
     * @param queue the server's run queue, asked for at each read
     * @param opener opens the target's engine; called on the queue's thread only
     * @param quoting quotes an identifier as the engine does, without opening it
     * @param wait how long a read waits for a running run to end
     */
    public QueuedWarehouse(String type, Supplier<RunQueue> queue, Supplier<Engine> opener, Function<String, String> quoting, String defaultSchema,
            Duration wait) {
        this.type = requireNonNull(type, "type is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.opener = requireNonNull(opener, "opener is null");
        this.quoting = requireNonNull(quoting, "quoting is null");
        this.defaultSchema = requireNonNull(defaultSchema, "defaultSchema is null");
        this.wait = requireNonNull(wait, "wait is null");
    }

    @FunctionalInterface
    private interface Read<T> {
        T read(EngineSession session) throws SQLException;
    }

    private <T> T read(Read<T> read) throws SQLException {
        RunQueue runs = queue.get();
        if (runs == null) {
            throw new SQLTransientException("the server's run queue is not ready yet");
        }
        try {
            return runs.read(() -> {
                try (Engine engine = opener.get(); EngineSession session = engine.openSession()) {
                    if (capabilities == null) {
                        capabilities = engine.capabilities();
                    }
                    return read.read(session);
                }
            }, wait);
        } catch (TimeoutException e) {
            throw new SQLTransientException(e.getMessage() + "; the warehouse is read again after it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientException("interrupted while waiting for the warehouse");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof BatonException baton && baton.errorCode() == ErrorCode.WAREHOUSE_LOCKED) {
                throw new SQLTransientException(baton.getMessage(), baton);
            }
            throw new SQLException(String.valueOf(cause.getMessage()), cause);
        }
    }

    @Override
    public String name() {
        return type;
    }

    /** The engine's capabilities, read once through the queue. */
    @Override
    public EngineCapabilities capabilities() {
        if (capabilities == null) {
            try {
                read(session -> null);
            } catch (SQLException e) {
                throw new BatonException(ErrorCode.ENGINE_UNREACHABLE, "could not open the warehouse to read its capabilities: " + e.getMessage(),
                        Optional.empty(), e);
            }
        }
        return capabilities;
    }

    @Override
    public EngineSession openSession() {
        return new ReadSession();
    }

    @Override
    public String quote(String identifier) {
        return quoting.apply(identifier);
    }

    @Override
    public String defaultSchema() {
        return defaultSchema;
    }

    @Override
    public void close() {
        // Each read closes the engine it opened.
    }

    /** Reads through the queue; writes belong in runs. */
    private final class ReadSession implements EngineSession {
        private SQLException readOnly() {
            return new SQLFeatureNotSupportedException("the server's monitors only read the warehouse; writes go through its runs");
        }

        @Override
        public long execute(String sql) throws SQLException {
            throw readOnly();
        }

        @Override
        public QueryResult query(String sql, int maxRows) throws SQLException {
            return read(session -> session.query(sql, maxRows));
        }

        @Override
        public void executeAtomically(List<String> statements) throws SQLException {
            throw readOnly();
        }

        @Override
        public Optional<RelationType> relationType(Relation relation) throws SQLException {
            return read(session -> session.relationType(relation));
        }

        @Override
        public Map<Relation, RelationType> listRelations() throws SQLException {
            return read(EngineSession::listRelations);
        }

        @Override
        public void createSchemaIfMissing(String schema) throws SQLException {
            throw readOnly();
        }

        @Override
        public long loadCsv(Relation relation, Path csvFile, Map<String, String> columnTypes) throws SQLException {
            throw readOnly();
        }

        @Override
        public void cancel() {
            // A read is short; it is not cancelled.
        }

        @Override
        public void close() {
            // Nothing stays open between reads.
        }
    }
}
