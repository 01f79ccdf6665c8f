package dev.baton.materialization;

import dev.baton.check.TestExecution;
import dev.baton.ingest.Ingestion;
import dev.baton.plan.Action;
import java.nio.file.Path;
import java.util.Map;

/**
 * Picks the strategy for a plan step. Each materialization is its own class; a new one adds an
 * {@link Action}, a class implementing {@link NodeExecution}, and one line here. Strategies read
 * what they need from the {@link MaterializationContext}.
 */
public final class Materializations {
    private Materializations() {}

    public static NodeExecution forAction(Action action, Path projectRoot) {
        return forAction(action, projectRoot, "", Map.of());
    }

    /** As {@link #forAction(Action, Path)}, for a run with this id and environment (which connectors read secrets from). */
    public static NodeExecution forAction(Action action, Path projectRoot, String runId, Map<String, String> env) {
        return forAction(action, new MaterializationContext(projectRoot, runId, env, 1, IncrementalOptions.of(IntervalLedger.inMemory()), StagedChecks.NONE));
    }

    public static NodeExecution forAction(Action action, MaterializationContext context) {
        return switch (action) {
            case INGEST -> Ingestion.execution(context.projectRoot(), context.runId(), context.env());
            case CREATE_VIEW -> new ViewMaterialization();
            case CREATE_TABLE -> new TableMaterialization();
            case INCREMENTAL -> new IncrementalMaterialization(context);
            case LOAD_SEED -> new SeedMaterialization(context.projectRoot());
            case RUN_TEST -> new TestExecution();
            case SNAPSHOT -> dev.baton.snapshot.Snapshots.execution();
        };
    }
}
