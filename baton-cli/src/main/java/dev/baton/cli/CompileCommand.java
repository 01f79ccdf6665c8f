package dev.baton.cli;

import dev.baton.artifact.Artifacts;
import dev.baton.artifact.CompileStamp;
import dev.baton.artifact.DeltaCompile;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Render every model and test to SQL under target/compiled/ and write target/manifest.json, without touching the warehouse.")
final class CompileCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

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
                    return 0;
                }
            }
        }
        ProjectLoader.Loaded loaded = ProjectLoader.loadRecordingInputs(options);
        Project project = loaded.project();
        project.warnings().forEach(warning -> context.err().println("warning: " + warning));
        java.util.Set<Path> outputFolders = writeInFull(project, options.partialParse());
        CompileStamp.Summary summary = CompileStamp.Summary.of(project);
        if (options.partialParse()) {
            CompileStamp.write(project.targetDir(), key, loaded.inputs(), outputFolders, summary, startedEpochNanos);
        }
        context.out().printf("Compiled %d models and %d tests to %s in %.2fs%n", summary.models(), summary.tests(),
                project.root().relativize(project.targetDir().resolve("compiled")), (System.nanoTime() - start) / 1e9);
        return 0;
    }

    /**
     * Checks the graph for cycles, then writes the manifest, the compiled files and (when {@code
     * remember}) the index the next compile patches the manifest by, keeping both cores busy: the
     * nodes' own hashes while the graph is checked, then the manifest on this thread, which takes
     * part in its parallel steps, and the compiled files and the index beside it. Returns the folders
     * that hold compiled files.
     */
    private static java.util.Set<Path> writeInFull(Project project, boolean remember) {
        dev.baton.plan.Fingerprints fingerprints = dev.baton.plan.Fingerprints.of(project);
        java.util.concurrent.CompletableFuture<dev.baton.plan.Fingerprints> hashing = java.util.concurrent.CompletableFuture.supplyAsync(fingerprints::ownAll);
        try {
            dev.baton.graph.Graph.of(project.nodes().values());
        } catch (RuntimeException e) {
            hashing.handle((done, failure) -> null).join();
            throw e;
        }
        java.util.concurrent.CompletableFuture<java.util.Set<Path>> compiled = java.util.concurrent.CompletableFuture.supplyAsync(() -> Artifacts.writeCompiled(project));
        java.util.concurrent.CompletableFuture<DeltaCompile.Remembering> remembering = remember
                ? java.util.concurrent.CompletableFuture.supplyAsync(() -> DeltaCompile.prepareToRemember(project))
                : java.util.concurrent.CompletableFuture.completedFuture(null);
        try {
            Artifacts.ManifestLayout layout = Artifacts.writeManifest(project, UUID.randomUUID().toString());
            if (remember) {
                // Only the places in the manifest waited for the manifest.
                BackgroundOpen.join(remembering).remember(layout);
            }
        } catch (RuntimeException e) {
            // Nothing goes on writing behind the error.
            for (java.util.concurrent.CompletableFuture<?> background : List.of(compiled, remembering, hashing)) {
                background.handle((done, failure) -> null).join();
            }
            throw e;
        }
        java.util.Set<Path> folders = BackgroundOpen.join(compiled);
        BackgroundOpen.join(hashing);
        // Held until here: the manifest, the compiled files and the index find these fingerprints by the project.
        java.lang.ref.Reference.reachabilityFence(fingerprints);
        return folders;
    }
}
