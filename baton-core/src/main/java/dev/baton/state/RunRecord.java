package dev.baton.state;

import static java.util.Objects.requireNonNull;

import dev.baton.api.event.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One remembered run. Times have millisecond precision. A run that is still going, or whose
 * process died, has status {@link RunStatus#RUNNING} and no finish time; its counts cover the
 * results written so far.
 */
public record RunRecord(
        String id,
        String command,
        String project,
        String target,
        RunStatus status,
        int nodeCount,
        int threads,
        Instant startedAt,
        Optional<Instant> finishedAt,
        Optional<Duration> elapsed,
        RunCounts counts) {
    public RunRecord {
        requireNonNull(id, "id is null");
        requireNonNull(command, "command is null");
        requireNonNull(project, "project is null");
        requireNonNull(target, "target is null");
        requireNonNull(status, "status is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(elapsed, "elapsed is null");
        requireNonNull(counts, "counts is null");
    }
}
