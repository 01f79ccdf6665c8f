package dev.baton.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.baton.api.engine.Engine;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.incident.Cause;
import dev.baton.incident.Incident;
import dev.baton.incident.IncidentStatus;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.schedule.JobRun;
import dev.baton.schedule.MutableClock;
import dev.baton.schedule.RunState;
import dev.baton.schedule.Scheduler;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperationsTest {
    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void aFailedScheduledRunOpensAnIncidentThatAlertsAndTheRunEmitsLineage() throws Exception {
        List<String> alerts = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            alerts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        write("baton.yml", """
                name: shop
                jobs:
                  - name: hourly
                    schedule: "0 * * * *"
                alerts:
                  routes:
                    - name: oncall
                      url: http://127.0.0.1:%d/hook
                      tiers: [0]
                openlineage:
                  file: target/openlineage.jsonl
                """.formatted(receiver.getAddress().getPort()));
        write("models/orders.sql", "{{ config(materialized='table') }} select error('the app database is down') as id");
        write("models/props.yml", """
                version: 2
                models:
                  - name: orders
                    meta: {tier: 0, runbook: "https://wiki.example.com/orders"}
                """);
        Project project = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T07:59:00Z"));
        StringWriter warnings = new StringWriter();
        try (Engine engine = DuckDbEngines.open(root.resolve("target/shop.duckdb"), "main", 2);
                StateStore store = StateStore.open(root, Optional.empty());
                Operations operations = Operations.open(project, engine, store, clock, new PrintWriter(warnings, true),
                        new Scheduler.Options(2, Duration.ofHours(1), Duration.ofMinutes(1)), Duration.ofHours(1))) {
            Scheduler scheduler = operations.scheduler();
            scheduler.tick();
            clock.set(Instant.parse("2026-03-02T08:00:05Z"));
            scheduler.tick();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<JobRun> runs = scheduler.runs(Optional.of("hourly"), 10);
            while (runs.isEmpty() || !runs.get(0).state().isFinal()) {
                assertThat(System.nanoTime()).as("the run never ended").isLessThan(deadline);
                Thread.sleep(20);
                runs = scheduler.runs(Optional.of("hourly"), 10);
            }
            assertThat(runs.get(0).state()).isEqualTo(RunState.FAILED);

            List<Incident> open = operations.incidents().list(Optional.of(IncidentStatus.NEW), Optional.empty(), 10, 0);
            assertThat(open).hasSize(1);
            assertThat(open.get(0).asset()).isEqualTo("model.shop.orders");
            assertThat(open.get(0).cause()).isEqualTo(Cause.RUN_FAILURE);
            assertThat(open.get(0).runId()).isEqualTo(runs.get(0).buildRunId());
            assertThat(alerts).hasSize(1);
            JsonNode alert = new ObjectMapper().readTree(alerts.get(0));
            assertThat(alert.at("/incident/runbook").asText()).isEqualTo("https://wiki.example.com/orders");
            assertThat(alert.at("/incident/summary").asText()).contains("the app database is down");
        } finally {
            receiver.stop(0);
        }
        assertThat(Files.readAllLines(root.resolve("target/openlineage.jsonl"))).hasSize(4);
        assertThat(warnings.toString()).isEmpty();
    }
}
