package dev.baton.cli;

import dev.baton.artifact.Artifacts;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
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
        Workspace workspace = Workspace.load(projectOptions, context);
        java.util.concurrent.CompletableFuture<Void> manifest = java.util.concurrent.CompletableFuture.runAsync(
                () -> Artifacts.writeManifest(workspace.project(), UUID.randomUUID().toString()));
        Artifacts.writeCompiled(workspace.project());
        BackgroundOpen.join(manifest);
        long models = 0;
        long tests = 0;
        for (Node node : workspace.project().nodes().values()) {
            if (node.resourceType() == ResourceType.MODEL) {
                models++;
            } else if (node.resourceType() == ResourceType.TEST) {
                tests++;
            }
        }
        context.out().printf("Compiled %d models and %d tests to %s in %.2fs%n", models, tests,
                workspace.project().root().relativize(workspace.project().targetDir().resolve("compiled")), (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
