package dev.baton.engine.spark;

import static dev.baton.engine.spark.SparkEngine.quoteIdentifier;
import static java.util.Objects.requireNonNull;

import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Table;

/** One Baton session on Spark: a child session with its own current schema, used by one thread at a time. */
final class SparkEngineSession implements EngineSession {
    private static final Pattern RENAME = Pattern.compile("(?is)^\\s*alter\\s+table\\s+(\"(?:[^\"]|\"\")*\")\\.(\"(?:[^\"]|\"\")*\")\\s+rename\\s+to\\s+"
            + "(\"(?:[^\"]|\"\")*\")\\s*$");
    private static final Pattern QUERY = Pattern.compile("(?is)^\\s*(\\(\\s*)*(select|with|values|table|from)\\b.*");

    private final SparkSession spark;
    private final String fileFormat;
    private final SparkCancellations cancellations;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "baton-spark-statement");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<Future<?>> current = new AtomicReference<>();
    private final Consumer<SparkEngineSession> onClose;
    private final String jobGroup = "baton-" + UUID.randomUUID();
    private final InformationSchema informationSchema;

    SparkEngineSession(SparkSession spark, String fileFormat, SparkCancellations cancellations, Consumer<SparkEngineSession> onClose) {
        this.spark = requireNonNull(spark, "spark is null");
        this.cancellations = requireNonNull(cancellations, "cancellations is null");
        this.fileFormat = requireNonNull(fileFormat, "fileFormat is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
        this.informationSchema = new InformationSchema(spark);
    }

    void use(String schema) {
        spark.catalog().setCurrentDatabase(schema);
    }

    @Override
    public long execute(String sql) throws SQLException {
        requireNonNull(sql, "sql is null");
        return run(sql, () -> {
            String statement = informationSchema.rewrite(sql);
            Dataset<Row> result = spark.sql(statement);
            if (QUERY.matcher(statement).matches()) {
                result.collectAsList();
            }
            return -1L;
        });
    }

    @Override
    public QueryResult query(String sql, int maxRows) throws SQLException {
        requireNonNull(sql, "sql is null");
        return run(sql, () -> {
            Dataset<Row> result = spark.sql(informationSchema.rewrite(sql));
            List<String> columns = Arrays.asList(result.columns());
            List<Row> all = result.collectAsList();
            List<List<String>> rows = new ArrayList<>();
            for (Row row : all) {
                if (rows.size() >= maxRows) {
                    break;
                }
                String[] values = new String[row.length()];
                for (int column = 0; column < row.length(); column++) {
                    values[column] = text(row.get(column));
                }
                rows.add(Collections.unmodifiableList(Arrays.asList(values)));
            }
            return new QueryResult(columns, rows, all.size());
        });
    }

    /**
     * Runs a statement on this session's own thread, so that a cancel returns control to the caller
     * at once, even while Spark still plans the statement.
     */
    private <T> T run(String sql, Callable<T> work) throws SQLException {
        Future<T> future = worker.submit(() -> {
            startJob();
            try {
                return work.call();
            } finally {
                endJob();
            }
        });
        current.set(future);
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw SparkErrors.translate(e.getCause(), sql);
        } catch (CancellationException e) {
            throw new SQLException("the statement was cancelled", "57014", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            throw new SQLException("interrupted while Spark ran the statement; it was cancelled", "57014", e);
        } finally {
            current.compareAndSet(future, null);
        }
    }

    /** Values as the JDBC drivers of the other engines print them: timestamps as {@link Timestamp#toString()}, decimals in full. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDateTime timestamp) {
            return Timestamp.valueOf(timestamp).toString();
        }
        if (value instanceof java.math.BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return String.valueOf(value);
    }

    private void startJob() {
        spark.sparkContext().setJobGroup(jobGroup, "baton", true);
    }

    private void endJob() {
        cancellations.clear(jobGroup);
        spark.sparkContext().clearJobGroup();
    }

    /**
     * Spark has no transactions: the statements run one after another. When one fails, the renames
     * already applied are undone in reverse order, so a failed swap puts the live table back under
     * its name; drops and creates already applied stay applied. Readers may find no table under the
     * name for the instant between two renames.
     */
    @Override
    public void executeAtomically(List<String> statements) throws SQLException {
        Deque<String> undo = new ArrayDeque<>();
        for (String sql : List.copyOf(statements)) {
            try {
                execute(sql);
            } catch (SQLException e) {
                for (String reverse : undo) {
                    try {
                        execute(reverse);
                    } catch (SQLException undoFailed) {
                        e.addSuppressed(undoFailed);
                    }
                }
                throw e;
            }
            Matcher rename = RENAME.matcher(sql);
            if (rename.matches()) {
                undo.push("alter table " + rename.group(1) + "." + rename.group(3) + " rename to " + rename.group(2));
            }
        }
    }

    @Override
    public Optional<RelationType> relationType(Relation relation) throws SQLException {
        requireNonNull(relation, "relation is null");
        try {
            if (!spark.catalog().databaseExists(relation.schema()) || !spark.catalog().tableExists(relation.schema(), relation.identifier())) {
                return Optional.empty();
            }
            Table table = spark.catalog().getTable(relation.schema(), relation.identifier());
            if (table.isTemporary()) {
                return Optional.empty();
            }
            return Optional.of("VIEW".equalsIgnoreCase(table.tableType()) ? RelationType.VIEW : RelationType.TABLE);
        } catch (Exception e) {
            throw SparkErrors.translate(e, "");
        }
    }

    @Override
    public Map<Relation, RelationType> listRelations() throws SQLException {
        Map<Relation, RelationType> relations = new HashMap<>();
        try {
            for (Row database : spark.sql("show databases").collectAsList()) {
                String schema = database.getString(0);
                String in = " in " + quoteIdentifier(schema);
                for (Row table : spark.sql("show tables" + in).collectAsList()) {
                    if (!table.getBoolean(2)) {
                        relations.put(new Relation(schema, table.getString(1)), RelationType.TABLE);
                    }
                }
                for (Row view : spark.sql("show views" + in).collectAsList()) {
                    if (!view.getBoolean(2)) {
                        relations.put(new Relation(schema, view.getString(1)), RelationType.VIEW);
                    }
                }
            }
        } catch (Exception e) {
            throw SparkErrors.translate(e, "");
        }
        return relations;
    }

    @Override
    public Optional<String> tableComment(Relation relation) throws SQLException {
        if (relationType(relation).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(spark.catalog().getTable(relation.schema(), relation.identifier()).description());
        } catch (Exception e) {
            throw SparkErrors.translate(e, "");
        }
    }

    @Override
    public void createSchemaIfMissing(String schema) throws SQLException {
        execute("create database if not exists " + quoteIdentifier(schema));
    }

    @Override
    public long loadCsv(Relation relation, Path csvFile, Map<String, String> columnTypes) throws SQLException {
        return SparkSeeds.load(spark, fileFormat, relation, csvFile, columnTypes);
    }

    /**
     * Cancels the running statement: the caller waiting for it gets an error at once, and its Spark
     * jobs are cancelled, including a job the statement submits after the cancel, when it was still
     * being planned ({@link SparkCancellations}).
     */
    @Override
    public void cancel() {
        Future<?> running = current.get();
        if (running == null || running.isDone()) {
            return;
        }
        cancellations.request(jobGroup);
        spark.interruptAll();
        running.cancel(false);
    }

    @Override
    public void close() {
        onClose.accept(this);
        cancel();
        worker.shutdown();
    }
}
