package dev.baton.run;

import static java.util.Objects.requireNonNull;

/**
 * How to run a plan.
 *
 * @param runId the run's id
 * @param threads worker threads (at least 1)
 * @param failFast stop at the first failure
 */
public record RunOptions(String runId, int threads, boolean failFast) {
    public RunOptions {
        requireNonNull(runId, "runId is null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }
}
