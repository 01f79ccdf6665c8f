package dev.baton.schedule;

import java.util.Locale;

/** What a job does about the schedule times it missed while no scheduler was running. */
public enum CatchUp {
    /** Runs none of the missed times; the schedule goes on from now. */
    SKIP,
    /** Runs once for the latest missed time. */
    LATEST,
    /** Runs once for every missed time, oldest first. */
    ALL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
