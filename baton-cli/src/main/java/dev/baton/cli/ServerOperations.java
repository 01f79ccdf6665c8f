package dev.baton.cli;

import dev.baton.api.engine.EngineProvider;
import dev.baton.engine.Engines;
import dev.baton.operations.Operations;
import dev.baton.project.Project;
import dev.baton.schedule.JobExecutor;
import dev.baton.schedule.Scheduler;
import dev.baton.server.run.QueuedWarehouse;
import dev.baton.server.run.RunQueue;
import dev.baton.state.StateStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The operations {@code baton serve} runs: the scheduler, whose jobs go through the server's run
 * queue; the freshness SLA monitor and the source-freshness sensors, which read the warehouse
 * through that queue too (between runs, so the server stays its one writer); incidents and KPIs
 * over the state store.
 */
final class ServerOperations {
    /** How long a monitor's or sensor's read of the warehouse waits for a running run before it is left for the next round. */
    static final Duration READ_WAIT = Duration.ofSeconds(1);

    private ServerOperations() {}

    static BiFunction<JobExecutor, RunQueue, Operations> factory(Supplier<Project> loader, StateStore store, PrintWriter warnings, Scheduler.Options options,
            Duration monitorInterval, Map<String, String> env) {
        return (jobs, queue) -> {
            Project project = loader.get();
            EngineProvider provider = Engines.provider(project.target().type())
                    .orElseThrow(() -> Engines.unknownType(project.target().name(), project.target().type(), project.target().location()));
            QueuedWarehouse warehouse = new QueuedWarehouse(project.target().type(), () -> queue,
                    () -> Engines.open(project.target(), project.root(), 1, env), provider::quote, project.target().schema(), READ_WAIT);
            return Operations.open(project, warehouse, store, Clock.systemUTC(), warnings, options, monitorInterval, jobs);
        };
    }
}
