package dev.baton.state;

import static java.util.Objects.requireNonNull;

import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import java.util.Collection;

/** How many nodes of a run ended with each outcome. */
public record RunCounts(int success, int error, int skipped, int pass, int fail, int warn, int cancelled) {
    public static final RunCounts NONE = new RunCounts(0, 0, 0, 0, 0, 0, 0);

    public static RunCounts of(Collection<NodeResult> results) {
        RunCounts counts = NONE;
        for (NodeResult result : results) {
            counts = counts.plus(result.status());
        }
        return counts;
    }

    /** These counts with one more node of the given outcome. */
    public RunCounts plus(NodeStatus status) {
        requireNonNull(status, "status is null");
        return switch (status) {
            case SUCCESS -> new RunCounts(success + 1, error, skipped, pass, fail, warn, cancelled);
            case ERROR -> new RunCounts(success, error + 1, skipped, pass, fail, warn, cancelled);
            case SKIPPED -> new RunCounts(success, error, skipped + 1, pass, fail, warn, cancelled);
            case PASS -> new RunCounts(success, error, skipped, pass + 1, fail, warn, cancelled);
            case FAIL -> new RunCounts(success, error, skipped, pass, fail + 1, warn, cancelled);
            case WARN -> new RunCounts(success, error, skipped, pass, fail, warn + 1, cancelled);
            case CANCELLED -> new RunCounts(success, error, skipped, pass, fail, warn, cancelled + 1);
        };
    }

    public int total() {
        return success + error + skipped + pass + fail + warn + cancelled;
    }
}
