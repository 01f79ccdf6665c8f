package dev.baton.project;

import java.util.Locale;
import java.util.Optional;

/** How a model is written to the warehouse. */
public enum Materialization {
    VIEW,
    TABLE,
    INCREMENTAL,
    EPHEMERAL,
    /** Only snapshots: a slowly changing dimension (type 2) kept by {@code baton snapshot}. */
    SNAPSHOT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Materialization> fromLabel(String label) {
        for (Materialization value : values()) {
            if (value.label().equals(label)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
