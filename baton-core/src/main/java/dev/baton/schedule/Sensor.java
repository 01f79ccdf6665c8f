package dev.baton.schedule;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;

/**
 * Starts a job when something outside the schedule changes.
 *
 * @param kind what is watched
 * @param target for {@code FILES} a folder relative to the project; for {@code SOURCE_FRESHNESS}
 *     the source node's unique id
 */
public record Sensor(Kind kind, String target, SourceLocation location) {
    public enum Kind {
        /** New or changed files under a folder. */
        FILES,
        /** The newest value of a source's {@code loaded_at_field} advanced. */
        SOURCE_FRESHNESS
    }

    public Sensor {
        requireNonNull(kind, "kind is null");
        requireNonNull(target, "target is null");
        requireNonNull(location, "location is null");
    }

    /** The key under which the sensor's cursor is stored. */
    public String key() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + target;
    }
}
