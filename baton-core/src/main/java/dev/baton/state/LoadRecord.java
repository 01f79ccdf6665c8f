package dev.baton.state;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One committed load of a source.
 *
 * @param loadId the load's id
 * @param runId the run that loaded it
 * @param nodeId the source node, such as {@code source.shop.app.orders}
 * @param relation the warehouse table, {@code schema.table}
 * @param connector the connector type
 * @param mode {@code full} or {@code incremental}
 * @param startedAt when the load started
 * @param duration how long it took up to the commit
 * @param rowsRead rows the connector read from the source
 * @param rowsLoaded rows that landed in the table
 * @param rowsQuarantined rows set aside as bad
 * @param watermark the high-water mark the load reached (incremental loads)
 */
public record LoadRecord(String loadId, String runId, String nodeId, String relation, String connector, String mode, Instant startedAt,
        Duration duration, long rowsRead, long rowsLoaded, long rowsQuarantined, Optional<String> watermark) {
    public LoadRecord {
        requireNonNull(loadId, "loadId is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(relation, "relation is null");
        requireNonNull(connector, "connector is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(watermark, "watermark is null");
    }
}
