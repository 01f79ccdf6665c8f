package dev.baton.engine.duckdb;

import static dev.baton.engine.duckdb.DuckDbEngine.quoteIdentifier;
import static dev.baton.engine.duckdb.DuckDbEngine.quoteLiteral;
import static java.util.Objects.requireNonNull;

import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** One duplicated DuckDB connection, used by one thread at a time. */
final class DuckDbSession implements EngineSession {
    /**
     * A connection-local table written as the last statement of every atomic batch. DuckDB
     * commits an aborted transaction without an error and rolls it back instead; reading the
     * marker after the commit tells the two apart.
     */
    static final String COMMIT_MARKER = "temp.main.baton_commit_marker";

    private static final String RELATION_TYPE_SQL = "SELECT table_type FROM information_schema.tables"
            + " WHERE table_catalog = current_database() AND lower(table_schema) = lower(?) AND lower(table_name) = lower(?)";

    private final Connection connection;
    private final Consumer<DuckDbSession> onClose;
    private final AtomicReference<Statement> running = new AtomicReference<>();

    DuckDbSession(Connection connection, Consumer<DuckDbSession> onClose) {
        this.connection = requireNonNull(connection, "connection is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    @Override
    public long execute(String sql) throws SQLException {
        requireNonNull(sql, "sql is null");
        try (Statement statement = start()) {
            return statement.execute(sql) ? -1 : statement.getUpdateCount();
        } finally {
            running.set(null);
        }
    }

    @Override
    public QueryResult query(String sql, int maxRows) throws SQLException {
        requireNonNull(sql, "sql is null");
        try (Statement statement = start(); ResultSet results = statement.executeQuery(sql)) {
            ResultSetMetaData metadata = results.getMetaData();
            int count = metadata.getColumnCount();
            List<String> columns = new ArrayList<>(count);
            for (int column = 1; column <= count; column++) {
                columns.add(metadata.getColumnLabel(column));
            }
            List<List<String>> rows = new ArrayList<>();
            long total = 0;
            while (results.next()) {
                total++;
                if (rows.size() < maxRows) {
                    String[] row = new String[count];
                    for (int column = 1; column <= count; column++) {
                        row[column - 1] = results.getString(column);
                    }
                    rows.add(Collections.unmodifiableList(Arrays.asList(row)));
                }
            }
            return new QueryResult(columns, rows, total);
        } finally {
            running.set(null);
        }
    }

    /**
     * Runs the statements in one transaction, ends it with the commit marker, commits, and reads
     * the marker back. A failing statement rolls everything back and is rethrown.
     */
    @Override
    public void executeAtomically(List<String> statements) throws SQLException {
        List<String> batch = List.copyOf(statements);
        if (batch.isEmpty()) {
            return;
        }
        connection.setAutoCommit(false);
        try {
            for (String sql : batch) {
                execute(sql);
            }
            commitVerified(writeCommitMarker());
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(e);
            restoreAutoCommit(e);
            throw e;
        }
        restoreAutoCommit(null);
    }

    private void restoreAutoCommit(Exception failure) throws SQLException {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }

    /** Writes a fresh token into the commit marker, inside the open transaction. */
    String writeCommitMarker() throws SQLException {
        String token = UUID.randomUUID().toString();
        execute("CREATE OR REPLACE TEMP TABLE baton_commit_marker AS SELECT " + quoteLiteral(token) + " AS token");
        return token;
    }

    /** Commits, then checks that the marker written in the transaction survived the commit. */
    void commitVerified(String token) throws SQLException {
        connection.commit();
        QueryResult marker;
        try {
            marker = query("SELECT token FROM " + COMMIT_MARKER, 1);
        } catch (SQLException e) {
            throw rolledBackAtCommit(e);
        }
        if (marker.rows().isEmpty() || !token.equals(marker.rows().get(0).get(0))) {
            throw rolledBackAtCommit(null);
        }
    }

    private static SQLException rolledBackAtCommit(SQLException cause) {
        return new SQLException("DuckDB rolled the transaction back at commit (it had been aborted by an earlier"
                + " error); none of its statements were applied", "40000", cause);
    }

    private void rollbackQuietly(Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public Optional<RelationType> relationType(Relation relation) throws SQLException {
        requireNonNull(relation, "relation is null");
        try (PreparedStatement statement = connection.prepareStatement(RELATION_TYPE_SQL)) {
            statement.setString(1, relation.schema());
            statement.setString(2, relation.identifier());
            try (ResultSet results = statement.executeQuery()) {
                if (!results.next()) {
                    return Optional.empty();
                }
                return Optional.of("VIEW".equals(results.getString(1)) ? RelationType.VIEW : RelationType.TABLE);
            }
        }
    }

    @Override
    public Map<Relation, RelationType> listRelations() throws SQLException {
        Map<Relation, RelationType> relations = new java.util.HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet results = statement.executeQuery("SELECT schema_name, table_name, 'TABLE' FROM duckdb_tables()"
                        + " WHERE database_name = current_database() AND NOT temporary"
                        + " UNION ALL SELECT schema_name, view_name, 'VIEW' FROM duckdb_views()"
                        + " WHERE database_name = current_database() AND NOT internal AND NOT temporary")) {
            while (results.next()) {
                relations.put(new Relation(results.getString(1), results.getString(2)), RelationType.valueOf(results.getString(3)));
            }
        }
        return relations;
    }

    @Override
    public Optional<String> tableComment(Relation relation) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT comment FROM duckdb_tables()"
                + " WHERE database_name = current_database() AND schema_name = ? AND table_name = ?")) {
            statement.setString(1, relation.schema());
            statement.setString(2, relation.identifier());
            try (ResultSet results = statement.executeQuery()) {
                return results.next() ? Optional.ofNullable(results.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public void createSchemaIfMissing(String schema) throws SQLException {
        execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(schema));
    }

    /** Creates the table from the file with DuckDB's {@code read_csv}; fails if the table exists. */
    @Override
    public long loadCsv(Relation relation, Path csvFile, Map<String, String> columnTypes) throws SQLException {
        requireNonNull(relation, "relation is null");
        requireNonNull(csvFile, "csvFile is null");
        StringBuilder reader = new StringBuilder("read_csv(")
                .append(quoteLiteral(csvFile.toAbsolutePath().toString()))
                .append(", header = true");
        if (!columnTypes.isEmpty()) {
            StringJoiner types = new StringJoiner(", ", ", types = {", "}");
            columnTypes.forEach((column, type) -> types.add(quoteLiteral(column) + ": " + quoteLiteral(type)));
            reader.append(types);
        }
        reader.append(')');
        String target = quoteIdentifier(relation.schema()) + "." + quoteIdentifier(relation.identifier());
        long loaded = execute("CREATE TABLE " + target + " AS SELECT * FROM " + reader);
        if (loaded >= 0) {
            return loaded;
        }
        return Long.parseLong(query("SELECT count(*) FROM " + target, 1).rows().get(0).get(0));
    }

    @Override
    public boolean scansArrowStreams() {
        return true;
    }

    /**
     * Registers the stream with the driver's {@code DuckDBConnection.registerArrowStream}, found by
     * name: the driver's classes live in their own class loader.
     */
    @Override
    public void registerArrowStream(String name, Object arrowArrayStream) throws SQLException {
        requireNonNull(name, "name is null");
        requireNonNull(arrowArrayStream, "arrowArrayStream is null");
        try {
            connection.getClass().getMethod("registerArrowStream", String.class, Object.class).invoke(connection, name, arrowArrayStream);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new SQLException("cannot register Arrow stream " + name + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new SQLException("this DuckDB driver cannot scan Arrow streams: " + e.getMessage(), e);
        }
    }

    @Override
    public void cancel() {
        Statement statement = running.get();
        if (statement == null) {
            return;
        }
        try {
            statement.cancel();
        } catch (SQLException e) {
            // The statement finished or closed in the meantime: nothing left to cancel.
        }
    }

    @Override
    public void close() {
        onClose.accept(this);
        cancel();
        DuckDbEngine.closeQuietly(connection);
    }

    private Statement start() throws SQLException {
        Statement statement = connection.createStatement();
        running.set(statement);
        return statement;
    }
}
