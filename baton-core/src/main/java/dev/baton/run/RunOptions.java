package dev.baton.run;

import static java.util.Objects.requireNonNull;

/**
 * How to run a plan.
 *
 * @param runId the run's id
 * @param threads worker threads (at least 1)
 * @param failFast stop at the first failure
 * @param env the environment connectors read {@code env_var()} secrets from
 */
public record RunOptions(String runId, int threads, boolean failFast, java.util.Map<String, String> env) {
    public RunOptions {
        requireNonNull(runId, "runId is null");
        env = java.util.Map.copyOf(env);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    public RunOptions(String runId, int threads, boolean failFast) {
        this(runId, threads, failFast, System.getenv());
    }
}
