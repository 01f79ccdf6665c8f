package dev.baton.schedule;

import static java.util.Objects.requireNonNull;

import dev.baton.api.event.RunStatus;
import java.util.Optional;

/** How one attempt of a job ended, as its executor reports it. */
public record JobOutcome(RunStatus status, Optional<String> buildRunId, String message) {
    public JobOutcome {
        requireNonNull(status, "status is null");
        requireNonNull(buildRunId, "buildRunId is null");
        requireNonNull(message, "message is null");
    }
}
