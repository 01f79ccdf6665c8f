package dev.baton.api.ingest;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What one load asks of a connector.
 *
 * @param sourceName the source table as users name it, {@code source:app.orders}-style {@code app.orders}
 * @param tableName the source table's name, the default of what a connector reads
 * @param options the connector block, with {@code env_var()} resolved
 * @param previousWatermark the high-water mark the last committed load reached, if any
 */
public record ExtractRequest(String sourceName, String tableName, ConnectorOptions options, Optional<String> previousWatermark) {
    public ExtractRequest {
        requireNonNull(sourceName, "sourceName is null");
        requireNonNull(tableName, "tableName is null");
        requireNonNull(options, "options is null");
        requireNonNull(previousWatermark, "previousWatermark is null");
    }
}
