package dev.baton.api.event;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What happened to one node in a run.
 *
 * @param nodeId the node's unique id, such as {@code model.shop.orders}
 * @param resourceType model, seed, test, …
 * @param relation the relation the node wrote, if any (such as {@code main.orders})
 * @param status the outcome
 * @param message one line for people: {@code created table main.orders}, an error, or a failure count
 * @param startedAt when it started
 * @param duration how long it ran
 * @param rowsAffected rows written, when the engine reports them
 * @param failures failing rows of a test
 * @param compiledSqlHash SHA-256 of the compiled SQL, when there is SQL
 * @param fingerprint what the node was built from, for nodes that build something
 */
public record NodeResult(
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
        Optional<Fingerprint> fingerprint) {
    public NodeResult(String nodeId, String resourceType, Optional<String> relation, NodeStatus status, String message, Instant startedAt,
            Duration duration, OptionalLong rowsAffected, OptionalLong failures, Optional<String> compiledSqlHash) {
        this(nodeId, resourceType, relation, status, message, startedAt, duration, rowsAffected, failures, compiledSqlHash, Optional.empty());
    }

    public NodeResult {
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
        requireNonNull(fingerprint, "fingerprint is null");
    }
}
