package dev.baton.api.ingest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What one load asks of a connector.
 *
 * @param sourceName the source table as users name it, {@code source:app.orders}-style {@code app.orders}
 * @param tableName the source table's name, the default of what a connector reads
 * @param options the connector block, with {@code env_var()} resolved
 * @param previousWatermark the high-water mark the last committed load reached, if any
 * @param projectDir the project folder, which relative paths start from
 * @param declaredTypes column types declared with {@code data_type} in the source's YAML
 */
public record ExtractRequest(String sourceName, String tableName, ConnectorOptions options, Optional<String> previousWatermark, Path projectDir,
        Map<String, String> declaredTypes) {
    public ExtractRequest {
        requireNonNull(projectDir, "projectDir is null");
        declaredTypes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(declaredTypes));
        requireNonNull(sourceName, "sourceName is null");
        requireNonNull(tableName, "tableName is null");
        requireNonNull(options, "options is null");
        requireNonNull(previousWatermark, "previousWatermark is null");
    }
}
