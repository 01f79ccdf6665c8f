package dev.baton.sla;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One evaluation of one asset's freshness SLA.
 *
 * @param asset the node's unique id
 * @param lastUpdate when the asset last got new data (a successful build, a load, the newest loaded_at_field); empty when never
 * @param age how old its data is; empty when it never had any
 */
public record SlaResult(String asset, Optional<Integer> tier, FreshnessSla sla, SlaStatus status, Optional<Instant> lastUpdate,
        Optional<Duration> age, Instant checkedAt, String message) {
    public SlaResult {
        requireNonNull(asset, "asset is null");
        requireNonNull(tier, "tier is null");
        requireNonNull(sla, "sla is null");
        requireNonNull(status, "status is null");
        requireNonNull(lastUpdate, "lastUpdate is null");
        requireNonNull(age, "age is null");
        requireNonNull(checkedAt, "checkedAt is null");
        requireNonNull(message, "message is null");
    }
}
