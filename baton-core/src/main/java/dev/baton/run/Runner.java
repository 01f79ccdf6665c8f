package dev.baton.run;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.event.RunStatus;
import dev.baton.materialization.MaterializationContext;
import dev.baton.materialization.Materializations;
import dev.baton.materialization.StagedChecks;
import dev.baton.materialization.NodeOutcome;
import dev.baton.plan.Fingerprints;
import dev.baton.plan.Plan;
import dev.baton.plan.PlanStep;
import dev.baton.project.Node;
import dev.baton.project.Project;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Walks a plan with a pool of worker threads, honouring dependencies: a node starts when every
 * step it waits for has finished, and is skipped when one of them failed. Emits events and never
 * prints. Thread-safe {@link #cancel()} interrupts running statements.
 */
public final class Runner {
    private final Engine engine;
    private final Project project;
    private final Plan plan;
    private final RunOptions options;
    private final EventSink sink;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean userError = new AtomicBoolean();
    /**
     * Mistakes in a model's configuration that only show once it runs (a unique_key naming no column,
     * a refused schema change). Other failures while running, such as a ragged seed row or an unset
     * secret, stay failures of their node.
     */
    private static final Set<dev.baton.api.ErrorCode> CONFIG_MISTAKES = java.util.EnumSet.of(dev.baton.api.ErrorCode.INVALID_INCREMENTAL_CONFIG,
            dev.baton.api.ErrorCode.UNKNOWN_UNIQUE_KEY, dev.baton.api.ErrorCode.UNKNOWN_PARTITION_COLUMN,
            dev.baton.api.ErrorCode.SCHEMA_CHANGE_REFUSED, dev.baton.api.ErrorCode.INCOMPATIBLE_SCHEMA_CHANGE);
    private final Set<EngineSession> activeSessions = ConcurrentHashMap.newKeySet();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Set<String> createdSchemas = ConcurrentHashMap.newKeySet();
    private volatile CatalogSnapshot catalog;
    private volatile String stopReason = "";
    private final dev.baton.check.AuditRun audits;
    private final Fingerprints fingerprints;

    public Runner(Engine engine, Project project, Plan plan, RunOptions options, EventSink sink) {
        this.engine = requireNonNull(engine, "engine is null");
        this.project = requireNonNull(project, "project is null");
        this.plan = requireNonNull(plan, "plan is null");
        this.options = requireNonNull(options, "options is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.fingerprints = Fingerprints.of(project);
        this.audits = dev.baton.check.AuditRun.of(project, plan, options.audit(), options.keepFailed(), options.runId(), this::emit,
                options.history());
    }

    /** Stops the run: running statements are interrupted, nothing else starts, the run ends cancelled. */
    public void cancel() {
        stop("cancelled");
    }

    /** Whether a node failed because of a mistake in its configuration (such as a unique_key naming no column), which the CLI reports with exit code 2. */
    public boolean failedOnUserError() {
        return userError.get();
    }

    /** Waits until the run has ended (after {@link #cancel()}, to let it record itself). */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stop(String reason) {
        if (cancelled.compareAndSet(false, true)) {
            stopReason = reason;
            for (EngineSession session : activeSessions) {
                session.cancel();
            }
        }
    }

    /** Runs the plan to the end and returns how it ended. */
    public RunStatus run(String command) {
        Instant started = Instant.now();
        try {
            emit(new RunEvent.RunStarted(options.runId(), command, project.name(), project.target().name(), plan.steps().size(), options.threads(), started));
            List<NodeResult> results = execute();
            RunStatus status = cancelled.get() && stopReason.equals("cancelled")
                    ? RunStatus.CANCELLED
                    : results.stream().anyMatch(r -> r.status().isFailure() || r.status() == NodeStatus.CANCELLED) ? RunStatus.FAILED : RunStatus.SUCCESS;
            Instant end = Instant.now();
            emit(new RunEvent.RunFinished(options.runId(), status, end, Duration.between(started, end), results));
            return status;
        } finally {
            finished.countDown();
        }
    }

    private List<NodeResult> execute() {
        catalog = snapshot();
        precomputeFingerprints();
        Schedule schedule = new Schedule(plan.steps());
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), runnable -> {
            Thread thread = new Thread(runnable, "baton-worker");
            thread.setDaemon(true);
            return thread;
        });
        try {
            schedule.start(pool);
            try {
                schedule.idle.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
            }
            schedule.finishUnstarted();
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            schedule.allSessions.forEach(EngineSession::close);
        }
        return schedule.results();
    }

    /**
     * Which steps are ready, running and done. A worker that finishes a step starts the next ready
     * ones itself, so with one thread a run never waits on a hand-off between threads.
     */
    private final class Schedule {
        private final List<PlanStep> steps;
        private final Map<String, Integer> indexOf = new HashMap<>();
        private final Map<String, List<PlanStep>> dependents = new HashMap<>();
        private final Map<String, Integer> waiting = new HashMap<>();
        private final NodeResult[] results;
        private final java.util.PriorityQueue<PlanStep> ready;
        private final ThreadLocal<EngineSession> sessions = new ThreadLocal<>();
        private final List<EngineSession> allSessions = java.util.Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch idle = new CountDownLatch(1);
        private ExecutorService pool;
        private int running;

        Schedule(List<PlanStep> steps) {
            this.steps = steps;
            for (int i = 0; i < steps.size(); i++) {
                PlanStep step = steps.get(i);
                indexOf.put(step.nodeId(), i);
                waiting.put(step.nodeId(), step.waitsFor().size());
                for (String parent : step.waitsFor()) {
                    dependents.computeIfAbsent(parent, key -> new ArrayList<>()).add(step);
                }
            }
            results = new NodeResult[steps.size()];
            ready = new java.util.PriorityQueue<>((a, b) -> indexOf.get(a.nodeId()) - indexOf.get(b.nodeId()));
            steps.stream().filter(step -> step.waitsFor().isEmpty()).forEach(ready::add);
        }

        synchronized void start(ExecutorService workers) {
            this.pool = workers;
            launch();
        }

        /** Starts ready steps while threads are free; says so when nothing runs and nothing can start. */
        private void launch() {
            while (!ready.isEmpty() && running < options.threads() && !cancelled.get()) {
                PlanStep step = ready.poll();
                running++;
                int index = indexOf.get(step.nodeId()) + 1;
                pool.execute(() -> {
                    NodeResult result;
                    try {
                        result = runStep(step, index, sessions, allSessions);
                    } catch (RuntimeException | Error e) {
                        // Never leave the run waiting for a step that died: report it as an error.
                        result = finish(step, index, notRun(step, NodeStatus.ERROR, "internal error: " + e));
                    }
                    completed(step, result);
                });
            }
            if (running == 0) {
                idle.countDown();
            }
        }

        private synchronized void completed(PlanStep step, NodeResult result) {
            running--;
            results[indexOf.get(step.nodeId())] = result;
            if (result.status().isFailure() && options.failFast()) {
                stop("--fail-fast stopped the run after " + step.nodeId() + " failed");
            }
            release(step, result, dependents, waiting, ready, indexOf, results);
            launch();
        }

        /** After the run went idle: what never started was cancelled, stopped by --fail-fast, or waits on itself. */
        synchronized void finishUnstarted() {
            for (PlanStep step : steps) {
                int i = indexOf.get(step.nodeId());
                if (results[i] == null) {
                    boolean userCancelled = cancelled.get() && stopReason.equals("cancelled");
                    String message = cancelled.get() ? (userCancelled ? "cancelled before it started" : "skipped: " + stopReason)
                            : "skipped: waits on a step that never finished";
                    results[i] = notRun(step, userCancelled ? NodeStatus.CANCELLED : NodeStatus.SKIPPED, message);
                    emitFinished(step, i + 1, results[i]);
                }
            }
        }

        synchronized List<NodeResult> results() {
            List<NodeResult> ordered = new ArrayList<>();
            for (NodeResult result : results) {
                if (result != null) {
                    ordered.add(result);
                }
            }
            return ordered;
        }
    }

    /**
     * Computes the fingerprints of the plan's nodes on a thread of its own while the first nodes
     * run, so that recording a result seldom waits on hashing; a node whose fingerprint is not
     * computed yet when it finishes computes it itself.
     */
    private void precomputeFingerprints() {
        Thread thread = new Thread(() -> {
            for (PlanStep step : plan.steps()) {
                if (cancelled.get() || finished.getCount() == 0) {
                    return;
                }
                project.node(step.nodeId()).filter(Runner::hasBody).ifPresent(node -> fingerprints.get(node.uniqueId()));
            }
        }, "baton-fingerprints");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean hasBody(Node node) {
        return !node.compiledSql().isEmpty() || node.resourceType() == dev.baton.project.ResourceType.SEED;
    }

    /** The relations as they are now, or null (every question then goes to the engine) if they cannot be listed. */
    private CatalogSnapshot snapshot() {
        try (EngineSession session = engine.openSession()) {
            return new CatalogSnapshot(session.listRelations());
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    /** Marks dependents of a finished step ready, or skipped when it blocks them. Returns how many were skipped. */
    private int release(PlanStep step, NodeResult result, Map<String, List<PlanStep>> dependents, Map<String, Integer> waiting,
            java.util.PriorityQueue<PlanStep> ready, Map<String, Integer> indexOf, NodeResult[] results) {
        int skipped = 0;
        List<PlanStep> children = dependents.getOrDefault(step.nodeId(), List.of());
        for (PlanStep child : children) {
            int i = indexOf.get(child.nodeId());
            if (results[i] != null) {
                continue;
            }
            if (result.status().blocksDownstream() && !audits.reported(child.nodeId())) {
                String cause = result.status() == NodeStatus.SKIPPED ? result.message().replaceFirst("^skipped because ", "")
                        : step.nodeId() + " " + result.status().name().toLowerCase(java.util.Locale.ROOT);
                results[i] = notRun(child, NodeStatus.SKIPPED, "skipped because " + cause);
                emitFinished(child, i + 1, results[i]);
                skipped++;
                skipped += release(child, results[i], dependents, waiting, ready, indexOf, results);
                continue;
            }
            int remaining = waiting.merge(child.nodeId(), -1, Integer::sum);
            if (remaining == 0) {
                ready.add(child);
            }
        }
        return skipped;
    }

    private NodeResult runStep(PlanStep step, int index, ThreadLocal<EngineSession> sessions, List<EngineSession> allSessions) {
        Node node = project.node(step.nodeId()).orElseThrow();
        Instant started = Instant.now();
        long startNanos = System.nanoTime();
        if (cancelled.get()) {
            return finish(step, index, notRun(step, NodeStatus.CANCELLED, "cancelled before it started"));
        }
        emit(new RunEvent.NodeStarted(options.runId(), step.nodeId(), index, plan.steps().size(), step.description(), started));
        EngineSession session = sessions.get();
        NodeResult result;
        try {
            if (session == null) {
                session = catalog == null ? engine.openSession() : catalog.wrap(engine.openSession());
                sessions.set(session);
                allSessions.add(session);
            }
            activeSessions.add(session);
            if (node.relation().isPresent() && !createdSchemas.contains(node.relation().get().schema())) {
                // Two first nodes of one schema on two threads would conflict creating it.
                synchronized (createdSchemas) {
                    if (!createdSchemas.contains(node.relation().get().schema())) {
                        session.createSchemaIfMissing(node.relation().get().schema());
                        createdSchemas.add(node.relation().get().schema());
                    }
                }
            }
            MaterializationContext context = new MaterializationContext(project.root(), options.runId(), options.env(), options.threads(),
                    options.incremental(), StagedChecks.NONE);
            NodeOutcome outcome = audits.execution(step, node, context)
                    .orElseGet(() -> Materializations.forAction(step.action(), context))
                    .execute(engine, session, node);
            NodeStatus status = outcome.failed() ? NodeStatus.FAIL : outcome.warned() ? NodeStatus.WARN
                    : outcome.failures().isPresent() ? NodeStatus.PASS : NodeStatus.SUCCESS;
            result = result(node, status, outcome.message(), started, startNanos, outcome.rowsAffected(), outcome.failures());
        } catch (SQLException e) {
            NodeStatus status = cancelled.get() ? NodeStatus.CANCELLED : NodeStatus.ERROR;
            String message = status == NodeStatus.CANCELLED ? "cancelled while running"
                    : SqlErrors.describe(node, e,
                    project.root().relativize(dev.baton.artifact.Artifacts.compiledPath(project, node)).toString());
            result = result(node, status, message, started, startNanos, OptionalLong.empty(), OptionalLong.empty());
        } catch (BatonException e) {
            if (CONFIG_MISTAKES.contains(e.errorCode())) {
                userError.set(true);
            }
            result = result(node, cancelled.get() ? NodeStatus.CANCELLED : NodeStatus.ERROR, e.getMessage(), started, startNanos, OptionalLong.empty(),
                    OptionalLong.empty());
        } catch (RuntimeException e) {
            result = result(node, NodeStatus.ERROR, "internal error: " + e, started, startNanos, OptionalLong.empty(), OptionalLong.empty());
        } finally {
            if (session != null) {
                activeSessions.remove(session);
            }
        }
        return finish(step, index, result);
    }

    private NodeResult finish(PlanStep step, int index, NodeResult result) {
        emitFinished(step, index, result);
        return result;
    }

    private NodeResult result(Node node, NodeStatus status, String message, Instant started, long startNanos, OptionalLong rows, OptionalLong failures) {
        Optional<dev.baton.api.event.Fingerprint> fingerprint = hasBody(node) ? Optional.of(fingerprints.get(node.uniqueId())) : Optional.empty();
        return new NodeResult(node.uniqueId(), node.resourceType().label(), node.relation().map(Object::toString), status, message, started,
                Duration.ofNanos(System.nanoTime() - startNanos), rows, failures, fingerprint.map(dev.baton.api.event.Fingerprint::body), fingerprint);
    }

    private NodeResult notRun(PlanStep step, NodeStatus status, String message) {
        Node node = project.node(step.nodeId()).orElseThrow();
        return new NodeResult(node.uniqueId(), node.resourceType().label(), node.relation().map(Object::toString), status, message, Instant.now(),
                Duration.ZERO, OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    }

    private void emitFinished(PlanStep step, int index, NodeResult result) {
        emit(new RunEvent.NodeFinished(options.runId(), index, plan.steps().size(), step.description(), result));
    }

    private void emit(RunEvent event) {
        synchronized (sink) {
            sink.accept(event);
        }
    }
}
