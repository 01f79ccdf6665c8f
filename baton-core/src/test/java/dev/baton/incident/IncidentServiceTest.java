package dev.baton.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.event.RunStatus;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.graph.selector.SelectionSpec;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IncidentServiceTest {
    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T08:00:00Z"));

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Project project(String ordersSql) throws IOException {
        write("baton.yml", "name: p\n");
        write("models/orders.sql", ordersSql);
        write("models/customers.sql", "select 1 as id");
        write("models/props.yml", """
                version: 2
                models:
                  - name: orders
                    meta: {tier: 0, owner: sales-data, runbook: "https://wiki.example.com/runbooks/orders"}
                    columns:
                      - name: id
                        tests: [not_null]
                  - name: customers
                    meta: {tier: 2}
                """);
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }

    private IncidentService service(Project project) {
        return new IncidentService(StateConnections.open(root, Optional.empty()), project, clock);
    }

    @Test
    void anIncidentGoesFromNewToAcknowledgedToResolvedWithItsTimesAndTransitions() throws IOException {
        try (IncidentService incidents = service(project("select 1 as id"))) {
            Incident opened = incidents.open("model.p.orders", Cause.RUN_FAILURE, "Binder Error: column x not found", Optional.of("run-1"));
            assertThat(opened.status()).isEqualTo(IncidentStatus.NEW);
            assertThat(opened.tier()).contains(0);
            assertThat(opened.owner()).contains("sales-data");
            assertThat(opened.runbook()).contains("https://wiki.example.com/runbooks/orders");
            assertThat(opened.occurrences()).isEqualTo(1);

            clock.advance(Duration.ofMinutes(5));
            Incident again = incidents.open("model.p.orders", Cause.RUN_FAILURE, "Binder Error: column y not found", Optional.of("run-2"));
            assertThat(again.id()).isEqualTo(opened.id());
            assertThat(again.occurrences()).isEqualTo(2);
            assertThat(again.summary()).isEqualTo("Binder Error: column y not found");
            Incident otherCause = incidents.open("model.p.orders", Cause.SLA_BREACH, "model.p.orders is 5 hours old", Optional.empty());
            assertThat(otherCause.id()).isNotEqualTo(opened.id());
            assertThat(incidents.list(Optional.of(IncidentStatus.NEW), Optional.of(0), 10, 0)).hasSize(2);
            assertThat(incidents.list(Optional.empty(), Optional.of(2), 10, 0)).isEmpty();

            clock.advance(Duration.ofMinutes(10));
            Incident acknowledged = incidents.acknowledge(opened.id(), "ana");
            assertThat(acknowledged.status()).isEqualTo(IncidentStatus.ACKNOWLEDGED);
            assertThat(acknowledged.timeToAcknowledge()).contains(Duration.ofMinutes(15));
            assertThatThrownBy(() -> incidents.acknowledge(opened.id(), "ana"))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TRANSITION))
                    .hasMessage("incident '" + opened.id() + "' is acknowledged; only a new incident can be acknowledged");
            assertThatThrownBy(() -> incidents.resolve(opened.id(), "ana", ResolutionReason.FIXED, " "))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessage("resolving incident '" + opened.id() + "' needs a note saying what was done or found");
            assertThatThrownBy(() -> ResolutionReason.parse("upstream"))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessage("unknown resolution reason 'upstream'; use one of fixed, upstream_issue, false_positive, expected_change, other");
            assertThat(ResolutionReason.parse("Upstream issue")).isEqualTo(ResolutionReason.UPSTREAM_ISSUE);

            clock.advance(Duration.ofMinutes(45));
            Incident resolved = incidents.resolve(opened.id(), "ana", ResolutionReason.UPSTREAM_ISSUE, "the app team renamed the column");
            assertThat(resolved.status()).isEqualTo(IncidentStatus.RESOLVED);
            assertThat(resolved.timeToResolve()).contains(Duration.ofHours(1));
            assertThat(resolved.resolutionReason()).contains(ResolutionReason.UPSTREAM_ISSUE);
            assertThat(resolved.resolutionNote()).contains("the app team renamed the column");
            assertThatThrownBy(() -> incidents.resolve(opened.id(), "ana", ResolutionReason.OTHER, "again"))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TRANSITION))
                    .hasMessage("incident '" + opened.id() + "' is already resolved");
            assertThatThrownBy(() -> incidents.acknowledge("nope", "ana"))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_RECORD))
                    .hasMessage("no incident with id 'nope'; list the incidents to find its id");

            List<Transition> transitions = incidents.transitions(opened.id());
            assertThat(transitions).extracting(Transition::to).containsExactly(IncidentStatus.NEW, IncidentStatus.ACKNOWLEDGED, IncidentStatus.RESOLVED);
            assertThat(transitions.get(2).note()).isEqualTo("upstream_issue: the app team renamed the column");
            assertThat(transitions.get(2).actor()).isEqualTo("ana");

            Incident reopened = incidents.open("model.p.orders", Cause.RUN_FAILURE, "failed again", Optional.empty());
            assertThat(reopened.id()).isNotEqualTo(opened.id());
            assertThat(reopened.status()).isEqualTo(IncidentStatus.NEW);
        }
    }

    @Test
    void runEventsOpenIncidentsForFailuresAndResolveThemWhenTheyPassAgain() throws IOException {
        Project broken = project("select null as id union all select 1");
        try (Engine engine = DuckDbEngines.open(root.resolve("target/p.duckdb"), "main", 2);
                StateStore store = StateStore.open(root, Optional.empty());
                IncidentService incidents = service(broken)) {
            assertThat(build(broken, engine, store, incidents)).isEqualTo(RunStatus.FAILED);
            List<Incident> open = incidents.list(Optional.of(IncidentStatus.NEW), Optional.empty(), 10, 0);
            assertThat(open).hasSize(1);
            Incident check = open.get(0);
            assertThat(check.asset()).isEqualTo("test.p.not_null_orders_id");
            assertThat(check.cause()).isEqualTo(Cause.CHECK_FAILURE);
            assertThat(check.tier()).contains(0);
            assertThat(check.runbook()).contains("https://wiki.example.com/runbooks/orders");

            Project fixed = project("select 1 as id");
            clock.advance(Duration.ofMinutes(30));
            assertThat(build(fixed, engine, store, incidents)).isEqualTo(RunStatus.SUCCESS);
            Incident resolved = incidents.get(check.id()).orElseThrow();
            assertThat(resolved.status()).isEqualTo(IncidentStatus.RESOLVED);
            assertThat(resolved.resolvedBy()).contains("baton");
            assertThat(resolved.resolutionReason()).contains(ResolutionReason.FIXED);
            assertThat(resolved.resolutionNote()).contains("resolved by itself: the check failure passed again");
            assertThat(resolved.timeToResolve()).contains(Duration.ofMinutes(30));

            Project failing = project("select nope from missing_table");
            build(failing, engine, store, incidents);
            Incident runFailure = incidents.list(Optional.of(IncidentStatus.NEW), Optional.empty(), 10, 0).get(0);
            assertThat(runFailure.asset()).isEqualTo("model.p.orders");
            assertThat(runFailure.cause()).isEqualTo(Cause.RUN_FAILURE);
            assertThat(runFailure.summary()).contains("missing_table");
        }
    }

    private static RunStatus build(Project project, Engine engine, StateStore store, IncidentService incidents) {
        return new BuildExecution(project, engine, store, new BuildRequest(CommandKind.BUILD, SelectionSpec.all(), UUID.randomUUID().toString(), 2,
                "baton build", Map.of()), List.of(new IncidentSink(incidents))).run();
    }
}
