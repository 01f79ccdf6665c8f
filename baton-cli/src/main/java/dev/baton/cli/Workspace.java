package dev.baton.cli;

import dev.baton.graph.Graph;
import dev.baton.graph.selector.NodeSelector;
import dev.baton.graph.selector.Selection;
import dev.baton.graph.selector.SelectionSpec;
import dev.baton.graph.selector.SelectorsFile;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A loaded project with its graph: what every command starts from. */
record Workspace(Project project, Graph graph) {
    static Workspace load(ProjectOptions options, CliContext context) {
        return of(ProjectLoader.load(options.loadOptions(context.env())), context);
    }

    /** Loads the project and records what the load read, for a command that leaves a compile stamp behind. */
    static Recorded loadRecordingInputs(ProjectOptions options, CliContext context) {
        ProjectLoader.Loaded loaded = ProjectLoader.loadRecordingInputs(options.loadOptions(context.env()));
        return new Recorded(of(loaded.project(), context), loaded.inputs());
    }

    /** A workspace and the inputs its project was loaded from. */
    record Recorded(Workspace workspace, dev.baton.project.ProjectInputs inputs) {}

    private static Workspace of(Project project, CliContext context) {
        for (String warning : project.warnings()) {
            context.err().println("warning: " + warning);
        }
        return new Workspace(project, Graph.of(project.nodes().values()));
    }

    /** Selects nodes; {@code state:} and {@code result:} criteria read {@code store}, which is asked for only when one is used. */
    Selection select(SelectionSpec spec, CliContext context, java.util.function.Supplier<dev.baton.state.StateStore> store) {
        return select(spec, java.util.Optional.empty(), context, store);
    }

    /** As {@link #select(SelectionSpec, CliContext, java.util.function.Supplier)}; {@code state:} compares with {@code stateDir/manifest.json} when given. */
    Selection select(SelectionSpec spec, java.util.Optional<Path> stateDir, CliContext context, java.util.function.Supplier<dev.baton.state.StateStore> store) {
        Path selectorsPath = project.root().resolve("selectors.yml");
        SelectorsFile selectors = SelectorsFile.empty();
        if (Files.isRegularFile(selectorsPath)) {
            try {
                selectors = SelectorsFile.parse(Files.readString(selectorsPath), "selectors.yml");
            } catch (IOException e) {
                throw new dev.baton.api.BatonException(dev.baton.api.ErrorCode.INVALID_SELECTOR, "cannot read selectors.yml: " + e.getMessage());
            }
        }
        Selection selection = NodeSelector.create(graph, selectors,
                dev.baton.state.StateSelectorMethods.register(dev.baton.graph.selector.SelectorMethods.builtIn(), java.util.Optional.of(project), store, stateDir)).select(spec);
        for (String warning : selection.warnings()) {
            context.err().println("warning: " + warning);
        }
        return selection;
    }
}
