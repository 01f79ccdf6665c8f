package dev.baton.ingest;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.engine.Relation;
import dev.baton.api.ingest.Connector;
import dev.baton.api.ingest.ConnectorOptions;
import dev.baton.api.ingest.ExtractRequest;
import dev.baton.api.ingest.Extraction;
import dev.baton.api.ingest.LoadColumn;
import dev.baton.api.ingest.LoadMode;
import dev.baton.project.Node;
import dev.baton.state.LoadRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads one source table, exactly once.
 *
 * <ol>
 *   <li>The high-water mark comes from the warehouse's load log ({@link LoadLog}), never from the
 *       state store, so it always matches the rows that are really there.</li>
 *   <li>The connector streams CSV through a named pipe into a staging table beside the target
 *       ({@code <table>__baton_load}), read by the warehouse while the source is read.</li>
 *   <li>The rows the connector wrote and the rows staged must be equal.</li>
 *   <li>One verified transaction moves the staged rows into the table (a rename for a full load,
 *       an insert for an incremental one) and writes the load's record with its high-water mark.</li>
 *   <li>The state store is told afterwards ({@link LoadMirror}); if the process dies in between,
 *       the next mirror copies the missing record. A crash before the commit leaves only a staging
 *       table, which the next load drops: no row is lost or doubled.</li>
 * </ol>
 */
public final class SourceLoad {
    /** Suffix of the table a load is staged in. */
    public static final String STAGING_SUFFIX = "__baton_load";

    private final Engine engine;
    private final EngineSession session;
    private final java.nio.file.Path projectDir;
    private final Node node;
    private final String runId;
    private final Map<String, String> env;
    private final LoadObserver observer;
    private String driftReport;

    public SourceLoad(Engine engine, EngineSession session, java.nio.file.Path projectDir, Node node, String runId, Map<String, String> env,
            LoadObserver observer) {
        this.engine = requireNonNull(engine, "engine is null");
        this.session = requireNonNull(session, "session is null");
        this.projectDir = requireNonNull(projectDir, "projectDir is null");
        this.node = requireNonNull(node, "node is null");
        this.runId = requireNonNull(runId, "runId is null");
        this.env = requireNonNull(env, "env is null");
        this.observer = requireNonNull(observer, "observer is null");
    }

    /** Whether the node is a source with a connector. */
    public static boolean loads(Node node) {
        return node.resourceType() == dev.baton.project.ResourceType.SOURCE && node.config().other().get("connector") instanceof Map<?, ?>;
    }

    /** The source as users name it: {@code app.orders}. */
    static String sourceName(Node node) {
        List<String> fqn = node.fqn();
        return fqn.get(fqn.size() - 2) + "." + fqn.get(fqn.size() - 1);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> block(Node node) {
        return (Map<String, Object>) node.config().other().get("connector");
    }

    /**
     * How far, in chunks of {@link #RELAY_CHUNK} bytes, each stream may read its source ahead of
     * the warehouse's parse of its named pipe.
     */
    static final int RELAY_CHUNKS = 16;

    static final int RELAY_CHUNK = 1 << 20;

    /** How often a load whose source dropped the connection is read from the start before it fails. */
    static final int READ_ATTEMPTS = 4;

    /** A read the source broke off, worth another attempt. */
    private static final class ReadInterrupted extends RuntimeException {
        ReadInterrupted(String message) {
            super(message);
        }
    }

    public LoadRecord run() throws SQLException {
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                try {
                    return attempt(started, startNanos);
                } catch (BatonException e) {
                    if (e.getCause() instanceof dev.baton.api.ingest.SourceInterruptedException) {
                        throw new ReadInterrupted(e.detail());
                    }
                    throw e;
                }
            } catch (ReadInterrupted e) {
                if (attempt >= READ_ATTEMPTS) {
                    throw new BatonException(ErrorCode.LOAD_FAILED, "reading source " + sourceName(node) + " broke off " + attempt
                            + " times, last with: " + e.getMessage() + "; nothing was committed, run the load again", node.location());
                }
                try {
                    Thread.sleep(500L << (attempt - 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new BatonException(ErrorCode.LOAD_FAILED, "the load of source " + sourceName(node) + " was interrupted; nothing was"
                            + " committed", node.location());
                }
            }
        }
    }

    private LoadRecord attempt(Instant started, long startNanos) throws SQLException {
        Map<String, Object> block = block(node);
        String type = ConnectorBlocks.type(block);
        Connector connector = Connectors.find(type).orElseThrow(() -> new BatonException(ErrorCode.UNKNOWN_CONNECTOR,
                "unknown connector type '" + type + "'", node.location()));
        ConnectorOptions options = ConnectorBlocks.resolve(sourceName(node), block, node.location(), env);
        Relation target = node.relation().orElseThrow();
        Relation staging = target.withIdentifier(target.identifier() + STAGING_SUFFIX);
        LoadLog.ensure(session);
        session.execute("DROP TABLE IF EXISTS " + engine.render(staging));
        Map<String, String> declared = new java.util.LinkedHashMap<>();
        node.columns().forEach(column -> column.dataType().ifPresent(dataType -> declared.put(column.name(), dataType)));
        ExtractRequest request = new ExtractRequest(sourceName(node), node.name(), options, LoadLog.watermark(session, node.uniqueId()), projectDir,
                declared);
        String loadId = UUID.randomUUID().toString();
        try (Extraction extraction = connector.open(request)) {
            LoadMode mode = extraction.mode();
            List<String> statements;
            long read;
            long staged;
            long quarantined = 0;
            if (extraction.fileScan().isPresent() && extraction.fileScan().get().files().isEmpty()) {
                statements = new ArrayList<>();
                read = 0;
                staged = 0;
            } else if (extraction.fileScan().isPresent()) {
                FileStaging files = new FileStaging(engine, session, projectDir, node, options, extraction.fileScan().get());
                FileStaging.Staged result = files.stage(staging, loadId);
                read = result.rowsRead();
                staged = result.rowsLoaded();
                quarantined = result.rowsQuarantined();
                if (extraction.rowsRead().isPresent() && extraction.rowsRead().getAsLong() != read) {
                    dropQuietly(staging);
                    throw options.failure(ErrorCode.LOAD_FAILED, "the connector read " + extraction.rowsRead().getAsLong() + " rows from source "
                            + sourceName(node) + " but " + read + " landed; nothing was committed, run the load again");
                }
                observer.staged(node.uniqueId(), staged);
                statements = new ArrayList<>(result.replaceStatements());
                statements.addAll(publish(mode, target, staging, result.columns()));
                statements.addAll(result.commitStatements());
            } else {
                read = stage(extraction, staging, options);
                staged = count(staging);
                if (staged != read) {
                    dropQuietly(staging);
                    throw options.failure(ErrorCode.LOAD_FAILED, "the connector read " + read + " rows from source " + sourceName(node) + " but "
                            + staged + " landed; nothing was committed, run the load again");
                }
                observer.staged(node.uniqueId(), staged);
                statements = publish(mode, target, staging, extraction.columns().stream().map(LoadColumn::name).toList());
            }
            if (read != staged + quarantined) {
                dropQuietly(staging);
                throw options.failure(ErrorCode.LOAD_FAILED, "source " + sourceName(node) + " read " + read + " rows but loaded " + staged
                        + " and set aside " + quarantined + "; nothing was committed, run the load again");
            }
            LoadRecord load = new LoadRecord(loadId, runId, node.uniqueId(), target.toString(), type,
                    mode == LoadMode.FULL ? "full" : "incremental", started, Duration.ofNanos(System.nanoTime() - startNanos), read, staged, quarantined,
                    extraction.watermark());
            statements.add(LoadLog.insert(load));
            try {
                session.executeAtomically(statements);
            } catch (SQLException e) {
                dropQuietly(staging);
                throw e;
            }
            observer.committed(node.uniqueId(), load.loadId());
            return load;
        }
    }

    private long stage(Extraction extraction, Relation staging, ConnectorOptions options) throws SQLException {
        if (extraction instanceof ArrowRows rows && rows.arrowSchema().isPresent() && session.scansArrowStreams() && ArrowHandoff.available()) {
            return stageArrow(extraction, rows, staging, options);
        }
        int streams = Math.max(1, extraction.streams());
        List<Pipe> pipes = new ArrayList<>();
        try {
            for (int i = 0; i < streams; i++) {
                pipes.add(Pipe.create());
            }
            AtomicLong written = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Runnable> writes = new ArrayList<>();
            boolean streaming = pipes.stream().allMatch(Pipe::streaming);
            for (int i = 0; i < streams; i++) {
                int stream = i;
                String relayName = "baton-load-" + node.name() + "-" + i + "-relay";
                writes.add(() -> {
                    try (OutputStream out = streaming ? new ChunkedRelay(Files.newOutputStream(pipes.get(stream).path()), RELAY_CHUNK, RELAY_CHUNKS, relayName)
                            : new BufferedOutputStream(Files.newOutputStream(pipes.get(stream).path()), 1 << 16)) {
                        try {
                            written.addAndGet(extraction.writeCsv(stream, out));
                        } catch (IOException | RuntimeException e) {
                            // Recorded before the stream closes: the warehouse then reads a cut-off last row and fails,
                            // and the load must find the source's failure, its cause, already there.
                            failure.compareAndSet(null, e);
                            throw e;
                        }
                    } catch (IOException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            String create = "CREATE TABLE " + engine.render(staging) + " AS SELECT " + selectList(extraction.columns()) + " FROM "
                    + reader(pipes, extraction.columns());
            if (!streaming) {
                writes.forEach(Runnable::run);
                rethrow(failure.get(), options);
                createUnordered(create);
                return written.get();
            }
            runAlongside(writes, create, extraction, staging, failure, () -> pipes.forEach(Pipe::release), options);
            return written.get();
        } catch (IOException e) {
            throw options.failure(ErrorCode.LOAD_FAILED, "could not prepare the load of source " + sourceName(node) + ": " + e.getMessage());
        } finally {
            pipes.forEach(Pipe::close);
        }
    }

    /**
     * Stages the rows as Arrow batches the warehouse scans in process: the source's threads decode
     * its binary rows into typed vectors, and the warehouse reads them without parsing any text.
     */
    private long stageArrow(Extraction extraction, ArrowRows rows, Relation staging, ConnectorOptions options) throws SQLException {
        int streams = Math.max(1, extraction.streams());
        try (ArrowHandoff handoff = ArrowHandoff.open(rows.arrowSchema().orElseThrow(), streams)) {
            String scan = "baton_arrow_" + UUID.randomUUID().toString().replace("-", "");
            session.registerArrowStream(scan, handoff.stream());
            AtomicLong written = new AtomicLong();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Runnable> writes = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                int stream = i;
                writes.add(() -> {
                    try {
                        written.addAndGet(rows.writeArrow(stream, handoff));
                    } catch (IOException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                        handoff.fail(e);
                    } finally {
                        handoff.finished();
                    }
                });
            }
            String create = "CREATE TABLE " + engine.render(staging) + " AS SELECT " + selectList(extraction.columns()) + " FROM " + scan;
            runAlongside(writes, create, extraction, staging, failure, handoff::close, options);
            return written.get();
        }
    }

    /**
     * Runs each write on a thread of its own while the warehouse runs {@code create}, which reads
     * what they write. On failure the source is cancelled, {@code release} unblocks writers that
     * wait for the warehouse, the staging table is dropped, and the source's failure, being the
     * cause, is the one reported.
     */
    private void runAlongside(List<Runnable> writes, String create, Extraction extraction, Relation staging, AtomicReference<Throwable> failure,
            Runnable release, ConnectorOptions options) throws SQLException {
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            Thread writer = new Thread(writes.get(i), "baton-load-" + node.name() + "-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
        try {
            createUnordered(create);
        } catch (SQLException | RuntimeException e) {
            // The source's own failure, if it failed first; once cancelled, every writer fails too, and that is not the cause.
            Throwable cause = failure.get();
            extraction.cancel();
            release.run();
            writers.forEach(SourceLoad::joinQuietly);
            dropQuietly(staging);
            if (cause instanceof BatonException batonFailure) {
                throw batonFailure;
            }
            if (cause instanceof dev.baton.api.ingest.SourceInterruptedException interrupted) {
                throw new ReadInterrupted(interrupted.getMessage());
            }
            if (cause != null) {
                rethrow(cause, options);
            }
            throw e;
        }
        writers.forEach(SourceLoad::joinQuietly);
        if (failure.get() != null || writers.stream().anyMatch(Thread::isAlive)) {
            dropQuietly(staging);
            rethrow(failure.get() != null ? failure.get() : new IOException("the connector did not finish writing"), options);
        }
    }

    /**
     * Runs the staging statement with insertion order not preserved in this session: the streams'
     * rows land in any order (a table has none), and the warehouse appends them in parallel without
     * merging row groups back into order (about a tenth less work for the warehouse).
     */
    private void createUnordered(String create) throws SQLException {
        session.execute("SET SESSION preserve_insertion_order = false");
        try {
            session.execute(create);
        } catch (SQLException | RuntimeException e) {
            try {
                session.execute("RESET SESSION preserve_insertion_order");
            } catch (SQLException | RuntimeException reset) {
                e.addSuppressed(reset);
            }
            throw e;
        }
        session.execute("RESET SESSION preserve_insertion_order");
    }

    private void rethrow(Throwable failure, ConnectorOptions options) {
        if (failure == null) {
            return;
        }
        if (failure instanceof BatonException batonException) {
            throw batonException;
        }
        if (failure instanceof dev.baton.api.ingest.SourceInterruptedException interrupted) {
            throw new ReadInterrupted(interrupted.getMessage());
        }
        throw options.failure(ErrorCode.LOAD_FAILED, "reading source " + sourceName(node) + " failed: " + failure.getMessage()
                + "; nothing was committed, run the load again");
    }

    private List<String> publish(LoadMode mode, Relation target, Relation staging, List<String> columns) throws SQLException {
        List<String> statements = new ArrayList<>();
        String targetSql = engine.render(target);
        boolean exists = session.relationType(target).isPresent();
        SchemaDrift drift = exists ? SchemaDrift.between(columnTypes(target), columnTypes(staging)) : SchemaDrift.NONE;
        String policy = String.valueOf(block(node).getOrDefault("schema_drift", "fail"));
        if (!drift.isEmpty()) {
            if (policy.equals("fail") || policy.equals("add_columns") && mode == LoadMode.APPEND && !drift.retyped().isEmpty()) {
                dropQuietly(staging);
                throw new BatonException(ErrorCode.LOAD_FAILED, "source " + sourceName(node) + " changed shape since " + target + " was loaded: "
                        + drift.describe() + "; nothing was committed; set schema_drift to add_columns or ignore in its connector block,"
                        + " or reload it in full", node.location());
            }
            driftReport = "schema drift (" + policy + "): " + drift.describe();
        }
        if (mode == LoadMode.FULL || !exists) {
            if (exists) {
                statements.add("DROP TABLE " + targetSql);
            }
            statements.add("ALTER TABLE " + engine.render(staging) + " RENAME TO " + engine.quote(target.identifier()));
            return statements;
        }
        List<String> inserted = new ArrayList<>();
        for (String column : columns) {
            if (!drift.added().containsKey(column) || policy.equals("add_columns")) {
                inserted.add(engine.quote(column));
            }
        }
        if (policy.equals("add_columns")) {
            drift.added().forEach((column, type) -> statements.add("ALTER TABLE " + targetSql + " ADD COLUMN " + engine.quote(column) + " " + type));
        }
        statements.add("INSERT INTO " + targetSql + " BY NAME SELECT " + String.join(", ", inserted) + " FROM " + engine.render(staging));
        statements.add("DROP TABLE " + engine.render(staging));
        return statements;
    }

    /** What the last {@link #run()} found about the source's shape, such as {@code schema drift (ignore): new column note VARCHAR}. */
    public Optional<String> driftReport() {
        return Optional.ofNullable(driftReport);
    }

    private Map<String, String> columnTypes(Relation relation) throws SQLException {
        Map<String, String> types = new java.util.LinkedHashMap<>();
        for (List<String> row : session.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
                + LoadLog.literal(relation.schema()) + " AND table_name = " + LoadLog.literal(relation.identifier()) + " ORDER BY ordinal_position",
                Integer.MAX_VALUE).rows()) {
            types.put(row.get(0), row.get(1));
        }
        return types;
    }

    private String selectList(List<LoadColumn> columns) {
        StringJoiner select = new StringJoiner(", ");
        for (LoadColumn column : columns) {
            String field = engine.quote(column.name());
            select.add(column.conversion().isEmpty() ? field : String.format(column.conversion(), field) + " AS " + field);
        }
        return select.toString();
    }

    private static String reader(List<Pipe> pipes, List<LoadColumn> columns) {
        StringJoiner types = new StringJoiner(", ", "{", "}");
        for (LoadColumn column : columns) {
            types.add(LoadLog.literal(column.name()) + ": " + LoadLog.literal(column.csvType()));
        }
        StringJoiner files = new StringJoiner(", ", "[", "]");
        pipes.forEach(pipe -> files.add(LoadLog.literal(pipe.path().toString())));
        return "read_csv(" + files + ", columns = " + types + ", header = false, auto_detect = false,"
                + " delim = ',', quote = '\"', escape = '\"', nullstr = '', allow_quoted_nulls = false, buffer_size = 8388608)";
    }

    private long count(Relation relation) throws SQLException {
        QueryResult result = session.query("SELECT count(*) FROM " + engine.render(relation), 1);
        return Long.parseLong(result.rows().get(0).get(0));
    }

    private void dropQuietly(Relation relation) {
        try {
            session.execute("DROP TABLE IF EXISTS " + engine.render(relation));
        } catch (SQLException | RuntimeException ignored) {
            // The next load drops it before it starts.
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
