package dev.baton.materialization;

import dev.baton.check.TestExecution;
import dev.baton.plan.Action;
import java.nio.file.Path;

/** Picks the strategy for a plan step. */
public final class Materializations {
    private Materializations() {}

    public static NodeExecution forAction(Action action, Path projectRoot) {
        return switch (action) {
            case CREATE_VIEW -> new ViewMaterialization();
            case CREATE_TABLE -> new TableMaterialization();
            case LOAD_SEED -> new SeedMaterialization(projectRoot);
            case RUN_TEST -> new TestExecution();
        };
    }
}
