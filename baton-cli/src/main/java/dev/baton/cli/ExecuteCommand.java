package dev.baton.cli;

import dev.baton.api.event.EventSink;
import dev.baton.api.event.RunStatus;
import dev.baton.api.engine.Engine;
import dev.baton.artifact.Artifacts;
import dev.baton.artifact.CompileStamp;
import dev.baton.artifact.DeltaCompile;
import dev.baton.artifact.RunResultsSink;
import dev.baton.engine.Engines;
import dev.baton.graph.selector.Selection;
import dev.baton.ingest.LoadMirror;
import dev.baton.plan.CommandKind;
import dev.baton.plan.Plan;
import dev.baton.plan.PlanStep;
import dev.baton.plan.Planner;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.project.ProjectSettings;
import dev.baton.project.Target;
import java.nio.file.Path;
import java.util.Optional;
import dev.baton.run.EventSinks;
import dev.baton.run.RunOptions;
import dev.baton.run.Runner;
import dev.baton.state.StateStore;
import dev.baton.state.StateStoreSink;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** build, run, test and seed: select, plan, then execute the plan. */
abstract class ExecuteCommand implements Callable<Integer> {
    /** Exit code of a run stopped by Ctrl-C, as shells expect after SIGINT. */
    static final int CANCELLED_EXIT = 130;

    final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

    @Mixin
    SelectionOptions selectionOptions;

    @Option(names = "--threads", paramLabel = "N", description = "Nodes to run at once (default: the target's threads, else the number of cores).")
    Integer threads;

    @Option(names = {"-x", "--fail-fast"}, description = "Stop at the first failure.")
    boolean failFast;

    @Option(names = "--wait", paramLabel = "DURATION", converter = WaitDuration.class,
            description = "When another process is writing to the warehouse, wait up to this long for it (such as 60s or 5m) instead of failing at once.")
    Duration wait = Duration.ZERO;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json: one JSON object per event.")
    ConsoleSink.Format logFormat;

    ExecuteCommand(CliContext context) {
        this.context = context;
    }

    abstract CommandKind kind();

    /** Whether {@code build} audits staged relations before publishing them. */
    boolean audit() {
        return true;
    }

    /** What the run asks of incremental models; {@code build} and {@code run} take --full-refresh and a backfill range. */
    dev.baton.materialization.IncrementalOptions incrementalOptions(StateStore store) {
        return dev.baton.materialization.IncrementalOptions.of(store);
    }

    /** Checks flags before anything opens, so a mistake in them costs nothing. */
    void checkFlags() {}

    /** Whether tables whose audit failed are kept for inspection ({@code build --keep-failed}). */
    boolean keepFailed() {
        return false;
    }

    @Override
    public Integer call() throws Exception {
        checkFlags();
        if (context.serverRun().isEmpty() && !"1".equals(context.env().get("BATON_NO_SERVER"))) {
            Optional<dev.baton.server.DiscoveryFile.Endpoint> server = dev.baton.server.DiscoveryFile.find(projectOptions.projectDir.toAbsolutePath().normalize());
            if (server.isPresent()) {
                return dev.baton.server.client.ServerClient.follow(server.get(), context.args(), context.env(), context.interactive(),
                        context.out(), context.err());
            }
        }
        // Open the state store and the warehouse while the project loads: each costs a few hundred ms.
        ProjectSettings settings = ProjectLoader.settings(projectOptions.projectDir, context.env());
        Path root = projectOptions.projectDir.toAbsolutePath().normalize();
        Optional<Target> target = Optional.ofNullable(settings.targets().get(projectOptions.target != null ? projectOptions.target : settings.defaultTarget()));
        int threadCount = Math.max(1, threads != null ? threads
                : target.map(Target::threads).filter(n -> n > 0).orElse(Runtime.getRuntime().availableProcessors()));
        java.util.function.Supplier<Engine> openEngine = () -> WaitDuration.retryWhileLocked(wait, () -> Engines.open(
                target.orElseThrow(() -> new dev.baton.api.BatonException(dev.baton.api.ErrorCode.UNKNOWN_TARGET,
                        "target '" + projectOptions.target + "' is not defined" + dev.baton.api.Suggestions.didYouMean(
                                String.valueOf(projectOptions.target), settings.targets().keySet()))),
                root, threadCount, context.env()));
        // A selection by state (state:modified+, result:error) often selects nothing: then the
        // warehouse is never opened. Otherwise it opens while the project loads.
        try (BackgroundOpen<StateStore> store = BackgroundOpen.start(() -> StateStore.open(root, settings.stateUrl()));
                BackgroundOpen<Engine> engine = selectsByState() ? BackgroundOpen.later(openEngine) : BackgroundOpen.start(openEngine)) {
            // A command run from the command line leaves what it compiled as `baton compile` does, with
            // its stamp; when nothing changed since the last compile or run it patches in only its
            // invocation, and after edits to models it patches what they changed as a compile does.
            // Inside the server, runs load side by side and write the artifacts in full.
            boolean stamps = !projectOptions.noPartialParse && context.serverRun().isEmpty();
            long startedEpochNanos = java.time.Instant.now().toEpochMilli() * 1_000_000L;
            String stampKey = projectOptions.compileStampKey(context.env());
            Optional<CompileStamp.Previous> previous = stamps ? CompileStamp.read(root.resolve(settings.targetPath()), stampKey, context.env())
                    : Optional.empty();
            Optional<CompileStamp.Changes> changes = previous.map(CompileStamp.Previous::changes);
            Optional<CompileStamp.Previous> unchanged = changes.isPresent() && changes.get().none() ? previous : Optional.empty();
            Workspace workspace;
            Optional<dev.baton.project.ProjectInputs> inputs = Optional.empty();
            if (stamps && unchanged.isEmpty()) {
                Workspace.Recorded recorded = Workspace.loadRecordingInputs(projectOptions, context);
                workspace = recorded.workspace();
                inputs = Optional.of(recorded.inputs());
            } else {
                workspace = Workspace.load(projectOptions, context);
            }
            Project project = workspace.project();
            Selection selection = select(workspace, store.get());
            String runId = context.serverRun().map(CliContext.ServerRun::runId).orElseGet(() -> UUID.randomUUID().toString());
            Plan plan = Planner.plan(kind(), project, workspace.graph(), selection.nodeIds(), store.get().lastBuiltHashes(), selection.warnings());
            // The manifest and the compiled files are written while the run goes on; the command
            // ends only when they are complete.
            Optional<Edits> edits = previous.isPresent() && unchanged.isEmpty()
                    ? Optional.of(new Edits(projectOptions.loadOptions(context.env()), settings.modelPaths(), previous.get(), changes.get()))
                    : Optional.empty();
            java.util.concurrent.CompletableFuture<Void> artifacts = writeArtifacts(project, runId, unchanged, edits, inputs, stampKey, startedEpochNanos);
            try {
                if (plan.steps().isEmpty()) {
                    if (store.get().recentRuns(1).stream().anyMatch(run -> run.status() == dev.baton.api.event.RunStatus.RUNNING)) {
                        // The last run never finished: record it as crashed even though there is nothing to do
                        // (unless it is still alive and holds the warehouse).
                        try {
                            Cleanup.run(project, store.get(), engine.get(), context.err());
                        } catch (dev.baton.api.BatonException e) {
                            if (e.errorCode() != dev.baton.api.ErrorCode.WAREHOUSE_LOCKED) {
                                throw e;
                            }
                        }
                    }
                    context.out().println("Nothing to do: the selection matches no node that '" + kind().label() + "' runs.");
                    return 0;
                }
                Cleanup.run(project, store.get(), engine.get(), context.err());
                return execute(project, plan, store.get(), engine.get(), runId, threadCount);
            } finally {
                BackgroundOpen.join(artifacts);
            }
        }
    }

    /** What changed since the last compile or run, for the compile's edit path. */
    private record Edits(dev.baton.project.LoadOptions options, List<String> modelPaths, CompileStamp.Previous previous, CompileStamp.Changes changes) {}

    /**
     * Writes the manifest and the compiled files in the background: when nothing changed since the
     * last compile ({@code unchanged}), only the manifest's metadata; after edits the compile's edit
     * path can take ({@code edits}), what they changed; otherwise in full, followed, when the load was
     * recorded ({@code inputs}), by the index and the stamp a later compile reads.
     */
    private static java.util.concurrent.CompletableFuture<Void> writeArtifacts(Project project, String runId, Optional<CompileStamp.Previous> unchanged,
            Optional<Edits> edits, Optional<dev.baton.project.ProjectInputs> inputs, String stampKey, long startedEpochNanos) {
        if (unchanged.isPresent()) {
            return java.util.concurrent.CompletableFuture.runAsync(() -> {
                if (!DeltaCompile.restamp(unchanged.get(), runId, startedEpochNanos)) {
                    // The index did not describe the manifest: written in full; the stamp no longer matches it.
                    Artifacts.writeInFull(project, runId, false);
                }
            });
        }
        if (edits.isPresent()) {
            Edits edited = edits.get();
            return java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> DeltaCompile.apply(edited.options(), edited.modelPaths(), edited.previous(), edited.changes(), runId, startedEpochNanos))
                    .thenCompose(outcome -> outcome.isPresent() ? java.util.concurrent.CompletableFuture.completedFuture(null)
                            : writeInFull(project, runId, inputs, stampKey, startedEpochNanos));
        }
        return writeInFull(project, runId, inputs, stampKey, startedEpochNanos);
    }

    /** Writes the manifest and the compiled files, with (when the load was recorded) the index and then the stamp. */
    private static java.util.concurrent.CompletableFuture<Void> writeInFull(Project project, String runId, Optional<dev.baton.project.ProjectInputs> inputs,
            String stampKey, long startedEpochNanos) {
        return java.util.concurrent.CompletableFuture.runAsync(() -> {
            java.util.Set<Path> folders = Artifacts.writeInFull(project, runId, inputs.isPresent());
            inputs.ifPresent(recorded -> CompileStamp.write(project.targetDir(), stampKey, recorded, folders, CompileStamp.Summary.of(project), startedEpochNanos));
        });
    }

    /** Whether the selection depends on the state store, so that it may well select nothing. */
    boolean selectsByState() {
        List<String> criteria = new java.util.ArrayList<>(selectionOptions.select);
        return criteria.stream().anyMatch(criterion -> criterion.contains("state:") || criterion.contains("result:"));
    }

    /** What this command runs; {@code retry} chooses from the last run instead of the selection flags. */
    Selection select(Workspace workspace, StateStore store) {
        return workspace.select(selectionOptions.spec(), selectionOptions.stateDir(), context, () -> store);
    }

    private int execute(Project project, Plan plan, StateStore store, Engine engine, String runId, int threadCount) {
        ConsoleSink console = new ConsoleSink(context.out(), logFormat, context.interactive());
        console.describeKinds(kinds(project, plan));
        List<EventSink> sinks = new java.util.ArrayList<>(List.of(console, new StateStoreSink(store),
                new RunResultsSink(project.targetDir(), List.of(context.commandLine().split(" ")))));
        context.serverRun().ifPresent(serverRun -> sinks.add(serverRun.events()));
        dev.baton.lineage.OpenLineageConfig.read(project).ifPresent(config -> sinks.add(new dev.baton.lineage.OpenLineageSink(project, config, context.err())));
        EventSink sink = EventSinks.compose(sinks, context.err());
        dev.baton.check.MetricHistory history = (nodeId, column, metric, limit) -> store.metricHistory(nodeId, column, metric, limit * 2).stream()
                .filter(record -> record.published() && record.numericValue().isPresent()).limit(limit)
                .map(record -> new dev.baton.check.MetricHistory.Point(record.numericValue().getAsDouble(), record.recordedAt())).toList();
        Runner runner = new Runner(engine, project, plan, new RunOptions(runId, threadCount, failFast, keepFailed(), audit(), context.env(),
                incrementalOptions(store), history), sink);
        // A run inside the server is cancelled through the server's queue and on its shutdown;
        // a local run by Ctrl-C, which runs this hook.
        Thread onInterrupt = new Thread(() -> {
            runner.cancel();
            try {
                runner.awaitFinished(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "baton-cancel");
        if (context.serverRun().isPresent()) {
            context.serverRun().get().onCancel().accept(runner::cancel);
        } else {
            Runtime.getRuntime().addShutdownHook(onInterrupt);
        }
        RunStatus status;
        try {
            status = runner.run("baton " + context.commandLine());
        } finally {
            if (context.serverRun().isEmpty()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onInterrupt);
                } catch (IllegalStateException shuttingDown) {
                    // The JVM is exiting because of Ctrl-C; the hook is running and waits for us.
                }
            }
            sink.close();
            if (plan.steps().stream().anyMatch(step -> step.action() == dev.baton.plan.Action.INGEST)) {
                LoadMirror.sync(engine, store);
            }
        }
        return exitCode(status, runner.failedOnUserError());
    }

    private static int exitCode(RunStatus status, boolean failedOnUserError) {
        return switch (status) {
            case SUCCESS -> 0;
            case CANCELLED -> CANCELLED_EXIT;
            default -> failedOnUserError ? 2 : 1;
        };
    }

    private static Map<String, String> kinds(Project project, Plan plan) {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (PlanStep step : plan.steps()) {
            Node node = project.node(step.nodeId()).orElseThrow();
            kinds.put(step.nodeId(), switch (node.resourceType()) {
                case MODEL -> node.config().materialized().label() + " model";
                case TEST -> "data test";
                default -> node.resourceType().label();
            });
        }
        return kinds;
    }
}
