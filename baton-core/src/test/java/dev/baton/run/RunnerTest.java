package dev.baton.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.event.RunStatus;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.graph.Graph;
import dev.baton.plan.CommandKind;
import dev.baton.plan.Plan;
import dev.baton.plan.Planner;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTest {
    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private Project load() {
        return ProjectLoader.load(new LoadOptions(root, java.util.Optional.empty(), Map.of(), Map.of()));
    }


    private RunStatus build(Project project, Engine engine, RecordingSink recorder, int threads, boolean failFast) {
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(CommandKind.BUILD, project, graph, new java.util.LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        return new Runner(engine, project, plan, new RunOptions("run-1", threads, failFast), recorder).run("baton build");
    }

    @Test
    void aFailureSkipsItsDependentsWhileIndependentBranchesFinish() throws IOException {
        write("baton.yml", "name: p\n");
        write("models/a.sql", "select 1 as id");
        write("models/b.sql", "select nope from {{ ref('a') }}");
        write("models/c.sql", "select * from {{ ref('b') }}");
        write("models/d.sql", "select * from {{ ref('c') }}");
        for (int i = 0; i < 8; i++) {
            write("models/independent_" + i + ".sql", "select " + i + " as id from {{ ref('a') }}");
        }
        Project project = load();
        RecordingSink recorder = new RecordingSink();
        try (Engine engine = DuckDbEngines.open(root.resolve("target/p.duckdb"), "main", 4)) {
            RunStatus status = build(project, engine, recorder, 4, false);
            assertThat(status).isEqualTo(RunStatus.FAILED);
        }
        Map<String, NodeResult> results = recorder.results();
        assertThat(results).hasSize(12);
        assertThat(results.get("model.p.a").status()).isEqualTo(NodeStatus.SUCCESS);
        assertThat(results.get("model.p.b").status()).isEqualTo(NodeStatus.ERROR);
        assertThat(results.get("model.p.c").status()).isEqualTo(NodeStatus.SKIPPED);
        assertThat(results.get("model.p.c").message()).isEqualTo("skipped because model.p.b error");
        assertThat(results.get("model.p.d").status()).isEqualTo(NodeStatus.SKIPPED);
        assertThat(results.get("model.p.d").message()).isEqualTo("skipped because model.p.b error");
        for (int i = 0; i < 8; i++) {
            assertThat(results.get("model.p.independent_" + i).status()).isEqualTo(NodeStatus.SUCCESS);
        }
        RunEvent last = recorder.events.get(recorder.events.size() - 1);
        assertThat(last).isInstanceOf(RunEvent.RunFinished.class);
        assertThat(((RunEvent.RunFinished) last).results()).hasSize(12);
    }

    @Test
    void dependenciesFinishBeforeTheirDependentsStart() throws IOException {
        write("baton.yml", "name: p\n");
        write("models/a.sql", "select 1 as id");
        for (int i = 0; i < 6; i++) {
            write("models/m" + i + ".sql", "select * from {{ ref('a') }}");
            write("models/n" + i + ".sql", "select * from {{ ref('m" + i + "') }}");
        }
        Project project = load();
        RecordingSink recorder = new RecordingSink();
        try (Engine engine = DuckDbEngines.open(root.resolve("target/p.duckdb"), "main", 4)) {
            assertThat(build(project, engine, recorder, 4, false)).isEqualTo(RunStatus.SUCCESS);
        }
        Map<String, Integer> finishedAt = new HashMap<>();
        Map<String, Integer> startedAt = new HashMap<>();
        for (int i = 0; i < recorder.events.size(); i++) {
            if (recorder.events.get(i) instanceof RunEvent.NodeStarted started) {
                startedAt.put(started.nodeId(), i);
            } else if (recorder.events.get(i) instanceof RunEvent.NodeFinished finished) {
                finishedAt.put(finished.result().nodeId(), i);
            }
        }
        for (int i = 0; i < 6; i++) {
            assertThat(finishedAt.get("model.p.a")).isLessThan(startedAt.get("model.p.m" + i));
            assertThat(finishedAt.get("model.p.m" + i)).isLessThan(startedAt.get("model.p.n" + i));
        }
    }

    @Test
    void failFastStopsTheRest() throws IOException {
        write("baton.yml", "name: p\n");
        write("models/bad.sql", "select nope");
        for (int i = 0; i < 6; i++) {
            write("models/z" + i + ".sql", "select * from {{ ref('bad') }}");
        }
        Project project = load();
        RecordingSink recorder = new RecordingSink();
        try (Engine engine = DuckDbEngines.open(root.resolve("target/p.duckdb"), "main", 1)) {
            assertThat(build(project, engine, recorder, 1, true)).isEqualTo(RunStatus.FAILED);
        }
        assertThat(recorder.results().values()).filteredOn(r -> r.status() == NodeStatus.SUCCESS).isEmpty();
        assertThat(recorder.results().get("model.p.bad").status()).isEqualTo(NodeStatus.ERROR);
    }

    @Test
    void cancellingInterruptsRunningStatementsAndKeepsThePreviousTable() throws Exception {
        write("baton.yml", "name: p\n");
        write("models/slow.sql", "{{ config(materialized='table') }}\nselect {{ var('marker', 1) }} as marker, count(*) as n from range({{ var('rows', 10) }})");
        write("models/after.sql", "select * from {{ ref('slow') }}");
        try (Engine engine = DuckDbEngines.open(root.resolve("target/p.duckdb"), "main", 2)) {
            assertThat(build(load(), engine, new RecordingSink(), 2, false)).isEqualTo(RunStatus.SUCCESS);
            Project slow = ProjectLoader.load(new LoadOptions(root, java.util.Optional.empty(), Map.of("marker", 2, "rows", 50_000_000_000L), Map.of()));
            Graph graph = Graph.of(slow.nodes().values());
            Plan plan = Planner.plan(CommandKind.BUILD, slow, graph, new java.util.LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
            RecordingSink recorder = new RecordingSink();
            Runner runner = new Runner(engine, slow, plan, new RunOptions("run-2", 2, false), recorder);
            CompletableFuture<RunStatus> status = CompletableFuture.supplyAsync(() -> runner.run("baton build"));
            Thread.sleep(700);
            long start = System.nanoTime();
            runner.cancel();
            assertThat(status.get()).isEqualTo(RunStatus.CANCELLED);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(recorder.results().get("model.p.slow").status()).isEqualTo(NodeStatus.CANCELLED);
            assertThat(recorder.results().get("model.p.after").status()).isIn(NodeStatus.CANCELLED, NodeStatus.SKIPPED);
            try (EngineSession session = engine.openSession()) {
                assertThat(session.query("select marker, n from main.slow", 10).rows()).containsExactly(List.of("1", "10"));
                assertThat(session.query("select count(*) from information_schema.tables where table_name like '%baton%'", 1).rows().get(0))
                        .containsExactly("0");
            }
        }
    }
}
