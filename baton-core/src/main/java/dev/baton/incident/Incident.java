package dev.baton.incident;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Something wrong with an asset that people should look at. At most one incident per asset and
 * cause is open (not resolved) at a time; a recurrence while open raises {@code occurrences}.
 *
 * @param asset the node's unique id (for a check failure: the test's)
 * @param tier the tier of the asset (for a check: of the model it checks)
 * @param runbook the {@code meta.runbook} link of the asset
 * @param runId the build run that opened it, if a run did
 */
public record Incident(
        String id,
        String asset,
        Cause cause,
        IncidentStatus status,
        Optional<Integer> tier,
        Optional<String> owner,
        Optional<String> runbook,
        String summary,
        Optional<String> runId,
        Instant openedAt,
        Instant lastSeenAt,
        int occurrences,
        Optional<Instant> acknowledgedAt,
        Optional<String> acknowledgedBy,
        Optional<Instant> resolvedAt,
        Optional<String> resolvedBy,
        Optional<ResolutionReason> resolutionReason,
        Optional<String> resolutionNote) {
    public Incident {
        requireNonNull(id, "id is null");
        requireNonNull(asset, "asset is null");
        requireNonNull(cause, "cause is null");
        requireNonNull(status, "status is null");
        requireNonNull(tier, "tier is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(runbook, "runbook is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(openedAt, "openedAt is null");
        requireNonNull(lastSeenAt, "lastSeenAt is null");
        requireNonNull(acknowledgedAt, "acknowledgedAt is null");
        requireNonNull(acknowledgedBy, "acknowledgedBy is null");
        requireNonNull(resolvedAt, "resolvedAt is null");
        requireNonNull(resolvedBy, "resolvedBy is null");
        requireNonNull(resolutionReason, "resolutionReason is null");
        requireNonNull(resolutionNote, "resolutionNote is null");
    }

    /** Time from opening to acknowledgement, once acknowledged. */
    public Optional<Duration> timeToAcknowledge() {
        return acknowledgedAt.map(at -> Duration.between(openedAt, at));
    }

    /** Time from opening to resolution, once resolved. */
    public Optional<Duration> timeToResolve() {
        return resolvedAt.map(at -> Duration.between(openedAt, at));
    }
}
