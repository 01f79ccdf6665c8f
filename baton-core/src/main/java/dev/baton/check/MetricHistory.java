package dev.baton.check;

import java.time.Instant;
import java.util.List;

/** Past values of a metric of a node, from the state store: what anomaly checks train on. */
@FunctionalInterface
public interface MetricHistory {
    /** No history: anomaly checks stay in training. */
    MetricHistory NONE = (nodeId, column, metric, limit) -> List.of();

    /** One measured value of a published build. */
    record Point(double value, Instant recordedAt) {}

    /** The newest {@code limit} values of published builds, newest first. */
    List<Point> points(String nodeId, String column, String metric, int limit);
}
