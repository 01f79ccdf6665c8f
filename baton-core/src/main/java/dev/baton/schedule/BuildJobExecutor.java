package dev.baton.schedule;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.engine.Engine;
import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.event.RunStatus;
import dev.baton.project.Project;
import dev.baton.run.BuildExecution;
import dev.baton.run.BuildRequest;
import dev.baton.state.StateStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Runs a job as a build of the project on the warehouse the scheduler's process holds, with extra event sinks (incidents, lineage). */
public final class BuildJobExecutor implements JobExecutor {
    private final Project project;
    private final Engine engine;
    private final StateStore store;
    private final int threads;
    private final Supplier<List<EventSink>> sinks;

    /** @param sinks made anew for each run */
    public BuildJobExecutor(Project project, Engine engine, StateStore store, int threads, Supplier<List<EventSink>> sinks) {
        this.project = requireNonNull(project, "project is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.store = requireNonNull(store, "store is null");
        this.threads = Math.max(1, threads);
        this.sinks = requireNonNull(sinks, "sinks is null");
    }

    @Override
    public JobOutcome execute(Job job, JobRun run, Cancellation cancellation) {
        String buildRunId = UUID.randomUUID().toString();
        AtomicReference<List<NodeResult>> results = new AtomicReference<>(List.of());
        List<EventSink> all = new ArrayList<>(sinks.get());
        all.add(event -> {
            if (event instanceof RunEvent.RunFinished finished) {
                results.set(finished.results());
            }
        });
        BuildRequest request = new BuildRequest(job.command(), job.selection(), buildRunId, threads,
                "baton job " + job.name() + " (" + run.trigger() + ", attempt " + run.attempt() + ")", Map.of());
        BuildExecution execution = new BuildExecution(project, engine, store, request, all);
        cancellation.onCancel(execution::cancel);
        RunStatus status;
        try {
            status = execution.run();
        } catch (BatonException e) {
            return new JobOutcome(RunStatus.FAILED, Optional.empty(), e.getMessage());
        }
        return new JobOutcome(status, results.get().isEmpty() ? Optional.empty() : Optional.of(buildRunId), summary(results.get()));
    }

    static String summary(List<NodeResult> results) {
        if (results.isEmpty()) {
            return "nothing to run";
        }
        Map<NodeStatus, Integer> counts = new EnumMap<>(NodeStatus.class);
        results.forEach(result -> counts.merge(result.status(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((status, count) -> parts.add(count + " " + status.name().toLowerCase(java.util.Locale.ROOT)));
        return results.size() + " node" + (results.size() == 1 ? "" : "s") + ": " + String.join(", ", parts);
    }
}
