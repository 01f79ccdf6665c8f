package dev.baton.kafka;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.ingest.LoadObserver;
import dev.baton.ingest.SourceLoad;
import dev.baton.project.LoadOptions;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.state.LoadRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A project with sources YAML and loads run the way the runner runs them. */
final class KafkaLoads {
    private KafkaLoads() {}

    static Project project(Path root, String sourcesYaml) throws IOException {
        Files.createDirectories(root.resolve("models"));
        Files.writeString(root.resolve("baton.yml"), "name: app\n");
        Files.writeString(root.resolve("models/sources.yml"), sourcesYaml);
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    static LoadRecord load(Engine engine, Project project, String nodeId, LoadObserver observer) throws SQLException {
        Node node = project.node(nodeId).orElseThrow();
        try (EngineSession session = engine.openSession()) {
            session.createSchemaIfMissing(node.relation().orElseThrow().schema());
            return new SourceLoad(engine, session, project.root(), node, "run-" + System.nanoTime(), Map.of(), observer).run();
        }
    }

    static List<List<String>> rows(Engine engine, String sql) throws SQLException {
        try (EngineSession session = engine.openSession()) {
            return session.query(sql, Integer.MAX_VALUE).rows();
        }
    }
}
