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
        // The nodes' own hashes, which the manifest needs and which need no graph, while the graph is checked.
        dev.baton.plan.Fingerprints fingerprints = dev.baton.plan.Fingerprints.of(project);
        java.util.concurrent.CompletableFuture<dev.baton.plan.Fingerprints> hashing = java.util.concurrent.CompletableFuture.supplyAsync(fingerprints::ownAll);
        try {
            dev.baton.graph.Graph.of(project.nodes().values());
        } catch (RuntimeException e) {
            hashing.handle((done, failure) -> null).join();
            throw e;
        }
        // The compiled files in the background; the manifest, then the index the next compile patches
        // it by, on this thread. The manifest takes longer, and this thread takes part in its parallel
        // steps, so once the compiled files are written both cores serialise it.
        java.util.concurrent.CompletableFuture<java.util.Set<Path>> compiled = java.util.concurrent.CompletableFuture.supplyAsync(() -> Artifacts.writeCompiled(project));
        // The index the next compile patches the manifest by is made meanwhile too; only the places
        // in the manifest wait for it.
        java.util.concurrent.CompletableFuture<DeltaCompile.Remembering> remembering = options.partialParse()
                ? java.util.concurrent.CompletableFuture.supplyAsync(() -> DeltaCompile.prepareToRemember(project))
                : java.util.concurrent.CompletableFuture.completedFuture(null);
        try {
            Artifacts.ManifestLayout layout = Artifacts.writeManifest(project, UUID.randomUUID().toString());
            if (options.partialParse()) {
                BackgroundOpen.join(remembering).remember(layout);
            }
        } catch (RuntimeException e) {
            // Nothing goes on writing behind the error.
            compiled.handle((folders, failure) -> null).join();
            remembering.handle((index, failure) -> null).join();
            throw e;
        }
        java.util.Set<Path> outputFolders = BackgroundOpen.join(compiled);
        BackgroundOpen.join(hashing);
        // Held until here: the manifest and the compiled files find these fingerprints by the project.
        java.lang.ref.Reference.reachabilityFence(fingerprints);
        CompileStamp.Summary summary = CompileStamp.Summary.of(project);
        if (options.partialParse()) {
            CompileStamp.write(project.targetDir(), key, loaded.inputs(), outputFolders, summary, startedEpochNanos);
        }
        context.out().printf("Compiled %d models and %d tests to %s in %.2fs%n", summary.models(), summary.tests(),
                project.root().relativize(project.targetDir().resolve("compiled")), (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
