package dev.baton.run;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.graph.Graph;
import dev.baton.graph.selector.NodeSelector;
import dev.baton.graph.selector.Selection;
import dev.baton.graph.selector.SelectionSpec;
import dev.baton.graph.selector.SelectorMethods;
import dev.baton.graph.selector.SelectorsFile;
import dev.baton.project.Project;
import dev.baton.state.StateSelectorMethods;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Selects the nodes of a project the way every command does: selectors.yml, and state: and result: from the state store. */
public final class ProjectSelection {
    private ProjectSelection() {}

    /**
     * @param store asked for only when a criterion reads the state store
     * @throws BatonException {@code INVALID_SELECTOR} for a criterion that cannot be read
     */
    public static Selection select(Project project, Graph graph, SelectionSpec spec, Supplier<StateStore> store) {
        Path selectorsPath = project.root().resolve("selectors.yml");
        SelectorsFile selectors = SelectorsFile.empty();
        if (Files.isRegularFile(selectorsPath)) {
            try {
                selectors = SelectorsFile.parse(Files.readString(selectorsPath), "selectors.yml");
            } catch (IOException e) {
                throw new BatonException(ErrorCode.INVALID_SELECTOR, "cannot read selectors.yml: " + e.getMessage());
            }
        }
        return NodeSelector.create(graph, selectors, StateSelectorMethods.register(SelectorMethods.builtIn(), store)).select(spec);
    }
}
