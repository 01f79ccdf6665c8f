package dev.baton.schedule;

import static java.util.Objects.requireNonNull;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.project.Node;
import dev.baton.project.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads sensors of a project: for a folder, the count and newest modification time of its files
 * (so a new file changes the value); for a source, the newest value of its {@code loaded_at_field}.
 */
public final class ProjectSensorProbe implements SensorProbe {
    private final Project project;
    private final Engine engine;

    public ProjectSensorProbe(Project project, Engine engine) {
        this.project = requireNonNull(project, "project is null");
        this.engine = requireNonNull(engine, "engine is null");
    }

    @Override
    public Optional<String> read(Sensor sensor) {
        return sensor.kind() == Sensor.Kind.FILES ? files(project.root().resolve(sensor.target())) : newestLoad(project.node(sensor.target()).orElseThrow());
    }

    static Optional<String> files(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            long[] countAndNewest = {0, 0};
            paths.filter(Files::isRegularFile).forEach(file -> {
                countAndNewest[0]++;
                try {
                    countAndNewest[1] = Math.max(countAndNewest[1], Files.getLastModifiedTime(file).toMillis());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return countAndNewest[0] == 0 ? Optional.empty() : Optional.of(countAndNewest[0] + " files, newest " + countAndNewest[1]);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private Optional<String> newestLoad(Node source) {
        String field = String.valueOf(source.config().other().get("loaded_at_field"));
        String sql = "SELECT CAST(max(" + field + ") AS VARCHAR) FROM " + engine.render(source.relation().orElseThrow());
        try (EngineSession session = engine.openSession()) {
            QueryResult result = session.query(sql, 1);
            return result.rows().isEmpty() ? Optional.empty() : Optional.ofNullable(result.rows().get(0).get(0));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}
