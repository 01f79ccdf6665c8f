package dev.baton.sla;

import java.util.Locale;

/** The outcome of one freshness SLA evaluation; {@code ERROR} is a breach. */
public enum SlaStatus {
    PASS,
    WARN,
    ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
