package dev.baton.project;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import java.util.Map;
import java.util.Optional;

/** A column as documented in properties YAML. */
public record ColumnInfo(String name, String description, Optional<String> dataType, Map<String, Object> meta, SourceLocation location) {
    public ColumnInfo {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(dataType, "dataType is null");
        meta = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(meta));
        requireNonNull(location, "location is null");
    }
}
