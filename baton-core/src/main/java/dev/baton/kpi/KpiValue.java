package dev.baton.kpi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One KPI over the window and the window before it.
 *
 * @param name such as {@code pipeline_success_rate}
 * @param dimension what the value is broken down by, such as {@code tier 0} or a model's id; empty for the whole project
 * @param unit {@code ratio} (0 to 1), {@code count}, {@code minutes} or {@code milliseconds}
 * @param current the value over the window; empty when nothing happened to measure
 * @param previous the value over the window before; empty when nothing happened then, or when the KPI has no history
 */
public record KpiValue(String name, Optional<String> dimension, String unit, Optional<Double> current, Optional<Double> previous) {
    public KpiValue {
        requireNonNull(name, "name is null");
        requireNonNull(dimension, "dimension is null");
        requireNonNull(unit, "unit is null");
        requireNonNull(current, "current is null");
        requireNonNull(previous, "previous is null");
    }

    /** current minus previous, when both are known. */
    public Optional<Double> change() {
        return current.isPresent() && previous.isPresent() ? Optional.of(current.get() - previous.get()) : Optional.empty();
    }
}
