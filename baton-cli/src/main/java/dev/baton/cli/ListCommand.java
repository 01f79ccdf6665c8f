package dev.baton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.graph.selector.Selection;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "ls", aliases = "list", mixinStandardHelpOptions = true, description = "List the selected nodes.")
final class ListCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    ProjectOptions projectOptions;

    @Mixin
    SelectionOptions selectionOptions;

    @Option(names = "--resource-type", paramLabel = "TYPE", description = "Only nodes of this type: model, seed, test or source.")
    String resourceType;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json (one object per line).")
    String output;

    ListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        OutputFormat format = OutputFormat.parse(output);
        Workspace workspace = Workspace.load(projectOptions, context);
        Selection selection;
        try (LazyStore store = new LazyStore(workspace.project())) {
            selection = workspace.select(selectionOptions.spec(), selectionOptions.stateDir(), context, store);
        }
        ObjectMapper json = new ObjectMapper();
        for (String id : selection.nodeIds()) {
            Node node = workspace.graph().node(id);
            if (resourceType != null && !node.resourceType().label().equals(resourceType)) {
                continue;
            }
            if (format == OutputFormat.JSON) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", node.name());
                entry.put("resource_type", node.resourceType().label());
                entry.put("package_name", node.packageName());
                entry.put("original_file_path", node.path());
                entry.put("unique_id", node.uniqueId());
                entry.put("alias", node.relation().map(r -> r.identifier()).orElse(null));
                entry.put("config", node.config().asMap());
                entry.put("tags", node.tags());
                entry.put("depends_on", Map.of("nodes", node.dependsOn()));
                context.out().println(json.writeValueAsString(entry));
            } else {
                context.out().println(display(node));
            }
        }
        return 0;
    }

    /** dbt's ls text: the fqn joined by dots, sources prefixed with {@code source:}. */
    static String display(Node node) {
        String fqn = String.join(".", node.fqn());
        return node.resourceType() == ResourceType.SOURCE ? "source:" + fqn : fqn;
    }
}
