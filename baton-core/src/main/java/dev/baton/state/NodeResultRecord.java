package dev.baton.state;

import static java.util.Objects.requireNonNull;

import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One remembered node result: the fields of {@link NodeResult} (times with millisecond
 * precision), the run it belongs to, and the full error text when the node failed.
 */
public record NodeResultRecord(
        String runId,
        String nodeId,
        String resourceType,
        Optional<String> relation,
        NodeStatus status,
        String message,
        Instant startedAt,
        Duration duration,
        OptionalLong rowsAffected,
        OptionalLong failures,
        Optional<String> compiledSqlHash,
        Optional<String> errorMessage) {
    public NodeResultRecord {
        requireNonNull(runId, "runId is null");
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(relation, "relation is null");
        requireNonNull(status, "status is null");
        requireNonNull(message, "message is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(duration, "duration is null");
        requireNonNull(rowsAffected, "rowsAffected is null");
        requireNonNull(failures, "failures is null");
        requireNonNull(compiledSqlHash, "compiledSqlHash is null");
        requireNonNull(errorMessage, "errorMessage is null");
    }

    /** The result as the runner reported it. */
    public NodeResult toNodeResult() {
        return new NodeResult(nodeId, resourceType, relation, status, message, startedAt, duration, rowsAffected, failures, compiledSqlHash);
    }
}
