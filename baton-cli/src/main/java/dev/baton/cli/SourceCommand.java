package dev.baton.cli;

import dev.baton.api.engine.Engine;
import dev.baton.engine.Engines;
import dev.baton.graph.selector.Selection;
import dev.baton.ingest.freshness.SourceFreshness;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "source", mixinStandardHelpOptions = true, description = "Commands about sources.", subcommands = SourceCommand.Freshness.class)
final class SourceCommand implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "name a subcommand: freshness");
    }

    @Command(name = "freshness", mixinStandardHelpOptions = true,
            description = "Check the selected sources' newest loaded_at_field against their freshness: warn_after and error_after, as dbt does.")
    static final class Freshness implements Callable<Integer> {
        private final CliContext context;

        @Mixin
        ProjectOptions projectOptions;

        @Mixin
        SelectionOptions selectionOptions;

        Freshness(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Workspace workspace = Workspace.load(projectOptions, context);
            Project project = workspace.project();
            Selection selection;
            try (LazyStore store = new LazyStore(project)) {
                selection = workspace.select(selectionOptions.spec(), context, store);
            }
            int checked = 0;
            int errors = 0;
            try (Engine engine = Engines.open(project.target(), project.root(), 0, context.env())) {
                for (String id : selection.nodeIds()) {
                    Node node = workspace.graph().node(id);
                    if (node.resourceType() != ResourceType.SOURCE || !SourceFreshness.declared(node)) {
                        continue;
                    }
                    SourceFreshness.Result result = SourceFreshness.check(engine, node);
                    checked++;
                    if (result.status().equals("error") || result.status().equals("runtime error")) {
                        errors++;
                    }
                    context.out().println(String.format("%-13s source %s.%s: %s", result.status().toUpperCase(java.util.Locale.ROOT), node.fqn().get(1),
                            node.name(), result.message()));
                }
            }
            if (checked == 0) {
                context.out().println("Nothing to do: no selected source declares loaded_at_field and freshness.");
            }
            return errors > 0 ? 1 : 0;
        }
    }
}
