package dev.baton.engine.postgres;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineCapabilities;
import dev.baton.api.engine.EngineSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.Driver;

/**
 * A PostgreSQL database: one connection per session. DDL is transactional, so a publish of any
 * number of renames and drops commits or rolls back as one.
 */
final class PostgresEngine implements Engine {
    /** {@code MERGE} arrived in PostgreSQL 15 ({@code server_version_num} 150000). */
    static final int FIRST_VERSION_WITH_MERGE = 150000;
    private static final Driver DRIVER = new Driver();

    private final String url;
    private final Properties properties;
    private final String description;
    private final String defaultSchema;
    private final Set<PostgresSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The advisory lock every building process holds shared, and the janitor tries exclusively: "baton" in ASCII. */
    static final long WRITERS_LOCK = 0x6261746f6eL;

    private Connection writerLease;
    private volatile EngineCapabilities capabilities = capabilities(FIRST_VERSION_WITH_MERGE);

    private PostgresEngine(String url, Properties properties, String description, String defaultSchema) {
        this.url = url;
        this.properties = properties;
        this.description = description;
        this.defaultSchema = defaultSchema;
    }

    /** What a server of this {@code server_version_num} can do: before 15 it has no {@code MERGE}, and merges run as delete+insert. */
    static EngineCapabilities capabilities(int serverVersionNumber) {
        EngineCapabilities.Builder builder = EngineCapabilities.builder()
                .atomicRename()
                .transactionalDdl()
                .schemas()
                .temporaryTables()
                .bulkLoad()
                .tableComments()
                .cancelStatements()
                .viewsFollowRenames()
                .updateDelete()
                .anyQuotedName();
        if (serverVersionNumber >= FIRST_VERSION_WITH_MERGE) {
            builder.merge();
        }
        return builder.build();
    }

    /**
     * Connects once to check that the server answers and creates the default schema when missing.
     *
     * @throws BatonException {@code ENGINE_UNREACHABLE} when the server cannot be reached or refuses the login
     */
    static PostgresEngine open(String url, Properties properties, String description, String defaultSchema, Optional<SourceLocation> location) {
        requireNonNull(defaultSchema, "defaultSchema is null");
        PostgresEngine engine = new PostgresEngine(url, properties, description, defaultSchema);
        Connection connection = engine.connect(location);
        try (Statement statement = connection.createStatement()) {
            try (java.sql.ResultSet version = statement.executeQuery("SHOW server_version_num")) {
                if (version.next()) {
                    engine.capabilities = capabilities(Integer.parseInt(version.getString(1).trim()));
                }
            }
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(defaultSchema));
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState()) && !"42P06".equals(e.getSQLState())) {
                throw new BatonException(ErrorCode.CONNECTION_FAILED, "could not create the schema " + defaultSchema + " of " + description + ": "
                        + e.getMessage() + "; grant the user CREATE on the database or create the schema first", location, e);
            }
        } finally {
            closeQuietly(connection);
        }
        return engine;
    }

    private Connection connect(Optional<SourceLocation> location) {
        try {
            Connection connection = DRIVER.connect(url, properties);
            if (connection == null) {
                throw new SQLException("the PostgreSQL driver does not accept the URL " + url);
            }
            return connection;
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            String hint = "28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState())
                    ? "check user and password of the target (a password is best read with env_var())"
                    : "3D000".equals(e.getSQLState()) ? "check dbname of the target, or create the database"
                    : "check host and port of the target and that the server is running and accepts TCP connections";
            throw new BatonException(ErrorCode.ENGINE_UNREACHABLE, "could not connect to " + description + ": " + message + "; " + hint, location, e);
        }
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
        return "postgres";
    }

    @Override
    public EngineCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public EngineSession openSession() {
        if (closed.get()) {
            throw new IllegalStateException(description + " is closed");
        }
        Connection connection = connect(Optional.empty());
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + quoteIdentifier(defaultSchema));
        } catch (SQLException e) {
            closeQuietly(connection);
            throw new BatonException(ErrorCode.CONNECTION_FAILED, "could not use the schema " + defaultSchema + " of " + description + ": "
                    + e.getMessage(), Optional.empty(), e);
        }
        PostgresSession session = new PostgresSession(connection, defaultSchema, sessions::remove);
        sessions.add(session);
        return session;
    }

    /**
     * Holds {@link #WRITERS_LOCK} shared on a connection of its own until the engine closes (a process that dies releases
     * it with its connection); first tries it exclusively, which succeeds only when no other session holds it.
     */
    @Override
    public synchronized boolean registerWriter() throws SQLException {
        if (closed.get()) {
            throw new IllegalStateException(description + " is closed");
        }
        boolean registered = writerLease != null;
        if (!registered) {
            writerLease = connect(Optional.empty());
        }
        try (Statement statement = writerLease.createStatement()) {
            boolean alone;
            try (java.sql.ResultSet result = statement.executeQuery("select pg_try_advisory_lock(" + WRITERS_LOCK + ")")) {
                alone = result.next() && result.getBoolean(1);
            }
            if (!registered) {
                statement.execute("select pg_advisory_lock_shared(" + WRITERS_LOCK + ")");
            }
            if (alone) {
                statement.execute("select pg_advisory_unlock(" + WRITERS_LOCK + ")");
            }
            return alone;
        }
    }

    @Override
    public String quote(String identifier) {
        return quoteIdentifier(identifier);
    }

    @Override
    public String defaultSchema() {
        return defaultSchema;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (PostgresSession session : List.copyOf(sessions)) {
            session.close();
        }
        synchronized (this) {
            if (writerLease != null) {
                closeQuietly(writerLease);
                writerLease = null;
            }
        }
    }

    static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // The server side ends with the socket; nothing left to recover.
        }
    }

    @Override
    public String toString() {
        return "PostgresEngine[" + description + "]";
    }
}
