package dev.baton.materialization;

import dev.baton.check.TestExecution;
import dev.baton.plan.Action;
import dev.baton.ingest.Ingestion;
import java.nio.file.Path;
import java.util.Map;

/** Picks the strategy for a plan step. */
public final class Materializations {
    private Materializations() {}

    public static NodeExecution forAction(Action action, Path projectRoot) {
        return forAction(action, projectRoot, "", Map.of());
    }

    /** As {@link #forAction(Action, Path)}, for a run with this id and environment (which connectors read secrets from). */
    public static NodeExecution forAction(Action action, Path projectRoot, String runId, Map<String, String> env) {
        return switch (action) {
            case INGEST -> Ingestion.execution(projectRoot, runId, env);
            case CREATE_VIEW -> new ViewMaterialization();
            case CREATE_TABLE -> new TableMaterialization();
            case LOAD_SEED -> new SeedMaterialization(projectRoot);
            case RUN_TEST -> new TestExecution();
            case SNAPSHOT -> dev.baton.snapshot.Snapshots.execution();
        };
    }
}
