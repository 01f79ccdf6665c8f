package dev.baton.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One run of a job, as the run queue keeps it.
 *
 * @param trigger {@code schedule}, {@code manual}, {@code retry} or {@code sensor:<key>}
 * @param scheduledFor the schedule time it runs for, for scheduled runs and their retries
 * @param attempt 1 for the first attempt, 2 for the first retry, …
 * @param notBefore a queued run does not start earlier (retry backoff)
 * @param buildRunId the id of the build in the run history, once it started one
 * @param message how it ended, for people
 */
public record JobRun(
        String id,
        String jobName,
        String trigger,
        Optional<Instant> scheduledFor,
        int attempt,
        RunState state,
        Instant queuedAt,
        Instant notBefore,
        Optional<Instant> startedAt,
        Optional<Instant> finishedAt,
        Optional<String> buildRunId,
        String message) {
    public JobRun {
        requireNonNull(id, "id is null");
        requireNonNull(jobName, "jobName is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(scheduledFor, "scheduledFor is null");
        requireNonNull(state, "state is null");
        requireNonNull(queuedAt, "queuedAt is null");
        requireNonNull(notBefore, "notBefore is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(buildRunId, "buildRunId is null");
        requireNonNull(message, "message is null");
    }
}
