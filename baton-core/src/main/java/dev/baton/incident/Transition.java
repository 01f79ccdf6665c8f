package dev.baton.incident;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/** One step of an incident's life: opened (no {@code from}), acknowledged, resolved, recurred. */
public record Transition(String incidentId, Instant at, Optional<IncidentStatus> from, IncidentStatus to, String actor, String note) {
    public Transition {
        requireNonNull(incidentId, "incidentId is null");
        requireNonNull(at, "at is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(note, "note is null");
    }
}
