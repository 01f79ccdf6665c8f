package dev.baton.server.metrics;

import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, fed by the events of the runs it executes: runs by status,
 * node durations by resource type and status, and check failures by severity.
 */
public final class RunMetrics implements EventSink {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public RunMetrics(IntSupplier waitingRuns) {
        Gauge.builder("baton.runs.waiting", waitingRuns::getAsInt).description("Runs waiting in the server's queue").register(registry);
    }

    @Override
    public void accept(RunEvent event) {
        if (event instanceof RunEvent.NodeFinished finished) {
            NodeResult result = finished.result();
            String status = result.status().name().toLowerCase(Locale.ROOT);
            Timer.builder("baton.node.duration").description("How long nodes ran")
                    .tag("resource_type", result.resourceType()).tag("status", status)
                    .register(registry).record(result.duration());
            if (result.status() == NodeStatus.FAIL || result.status() == NodeStatus.WARN) {
                Counter.builder("baton.check.failures").description("Checks that found failing rows")
                        .tag("severity", result.status() == NodeStatus.FAIL ? "error" : "warn").register(registry).increment();
            }
        } else if (event instanceof RunEvent.RunFinished finished) {
            Counter.builder("baton.runs").description("Finished runs by status").tag("status", finished.status().label())
                    .register(registry).increment();
        }
    }

    /** The metrics in Prometheus' text format. */
    public String scrape() {
        return registry.scrape();
    }
}
