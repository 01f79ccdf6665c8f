package dev.baton.state;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.RunEvent;
import dev.baton.state.StateRows.PendingResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * A state store over one JDBC connection. Node results wait in memory and are written in one
 * transaction per batch: when {@value #BATCH_LIMIT} are waiting, when {@link
 * StateStore#COMMIT_INTERVAL_MILLIS} has passed since the first of them, when the run finishes,
 * or before a read.
 */
final class SqlStateStore implements StateStore {
    static final int BATCH_LIMIT = 500;
    private static final int AMBIGUOUS_SHOWN = 5;

    private final Connection connection;
    private final String location;
    private final boolean migrated;
    /** Guards the connection; taken before {@link #pendingLock} when both are needed. */
    private final Object connectionLock = new Object();
    private final Object pendingLock = new Object();
    private final List<PendingResult> pending = new ArrayList<>();
    private final Map<String, RunProgress> runs = new HashMap<>();
    private final AtomicReference<BatonException> backgroundFailure = new AtomicReference<>();
    private ScheduledExecutorService writer;
    private boolean flushScheduled;
    private volatile boolean closed;

    SqlStateStore(Connection connection, String location, boolean migrated) {
        this.connection = requireNonNull(connection, "connection is null");
        this.location = requireNonNull(location, "location is null");
        this.migrated = migrated;
    }

    /** Whether opening this store ran the schema migrations (false when the schema was already current). */
    boolean migrated() {
        return migrated;
    }

    /** The store's own connection; callers must not use it while other threads use the store. */
    Connection connection() {
        return connection;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void runStarted(RunEvent.RunStarted event) {
        requireNonNull(event, "event is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                StateRows.insertRun(connection, event);
            } catch (SQLException e) {
                throw failure("record the start of run '" + event.runId() + "'", e);
            }
            synchronized (pendingLock) {
                runs.put(event.runId(), new RunProgress(Set.of(), 0));
            }
        }
        rethrowBackgroundFailure();
    }

    @Override
    public void nodeFinished(String runId, NodeResult result, Optional<String> errorMessage) {
        requireNonNull(runId, "runId is null");
        requireNonNull(result, "result is null");
        requireNonNull(errorMessage, "errorMessage is null");
        RunProgress run = progress(runId);
        boolean flushNow;
        synchronized (pendingLock) {
            ensureOpen();
            pending.add(new PendingResult(runId, run.next(result.nodeId()), result, errorMessage));
            flushNow = pending.size() >= BATCH_LIMIT;
            if (!flushNow && !flushScheduled) {
                writer().schedule(this::flushInBackground, COMMIT_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
                flushScheduled = true;
            }
        }
        if (flushNow) {
            flush();
        }
        rethrowBackgroundFailure();
    }

    @Override
    public void runFinished(RunEvent.RunFinished event) {
        requireNonNull(event, "event is null");
        synchronized (connectionLock) {
            ensureOpen();
            RunProgress run = progress(event.runId());
            List<PendingResult> batch;
            synchronized (pendingLock) {
                batch = drainPending();
                for (NodeResult result : event.results()) {
                    if (!run.has(result.nodeId())) {
                        batch.add(new PendingResult(event.runId(), run.next(result.nodeId()), result, StateStoreSink.errorText(result)));
                    }
                }
                runs.remove(event.runId());
            }
            try {
                inTransaction(() -> {
                    writeResults(batch);
                    StateRows.finishRun(connection, event);
                });
            } catch (SQLException e) {
                throw failure("record the end of run '" + event.runId() + "'", e);
            }
        }
        rethrowBackgroundFailure();
    }

    @Override
    public int markAbandonedRuns(String project, String target) {
        requireNonNull(project, "project is null");
        requireNonNull(target, "target is null");
        synchronized (connectionLock) {
            flush();
            try (java.sql.PreparedStatement update = connection.prepareStatement(
                    "UPDATE baton_runs SET status = ? WHERE status = ? AND project = ? AND target = ?")) {
                update.setString(1, dev.baton.api.event.RunStatus.CRASHED.name());
                update.setString(2, dev.baton.api.event.RunStatus.RUNNING.name());
                update.setString(3, project);
                update.setString(4, target);
                int marked = update.executeUpdate();
                if (!connection.getAutoCommit()) {
                    connection.commit();
                }
                return marked;
            } catch (SQLException e) {
                throw failure("mark abandoned runs as crashed", e);
            }
        }
    }

    @Override
    public void auditFinished(RunEvent.AuditFinished event) {
        requireNonNull(event, "event is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                inTransaction(() -> MetricRows.insert(connection, event));
            } catch (SQLException e) {
                throw failure("record the audit metrics of " + event.nodeId() + " in run '" + event.runId() + "'", e);
            }
        }
        rethrowBackgroundFailure();
    }

    @Override
    public void contractPublished(RunEvent.ContractPublished event) {
        requireNonNull(event, "event is null");
        synchronized (connectionLock) {
            ensureOpen();
            flush();
            try {
                inTransaction(() -> ContractRows.insert(connection, event));
            } catch (SQLException e) {
                throw failure("record the contract of " + event.nodeId() + " in run '" + event.runId() + "'", e);
            }
        }
        rethrowBackgroundFailure();
    }

    @Override
    public java.util.Map<String, ContractRecord> lastContracts() {
        synchronized (connectionLock) {
            flush();
            try {
                return ContractRows.latest(connection);
            } catch (SQLException e) {
                throw failure("read the published contracts", e);
            }
        }
    }

    @Override
    public List<MetricRecord> metricHistory(String nodeId, String column, String metric, int limit) {
        synchronized (connectionLock) {
            flush();
            try {
                return MetricRows.history(connection, nodeId, column, metric, limit);
            } catch (SQLException e) {
                throw failure("read the history of metric " + metric + " of " + nodeId, e);
            }
        }
    }

    @Override
    public List<RunRecord> recentRuns(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit is negative: " + limit);
        }
        synchronized (connectionLock) {
            flush();
            try {
                return StateRows.recentRuns(connection, limit);
            } catch (SQLException e) {
                throw failure("read the recent runs", e);
            }
        }
    }

    @Override
    public Optional<RunRecord> run(String runIdOrPrefix) {
        requireNonNull(runIdOrPrefix, "runIdOrPrefix is null");
        String prefix = runIdOrPrefix.strip();
        if (prefix.isEmpty()) {
            return Optional.empty();
        }
        List<RunRecord> matches;
        synchronized (connectionLock) {
            flush();
            try {
                Optional<RunRecord> exact = StateRows.run(connection, prefix);
                if (exact.isPresent()) {
                    return exact;
                }
                matches = StateRows.runsWithPrefix(connection, prefix, AMBIGUOUS_SHOWN + 1);
            } catch (SQLException e) {
                throw failure("read run '" + prefix + "'", e);
            }
        }
        if (matches.size() > 1) {
            String shown = matches.stream().limit(AMBIGUOUS_SHOWN).map(RunRecord::id).collect(Collectors.joining(", "));
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "run id '" + prefix + "' is ambiguous: it starts the ids of "
                    + (matches.size() > AMBIGUOUS_SHOWN ? "more than " + AMBIGUOUS_SHOWN + " runs (" + shown + ", …)" : "runs " + shown)
                    + "; give more characters of the id");
        }
        return matches.stream().findFirst();
    }

    @Override
    public List<NodeResultRecord> nodeResults(String runId) {
        requireNonNull(runId, "runId is null");
        synchronized (connectionLock) {
            flush();
            try {
                return StateRows.nodeResults(connection, runId);
            } catch (SQLException e) {
                throw failure("read the node results of run '" + runId + "'", e);
            }
        }
    }

    @Override
    public java.util.Map<String, String> lastBuiltHashes() {
        synchronized (connectionLock) {
            flush();
            try {
                return StateRows.lastBuiltHashes(connection);
            } catch (SQLException e) {
                throw failure("read the fingerprints of previous builds", e);
            }
        }
    }

    @Override
    public java.util.Map<String, dev.baton.api.event.Fingerprint> lastBuiltFingerprints() {
        synchronized (connectionLock) {
            flush();
            try {
                return StateRows.lastBuiltFingerprints(connection);
            } catch (SQLException e) {
                throw failure("read the fingerprints of previous builds", e);
            }
        }
    }

    @Override
    public void recordLoads(List<LoadRecord> loads) {
        requireNonNull(loads, "loads is null");
        if (loads.isEmpty()) {
            return;
        }
        synchronized (connectionLock) {
            ensureOpen();
            try {
                inTransaction(() -> LoadRows.insert(connection, loads));
            } catch (SQLException e) {
                throw failure("record " + loads.size() + " loads", e);
            }
        }
    }

    @Override
    public List<LoadRecord> loads(String nodeId, int limit) {
        requireNonNull(nodeId, "nodeId is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                return LoadRows.forNode(connection, nodeId, limit);
            } catch (SQLException e) {
                throw failure("read the loads of " + nodeId, e);
            }
        }
    }

    @Override
    public List<dev.baton.materialization.IntervalLedger.BatchRecord> batches(String nodeId) {
        requireNonNull(nodeId, "nodeId is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                return IntervalRows.forNode(connection, nodeId);
            } catch (SQLException e) {
                throw failure("read the batches of " + nodeId, e);
            }
        }
    }

    @Override
    public void recordBatch(String nodeId, dev.baton.materialization.IntervalLedger.BatchRecord batch) {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(batch, "batch is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                inTransaction(() -> IntervalRows.upsert(connection, nodeId, batch));
            } catch (SQLException e) {
                throw failure("record batch " + batch.start() + " of " + nodeId, e);
            }
        }
    }

    @Override
    public void clearBatches(String nodeId) {
        requireNonNull(nodeId, "nodeId is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                inTransaction(() -> IntervalRows.clear(connection, nodeId));
            } catch (SQLException e) {
                throw failure("forget the batches of " + nodeId, e);
            }
        }
    }

    @Override
    public Optional<java.time.Instant> latestLoadStart() {
        synchronized (connectionLock) {
            ensureOpen();
            try {
                return LoadRows.latestStart(connection);
            } catch (SQLException e) {
                throw failure("read the latest load", e);
            }
        }
    }

    @Override
    public List<RunRecord> runs(Optional<dev.baton.api.event.RunStatus> status, int limit, int offset) {
        requireNonNull(status, "status is null");
        checkPage(limit, offset);
        synchronized (connectionLock) {
            flush();
            try {
                return StateRows.runs(connection, status, limit, offset);
            } catch (SQLException e) {
                throw failure("read a page of runs", e);
            }
        }
    }

    @Override
    public List<NodeResultRecord> checkResults(Optional<String> nodeId, Optional<dev.baton.api.event.NodeStatus> status, int limit, int offset) {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(status, "status is null");
        checkPage(limit, offset);
        synchronized (connectionLock) {
            flush();
            try {
                return StateRows.checkResults(connection, nodeId, status, limit, offset);
            } catch (SQLException e) {
                throw failure("read a page of check results", e);
            }
        }
    }

    @Override
    public void saveToken(TokenRecord token) {
        requireNonNull(token, "token is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                TokenRows.insert(connection, token);
            } catch (SQLException e) {
                throw failure("store token '" + token.id() + "'", e);
            }
        }
    }

    @Override
    public Optional<TokenRecord> tokenByHash(String tokenHash) {
        requireNonNull(tokenHash, "tokenHash is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                return TokenRows.byHash(connection, tokenHash);
            } catch (SQLException e) {
                throw failure("look up a token", e);
            }
        }
    }

    @Override
    public List<TokenRecord> tokens() {
        synchronized (connectionLock) {
            ensureOpen();
            try {
                return TokenRows.all(connection);
            } catch (SQLException e) {
                throw failure("read the tokens", e);
            }
        }
    }

    @Override
    public boolean deleteToken(String id) {
        requireNonNull(id, "id is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                return TokenRows.delete(connection, id);
            } catch (SQLException e) {
                throw failure("delete token '" + id + "'", e);
            }
        }
    }

    @Override
    public void saveRunLog(RunLog log) {
        requireNonNull(log, "log is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                RunLogRows.replace(connection, log);
            } catch (SQLException e) {
                throw failure("store the output of run '" + log.runId() + "'", e);
            }
        }
    }

    @Override
    public Optional<RunLog> runLog(String runId) {
        requireNonNull(runId, "runId is null");
        synchronized (connectionLock) {
            ensureOpen();
            try {
                return RunLogRows.read(connection, runId);
            } catch (SQLException e) {
                throw failure("read the output of run '" + runId + "'", e);
            }
        }
    }

    private static void checkPage(int limit, int offset) {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit and offset must not be negative: " + limit + ", " + offset);
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (pendingLock) {
            stopping = writer;
            writer = null;
        }
        if (stopping != null) {
            stopping.shutdownNow();
            awaitQuietly(stopping);
        }
        synchronized (connectionLock) {
            if (closed) {
                return;
            }
            try {
                flush();
            } finally {
                closed = true;
                try {
                    connection.close();
                } catch (SQLException e) {
                    backgroundFailure.compareAndSet(null, failure("close the connection", e));
                }
            }
        }
        rethrowBackgroundFailure();
    }

    /** Writes the waiting node results in one transaction. */
    void flush() {
        synchronized (connectionLock) {
            if (closed) {
                return;
            }
            List<PendingResult> batch;
            synchronized (pendingLock) {
                batch = drainPending();
            }
            if (batch.isEmpty()) {
                return;
            }
            try {
                inTransaction(() -> writeResults(batch));
            } catch (SQLException e) {
                throw failure("record " + batch.size() + " node results", e);
            }
        }
    }

    private void flushInBackground() {
        synchronized (pendingLock) {
            flushScheduled = false;
        }
        try {
            flush();
        } catch (BatonException e) {
            backgroundFailure.compareAndSet(null, e);
        }
    }

    private void writeResults(List<PendingResult> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        StateRows.insertResults(connection, batch);
        Map<String, RunCounts> counts = new LinkedHashMap<>();
        for (PendingResult row : batch) {
            counts.merge(row.runId(), RunCounts.NONE.plus(row.result().status()), (a, b) -> a.plus(row.result().status()));
        }
        StateRows.addCounts(connection, counts);
    }

    private List<PendingResult> drainPending() {
        List<PendingResult> batch = new ArrayList<>(pending);
        pending.clear();
        return batch;
    }

    /** The numbering of a run's results; for a run this store did not start, read from what is written. */
    private RunProgress progress(String runId) {
        synchronized (pendingLock) {
            RunProgress known = runs.get(runId);
            if (known != null) {
                return known;
            }
        }
        StateRows.Written written;
        synchronized (connectionLock) {
            ensureOpen();
            try {
                written = StateRows.written(connection, runId);
            } catch (SQLException e) {
                throw failure("read the node results of run '" + runId + "'", e);
            }
        }
        synchronized (pendingLock) {
            return runs.computeIfAbsent(runId, id -> new RunProgress(written.nodeIds(), written.highestSeq()));
        }
    }

    private ScheduledExecutorService writer() {
        if (writer == null) {
            writer = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "baton-state-writer");
                thread.setDaemon(true);
                return thread;
            });
        }
        return writer;
    }

    private interface SqlWork {
        void run() throws SQLException;
    }

    private void inTransaction(SqlWork work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the state store at " + location + " is closed");
        }
    }

    private void rethrowBackgroundFailure() {
        BatonException failure = backgroundFailure.getAndSet(null);
        if (failure != null) {
            throw failure;
        }
    }

    private BatonException failure(String action, SQLException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
        return new BatonException(ErrorCode.STATE_STORE_FAILED, "cannot " + action + " in the state store at " + location + ": "
                + reason + "; check that the store is reachable and writable", Optional.empty(), cause);
    }

    private static void awaitQuietly(ScheduledExecutorService executor) {
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Numbers a run's results in finish order and remembers which nodes have one. Guarded by the pending lock. */
    private static final class RunProgress {
        private final Set<String> nodeIds;
        private int highestSeq;

        RunProgress(Set<String> nodeIds, int highestSeq) {
            this.nodeIds = new HashSet<>(nodeIds);
            this.highestSeq = highestSeq;
        }

        int next(String nodeId) {
            nodeIds.add(nodeId);
            return ++highestSeq;
        }

        boolean has(String nodeId) {
            return nodeIds.contains(nodeId);
        }
    }
}
