package dev.baton.server.ui;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.graph.Graph;
import dev.baton.graph.selector.NodeSelector;
import dev.baton.graph.selector.SelectionSpec;
import dev.baton.graph.selector.SelectorMethods;
import dev.baton.graph.selector.SelectorsFile;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import dev.baton.server.catalog.Catalog;
import dev.baton.state.StateSelectorMethods;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** The loaded project's dependency graph and selector engine, built once per loaded project. */
final class ProjectView {
    private final Supplier<Catalog> catalog;
    private final StateStore store;
    private final AtomicReference<Built> built = new AtomicReference<>();

    private record Built(Catalog catalog, Graph graph) {}

    ProjectView(Supplier<Catalog> catalog, StateStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    Catalog catalog() {
        return catalog.get();
    }

    Graph graph() {
        Catalog current = catalog.get();
        Built cached = built.get();
        if (cached == null || cached.catalog() != current) {
            cached = new Built(current, Graph.of(current.project().nodes().values()));
            built.set(cached);
        }
        return cached.graph();
    }

    /** The ids of the sources, seeds and models a selector picks, in the project's order; tests are left out. */
    Set<String> select(String selector) {
        Graph graph = graph();
        Set<String> ids = new LinkedHashSet<>();
        if (selector.isBlank()) {
            for (Node node : graph.nodes()) {
                if (node.resourceType() != ResourceType.TEST) {
                    ids.add(node.uniqueId());
                }
            }
            return ids;
        }
        Set<String> picked = NodeSelector.create(graph, selectors(), StateSelectorMethods.register(SelectorMethods.builtIn(), () -> store))
                .select(SelectionSpec.of(selector)).nodeIds();
        for (Node node : graph.nodes()) {
            if (node.resourceType() != ResourceType.TEST && picked.contains(node.uniqueId())) {
                ids.add(node.uniqueId());
            }
        }
        return ids;
    }

    private SelectorsFile selectors() {
        Path file = catalog.get().project().root().resolve("selectors.yml");
        if (!Files.isRegularFile(file)) {
            return SelectorsFile.empty();
        }
        try {
            return SelectorsFile.parse(Files.readString(file), "selectors.yml");
        } catch (IOException e) {
            throw new BatonException(ErrorCode.INVALID_SELECTOR, "cannot read selectors.yml: " + e.getMessage());
        }
    }
}
