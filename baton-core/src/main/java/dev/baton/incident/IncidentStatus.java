package dev.baton.incident;

import java.util.Locale;

/** new → acknowledged → resolved (resolved may also follow new directly). */
public enum IncidentStatus {
    NEW,
    ACKNOWLEDGED,
    RESOLVED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static IncidentStatus fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
