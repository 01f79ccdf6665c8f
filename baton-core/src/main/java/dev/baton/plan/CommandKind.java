package dev.baton.plan;

import dev.baton.project.ResourceType;
import java.util.EnumSet;
import java.util.Set;

/** The dbt commands that run nodes, and which kinds of node each one runs. */
public enum CommandKind {
    BUILD(EnumSet.of(ResourceType.MODEL, ResourceType.SEED, ResourceType.TEST, ResourceType.SOURCE, ResourceType.SNAPSHOT)),
    RUN(EnumSet.of(ResourceType.MODEL)),
    TEST(EnumSet.of(ResourceType.TEST)),
    SEED(EnumSet.of(ResourceType.SEED)),
    SNAPSHOT(EnumSet.of(ResourceType.SNAPSHOT)),
    /** Loads the sources that have a connector; passive sources never run. */
    INGEST(EnumSet.of(ResourceType.SOURCE));

    private final Set<ResourceType> runs;

    CommandKind(Set<ResourceType> runs) {
        this.runs = runs;
    }

    public boolean runs(ResourceType type) {
        return runs.contains(type);
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
