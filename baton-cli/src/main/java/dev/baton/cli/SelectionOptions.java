package dev.baton.cli;

import dev.baton.graph.selector.IndirectSelection;
import dev.baton.graph.selector.SelectionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** dbt's node selection flags. */
final class SelectionOptions {
    @Option(names = {"-s", "--select", "-m", "--models"}, arity = "1..*", paramLabel = "SELECTOR",
            description = "Nodes to include: names, +a, a+, n+a, a+n, @a, tag:x, path:dir, resource_type:model, config.materialized:table; "
                    + "space means union, comma means intersection.")
    List<String> select = new ArrayList<>();

    @Option(names = "--exclude", arity = "1..*", paramLabel = "SELECTOR", description = "Nodes to leave out, in the same syntax.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--selector", paramLabel = "NAME", description = "A selector defined in selectors.yml.")
    String selector;

    @Option(names = "--indirect-selection", paramLabel = "MODE", defaultValue = "eager",
            description = "Which tests follow the selected nodes: eager (default: a test of any selected node), cautious, buildable or empty.")
    String indirectSelection;

    @Option(names = "--state", paramLabel = "DIR",
            description = "Compare state: selectors with DIR/manifest.json (a previous run's target folder, Baton's or dbt's) instead of the state store.")
    java.nio.file.Path state;

    /** The folder of the manifest that state: selectors compare with, when given. */
    Optional<java.nio.file.Path> stateDir() {
        return Optional.ofNullable(state).map(java.nio.file.Path::toAbsolutePath);
    }

    /** Whether any selection flag was given. */
    boolean any() {
        return !select.isEmpty() || !exclude.isEmpty() || selector != null;
    }

    SelectionSpec spec() {
        return new SelectionSpec(split(select), split(exclude), Optional.ofNullable(selector), IndirectSelection.fromLabel(indirectSelection));
    }

    /** Accepts both "-s a b" and "-s 'a b'". */
    private static List<String> split(List<String> values) {
        List<String> result = new ArrayList<>();
        for (String value : values) {
            for (String part : value.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    result.add(part);
                }
            }
        }
        return result;
    }
}
