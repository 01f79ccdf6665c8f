package dev.baton.api.event;

/** The state of a whole run. */
public enum RunStatus {
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELLED,
    CRASHED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
