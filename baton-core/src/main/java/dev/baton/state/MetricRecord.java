package dev.baton.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One stored measurement of an audit.
 *
 * @param column the column, or empty for the whole relation
 * @param value the value as text (empty when the relation had no non-null value)
 * @param numericValue the value as a number, when it is one
 * @param published whether the audited version went live
 */
public record MetricRecord(String runId, String nodeId, String relation, String column, String metric, Optional<String> value,
        OptionalDouble numericValue, boolean published, Instant recordedAt) {
    public MetricRecord {
        requireNonNull(runId, "runId is null");
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(relation, "relation is null");
        requireNonNull(column, "column is null");
        requireNonNull(metric, "metric is null");
        requireNonNull(value, "value is null");
        requireNonNull(numericValue, "numericValue is null");
        requireNonNull(recordedAt, "recordedAt is null");
    }
}
