package dev.baton.materialization;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.RunStatus;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.graph.Graph;
import dev.baton.plan.CommandKind;
import dev.baton.plan.Plan;
import dev.baton.plan.Planner;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.run.RecordingSink;
import dev.baton.run.RunOptions;
import dev.baton.run.Runner;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A project folder, its warehouse (DuckDB unless given) and its state store, for tests of incremental models. */
final class IncrementalFixture implements AutoCloseable {
    final Path root;
    final Engine engine;
    final StateStore store;
    RecordingSink last;
    RunStatus lastStatus;
    boolean lastUserError;

    IncrementalFixture(Path root) {
        this(root, DuckDbEngines.open(root.resolve("w.duckdb"), "main", 4));
    }

    IncrementalFixture(Path root, Engine engine) {
        this.root = root;
        write("baton.yml", "name: p\n");
        this.engine = engine;
        this.store = StateStore.open(root, Optional.empty());
    }

    IncrementalFixture write(String path, String content) {
        try {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Project load() {
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    /** Runs {@code baton build} over every node with these incremental options; returns each node's result. */
    Map<String, NodeResult> build(IncrementalOptions options) {
        Project project = load();
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(CommandKind.BUILD, project, graph, new LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        last = new RecordingSink();
        Runner runner = new Runner(engine, project, plan, new RunOptions("0123456789abcdef", 4, false, false, true, Map.of(), options), last);
        lastStatus = runner.run("baton build");
        lastUserError = runner.failedOnUserError();
        return last.results();
    }

    Map<String, NodeResult> build() {
        return build(IncrementalOptions.of(store));
    }

    /** Runs SQL statements in the warehouse. */
    void sql(String... statements) {
        try (EngineSession session = engine.openSession()) {
            for (String statement : statements) {
                session.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of a query, each as its values joined by '|'. */
    List<String> rows(String query) {
        try (EngineSession session = engine.openSession()) {
            List<String> rows = new ArrayList<>();
            for (List<String> row : session.query(query, Integer.MAX_VALUE).rows()) {
                rows.add(String.join("|", row.stream().map(String::valueOf).toList()));
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        store.close();
        engine.close();
    }
}
