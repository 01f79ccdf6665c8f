package dev.baton.materialization;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * What a run asks of its incremental models.
 *
 * @param fullRefresh rebuild every incremental model from scratch ({@code --full-refresh})
 * @param backfill for microbatch models: run exactly the batches of this range
 *     ({@code --event-time-start}/{@code --event-time-end})
 * @param onlyFailedBatches for microbatch models: run only the batches whose last attempt failed ({@code baton retry})
 * @param ledger where microbatch models remember their batches
 * @param clock what "now" is, which decides the current batch
 */
public record IncrementalOptions(boolean fullRefresh, Optional<EventTimeRange> backfill, boolean onlyFailedBatches, IntervalLedger ledger, Clock clock) {
    public IncrementalOptions {
        requireNonNull(backfill, "backfill is null");
        requireNonNull(ledger, "ledger is null");
        requireNonNull(clock, "clock is null");
    }

    /** Plain runs with the given ledger. */
    public static IncrementalOptions of(IntervalLedger ledger) {
        return new IncrementalOptions(false, Optional.empty(), false, ledger, Clock.systemUTC());
    }

    /** A range of event time, start inclusive, end exclusive, in UTC. */
    public record EventTimeRange(LocalDateTime start, LocalDateTime end) {
        public EventTimeRange {
            requireNonNull(start, "start is null");
            requireNonNull(end, "end is null");
        }
    }
}
