package dev.baton.schedule;

import java.util.Locale;

/** Where a job run is in its life. */
public enum RunState {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** The process running it stopped without recording its end. */
    CRASHED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this != QUEUED && this != RUNNING;
    }

    static RunState fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
