package dev.baton.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.event.RunStatus;
import dev.baton.incident.Cause;
import dev.baton.incident.Incident;
import dev.baton.incident.IncidentService;
import dev.baton.incident.ResolutionReason;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.schedule.MutableClock;
import dev.baton.state.StateConnections;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KPIs from a planted history, each value worked out by hand in the comments. */
class KpiServiceTest {
    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-31T00:00:00Z"));

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Project project() throws IOException {
        write("baton.yml", "name: p\n");
        write("models/orders.sql", "select 1 as id");
        write("models/customers.sql", "select 1 as id");
        write("models/visits.sql", "select 1 as id");
        write("models/props.yml", """
                version: 2
                models:
                  - name: orders
                    description: One row per order.
                    meta: {tier: 0, owner: sales-data}
                    config:
                      freshness: {error_after: {count: 6, period: hour}}
                    columns:
                      - name: id
                        description: The order id.
                        tests: [not_null]
                  - name: customers
                    meta: {tier: 1}
                  - name: visits
                    meta: {tier: 2}
                """);
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    private static NodeResult result(String nodeId, String type, NodeStatus status, String at, long millis) {
        return new NodeResult(nodeId, type, Optional.empty(), status, "", Instant.parse(at), Duration.ofMillis(millis), OptionalLong.empty(),
                OptionalLong.empty(), Optional.empty());
    }

    private static void run(StateStore store, String id, String command, RunStatus status, String at, NodeResult... results) {
        Instant started = Instant.parse(at);
        store.runStarted(new RunEvent.RunStarted(id, command, "p", "dev", results.length, 1, started));
        store.runFinished(new RunEvent.RunFinished(id, status, started.plusSeconds(60), Duration.ofSeconds(60), List.of(results)));
    }

    private static void sql(Connection connection, String sql, Object... parameters) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private static long millis(String at) {
        return Instant.parse(at).toEpochMilli();
    }

    @Test
    void computesEveryKpiAndItsTrendFromAPlantedHistory() throws Exception {
        Project project = project();
        try (StateStore store = StateStore.open(root, Optional.empty())) {
            // This window: 2026-03-01 to 2026-03-31.
            run(store, "r1", "baton build", RunStatus.SUCCESS, "2026-03-05T00:00:00Z",
                    result("model.p.orders", "model", NodeStatus.SUCCESS, "2026-03-05T00:00:00Z", 1000),
                    result("model.p.customers", "model", NodeStatus.SUCCESS, "2026-03-05T00:00:01Z", 3000),
                    result("test.p.not_null_orders_id", "test", NodeStatus.PASS, "2026-03-05T00:00:05Z", 10));
            run(store, "r2", "baton build", RunStatus.FAILED, "2026-03-10T00:00:00Z",
                    result("model.p.orders", "model", NodeStatus.ERROR, "2026-03-10T00:00:00Z", 500));
            run(store, "r3", "baton retry", RunStatus.SUCCESS, "2026-03-11T00:00:00Z",
                    result("model.p.orders", "model", NodeStatus.SUCCESS, "2026-03-11T00:00:00Z", 2000));
            run(store, "r4", "baton job nightly (schedule, attempt 2)", RunStatus.SUCCESS, "2026-03-12T00:00:00Z");
            run(store, "r5", "baton build", RunStatus.CRASHED, "2026-03-20T00:00:00Z");
            // The window before: 2026-01-30 to 2026-03-01.
            run(store, "p1", "baton build", RunStatus.SUCCESS, "2026-02-10T00:00:00Z",
                    result("model.p.orders", "model", NodeStatus.SUCCESS, "2026-02-10T00:00:00Z", 4000));
            run(store, "p2", "baton build", RunStatus.SUCCESS, "2026-02-11T00:00:00Z");
            // Before both windows: ignored.
            run(store, "old", "baton build", RunStatus.FAILED, "2026-01-01T00:00:00Z");
        }
        try (Connection connection = StateConnections.open(root, Optional.empty())) {
            sql(connection, "INSERT INTO baton_job_runs (id, job_name, trigger_kind, scheduled_for, attempt, state, queued_at, not_before, build_run_id)"
                    + " VALUES ('j2', 'nightly', 'schedule', 1, 2, 'succeeded', 1, 1, 'r4')");
            for (String[] check : new String[][] {
                    {"model.p.orders", "0", "2026-03-02T00:00:00Z", "pass"}, {"model.p.orders", "0", "2026-03-03T00:00:00Z", "pass"},
                    {"model.p.orders", "0", "2026-03-04T00:00:00Z", "error"}, {"model.p.customers", "1", "2026-03-04T00:00:00Z", "warn"},
                    {"model.p.orders", "0", "2026-02-04T00:00:00Z", "error"}}) {
                sql(connection, "INSERT INTO baton_freshness_checks (asset, tier, checked_at, status) VALUES (?, ?, ?, ?)",
                        check[0], Integer.parseInt(check[1]), millis(check[2]), check[3]);
            }
        }
        try (IncidentService incidents = new IncidentService(StateConnections.open(root, Optional.empty()), project, clock)) {
            plantIncident(incidents, "model.p.orders", Cause.RUN_FAILURE, "2026-03-02T00:00:00Z", 10, 70);
            plantIncident(incidents, "model.p.orders", Cause.SLA_BREACH, "2026-03-03T00:00:00Z", 20, -1);
            plantIncident(incidents, "model.p.visits", Cause.RUN_FAILURE, "2026-03-04T00:00:00Z", -1, -1);
            plantIncident(incidents, "model.p.orders", Cause.CHECK_FAILURE, "2026-02-15T00:00:00Z", 30, 30);
        }

        KpiReport report;
        KpiReport lastTenDays;
        try (KpiService kpis = new KpiService(StateConnections.open(root, Optional.empty()), project, clock)) {
            report = kpis.report(Duration.ofDays(30));
            lastTenDays = kpis.report(Duration.ofDays(10));
        }
        // Nothing ran from 2026-03-21 on: no coverage to measure. From the 11th to the 21st a model ran without its checks: 0.
        assertValue(lastTenDays, "check_coverage", "tier 0-1", null, 0.0);
        assertThat(report.from()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        // First attempts this window: r1 succeeded, r2 failed, r5 crashed (r3 is a retry, r4 a job's second attempt): 1/3. Before: 2/2.
        assertValue(report, "pipeline_success_rate", null, 1.0 / 3, 1.0);
        // Tier 0: pass, pass, error = 2/3, before: one error = 0. Tier 1: a warning is not a breach = 1.
        assertValue(report, "freshness_sla_adherence", "tier 0", 2.0 / 3, 0.0);
        assertValue(report, "freshness_sla_adherence", "tier 1", 1.0, null);
        // Tier 0: two incidents, acknowledged after 10 and 20 minutes (15), one resolved after 70. Before: one, 30 and 30.
        assertValue(report, "incidents", "tier 0", 2.0, 1.0);
        assertValue(report, "mean_time_to_acknowledge", "tier 0", 15.0, 30.0);
        assertValue(report, "mean_time_to_resolve", "tier 0", 70.0, 30.0);
        assertValue(report, "incidents", "tier 2", 1.0, null);
        assertThat(report.find("mean_time_to_acknowledge", Optional.of("tier 2"))).isEmpty();
        // Tier-0/1 models: orders (a check ran in r1) and customers (none): 1/2. Before: no check ran: 0.
        assertValue(report, "check_coverage", "tier 0-1", 0.5, 0.0);
        // orders has all five (description, owner, tier, SLA, column docs); customers only its tier: (1 + 0.2) / 2.
        assertValue(report, "documentation_completeness", "tier 0-1", 0.6, null);
        // Successful builds of orders: 1000 and 2000 ms this window, 4000 before; customers 3000.
        assertValue(report, "model_run_duration", "model.p.orders", 1500.0, 4000.0);
        assertValue(report, "model_compute_time", "model.p.orders", 3000.0, 4000.0);
        assertValue(report, "model_compute_time", "model.p.customers", 3000.0, null);
        assertThat(report.find("pipeline_success_rate", Optional.empty()).orElseThrow().change().orElseThrow()).isCloseTo(-2.0 / 3, within(1e-9));
    }

    private void plantIncident(IncidentService incidents, String asset, Cause cause, String at, int acknowledgeAfter, int resolveAfter) {
        clock.set(Instant.parse(at));
        Incident incident = incidents.open(asset, cause, "planted", Optional.empty());
        if (acknowledgeAfter >= 0) {
            clock.set(Instant.parse(at).plus(Duration.ofMinutes(acknowledgeAfter)));
            incidents.acknowledge(incident.id(), "ana");
        }
        if (resolveAfter >= 0) {
            clock.set(Instant.parse(at).plus(Duration.ofMinutes(resolveAfter)));
            incidents.resolve(incident.id(), "ana", ResolutionReason.FIXED, "fixed the model");
        }
        clock.set(Instant.parse("2026-03-31T00:00:00Z"));
    }

    private static void assertValue(KpiReport report, String name, String dimension, Double current, Double previous) {
        KpiValue value = report.find(name, Optional.ofNullable(dimension)).orElseThrow(() -> new AssertionError("no " + name + " " + dimension));
        List<String> problems = new ArrayList<>();
        check(problems, "current", value.current(), current);
        check(problems, "previous", value.previous(), previous);
        assertThat(problems).as(name + " " + dimension).isEmpty();
    }

    private static void check(List<String> problems, String which, Optional<Double> actual, Double expected) {
        if (expected == null ? actual.isPresent() : actual.isEmpty() || Math.abs(actual.get() - expected) > 1e-9) {
            problems.add(which + " was " + actual + ", expected " + expected);
        }
    }
}
