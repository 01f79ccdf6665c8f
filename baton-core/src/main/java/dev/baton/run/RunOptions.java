package dev.baton.run;

import static java.util.Objects.requireNonNull;

/**
 * How to run a plan.
 *
 * @param runId the run's id
 * @param threads worker threads (at least 1)
 * @param failFast stop at the first failure
 * @param keepFailed keep a table whose audit failed in the audit schema instead of dropping it
 * @param audit in {@code build}, run a model's checks on the staged relation before publishing it
 *     (false: publish first and test after, exactly as dbt does)
 */
public record RunOptions(String runId, int threads, boolean failFast, boolean keepFailed, boolean audit) {
    public RunOptions(String runId, int threads, boolean failFast) {
        this(runId, threads, failFast, false, true);
    }

    public RunOptions(String runId, int threads, boolean failFast, boolean keepFailed) {
        this(runId, threads, failFast, keepFailed, true);
    }

    public RunOptions {
        requireNonNull(runId, "runId is null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }
}
