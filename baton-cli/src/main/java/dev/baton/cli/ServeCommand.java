package dev.baton.cli;

import dev.baton.project.ProjectLoader;
import dev.baton.project.ProjectSettings;
import dev.baton.server.BatonServer;
import dev.baton.server.ServerSettings;
import dev.baton.state.StateStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the project: the web UI (/), the REST API (/api/v1), Prometheus metrics (/metrics), the run queue, the jobs' schedules and sensors, and the freshness SLA monitor. While it runs, build, run, seed, "
                + "test, retry and ingest hand their work to it.")
final class ServeCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "The port to listen on (default 8080; 0 picks a free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1", description = "The address to listen on (default 127.0.0.1).")
    String host;

    @Option(names = "--monitor-interval", paramLabel = "DURATION", defaultValue = "1m",
            description = "How often the freshness SLAs are evaluated, such as 30s or 5m (default 1m).")
    String monitorInterval;

    ServeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        java.time.Duration interval = dev.baton.schedule.DurationText.parseArgument(monitorInterval, "--monitor-interval");
        if (interval.isZero()) {
            throw new dev.baton.api.BatonException(dev.baton.api.ErrorCode.INVALID_ARGUMENT,
                    "--monitor-interval must be longer than 0s; the SLA monitor needs time between evaluations, such as 30s or 1m");
        }
        Path root = projectOptions.projectDir.toAbsolutePath().normalize();
        Workspace.load(projectOptions, context);
        ProjectSettings settings = ProjectLoader.settings(projectOptions.projectDir, context.env());
        StateStore store = StateStore.open(root, settings.stateUrl());
        BatonServer server;
        try {
            server = start(root, store, interval);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        context.out().println("Serving project " + settings.name() + " on http://" + host + ":" + server.port()
                + " (API /api/v1, OpenAPI /api/v1/openapi.json, metrics /metrics, health /health). Stop with Ctrl-C.");
        context.out().flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.out().println("Stopping: cancelling queued and running work...");
            context.out().flush();
            server.close();
            store.close();
            context.out().println("Stopped.");
            context.out().flush();
            stopped.countDown();
        }, "baton-serve-stop"));
        stopped.await();
        return 0;
    }

    BatonServer start(Path root, StateStore store, java.time.Duration interval) {
        java.util.function.Supplier<dev.baton.project.Project> loader = () -> ProjectLoader.load(projectOptions.loadOptions(context.env()));
        return BatonServer.start(new ServerSettings(root, loader, store, host, port, Main::executeInServer)
                .withOperations(ServerOperations.factory(loader, store, context.err(), dev.baton.schedule.Scheduler.Options.defaults(),
                        interval, context.env())));
    }
}
