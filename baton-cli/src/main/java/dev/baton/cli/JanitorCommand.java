package dev.baton.cli;

import dev.baton.api.engine.Engine;
import dev.baton.engine.Engines;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.state.StateStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "janitor", mixinStandardHelpOptions = true,
        description = "Mark runs that died as crashed and drop the staging relations they left (every build also does this first).")
final class JanitorCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

    JanitorCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Project project = ProjectLoader.load(projectOptions.loadOptions(context.env()));
        try (StateStore store = StateStore.open(project.root(), project.settings().stateUrl());
                Engine engine = Engines.open(project.target(), project.root(), 1, context.env())) {
            if (Cleanup.run(project, store, engine, context.out()) == 0) {
                context.out().println("Nothing to clean.");
            }
        }
        return 0;
    }
}
