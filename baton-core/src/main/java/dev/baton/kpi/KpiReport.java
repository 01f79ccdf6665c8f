package dev.baton.kpi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The KPIs of a window {@code [from, to)}, each with its value over the window before. */
public record KpiReport(Instant from, Instant to, Duration window, List<KpiValue> values) {
    public KpiReport {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(window, "window is null");
        values = List.copyOf(values);
    }

    public Optional<KpiValue> find(String name, Optional<String> dimension) {
        return values.stream().filter(value -> value.name().equals(name) && value.dimension().equals(dimension)).findFirst();
    }
}
