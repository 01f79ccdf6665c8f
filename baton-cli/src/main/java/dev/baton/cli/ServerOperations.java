package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineCapabilities;
import dev.baton.api.engine.EngineSession;
import dev.baton.operations.Operations;
import dev.baton.project.Project;
import dev.baton.schedule.JobExecutor;
import dev.baton.schedule.Scheduler;
import dev.baton.state.StateStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The operations {@code baton serve} runs: the scheduler, whose jobs go through the server's run
 * queue, and incidents and KPIs over the state store. The server is the warehouse's one writer,
 * so nothing here opens the warehouse itself: the freshness SLA monitor and source-freshness
 * sensors, which read it, are not run by the server.
 */
final class ServerOperations {
    static final Duration MONITOR_INTERVAL = Duration.ofMinutes(1);

    private ServerOperations() {}

    static Function<JobExecutor, Operations> factory(Supplier<Project> loader, StateStore store, PrintWriter warnings, Scheduler.Options options) {
        return jobs -> {
            Project project = loader.get();
            return Operations.open(project, new NoWarehouse(project.target().type()), store, Clock.systemUTC(), warnings, options, MONITOR_INTERVAL, jobs);
        };
    }

    /** Stands for the warehouse, which only the server's run queue opens. */
    private static final class NoWarehouse implements Engine {
        private final String type;

        NoWarehouse(String type) {
            this.type = type;
        }

        private BatonException unavailable() {
            return new BatonException(ErrorCode.ENGINE_UNREACHABLE, "baton serve does not read the warehouse outside its run queue yet, so it does not "
                    + "evaluate freshness SLAs or source-freshness sensors; check freshness with 'baton source freshness', and start such jobs with a schedule or a file sensor");
        }

        @Override
        public String name() {
            return type;
        }

        @Override
        public EngineCapabilities capabilities() {
            throw unavailable();
        }

        @Override
        public EngineSession openSession() {
            throw unavailable();
        }

        @Override
        public String quote(String identifier) {
            throw unavailable();
        }

        @Override
        public String defaultSchema() {
            throw unavailable();
        }

        @Override
        public void close() {}
    }
}
