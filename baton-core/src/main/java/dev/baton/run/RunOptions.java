package dev.baton.run;

import static java.util.Objects.requireNonNull;

import dev.baton.materialization.IncrementalOptions;
import dev.baton.materialization.IntervalLedger;

/**
 * How to run a plan.
 *
 * @param runId the run's id
 * @param threads worker threads (at least 1)
 * @param failFast stop at the first failure
 * @param keepFailed keep a table whose audit failed in the audit schema instead of dropping it
 * @param audit in {@code build}, run a model's checks on the staged relation before publishing it
 *     (false: publish first and test after, exactly as dbt does)
 * @param env the environment connectors read {@code env_var()} secrets from
 * @param incremental what the run asks of incremental models: full refresh, a backfill range, the interval ledger
 * @param history the metric history anomaly checks are judged against
 */
public record RunOptions(String runId, int threads, boolean failFast, boolean keepFailed, boolean audit, java.util.Map<String, String> env,
        IncrementalOptions incremental, dev.baton.check.MetricHistory history) {
    public RunOptions(String runId, int threads, boolean failFast, boolean keepFailed, boolean audit, java.util.Map<String, String> env,
            IncrementalOptions incremental) {
        this(runId, threads, failFast, keepFailed, audit, env, incremental, dev.baton.check.MetricHistory.NONE);
    }

    public RunOptions(String runId, int threads, boolean failFast, boolean keepFailed, boolean audit, java.util.Map<String, String> env,
            dev.baton.check.MetricHistory history) {
        this(runId, threads, failFast, keepFailed, audit, env, IncrementalOptions.of(IntervalLedger.inMemory()), history);
    }

    public RunOptions(String runId, int threads, boolean failFast, boolean keepFailed, boolean audit, java.util.Map<String, String> env) {
        this(runId, threads, failFast, keepFailed, audit, env, IncrementalOptions.of(IntervalLedger.inMemory()));
    }

    public RunOptions(String runId, int threads, boolean failFast, boolean keepFailed) {
        this(runId, threads, failFast, keepFailed, true, System.getenv());
    }

    public RunOptions(String runId, int threads, boolean failFast, java.util.Map<String, String> env) {
        this(runId, threads, failFast, false, true, env);
    }

    public RunOptions {
        requireNonNull(runId, "runId is null");
        env = java.util.Map.copyOf(env);
        requireNonNull(incremental, "incremental is null");
        requireNonNull(history, "history is null");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    public RunOptions withIncremental(IncrementalOptions options) {
        return new RunOptions(runId, threads, failFast, keepFailed, audit, env, options, history);
    }

    public RunOptions(String runId, int threads, boolean failFast) {
        this(runId, threads, failFast, System.getenv());
    }
}
