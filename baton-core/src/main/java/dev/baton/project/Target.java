package dev.baton.project;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a project builds: an engine and its connection. For DuckDB, {@code path} is the database
 * file, relative to the project folder unless absolute.
 */
public record Target(String name, String type, Optional<String> path, String schema, int threads, Map<String, Object> settings, SourceLocation location) {
    public Target {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(path, "path is null");
        requireNonNull(schema, "schema is null");
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        requireNonNull(location, "location is null");
    }

    /** The target as templates see it ({@code target.name}, {@code target.schema}, …). */
    public Map<String, Object> asTemplateValue() {
        Map<String, Object> value = new LinkedHashMap<>(settings);
        // A password stays out of templates, the manifest and the parse cache's inputs.
        value.remove("password");
        value.remove("pass");
        value.put("name", name);
        value.put("type", type);
        value.put("schema", schema);
        value.put("threads", threads);
        value.put("database", path.map(p -> p.replaceAll("^.*/", "").replaceAll("\\.[^.]*$", ""))
                .orElseGet(() -> String.valueOf(settings.getOrDefault("dbname", settings.getOrDefault("database", "memory")))));
        path.ifPresent(p -> value.put("path", p));
        return value;
    }
}
