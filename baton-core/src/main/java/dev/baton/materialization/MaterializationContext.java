package dev.baton.materialization;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a materialization strategy may need beyond its node, so a new strategy needs no new
 * parameters on the dispatch.
 *
 * @param projectRoot the project folder (seeds and files are read relative to it)
 * @param runId the run's id
 * @param env the environment connectors read secrets from
 * @param threads the run's worker threads: an upper bound for work a step does in parallel
 * @param incremental what the run asks of incremental models
 * @param checks the model's checks to run before publishing, or {@link StagedChecks#NONE}
 */
public record MaterializationContext(Path projectRoot, String runId, Map<String, String> env, int threads, IncrementalOptions incremental,
        StagedChecks checks) {
    public MaterializationContext {
        requireNonNull(projectRoot, "projectRoot is null");
        requireNonNull(runId, "runId is null");
        env = Map.copyOf(env);
        requireNonNull(incremental, "incremental is null");
        requireNonNull(checks, "checks is null");
    }

    public MaterializationContext withChecks(StagedChecks newChecks) {
        return new MaterializationContext(projectRoot, runId, env, threads, incremental, newChecks);
    }
}
