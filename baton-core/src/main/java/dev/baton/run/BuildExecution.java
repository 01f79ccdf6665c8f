package dev.baton.run;

import static java.util.Objects.requireNonNull;

import dev.baton.api.engine.Engine;
import dev.baton.api.event.EventSink;
import dev.baton.api.event.RunStatus;
import dev.baton.graph.Graph;
import dev.baton.graph.selector.Selection;
import dev.baton.ingest.LoadMirror;
import dev.baton.materialization.Janitor;
import dev.baton.plan.Action;
import dev.baton.plan.Plan;
import dev.baton.plan.Planner;
import dev.baton.project.Project;
import dev.baton.state.StateStore;
import dev.baton.state.StateStoreSink;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one build of a loaded project on a warehouse the caller holds open, recording it in the
 * state store: select, plan, clean up after dead runs, run, mirror loads. What a long-running
 * process (the scheduler) uses where the CLI runs its own commands. {@link #cancel()} may be
 * called from any thread, before or during {@link #run()}.
 */
public final class BuildExecution {
    private final Project project;
    private final Engine engine;
    private final StateStore store;
    private final BuildRequest request;
    private final List<EventSink> sinks;
    private final Object lock = new Object();
    private Runner runner;
    private boolean cancelled;

    public BuildExecution(Project project, Engine engine, StateStore store, BuildRequest request, List<EventSink> sinks) {
        this.project = requireNonNull(project, "project is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.store = requireNonNull(store, "store is null");
        this.request = requireNonNull(request, "request is null");
        this.sinks = List.copyOf(sinks);
    }

    /** Runs the build to its end; a plan with nothing to run ends {@code SUCCESS} without a recorded run. */
    public RunStatus run() {
        Graph graph = Graph.of(project.nodes().values());
        Selection selection = ProjectSelection.select(project, graph, request.selection(), () -> store);
        Plan plan = Planner.plan(request.command(), project, graph, selection.nodeIds(), store.lastBuiltHashes(), selection.warnings());
        if (plan.steps().isEmpty()) {
            return RunStatus.SUCCESS;
        }
        store.markAbandonedRuns(project.name(), project.target().name());
        try {
            Janitor.clean(engine);
        } catch (SQLException e) {
            throw new dev.baton.api.BatonException(dev.baton.api.ErrorCode.SQL_ERROR, "could not drop staging relations left by an interrupted run: " + e.getMessage());
        }
        List<EventSink> all = new ArrayList<>();
        all.add(new StateStoreSink(store));
        all.addAll(sinks);
        StringWriter warnings = new StringWriter();
        EventSink sink = EventSinks.compose(all, new PrintWriter(warnings, true));
        Runner created = new Runner(engine, project, plan, new RunOptions(request.runId(), request.threads(), false, false, true, request.env()), sink);
        synchronized (lock) {
            if (cancelled) {
                return RunStatus.CANCELLED;
            }
            runner = created;
        }
        try {
            return created.run(request.commandLine());
        } finally {
            sink.close();
            if (plan.steps().stream().anyMatch(step -> step.action() == Action.INGEST)) {
                LoadMirror.sync(engine, store);
            }
        }
    }

    /** Stops the build: running statements are interrupted and the run ends cancelled. */
    public void cancel() {
        Runner current;
        synchronized (lock) {
            cancelled = true;
            current = runner;
        }
        if (current != null) {
            current.cancel();
        }
    }
}
