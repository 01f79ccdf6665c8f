package dev.baton.cli;

import dev.baton.artifact.Artifacts;
import dev.baton.artifact.CompileStamp;
import dev.baton.artifact.DeltaCompile;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Render every model and test to SQL under target/compiled/ and write target/manifest.json, without touching the warehouse; "
                + "with --select, also print the compiled SQL of each selected node named in the selection.")
final class CompileCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

    @Mixin
    SelectionOptions selectionOptions;

    CompileCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        long start = System.nanoTime();
        long startedEpochNanos = java.time.Instant.now().toEpochMilli() * 1_000_000L;
        LoadOptions options = projectOptions.loadOptions(context.env());
        Path root = options.projectDir().toAbsolutePath().normalize();
        dev.baton.project.ProjectSettings settings = ProjectLoader.settings(root, context.env());
        Path targetDir = root.resolve(settings.targetPath());
        String key = projectOptions.compileStampKey(context.env());
        if (!options.partialParse()) {
            CompileStamp.forget(targetDir);
        } else {
            Optional<CompileStamp.Previous> previous = CompileStamp.read(targetDir, key, context.env());
            if (previous.isPresent()) {
                CompileStamp.Summary summary = previous.get().summary();
                CompileStamp.Changes changes = previous.get().changes();
                String done = null;
                if (changes.none()) {
                    done = "nothing changed since the last compile";
                } else {
                    Optional<DeltaCompile.Outcome> outcome = DeltaCompile.apply(options, settings.modelPaths(), previous.get(), changes, UUID.randomUUID().toString(),
                            startedEpochNanos);
                    if (outcome.isPresent()) {
                        int edited = outcome.get().edited();
                        done = edited + (edited == 1 ? " edited model" : " edited models") + " rendered again, the rest kept from the last compile";
                    }
                }
                if (done != null) {
                    summary.warnings().forEach(warning -> context.err().println("warning: " + warning));
                    context.out().printf("Compiled %d models and %d tests to %s in %.2fs (%s)%n", summary.models(), summary.tests(),
                            root.relativize(targetDir.resolve("compiled")), (System.nanoTime() - start) / 1e9, done);
                    if (selectionOptions.any()) {
                        printSelected(Workspace.load(projectOptions, context));
                    }
                    return 0;
                }
            }
        }
        ProjectLoader.Loaded loaded = ProjectLoader.loadRecordingInputs(options);
        Project project = loaded.project();
        project.warnings().forEach(warning -> context.err().println("warning: " + warning));
        Written written = writeInFull(project, options.partialParse(), selectionOptions.any());
        CompileStamp.Summary summary = CompileStamp.Summary.of(project);
        if (options.partialParse()) {
            CompileStamp.write(project.targetDir(), key, loaded.inputs(), written.folders(), summary, startedEpochNanos);
        }
        context.out().printf("Compiled %d models and %d tests to %s in %.2fs%n", summary.models(), summary.tests(),
                project.root().relativize(project.targetDir().resolve("compiled")), (System.nanoTime() - start) / 1e9);
        if (selectionOptions.any()) {
            printSelected(new Workspace(project, written.graph().orElseThrow()));
        }
        return 0;
    }

    /**
     * As {@code dbt compile --select}: the compiled SQL of each selected node whose name the selection
     * spells out ({@code -s orders} or {@code -s +orders} prints orders, not its parents).
     */
    private void printSelected(Workspace workspace) {
        dev.baton.graph.selector.Selection selection;
        try (LazyStore store = new LazyStore(workspace.project())) {
            selection = workspace.select(selectionOptions.spec(), selectionOptions.stateDir(), context, store);
        }
        java.util.Set<String> named = selectionOptions.spec().namedNodes();
        for (String id : selection.nodeIds()) {
            dev.baton.project.Node node = workspace.graph().node(id);
            if (named.contains(node.name()) && !node.compiledSql().isEmpty()) {
                context.out().printf("Compiled node '%s' is:%n%s%n", node.name(), node.compiledSql());
            }
        }
    }

    /** What a full compile wrote: the folders that hold compiled files; and the project's graph, when it was asked to keep it. */
    private record Written(java.util.Set<Path> folders, Optional<dev.baton.graph.Graph> graph) {}

    /**
     * Checks the graph for cycles, then writes the compile's outputs in full; the nodes' own hashes,
     * which the manifest needs and which need no graph, are made while the graph is checked. The graph
     * is kept only with {@code keepGraph}: a large project's graph would otherwise stay in memory
     * for all of the writing.
     */
    private static Written writeInFull(Project project, boolean remember, boolean keepGraph) {
        dev.baton.plan.Fingerprints fingerprints = dev.baton.plan.Fingerprints.of(project);
        java.util.concurrent.CompletableFuture<dev.baton.plan.Fingerprints> hashing = java.util.concurrent.CompletableFuture.supplyAsync(fingerprints::ownAll);
        try {
            Optional<dev.baton.graph.Graph> graph = Optional.of(dev.baton.graph.Graph.of(project.nodes().values())).filter(checked -> keepGraph);
            return new Written(Artifacts.writeInFull(project, UUID.randomUUID().toString(), remember), graph);
        } finally {
            // Nothing goes on behind an error; and these fingerprints stay the project's until here.
            hashing.handle((done, failure) -> null).join();
            java.lang.ref.Reference.reachabilityFence(fingerprints);
        }
    }
}
