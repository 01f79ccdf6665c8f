package dev.baton.schedule;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import dev.baton.graph.selector.SelectionSpec;
import dev.baton.plan.CommandKind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code jobs:} in the project file: what to build, when, and how to treat failures.
 *
 * @param command which kinds of node the job runs ({@code build} by default)
 * @param schedule when it runs by itself; empty for a job that runs only when triggered or sensed
 * @param catchUp what to do about schedule times missed while no scheduler ran
 * @param retries how many more attempts a failed run gets
 * @param retryBackoff the wait before the first retry; it doubles for each further one
 * @param timeout how long one attempt may run before it is cancelled
 * @param concurrency how many runs of this job may run at once
 * @param sensors what else starts the job
 */
public record Job(
        String name,
        CommandKind command,
        SelectionSpec selection,
        Optional<CronSchedule> schedule,
        CatchUp catchUp,
        int retries,
        Duration retryBackoff,
        Optional<Duration> timeout,
        int concurrency,
        List<Sensor> sensors,
        SourceLocation location) {
    public Job {
        requireNonNull(name, "name is null");
        requireNonNull(command, "command is null");
        requireNonNull(selection, "selection is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(catchUp, "catchUp is null");
        requireNonNull(retryBackoff, "retryBackoff is null");
        requireNonNull(timeout, "timeout is null");
        sensors = List.copyOf(sensors);
        requireNonNull(location, "location is null");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
    }

    /** The wait before attempt {@code attempt} (2 is the first retry). */
    public Duration backoffBefore(int attempt) {
        return retryBackoff.multipliedBy(1L << Math.min(20, Math.max(0, attempt - 2)));
    }
}
