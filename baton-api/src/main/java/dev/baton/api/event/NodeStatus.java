package dev.baton.api.event;

/** The outcome of one node in a run, with dbt's vocabulary. */
public enum NodeStatus {
    /** A model, seed or snapshot was built and published. */
    SUCCESS,
    /** Building the node failed. */
    ERROR,
    /** A test returned no failing rows. */
    PASS,
    /** A test with severity warn found failing rows. */
    WARN,
    /** A test with severity error found failing rows. */
    FAIL,
    /** The node did not run because something upstream failed. */
    SKIPPED,
    /** The run was cancelled before or while the node ran. */
    CANCELLED;

    /** Whether this outcome makes dependent nodes skip. */
    public boolean blocksDownstream() {
        return this == ERROR || this == FAIL || this == SKIPPED || this == CANCELLED;
    }

    /** Whether this outcome counts as a failure for the exit code. */
    public boolean isFailure() {
        return this == ERROR || this == FAIL;
    }
}
