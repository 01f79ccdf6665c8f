package dev.baton.snapshot;

import dev.baton.materialization.NodeExecution;

/** Snapshots (slowly changing dimensions, type 2) as dbt keeps them. */
public final class Snapshots {
    private Snapshots() {}

    /** The strategy that writes a snapshot node's next version. */
    public static NodeExecution execution() {
        return new SnapshotMaterialization(java.time.Clock.systemUTC());
    }
}
