package dev.baton.api.engine;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A target as an engine provider sees it: its name, type and settings as written in
 * {@code baton.yml} or {@code profiles.yml} (with {@code env_var()} already resolved).
 *
 * @param projectRoot the project folder, which relative paths are resolved against
 * @param threads how many statements run at once; 0 or less leaves the engine's default
 * @param location where the target is defined, for errors about its settings
 */
public record EngineTarget(String name, String type, String schema, int threads, Map<String, Object> settings, Path projectRoot,
        SourceLocation location) {
    public EngineTarget {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(schema, "schema is null");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(settings, "settings is null")));
        requireNonNull(projectRoot, "projectRoot is null");
        requireNonNull(location, "location is null");
    }

    /** A setting as text, empty when missing or blank. */
    public Optional<String> setting(String key) {
        Object value = settings.get(key);
        return value == null || String.valueOf(value).isBlank() ? Optional.empty() : Optional.of(String.valueOf(value));
    }
}
