package dev.baton.schedule;

import java.util.Optional;

/** Reads what a sensor watches: a value that changes when the sensor should fire. */
@FunctionalInterface
public interface SensorProbe {
    /** The current value; empty when there is nothing yet (no files, no rows). */
    Optional<String> read(Sensor sensor);
}
