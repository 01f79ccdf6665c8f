package dev.baton.server;

import static java.util.Objects.requireNonNull;

import dev.baton.operations.Operations;
import dev.baton.project.Project;
import dev.baton.schedule.JobExecutor;
import dev.baton.server.run.RunExecutor;
import dev.baton.server.run.RunQueue;
import dev.baton.state.StateStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a server needs.
 *
 * @param projectRoot the project folder; the discovery file is written under it
 * @param loader loads the project (at start, and again after every run)
 * @param store the project's state store; the server does not close it
 * @param host the address to listen on, {@code 127.0.0.1} unless told otherwise
 * @param port the port, or 0 for any free one
 * @param executor executes the writing commands submitted to the server
 * @param operations opens the project's scheduler, SLA monitor, incidents and KPIs over the given job
 *     executor (which queues job runs with the server's other runs) and run queue (whose
 *     {@link RunQueue#read} reads the warehouse between runs); empty for a server without them
 */
public record ServerSettings(Path projectRoot, Supplier<Project> loader, StateStore store, String host, int port, RunExecutor executor,
        Optional<BiFunction<JobExecutor, RunQueue, Operations>> operations) {
    public ServerSettings(Path projectRoot, Supplier<Project> loader, StateStore store, String host, int port, RunExecutor executor) {
        this(projectRoot, loader, store, host, port, executor, Optional.empty());
    }

    public ServerSettings {
        requireNonNull(projectRoot, "projectRoot is null");
        requireNonNull(loader, "loader is null");
        requireNonNull(store, "store is null");
        requireNonNull(host, "host is null");
        requireNonNull(executor, "executor is null");
        requireNonNull(operations, "operations is null");
    }

    /** These settings with the project's operations, which the server starts and stops with itself. */
    public ServerSettings withOperations(Function<JobExecutor, Operations> factory) {
        requireNonNull(factory, "factory is null");
        return withOperations((jobs, queue) -> factory.apply(jobs));
    }

    /** These settings with the project's operations, which may read the warehouse through the server's run queue. */
    public ServerSettings withOperations(BiFunction<JobExecutor, RunQueue, Operations> factory) {
        return new ServerSettings(projectRoot, loader, store, host, port, executor, Optional.of(factory));
    }
}
