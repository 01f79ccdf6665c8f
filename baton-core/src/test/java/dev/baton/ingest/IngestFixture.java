package dev.baton.ingest;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.project.LoadOptions;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.state.LoadRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A project with sources YAML, the real PostgreSQL and MariaDB servers, and loads run the way the runner runs them. */
public final class IngestFixture {
    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/?user=root";

    private IngestFixture() {}

    public static Project project(Path root, String sourcesYaml) {
        try {
            Files.createDirectories(root.resolve("models"));
            Files.writeString(root.resolve("baton.yml"), "name: app\n");
            Files.writeString(root.resolve("models/sources.yml"), sourcesYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    public static LoadRecord load(Engine engine, Project project, String nodeId, Map<String, String> env, LoadObserver observer) throws SQLException {
        Node node = project.node(nodeId).orElseThrow(() -> new IllegalArgumentException("no node " + nodeId + " in " + project.nodes().keySet()));
        try (EngineSession session = engine.openSession()) {
            session.createSchemaIfMissing(node.relation().orElseThrow().schema());
            return new SourceLoad(engine, session, project.root(), node, "run-" + System.nanoTime(), env, observer).run();
        }
    }

    public static LoadRecord load(Engine engine, Project project, String nodeId) throws SQLException {
        return load(engine, project, nodeId, Map.of(), LoadObserver.NONE);
    }

    public static List<List<String>> rows(Engine engine, String sql) throws SQLException {
        try (EngineSession session = engine.openSession()) {
            QueryResult result = session.query(sql, Integer.MAX_VALUE);
            return result.rows();
        }
    }

    public static Connection postgres() throws SQLException {
        return DriverManager.getConnection(POSTGRES_URL);
    }

    public static Connection mariadb() throws SQLException {
        return DriverManager.getConnection(MARIADB_URL);
    }

    public static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    public static List<List<String>> query(Connection connection, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); var results = statement.executeQuery(sql)) {
            int count = results.getMetaData().getColumnCount();
            while (results.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= count; i++) {
                    row.add(results.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Finds a source connection that is streaming rows and kills it; says whether it killed one. */
    public interface Killer {
        boolean killOne(Connection watcher) throws Exception;
    }

    /** A load and how many source connections were killed while it ran. */
    public record KilledLoad(LoadRecord load, int kills) {}

    /**
     * Runs {@code load} while a watcher, on a connection of its own, tries every 20 ms to kill one
     * source connection that is already streaming rows, until it has killed one or the load ends.
     */
    public static KilledLoad loadWhileKillingOnce(java.util.concurrent.Callable<Connection> watcherConnection, Killer killer,
            java.util.concurrent.Callable<LoadRecord> load) throws Exception {
        java.util.concurrent.atomic.AtomicInteger kills = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            try (Connection connection = watcherConnection.call()) {
                while (loading.get() && kills.get() == 0) {
                    if (killer.killOne(connection)) {
                        kills.incrementAndGet();
                    }
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        watcher.start();
        try {
            return new KilledLoad(load.call(), kills.get());
        } finally {
            loading.set(false);
            watcher.join();
        }
    }
}
