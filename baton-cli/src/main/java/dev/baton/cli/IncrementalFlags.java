package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.materialization.IncrementalOptions;
import dev.baton.materialization.IncrementalOptions.EventTimeRange;
import dev.baton.materialization.IntervalLedger;
import dev.baton.project.IncrementalConfig;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import picocli.CommandLine.Option;

/** dbt's flags for incremental models: --full-refresh and a microbatch backfill range. */
final class IncrementalFlags {
    @Option(names = {"-f", "--full-refresh"}, description = "Rebuild incremental models from scratch instead of adding to their tables.")
    boolean fullRefresh;

    @Option(names = "--event-time-start", paramLabel = "TIME",
            description = "With microbatch models: run the batches from this date or timestamp (UTC), such as 2024-01-01, whether done or not.")
    String eventTimeStart;

    @Option(names = "--event-time-end", paramLabel = "TIME", description = "The end (exclusive) of the --event-time-start range; default now.")
    String eventTimeEnd;

    /** The options these flags ask for; a malformed or empty range is an error naming the flag (exit 2). */
    IncrementalOptions options(IntervalLedger ledger, boolean onlyFailedBatches) {
        Clock clock = Clock.systemUTC();
        return new IncrementalOptions(fullRefresh, range(clock), onlyFailedBatches, ledger, clock);
    }

    Optional<EventTimeRange> range(Clock clock) {
        if (eventTimeStart == null && eventTimeEnd == null) {
            return Optional.empty();
        }
        if (eventTimeStart == null) {
            throw new BatonException(ErrorCode.INVALID_BACKFILL_RANGE, "--event-time-end needs --event-time-start: give the start of the range to backfill");
        }
        LocalDateTime start = parse("--event-time-start", eventTimeStart);
        LocalDateTime end = eventTimeEnd == null ? LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC) : parse("--event-time-end", eventTimeEnd);
        if (!end.isAfter(start)) {
            throw new BatonException(ErrorCode.INVALID_BACKFILL_RANGE, "--event-time-end " + eventTimeEnd + " is not after --event-time-start "
                    + eventTimeStart + "; give a range that ends after it starts");
        }
        return Optional.of(new EventTimeRange(start, end));
    }

    private static LocalDateTime parse(String flag, String text) {
        return IncrementalConfig.parseTime(text).orElseThrow(() -> new BatonException(ErrorCode.INVALID_BACKFILL_RANGE, flag + " '" + text
                + "' is not a date or timestamp; write it as 2024-01-01 or 2024-01-01T06:00:00 (UTC)"));
    }
}
