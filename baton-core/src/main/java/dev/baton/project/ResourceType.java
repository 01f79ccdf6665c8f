package dev.baton.project;

import java.util.Locale;
import java.util.Optional;

/** The kinds of node in a project, named as dbt names them. */
public enum ResourceType {
    MODEL,
    SEED,
    TEST,
    SOURCE,
    SNAPSHOT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ResourceType> fromLabel(String label) {
        for (ResourceType type : values()) {
            if (type.label().equals(label)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
