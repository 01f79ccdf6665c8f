package dev.baton.incident;

import java.util.Locale;

/** Why an incident was opened. */
public enum Cause {
    /** A model, seed, source load or test failed to run. */
    RUN_FAILURE,
    /** An error-severity check found failing rows. */
    CHECK_FAILURE,
    /** An asset is older than its freshness SLA's error_after. */
    SLA_BREACH;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Cause fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
