package dev.baton.engine.duckdb;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineCapabilities;
import dev.baton.api.engine.EngineSession;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DuckDB in this process: one connection to the database file, and one duplicate of it per
 * session so that worker threads run statements in parallel on the same database.
 */
final class DuckDbEngine implements Engine {
    static final EngineCapabilities CAPABILITIES = EngineCapabilities.builder()
            .atomicRename()
            .transactionalDdl()
            .replaceViewChangingColumns()
            .createOrReplaceTable()
            .merge()
            .schemas()
            .temporaryTables()
            .bulkLoad()
            .integerBitmaps()
            .zoneMaps()
            .sortedProbes()
            .readsFiles()
            .tableComments()
            .cancelStatements()
            .updateDelete()
            .anyQuotedName()
            .build();
    private static final Pattern LOCK_HOLDER = Pattern.compile("\\(PID (\\d+)\\)");

    private final String description;
    private final Connection connection;
    private final Method duplicate;
    private final String defaultSchema;
    private final Set<DuckDbSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private DuckDbEngine(String description, Connection connection, String defaultSchema) throws SQLException {
        this.description = description;
        this.connection = connection;
        this.defaultSchema = defaultSchema;
        try {
            this.duplicate = connection.getClass().getMethod("duplicate");
        } catch (NoSuchMethodException e) {
            throw new SQLException("the DuckDB driver cannot duplicate connections", e);
        }
    }

    static DuckDbEngine openFile(Path databaseFile, String defaultSchema, int threads) {
        requireNonNull(databaseFile, "databaseFile is null");
        Path absolute = databaseFile.toAbsolutePath().normalize();
        String description = "the warehouse " + databaseFile;
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new BatonException(ErrorCode.CONNECTION_FAILED,
                    "could not create the directory of " + description + ": " + e.getMessage()
                            + "; check that the path is writable",
                    Optional.empty(), e);
        }
        return open("jdbc:duckdb:" + absolute, description, defaultSchema, threads);
    }

    static DuckDbEngine openInMemory(String defaultSchema, int threads) {
        return open("jdbc:duckdb:", "the in-memory warehouse", defaultSchema, threads);
    }

    private static DuckDbEngine open(String url, String description, String defaultSchema, int threads) {
        requireNonNull(defaultSchema, "defaultSchema is null");
        Properties properties = new Properties();
        if (threads > 0) {
            properties.setProperty("threads", Integer.toString(threads));
        }
        Connection connection;
        try {
            connection = DuckDbNativeLibrary.driver().connect(url, properties);
        } catch (SQLException e) {
            throw openFailure(description, e);
        }
        try {
            DuckDbEngine engine = new DuckDbEngine(description, connection, defaultSchema);
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(defaultSchema));
            }
            return engine;
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new BatonException(ErrorCode.CONNECTION_FAILED,
                    "could not prepare " + description + ": " + e.getMessage(), Optional.empty(), e);
        }
    }

    static BatonException openFailure(String description, SQLException failure) {
        String message = String.valueOf(failure.getMessage());
        if (message.contains("Could not set lock on file")) {
            Matcher holder = LOCK_HOLDER.matcher(message);
            String process = holder.find() ? "another process (pid " + holder.group(1) + ")" : "another process";
            return new BatonException(ErrorCode.WAREHOUSE_LOCKED,
                    description + " is locked by " + process + "; wait for it to finish or stop it",
                    Optional.empty(), failure);
        }
        return new BatonException(ErrorCode.CONNECTION_FAILED,
                "could not open " + description + ": " + message, Optional.empty(), failure);
    }

    static String quoteIdentifier(String identifier) {
        requireNonNull(identifier, "identifier is null");
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String quoteLiteral(String value) {
        requireNonNull(value, "value is null");
        return '\'' + value.replace("'", "''") + '\'';
    }

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public EngineCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public EngineSession openSession() {
        if (closed.get()) {
            throw new IllegalStateException(description + " is closed");
        }
        Connection duplicated;
        try {
            duplicated = (Connection) duplicate.invoke(connection);
        } catch (IllegalAccessException | InvocationTargetException e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            throw new BatonException(ErrorCode.CONNECTION_FAILED,
                    "could not open a session on " + description + ": " + cause.getMessage(), Optional.empty(), cause);
        }
        try {
            duplicated.setSchema(defaultSchema);
        } catch (SQLException e) {
            closeQuietly(duplicated);
            throw new BatonException(ErrorCode.CONNECTION_FAILED,
                    "could not use the schema " + defaultSchema + " of " + description + ": " + e.getMessage(),
                    Optional.empty(), e);
        }
        DuckDbSession session = new DuckDbSession(duplicated, sessions::remove);
        sessions.add(session);
        return session;
    }

    @Override
    public String quote(String identifier) {
        return quoteIdentifier(identifier);
    }

    @Override
    public String defaultSchema() {
        return defaultSchema;
    }

    /** Closes the sessions still open, then the database. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (DuckDbSession session : List.copyOf(sessions)) {
            session.close();
        }
        closeQuietly(connection);
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing releases native resources; a failure leaves nothing to recover.
        }
    }

    @Override
    public String toString() {
        return "DuckDbEngine[" + description + "]";
    }
}
