package dev.baton.server.ui;

import dev.baton.api.event.NodeStatus;
import dev.baton.state.NodeResultRecord;
import dev.baton.state.RunRecord;
import dev.baton.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the state store remembers of nodes, read for one page. */
final class History {
    /** How many recent runs the pages look back over. */
    static final int RECENT_RUNS = 50;

    private History() {}

    /** The latest status of every node that ran in the recent runs. */
    static Map<String, NodeStatus> latestStatuses(StateStore store) {
        Map<String, NodeStatus> latest = new HashMap<>();
        for (RunRecord run : store.recentRuns(RECENT_RUNS)) {
            for (NodeResultRecord result : store.nodeResults(run.id())) {
                latest.putIfAbsent(result.nodeId(), result.status());
            }
        }
        return latest;
    }

    /** One node's result in one run. */
    record Entry(RunRecord run, NodeResultRecord result) {}

    /** The results of these nodes in the recent runs, newest run first. */
    static Map<String, List<Entry>> resultsOf(StateStore store, java.util.Set<String> nodeIds) {
        Map<String, List<Entry>> results = new HashMap<>();
        for (RunRecord run : store.recentRuns(RECENT_RUNS)) {
            for (NodeResultRecord result : store.nodeResults(run.id())) {
                if (nodeIds.contains(result.nodeId())) {
                    results.computeIfAbsent(result.nodeId(), key -> new ArrayList<>()).add(new Entry(run, result));
                }
            }
        }
        return results;
    }
}
