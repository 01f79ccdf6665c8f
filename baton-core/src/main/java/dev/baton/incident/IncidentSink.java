package dev.baton.incident;

import static java.util.Objects.requireNonNull;

import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.RunEvent;
import java.util.Optional;

/**
 * Opens incidents from a run's events: a node that failed to run, an error-severity check that
 * found failing rows. A node that succeeds, or a check that passes, resolves its open incident.
 */
public final class IncidentSink implements EventSink {
    private final IncidentService incidents;

    public IncidentSink(IncidentService incidents) {
        this.incidents = requireNonNull(incidents, "incidents is null");
    }

    @Override
    public void accept(RunEvent event) {
        if (!(event instanceof RunEvent.NodeFinished finished)) {
            return;
        }
        NodeResult result = finished.result();
        String asset = result.nodeId();
        Optional<String> runId = Optional.of(event.runId());
        switch (result.status()) {
            case ERROR -> incidents.open(asset, Cause.RUN_FAILURE, result.message(), runId);
            case FAIL -> {
                // A model whose audit failed reports FAIL too; the failing check's own incident covers it.
                if (result.resourceType().equals("test")) {
                    incidents.open(asset, Cause.CHECK_FAILURE, result.message(), runId);
                }
            }
            case SUCCESS -> incidents.passed(asset, Cause.RUN_FAILURE);
            case PASS, WARN -> {
                incidents.passed(asset, Cause.RUN_FAILURE);
                incidents.passed(asset, Cause.CHECK_FAILURE);
            }
            default -> {
            }
        }
    }
}
