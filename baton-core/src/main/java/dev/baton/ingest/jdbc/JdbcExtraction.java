package dev.baton.ingest.jdbc;

import dev.baton.api.ErrorCode;
import dev.baton.api.ingest.ConnectorOptions;
import dev.baton.api.ingest.ExtractRequest;
import dev.baton.api.ingest.Extraction;
import dev.baton.api.ingest.LoadColumn;
import dev.baton.api.ingest.LoadMode;
import dev.baton.ingest.jdbc.Dialect.MappedColumn;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * One load's read of a table or query: the columns and the bounds are settled on open; the rows
 * stream on {@link #writeCsv}, over {@code COPY ... TO STDOUT} on PostgreSQL and a streaming
 * result set otherwise. A table may be read in parallel streams, each on its own connection, all in
 * one snapshot: by block range on PostgreSQL, by primary key range on MariaDB.
 *
 * <p>An incremental read takes the rows with {@code previous < cursor <= upper}, where {@code
 * upper} is the cursor's maximum minus the lag, read before any row. Every row at the upper bound
 * is read in this load and none in the next, so ties at the boundary are neither lost nor doubled;
 * the lag leaves room for transactions that commit late with a smaller cursor value.
 */
final class JdbcExtraction implements Extraction, dev.baton.ingest.ArrowRows {
    private final Dialect dialect;
    private final ConnectorOptions options;
    private final Connection connection;
    private final List<LoadColumn> columns;
    private final String selectSql;
    /** The same read for a binary COPY, its columns and their Arrow schema; empty when a column has no binary form or not on the fast path. */
    private final String binarySelectSql;
    private final List<PgBinaryCopy.PgBinaryColumn> binaryColumns;
    private final Optional<org.apache.arrow.vector.types.pojo.Schema> arrowSchema;
    private final LoadMode mode;
    private final Optional<String> watermark;
    private final boolean fastPath;
    private final int fetchSize;
    private final java.util.Set<Statement> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /**
     * For a parallel read: one connection per further stream, all in the snapshot of the first,
     * and each stream's range (of blocks on PostgreSQL, of primary keys on MariaDB).
     */
    private final List<Connection> streamConnections = new ArrayList<>();
    private final List<String> streamRanges = new ArrayList<>();
    private volatile boolean cancelled;

    private JdbcExtraction(Dialect dialect, ConnectorOptions options, Connection connection, List<MappedColumn> mapped, String from, String where,
            LoadMode mode, Optional<String> watermark) {
        this.dialect = dialect;
        this.options = options;
        this.connection = connection;
        this.columns = mapped.stream().map(MappedColumn::column).toList();
        StringJoiner select = new StringJoiner(", ");
        StringJoiner binarySelect = new StringJoiner(", ");
        List<PgBinaryCopy.PgBinaryColumn> binary = new ArrayList<>();
        for (MappedColumn column : mapped) {
            select.add(column.selectExpression());
            column.binary().ifPresent(form -> {
                binary.add(form.column());
                binarySelect.add(form.selectExpression());
            });
        }
        this.selectSql = "SELECT " + select + " FROM " + from + where;
        boolean allBinary = !mapped.isEmpty() && binary.size() == mapped.size();
        this.binaryColumns = allBinary ? List.copyOf(binary) : List.of();
        this.binarySelectSql = allBinary ? "SELECT " + binarySelect + " FROM " + from + where : "";
        this.mode = mode;
        this.watermark = watermark;
        this.fastPath = dialect == Dialect.POSTGRES && options.flag("fast_path", true);
        this.arrowSchema = fastPath && allBinary
                ? Optional.of(new org.apache.arrow.vector.types.pojo.Schema(binaryColumns.stream().map(PgBinaryCopy.PgBinaryColumn::field).toList()))
                : Optional.empty();
        this.fetchSize = (int) Math.max(1, options.integer("fetch_size", 10_000));
    }

    static JdbcExtraction open(String type, Dialect dialect, ExtractRequest request) {
        ConnectorOptions options = request.options();
        String host = options.string("host").orElse("127.0.0.1");
        long port = options.integer("port", dialect.defaultPort());
        String database = options.required("database");
        String user = options.required("user");
        String password = options.string("password").orElse("");
        boolean incremental = options.choice("mode", List.of("full", "incremental"), "full").equals("incremental");
        long lag = options.integer("lag", 0);
        if (lag < 0) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "connector option 'lag' of source " + options.sourceName() + " is negative; give 0 or more"
                    + " (seconds for a date or time cursor, units for a numeric one)");
        }
        if (options.string("query").isPresent() && options.string("table").isPresent()) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "the connector of source " + options.sourceName()
                    + " gives both 'table' and 'query'; keep one");
        }
        String from = from(dialect, options, request.tableName());
        long connectTimeout = options.integer("connect_timeout", 10);
        ConnectionOpener opener = () -> dialect.connect(host, port, database, user, password, connectTimeout);
        Connection connection;
        try {
            connection = opener.open();
        } catch (SQLException e) {
            if ("28000".equals(e.getSQLState()) || "28P01".equals(e.getSQLState())) {
                throw options.failure(ErrorCode.SOURCE_ACCESS_DENIED, dialect.label() + " at " + host + ":" + port + " refused user '" + user
                        + "' for source " + options.sourceName() + ": " + firstLine(e).replaceFirst("^\\(conn=\\d+\\) ", "")
                        + "; check user and password in the connector block");
            }
            throw options.failure(ErrorCode.SOURCE_UNREACHABLE, "cannot connect to " + dialect.label() + " database '" + database + "' at " + host + ":" + port
                    + " as user '" + user + "' for source " + options.sourceName() + ": " + firstLine(e)
                    + "; check host, port, database, user and password in the connector block");
        }
        try {
            List<MappedColumn> mapped = discover(dialect, connection, from, options);
            String where = "";
            Optional<String> watermark = Optional.empty();
            if (incremental) {
                Bounds bounds = bounds(dialect, connection, from, options, mapped, lag, request.previousWatermark());
                where = " WHERE " + bounds.where();
                watermark = bounds.watermark();
            }
            String condition = where.isEmpty() ? " WHERE true" : where;
            JdbcExtraction extraction = new JdbcExtraction(dialect, options, connection, mapped, from, condition,
                    incremental ? LoadMode.APPEND : LoadMode.FULL, watermark);
            long parallel = options.integer("parallel", 2);
            if (parallel > 1 && options.string("query").isEmpty()) {
                String table = from.substring(0, from.lastIndexOf(' '));
                int streams = (int) Math.min(parallel, 16);
                if (extraction.fastPath) {
                    extraction.splitByBlocks(table, streams, opener);
                } else if (dialect == Dialect.MARIADB) {
                    extraction.splitByKeys(options.string("schema").orElse(database), options.string("table").orElse(request.tableName()), from,
                            condition, streams, opener);
                }
            }
            return extraction;
        } catch (RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Splits the table into block ranges read by as many COPY streams, each on its own connection
     * in one exported snapshot, so the parts are disjoint and together exactly the table.
     */
    private void splitByBlocks(String table, int parallel, ConnectionOpener opener) {
        try {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            String snapshot;
            long blocks;
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT pg_export_snapshot(), pg_relation_size(" + dialect.literal(table)
                            + "::regclass) / current_setting('block_size')::int")) {
                rows.next();
                snapshot = rows.getString(1);
                blocks = rows.getLong(2);
            }
            long step = Math.max(1, (blocks + parallel - 1) / parallel);
            int streams = (int) Math.max(1, Math.min(parallel, (blocks + step - 1) / step));
            for (int i = 0; i < streams; i++) {
                String lower = i == 0 ? "" : "ctid >= '(" + i * step + ",0)'::tid";
                String upper = i == streams - 1 ? "" : "ctid < '(" + (i + 1) * step + ",0)'::tid";
                streamRanges.add(lower.isEmpty() ? upper.isEmpty() ? "true" : upper : upper.isEmpty() ? lower : lower + " AND " + upper);
                if (i > 0) {
                    Connection other = opener.open();
                    streamConnections.add(other);
                    other.setAutoCommit(false);
                    other.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    try (Statement statement = other.createStatement()) {
                        statement.execute("SET TRANSACTION SNAPSHOT " + dialect.literal(snapshot));
                    }
                }
            }
        } catch (SQLException e) {
            boolean lost = connectionLost(e) || !valid(connection);
            close();
            String message = "cannot split table " + table + " of source " + options.sourceName()
                    + " into parallel reads: " + firstLine(e) + "; set 'parallel: 1' to read it in one stream";
            throw lost ? options.interrupted(message) : options.failure(ErrorCode.LOAD_FAILED, message);
        }
    }

    /** How long a parallel MariaDB read waits for the table's read lock before it reads in one stream instead. */
    static final int LOCK_WAIT_SECONDS = 5;

    /**
     * Splits a MariaDB table into ranges of its integer primary key read by as many streams, each
     * on its own connection, all in one snapshot, as {@code mysqldump --single-transaction} does:
     * a further connection holds {@code LOCK TABLES ... READ}, so no write to the table commits
     * while every stream's connection starts a transaction {@code WITH CONSISTENT SNAPSHOT}; then
     * the lock is released. (The lock cannot be held by a stream's own connection: starting a
     * transaction releases it.) When the table may not be locked, the lock is not granted within
     * {@link #LOCK_WAIT_SECONDS}, or the server has no connection to spare, the table is read in
     * one stream, which is a snapshot of its own.
     */
    private void splitByKeys(String schema, String table, String from, String where, int parallel, ConnectionOpener opener) {
        String locked = from.substring(0, from.lastIndexOf(' '));
        Connection lock = null;
        try {
            List<String> ranges = KeyRanges.split(dialect, connection, schema, table, from, where, parallel);
            if (ranges.size() < 2) {
                return;
            }
            lock = opener.open();
            try (Statement statement = lock.createStatement()) {
                statement.execute("SET SESSION lock_wait_timeout = " + LOCK_WAIT_SECONDS);
                statement.execute("LOCK TABLES " + locked + " READ");
            }
            for (int i = 0; i < ranges.size(); i++) {
                Connection reader = i == 0 ? connection : opener.open();
                if (i > 0) {
                    streamConnections.add(reader);
                }
                reader.setAutoCommit(false);
                reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (Statement statement = reader.createStatement()) {
                    statement.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
                }
            }
            try (Statement statement = lock.createStatement()) {
                statement.execute("UNLOCK TABLES");
            }
            streamRanges.addAll(ranges);
        } catch (SQLException e) {
            if (KeyRanges.onlyPreventsParallelReads(e) && valid(connection)) {
                readInOneStream();
                return;
            }
            boolean lost = connectionLost(e) || !valid(connection);
            close();
            String message = "cannot split table " + locked + " of source " + options.sourceName()
                    + " into parallel reads: " + firstLine(e) + "; set 'parallel: 1' to read it in one stream";
            throw lost ? options.interrupted(message) : options.failure(ErrorCode.LOAD_FAILED, message);
        } finally {
            if (lock != null) {
                closeQuietly(lock);
            }
        }
    }

    /** Gives up a split that could not be made: the further connections close, and the first ends the snapshot it may have begun. */
    private void readInOneStream() {
        streamConnections.forEach(JdbcExtraction::closeQuietly);
        streamConnections.clear();
        streamRanges.clear();
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // Nothing was read in it; the one stream's read begins its own.
        }
    }

    /** Opens one more connection to the source, as the first was opened. */
    @FunctionalInterface
    private interface ConnectionOpener {
        Connection open() throws SQLException;
    }

    @Override
    public int streams() {
        return Math.max(1, streamRanges.size());
    }

    @Override
    public long writeCsv(int stream, OutputStream out) throws IOException {
        if (streamRanges.isEmpty()) {
            if (stream != 0) {
                throw new IllegalArgumentException("stream " + stream + " of 1");
            }
            return writeCsv(out);
        }
        Connection reader = reader(stream);
        String sql = selectSql + " AND " + streamRanges.get(stream);
        try {
            if (!fastPath) {
                return writeRows(reader, sql, out);
            }
            org.postgresql.PGConnection postgres = reader.unwrap(org.postgresql.PGConnection.class);
            return postgres.getCopyAPI().copyOut("COPY (" + sql + ") TO STDOUT WITH (FORMAT csv)", out);
        } catch (SQLException e) {
            throw readFailure(e);
        }
    }

    /** The connection stream {@code stream} reads on: the first connection for stream 0, a further one for the others. */
    private Connection reader(int stream) {
        return stream == 0 ? connection : streamConnections.get(stream - 1);
    }

    /** Arrow for PostgreSQL's fast path, when every column has a binary form. */
    @Override
    public Optional<org.apache.arrow.vector.types.pojo.Schema> arrowSchema() {
        return arrowSchema;
    }

    /** Reads the stream's rows with a binary COPY, decoded straight into Arrow vectors. */
    @Override
    public long writeArrow(int stream, dev.baton.ingest.ArrowHandoff handoff) throws IOException {
        if (arrowSchema.isEmpty()) {
            throw new IllegalStateException("this read has no Arrow form");
        }
        if (stream < 0 || stream >= streams()) {
            throw new IllegalArgumentException("stream " + stream + " of " + streams());
        }
        Connection reader = reader(stream);
        String range = streamRanges.isEmpty() ? "" : " AND " + streamRanges.get(stream);
        try {
            org.postgresql.PGConnection postgres = reader.unwrap(org.postgresql.PGConnection.class);
            org.postgresql.copy.CopyOut copy = postgres.getCopyAPI().copyOut("COPY (" + binarySelectSql + range + ") TO STDOUT WITH (FORMAT binary)");
            try {
                return new PgBinaryCopy(binaryColumns, handoff).read(copy);
            } finally {
                if (copy.isActive()) {
                    cancelQuietly(copy);
                }
            }
        } catch (SQLException e) {
            throw readFailure(e);
        }
    }

    private static void cancelQuietly(org.postgresql.copy.CopyOut copy) {
        try {
            copy.cancelCopy();
        } catch (SQLException ignored) {
            // The read already failed; its own error is the one to report.
        }
    }

    private static String from(Dialect dialect, ConnectorOptions options, String tableName) {
        Optional<String> query = options.string("query");
        if (query.isPresent()) {
            return "(" + query.get().strip().replaceAll(";\\s*$", "") + ") baton_source";
        }
        String table = dialect.quote(options.string("table").orElse(tableName));
        return options.string("schema").map(schema -> dialect.quote(schema) + "." + table).orElse(table) + " baton_source";
    }

    private static List<MappedColumn> discover(Dialect dialect, Connection connection, String from, ConnectorOptions options) {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT * FROM " + from + " WHERE 1 = 0")) {
            ResultSetMetaData metadata = rows.getMetaData();
            List<MappedColumn> columns = new ArrayList<>();
            for (int index = 1; index <= metadata.getColumnCount(); index++) {
                columns.add(dialect.map(metadata, index));
            }
            return columns;
        } catch (SQLException e) {
            String what = options.string("query").isPresent() ? "the query" : "table " + options.string("schema").map(s -> s + ".").orElse("")
                    + options.string("table").orElse(options.sourceName().substring(options.sourceName().indexOf('.') + 1));
            String message = "cannot read " + what + " of source " + options.sourceName() + ": " + firstLine(e)
                    + "; check 'table', 'schema' or 'query' in the connector block";
            throw connectionLost(e) ? options.interrupted(message) : options.failure(ErrorCode.LOAD_FAILED, message);
        }
    }

    private record Bounds(String where, Optional<String> watermark) {}

    private static Bounds bounds(Dialect dialect, Connection connection, String from, ConnectorOptions options, List<MappedColumn> columns, long lag,
            Optional<String> previous) {
        String cursorName = options.required("cursor");
        String cursor = null;
        List<String> names = new ArrayList<>();
        for (MappedColumn column : columns) {
            names.add(column.column().name());
            if (column.column().name().equalsIgnoreCase(cursorName)) {
                cursor = column.column().name();
            }
        }
        if (cursor == null) {
            throw options.failure(ErrorCode.INVALID_CONFIG_VALUE, "cursor column '" + cursorName + "' of source " + options.sourceName()
                    + " is not among its columns (" + String.join(", ", names) + "); name one of them in 'cursor'");
        }
        String quoted = dialect.quote(cursor);
        boolean temporal;
        String upper;
        String greater;
        try (Statement statement = connection.createStatement();
                ResultSet type = statement.executeQuery("SELECT " + quoted + " FROM " + from + " WHERE 1 = 0")) {
            temporal = dialect.temporal(type.getMetaData().getColumnType(1), type.getMetaData().getColumnTypeName(1).toUpperCase(java.util.Locale.ROOT));
        } catch (SQLException e) {
            throw options.failure(ErrorCode.LOAD_FAILED, "cannot read cursor column '" + cursor + "' of source " + options.sourceName() + ": " + firstLine(e));
        }
        String upperExpression = dialect.minusLag("max(" + quoted + ")", temporal, lag);
        String boundSql = "SELECT " + dialect.asText(upperExpression)
                + previous.map(mark -> ", CASE WHEN " + upperExpression + " > " + dialect.literal(mark) + " THEN 1 ELSE 0 END").orElse(", 1")
                + " FROM " + from;
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(boundSql)) {
            rows.next();
            upper = rows.getString(1);
            greater = rows.getString(2);
        } catch (SQLException e) {
            String message = "cannot find the high-water mark of cursor '" + cursor + "' of source " + options.sourceName() + ": " + firstLine(e);
            throw connectionLost(e) ? options.interrupted(message) : options.failure(ErrorCode.LOAD_FAILED, message);
        }
        if (upper == null || !"1".equals(greater)) {
            return new Bounds("1 = 0", previous);
        }
        String where = quoted + " <= " + dialect.literal(upper);
        if (previous.isPresent()) {
            where = quoted + " > " + dialect.literal(previous.get()) + " AND " + where;
        }
        return new Bounds(where, Optional.of(upper));
    }

    @Override
    public List<LoadColumn> columns() {
        return columns;
    }

    @Override
    public LoadMode mode() {
        return mode;
    }

    @Override
    public Optional<String> watermark() {
        return watermark;
    }

    @Override
    public long writeCsv(OutputStream out) throws IOException {
        try {
            if (fastPath) {
                org.postgresql.PGConnection postgres = connection.unwrap(org.postgresql.PGConnection.class);
                return postgres.getCopyAPI().copyOut("COPY (" + selectSql + ") TO STDOUT WITH (FORMAT csv)", out);
            }
            return writeRows(connection, selectSql, out);
        } catch (SQLException e) {
            throw readFailure(e);
        }
    }

    private long writeRows(Connection reader, String sql, OutputStream out) throws SQLException, IOException {
        reader.setAutoCommit(false);
        Statement statement = reader.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        running.add(statement);
        try (statement) {
            statement.setFetchSize(fetchSize);
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            long rows = 0;
            try (ResultSet results = statement.executeQuery(sql)) {
                int count = results.getMetaData().getColumnCount();
                while (results.next()) {
                    for (int column = 1; column <= count; column++) {
                        if (column > 1) {
                            writer.write(',');
                        }
                        CsvFields.write(writer, results.getString(column));
                    }
                    writer.write('\n');
                    rows++;
                }
            }
            writer.flush();
            return rows;
        } finally {
            running.remove(statement);
        }
    }

    /**
     * Cancels every running statement, so the server stops the query, and aborts every stream's
     * connection, so a read blocked on its socket (or not yet begun) fails at once.
     */
    @Override
    public void cancel() {
        cancelled = true;
        for (Statement statement : running) {
            try {
                statement.cancel();
            } catch (SQLException | RuntimeException ignored) {
                // Already finished or closed.
            }
        }
        abortQuietly(connection);
        streamConnections.forEach(JdbcExtraction::abortQuietly);
    }

    private static void abortQuietly(Connection connection) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException | RuntimeException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() {
        streamConnections.forEach(JdbcExtraction::closeQuietly);
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Nothing was written through it.
        }
    }

    /** A dropped connection is worth reading again from the start; anything else is not. */
    private IOException readFailure(SQLException e) {
        if (cancelled) {
            return new IOException("the load was cancelled");
        }
        String message = options.redact(firstLine(e));
        return connectionLost(e) ? new dev.baton.api.ingest.SourceInterruptedException(message) : new IOException(message);
    }

    /** SQLSTATE class 08 (connection exception) or 57P01-57P03 (the server ended the session: shutdown, terminated backend). */
    private static boolean valid(Connection connection) {
        try {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    static boolean connectionLost(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (cause instanceof java.net.SocketException || cause instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    static String firstLine(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

}
