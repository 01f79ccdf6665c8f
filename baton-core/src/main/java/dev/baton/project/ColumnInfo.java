package dev.baton.project;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import java.util.Map;
import java.util.Optional;

/**
 * A column as documented in properties YAML.
 *
 * @param tags the column's {@code tags} ({@code pii} masks its values in failing-row samples)
 * @param constraints the column's {@code constraints} as written, for contracts
 */
public record ColumnInfo(String name, String description, Optional<String> dataType, Map<String, Object> meta, SourceLocation location,
        java.util.List<String> tags, java.util.List<Map<String, Object>> constraints) {
    public ColumnInfo(String name, String description, Optional<String> dataType, Map<String, Object> meta, SourceLocation location) {
        this(name, description, dataType, meta, location, java.util.List.of(), java.util.List.of());
    }

    public ColumnInfo {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(dataType, "dataType is null");
        meta = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(meta));
        requireNonNull(location, "location is null");
        tags = java.util.List.copyOf(tags);
        constraints = java.util.List.copyOf(constraints);
    }

    /** Whether samples mask this column's values: {@code meta: {pii: true}} or a {@code pii} tag. */
    public boolean pii() {
        return Boolean.TRUE.equals(meta.get("pii")) || "true".equals(String.valueOf(meta.get("pii"))) || tags.contains("pii");
    }
}
