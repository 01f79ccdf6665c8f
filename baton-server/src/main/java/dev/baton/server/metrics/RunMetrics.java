package dev.baton.server.metrics;

import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.baton.operations.Operations;
import dev.baton.sla.SlaResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, fed by the events of the runs it executes: runs by status,
 * node durations by resource type and status, and check failures by severity; and, read from
 * the project's operations at each scrape, freshness lag and open incidents by tier.
 */
public final class RunMetrics implements EventSink {
    /** The tiers that always have an open-incident count, zero when none is open. */
    private static final List<String> TIERS = List.of("0", "1", "2");
    /** The tier label of an asset without {@code meta.tier}. */
    private static final String NO_TIER = "none";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge freshnessLag = MultiGauge.builder("baton.freshness.lag").baseUnit("seconds")
            .description("The largest age, at the last SLA evaluation, of the data of a tier's models and sources with a freshness SLA")
            .register(registry);
    private final MultiGauge openIncidents = MultiGauge.builder("baton.incidents.open").description("Incidents new or acknowledged, by tier")
            .register(registry);
    private volatile Optional<Operations> operations = Optional.empty();

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

    /** Reads freshness lag and open incidents from these operations at each scrape. */
    public void watch(Operations watched) {
        operations = Optional.of(watched);
    }

    /** The metrics in Prometheus' text format. */
    public synchronized String scrape() {
        operations.ifPresent(this::readOperations);
        return registry.scrape();
    }

    private void readOperations(Operations watched) {
        Map<String, Double> lag = new TreeMap<>();
        for (SlaResult result : watched.monitor().latest()) {
            result.age().ifPresent(age -> lag.merge(tier(result.tier()), age.toMillis() / 1000.0, Math::max));
        }
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        lag.forEach((tier, seconds) -> lagRows.add(MultiGauge.Row.of(Tags.of("tier", tier), seconds)));
        freshnessLag.register(lagRows, true);

        Map<String, Long> open = new TreeMap<>();
        TIERS.forEach(tier -> open.put(tier, 0L));
        watched.incidents().openByTier().forEach((tier, count) -> open.merge(tier(tier), count, Long::sum));
        List<MultiGauge.Row<?>> openRows = new ArrayList<>();
        open.forEach((tier, count) -> openRows.add(MultiGauge.Row.of(Tags.of("tier", tier), count)));
        openIncidents.register(openRows, true);
    }

    private static String tier(Optional<Integer> tier) {
        return tier.map(String::valueOf).orElse(NO_TIER);
    }
}
