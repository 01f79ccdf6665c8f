package dev.baton.run;

import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.RunEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event of a run, for tests. */
public final class RecordingSink implements EventSink {
    public final List<RunEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void accept(RunEvent event) {
        events.add(event);
    }

    /** Each node's result by unique id. */
    public Map<String, NodeResult> results() {
        Map<String, NodeResult> results = new HashMap<>();
        for (RunEvent event : events) {
            if (event instanceof RunEvent.NodeFinished finished) {
                results.put(finished.result().nodeId(), finished.result());
            }
        }
        return results;
    }
}
