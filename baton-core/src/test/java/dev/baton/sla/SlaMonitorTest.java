package dev.baton.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.event.RunStatus;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.graph.selector.SelectionSpec;
import dev.baton.incident.Cause;
import dev.baton.incident.Incident;
import dev.baton.incident.IncidentService;
import dev.baton.incident.IncidentStatus;
import dev.baton.plan.CommandKind;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.run.BuildExecution;
import dev.baton.run.BuildRequest;
import dev.baton.schedule.MutableClock;
import dev.baton.state.StateConnections;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlaMonitorTest {
    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Project project(String ordersFreshness) throws IOException {
        write("baton.yml", "name: p\n");
        write("models/orders.sql", "select 1 as id");
        write("models/never.sql", "select 1 as id");
        write("models/props.yml", """
                version: 2
                models:
                  - name: orders
                    meta: {tier: 0, runbook: "https://wiki.example.com/orders"}
                    config:
                      freshness: %s
                  - name: never
                    config:
                      enabled: true
                      freshness: {error_after: {count: 1, period: day}}
                sources:
                  - name: app
                    meta: {tier: 1}
                    tables:
                      - name: events
                        loaded_at_field: updated_at
                        freshness: {warn_after: {count: 12, period: hour}, error_after: {count: 1, period: day}}
                """.formatted(ordersFreshness));
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    @Test
    void judgesModelsByTheirLastBuildAndSourcesByTheirNewestRowAndOpensIncidentsForBreaches() throws Exception {
        Project project = project("{warn_after: {count: 1, period: hour}, error_after: {count: 2, period: hour}}");
        try (Engine engine = DuckDbEngines.open(root.resolve("target/p.duckdb"), "main", 2);
                StateStore store = StateStore.open(root, Optional.empty())) {
            try (EngineSession session = engine.openSession()) {
                session.execute("CREATE SCHEMA app");
                session.execute("CREATE TABLE app.events AS SELECT TIMESTAMP '2026-03-01 00:00:00' AS updated_at");
            }
            assertThat(new BuildExecution(project, engine, store, new BuildRequest(CommandKind.RUN, SelectionSpec.of("orders"), UUID.randomUUID().toString(),
                    1, "baton run", Map.of()), List.of()).run()).isEqualTo(RunStatus.SUCCESS);
            var result = store.nodeResults(store.recentRuns(1).get(0).id()).get(0);
            Instant built = result.startedAt().plus(result.duration());
            MutableClock clock = new MutableClock(Instant.parse("2026-03-01T13:00:00Z"));
            try (IncidentService incidents = new IncidentService(StateConnections.open(root, Optional.empty()), project, clock);
                    SlaMonitor monitor = new SlaMonitor(project, engine, StateConnections.open(root, Optional.empty()), clock, Optional.of(incidents))) {
                clock.set(built.plus(Duration.ofMinutes(30)));
                Map<String, SlaResult> results = byAsset(monitor.evaluate());
                assertThat(results).containsOnlyKeys("model.p.orders", "model.p.never", "source.p.app.events");
                assertThat(results.get("model.p.orders").status()).isEqualTo(SlaStatus.PASS);
                assertThat(results.get("model.p.orders").tier()).contains(0);
                assertThat(results.get("model.p.never").status()).isEqualTo(SlaStatus.ERROR);
                assertThat(results.get("model.p.never").message()).isEqualTo("model.p.never never built successfully");

                clock.set(built.plus(Duration.ofMinutes(90)));
                assertThat(byAsset(monitor.evaluate()).get("model.p.orders").message()).isEqualTo("model.p.orders is 90 minutes old; warn after 60 minutes");

                clock.set(built.plus(Duration.ofHours(3)));
                SlaResult breach = byAsset(monitor.evaluate()).get("model.p.orders");
                assertThat(breach.status()).isEqualTo(SlaStatus.ERROR);
                assertThat(breach.message()).isEqualTo("model.p.orders is 3 hours old; error after 2 hours");
                monitor.evaluate();
                Incident incident = incidents.list(Optional.of(IncidentStatus.NEW), Optional.of(0), 10, 0).get(0);
                assertThat(incident.asset()).isEqualTo("model.p.orders");
                assertThat(incident.cause()).isEqualTo(Cause.SLA_BREACH);
                assertThat(incident.occurrences()).isEqualTo(2);
                assertThat(incident.runbook()).contains("https://wiki.example.com/orders");

                clock.set(built.minus(Duration.ofMinutes(1)));
                monitor.evaluate();
                assertThat(incidents.get(incident.id()).orElseThrow().status()).isEqualTo(IncidentStatus.RESOLVED);

                clock.set(Instant.parse("2026-03-01T13:00:00Z"));
                SlaResult source = byAsset(monitor.evaluate()).get("source.p.app.events");
                assertThat(source.status()).isEqualTo(SlaStatus.WARN);
                assertThat(source.tier()).contains(1);
                assertThat(source.message()).isEqualTo("source.p.app.events is 13 hours old; warn after 12 hours");
                clock.set(Instant.parse("2026-03-02T01:00:00Z"));
                assertThat(byAsset(monitor.evaluate()).get("source.p.app.events").status()).isEqualTo(SlaStatus.ERROR);
            }
        }
    }

    @Test
    void aBadThresholdNamesTheAsset() throws IOException {
        Project project = project("{error_after: {count: 2, period: fortnight}}");
        assertThatThrownBy(() -> FreshnessSla.of(project.node("model.p.orders").orElseThrow()))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CONFIG_VALUE))
                .hasMessage("models/orders.sql:1: freshness.error_after.period of model.p.orders is 'fortnight'; use minute, hour or day");
    }

    private static Map<String, SlaResult> byAsset(List<SlaResult> results) {
        return results.stream().collect(Collectors.toMap(SlaResult::asset, Function.identity()));
    }
}
