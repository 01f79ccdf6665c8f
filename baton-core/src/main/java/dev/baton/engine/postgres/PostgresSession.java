package dev.baton.engine.postgres;

import static dev.baton.engine.postgres.PostgresEngine.quoteIdentifier;
import static java.util.Objects.requireNonNull;

import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** One connection to PostgreSQL, used by one thread at a time. */
final class PostgresSession implements EngineSession {
    private static final String RELATIONS_SQL = "SELECT n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c"
            + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm')"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";

    private final Connection connection;
    private final String defaultSchema;
    private final Consumer<PostgresSession> onClose;
    private final AtomicReference<Statement> running = new AtomicReference<>();

    PostgresSession(Connection connection, String defaultSchema, Consumer<PostgresSession> onClose) {
        this.connection = requireNonNull(connection, "connection is null");
        this.defaultSchema = requireNonNull(defaultSchema, "defaultSchema is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    @Override
    public long execute(String sql) throws SQLException {
        requireNonNull(sql, "sql is null");
        try (Statement statement = start()) {
            return statement.execute(sql) ? -1 : statement.getLargeUpdateCount();
        } catch (SQLException e) {
            throw PostgresErrors.withLine(e, sql);
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
            boolean[] booleans = new boolean[count + 1];
            for (int column = 1; column <= count; column++) {
                columns.add(metadata.getColumnLabel(column));
                int type = metadata.getColumnType(column);
                booleans[column] = type == Types.BOOLEAN || type == Types.BIT;
            }
            List<List<String>> rows = new ArrayList<>();
            long total = 0;
            while (results.next()) {
                total++;
                if (rows.size() < maxRows) {
                    String[] row = new String[count];
                    for (int column = 1; column <= count; column++) {
                        String value = results.getString(column);
                        // PostgreSQL spells booleans t and f; show them as every other engine does.
                        row[column - 1] = value != null && booleans[column] ? Boolean.toString(results.getBoolean(column)) : value;
                    }
                    rows.add(Collections.unmodifiableList(Arrays.asList(row)));
                }
            }
            return new QueryResult(columns, rows, total);
        } catch (SQLException e) {
            throw PostgresErrors.withLine(e, sql);
        } finally {
            running.set(null);
        }
    }

    /**
     * Runs the statements in one transaction. PostgreSQL's DDL is transactional: renames, drops and
     * creates commit together or not at all. A failing statement rolls everything back and is rethrown.
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
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
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

    @Override
    public Optional<RelationType> relationType(Relation relation) throws SQLException {
        requireNonNull(relation, "relation is null");
        try (PreparedStatement statement = connection.prepareStatement(RELATIONS_SQL + " AND n.nspname = ? AND c.relname = ?")) {
            statement.setString(1, relation.schema());
            statement.setString(2, relation.identifier());
            try (ResultSet results = statement.executeQuery()) {
                return results.next() ? Optional.of(type(results.getString(3))) : Optional.empty();
            }
        }
    }

    @Override
    public Map<Relation, RelationType> listRelations() throws SQLException {
        Map<Relation, RelationType> relations = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet results = statement.executeQuery(RELATIONS_SQL)) {
            while (results.next()) {
                relations.put(new Relation(results.getString(1), results.getString(2)), type(results.getString(3)));
            }
        }
        return relations;
    }

    private static RelationType type(String relkind) {
        return relkind.equals("v") || relkind.equals("m") ? RelationType.VIEW : RelationType.TABLE;
    }

    /**
     * The views that depend on the relation, nearest first, with their definitions as
     * {@code pg_get_viewdef} prints them with an empty search path (every name qualified).
     */
    @Override
    public List<String> dependentViews(Relation relation) throws SQLException {
        String sql = "WITH RECURSIVE dependents(oid, depth) AS ("
                + " SELECT DISTINCT r.ev_class, 1 FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid"
                + " WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass"
                + " AND d.refobjid = (SELECT c.oid FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?) AND r.ev_class <> d.refobjid"
                + " UNION ALL SELECT r.ev_class, dependents.depth + 1 FROM dependents JOIN pg_catalog.pg_depend d ON d.refobjid = dependents.oid"
                + " JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass"
                + " AND d.refclassid = 'pg_catalog.pg_class'::regclass AND r.ev_class <> dependents.oid AND dependents.depth < 50)"
                + " SELECT n.nspname, c.relname, c.relkind, pg_catalog.pg_get_viewdef(c.oid) FROM dependents"
                + " JOIN pg_catalog.pg_class c ON c.oid = dependents.oid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " GROUP BY n.nspname, c.relname, c.relkind, c.oid ORDER BY max(dependents.depth), n.nspname, c.relname";
        List<String> statements = new ArrayList<>();
        execute("SET search_path TO pg_catalog");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, relation.schema());
            statement.setString(2, relation.identifier());
            try (ResultSet results = statement.executeQuery()) {
                while (results.next()) {
                    String view = quoteIdentifier(results.getString(1)) + "." + quoteIdentifier(results.getString(2));
                    String kind = "m".equals(results.getString(3)) ? "materialized view " : "view ";
                    String definition = results.getString(4).strip();
                    statements.add("create " + kind + view + " as " + (definition.endsWith(";") ? definition.substring(0, definition.length() - 1)
                            : definition));
                }
            }
        } finally {
            execute("SET search_path TO " + quoteIdentifier(defaultSchema));
        }
        return statements;
    }

    @Override
    public Optional<String> tableComment(Relation relation) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT obj_description(c.oid, 'pg_class') FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            statement.setString(1, relation.schema());
            statement.setString(2, relation.identifier());
            try (ResultSet results = statement.executeQuery()) {
                return results.next() ? Optional.ofNullable(results.getString(1)) : Optional.empty();
            }
        }
    }

    /** Creates the schema; another session creating it at the same moment is not an error. */
    @Override
    public void createSchemaIfMissing(String schema) throws SQLException {
        try {
            execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(schema));
        } catch (SQLException e) {
            if (!"23505".equals(e.getSQLState()) && !"42P06".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /**
     * Creates the table with the column types inferred from the file (or given), then streams the
     * file in with {@code COPY ... FROM STDIN}. Fails if the table exists.
     */
    @Override
    public long loadCsv(Relation relation, Path csvFile, Map<String, String> columnTypes) throws SQLException {
        requireNonNull(relation, "relation is null");
        requireNonNull(csvFile, "csvFile is null");
        CsvColumns inferred;
        try {
            inferred = CsvColumns.infer(csvFile);
        } catch (IOException e) {
            throw new SQLException("could not read " + csvFile + ": " + e.getMessage(), "58030", e);
        }
        String target = quoteIdentifier(relation.schema()) + "." + quoteIdentifier(relation.identifier());
        StringJoiner definitions = new StringJoiner(", ", "CREATE TABLE " + target + " (", ")");
        StringJoiner names = new StringJoiner(", ", "(", ")");
        for (int i = 0; i < inferred.names().size(); i++) {
            String name = inferred.names().get(i);
            String type = Optional.ofNullable(columnTypes.get(name)).map(PostgresTypes::normalize).orElse(inferred.types().get(i));
            definitions.add(quoteIdentifier(name) + " " + type);
            names.add(quoteIdentifier(name));
        }
        execute(definitions.toString());
        String copy = "COPY " + target + " " + names + " FROM STDIN (FORMAT csv, HEADER true)";
        try (Reader reader = Files.newBufferedReader(csvFile, StandardCharsets.UTF_8)) {
            return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, reader);
        } catch (IOException e) {
            throw new SQLException("could not read " + csvFile + ": " + e.getMessage(), "58030", e);
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
        PostgresEngine.closeQuietly(connection);
    }

    private Statement start() throws SQLException {
        Statement statement = connection.createStatement();
        running.set(statement);
        return statement;
    }

    /** Server errors as people read them in psql: the message, its hint, and the line of the statement it points at. */
    static final class PostgresErrors {
        private PostgresErrors() {}

        static SQLException withLine(SQLException error, String sql) {
            if (!(error instanceof PSQLException psql) || psql.getServerErrorMessage() == null) {
                return error;
            }
            ServerErrorMessage server = psql.getServerErrorMessage();
            StringBuilder message = new StringBuilder(String.valueOf(server.getSeverity())).append(": ").append(server.getMessage());
            if (server.getDetail() != null) {
                message.append(" (").append(server.getDetail()).append(')');
            }
            if (server.getHint() != null) {
                message.append("; hint: ").append(server.getHint());
            }
            int position = server.getPosition();
            if (position > 0 && position <= sql.length() + 1) {
                String before = sql.substring(0, position - 1);
                int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
                int lineStart = before.lastIndexOf('\n') + 1;
                int lineEnd = sql.indexOf('\n', lineStart);
                message.append("\nLINE ").append(line).append(": ").append(sql, lineStart, lineEnd < 0 ? sql.length() : lineEnd);
            }
            SQLException translated = new SQLException(message.toString(), error.getSQLState(), error.getErrorCode(), error);
            return translated;
        }
    }
}
