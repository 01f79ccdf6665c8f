package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.engine.Engine;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.graph.Graph;
import dev.baton.plan.CommandKind;
import dev.baton.plan.Plan;
import dev.baton.plan.Planner;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.run.RecordingSink;
import dev.baton.run.RunOptions;
import dev.baton.run.Runner;
import dev.baton.state.StateStore;
import dev.baton.state.StateStoreSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalyTest {
    @TempDir
    Path root;

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    static CheckSpec check(String kind, Optional<String> column, Map<String, Object> arguments) {
        return new CheckSpec("test.p." + kind, kind, kind, column, arguments, Optional.empty(), OptionalLong.empty(), Optional.empty(), "", "error",
                Threshold.ANY, Threshold.ANY);
    }

    /** One point a day, newest first, ending yesterday. */
    static MetricHistory history(String metric, double... values) {
        return (nodeId, column, name, limit) -> {
            List<MetricHistory.Point> points = new ArrayList<>();
            if (!name.equals(metric)) {
                return points;
            }
            for (int i = 0; i < values.length && i < limit; i++) {
                points.add(new MetricHistory.Point(values[i], NOW.minus(Duration.ofDays(i + 1))));
            }
            return points;
        };
    }

    static final double[] ALTERNATING = {9000, 11000, 9000, 11000, 9000, 11000, 9000, 11000, 9000, 11000, 9000, 11000, 9000, 11000, 500, 500};

    @Test
    void aPlantedDropFailsAndExplainsItself() {
        CheckSpec volume = check("volume_anomaly", Optional.empty(), Map.of());
        CheckOutcome drop = Anomalies.judge(volume, Optional.of(1204.0), history("row_count", ALTERNATING), "model.p.orders", NOW);
        assertThat(drop.verdict()).isEqualTo(CheckOutcome.Verdict.FAIL);
        assertThat(drop.message()).isEqualTo("row_count 1,204 is 8.5σ below the 14-run mean of 10,000 (±1,038)");
        CheckOutcome normal = Anomalies.judge(volume, Optional.of(10500.0), history("row_count", ALTERNATING), "model.p.orders", NOW);
        assertThat(normal.verdict()).isEqualTo(CheckOutcome.Verdict.PASS);
        CheckSpec warn = new CheckSpec("test.p.v", "v", "volume_anomaly", Optional.empty(), Map.of(), Optional.empty(), OptionalLong.empty(),
                Optional.empty(), "", "warn", Threshold.ANY, Threshold.ANY);
        assertThat(Anomalies.judge(warn, Optional.of(1204.0), history("row_count", ALTERNATING), "m", NOW).verdict()).isEqualTo(CheckOutcome.Verdict.WARN);
    }

    @Test
    void untilEnoughRunsAreRecordedTheCheckIsTrainingAndPasses() {
        CheckSpec volume = check("volume_anomaly", Optional.empty(), Map.of());
        CheckOutcome training = Anomalies.judge(volume, Optional.of(1.0), history("row_count", 10, 10, 11, 9, 10), "m", NOW);
        assertThat(training.verdict()).isEqualTo(CheckOutcome.Verdict.PASS);
        assertThat(training.message()).isEqualTo("training (5/7 points)");
        CheckSpec small = check("volume_anomaly", Optional.empty(), Map.of("training_window", 4, "min_training", 3));
        assertThat(Anomalies.judge(small, Optional.of(1.0), history("row_count", 10, 10, 11, 9, 10), "m", NOW).message())
                .isEqualTo("row_count 1 is 11.0σ below the 4-run mean of 10 (±0.8165)");
    }

    @Test
    void directionSensitivityAndSeasonality() {
        CheckSpec spikes = check("volume_anomaly", Optional.empty(), Map.of("direction", "spike"));
        assertThat(Anomalies.judge(spikes, Optional.of(1204.0), history("row_count", ALTERNATING), "m", NOW).verdict())
                .isEqualTo(CheckOutcome.Verdict.PASS);
        assertThat(Anomalies.judge(spikes, Optional.of(30000.0), history("row_count", ALTERNATING), "m", NOW).message())
                .isEqualTo("row_count 30,000 is 19.3σ above the 14-run mean of 10,000 (±1,038)");
        CheckSpec lenient = check("volume_anomaly", Optional.empty(), Map.of("sensitivity", 10));
        assertThat(Anomalies.judge(lenient, Optional.of(1204.0), history("row_count", ALTERNATING), "m", NOW).verdict())
                .isEqualTo(CheckOutcome.Verdict.PASS);
        // Day of week: only the Wednesdays of the history count (every 7th day back), 2 of them < 7: training.
        CheckSpec weekly = check("volume_anomaly", Optional.empty(), Map.of("seasonality", "day_of_week"));
        assertThat(Anomalies.judge(weekly, Optional.of(1204.0), history("row_count", ALTERNATING), "m", NOW).message())
                .isEqualTo("training (2/7 points)");
        double[] weeks = new double[7 * 8];
        for (int i = 0; i < weeks.length; i++) {
            weeks[i] = (i + 1) % 7 == 0 ? 500 + (i % 2) * 10 : 10000;
        }
        CheckSpec weeklyMin = check("volume_anomaly", Optional.empty(), Map.of("seasonality", "day_of_week", "training_window", 8));
        CheckOutcome wednesday = Anomalies.judge(weeklyMin, Optional.of(505.0), history("row_count", weeks), "m", NOW);
        assertThat(wednesday.verdict()).as(wednesday.message()).isEqualTo(CheckOutcome.Verdict.PASS);
        CheckOutcome unseasonal = Anomalies.judge(check("volume_anomaly", Optional.empty(), Map.of()), Optional.of(505.0), history("row_count", weeks),
                "m", NOW);
        assertThat(unseasonal.verdict()).isEqualTo(CheckOutcome.Verdict.PASS);
    }

    @Test
    void columnMetricsComeFromTheAuditScan() {
        CheckSpec nullRate = check("column_anomaly", Optional.of("email"), Map.of("metric", "null_rate"));
        assertThat(Anomalies.current(nullRate, Map.of("email|null_count", "25", "|row_count", "100"))).hasValue(0.25);
        CheckSpec mean = check("column_anomaly", Optional.of("amount"), Map.of("metric", "mean"));
        assertThat(Anomalies.judge(mean, Optional.of(5.0), history("mean", 50, 52, 48, 50, 51, 49, 50), "m", NOW).message())
                .isEqualTo("amount mean 5 is 34.9σ below the 7-run mean of 50 (±1.291)");
        List<AuditQuery> queries = FusedAudit.compile("t", "t", List.of(nullRate, mean, check("column_anomaly", Optional.of("id"), Map.of("metric", "distinct_count")),
                check("freshness_anomaly", Optional.empty(), Map.of("field", "loaded_at"))));
        assertThat(queries).hasSize(1);
        assertThat(queries.get(0).sql()).isEqualTo("""
                select
                    count(*),
                    count(*) - count(email),
                    count(*) - count(amount),
                    count(*) - count(id),
                    count(distinct id),
                    avg(amount),
                    epoch(current_timestamp) - epoch(max(loaded_at))
                from t""");
    }

    void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    NodeResult[] build(Engine engine, StateStore store, int rows) {
        Project project = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of("n", rows), Map.of()));
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(CommandKind.BUILD, project, graph, new LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        RecordingSink recorder = new RecordingSink();
        StateStoreSink stored = new StateStoreSink(store);
        MetricHistory history = (nodeId, column, metric, limit) -> store.metricHistory(nodeId, column, metric, limit * 2).stream()
                .filter(record -> record.published() && record.numericValue().isPresent()).limit(limit)
                .map(record -> new MetricHistory.Point(record.numericValue().getAsDouble(), record.recordedAt())).toList();
        new Runner(engine, project, plan, new RunOptions(java.util.UUID.randomUUID().toString(), 1, false, false, true, Map.of(), history), event -> {
            stored.accept(event);
            recorder.accept(event);
        }).run("baton build");
        assertThat(stored.failure()).isEmpty();
        return new NodeResult[] {recorder.results().get("model.p.orders"), recorder.results().get("test.p.volume_anomaly_orders")};
    }

    @Test
    void aBuildJudgesVolumeAgainstTheRecordedHistoryAndKeepsThePreviousVersion() throws Exception {
        write("baton.yml", "name: p\n");
        write("models/orders.sql", "{{ config(materialized='table') }}\nselect range as id from range({{ var('n') }})");
        write("models/schema.yml", "version: 2\nmodels:\n  - name: orders\n    tests: [volume_anomaly]\n");
        int[] sizes = {1000, 1100, 900, 1000, 1100, 900, 1000, 1100};
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 1); StateStore store = StateStore.open(root, Optional.empty())) {
            for (int i = 0; i < sizes.length; i++) {
                NodeResult[] results = build(engine, store, sizes[i]);
                assertThat(results[0].status()).isEqualTo(NodeStatus.SUCCESS);
                assertThat(results[1].status()).isEqualTo(NodeStatus.PASS);
                if (i == 5) {
                    assertThat(results[1].message()).isEqualTo("training (5/7 points)");
                }
            }
            NodeResult[] drop = build(engine, store, 100);
            assertThat(drop[0].status()).isEqualTo(NodeStatus.FAIL);
            assertThat(drop[0].message()).matches("kept previous version of main\\.orders \\(built .*\\); 1 check failed");
            assertThat(drop[1].status()).isEqualTo(NodeStatus.FAIL);
            assertThat(drop[1].message()).isEqualTo("row_count 100 is 10.9σ below the 8-run mean of 1,013 (±83.4523)");
            // The rejected build is not part of the history: the next normal build passes.
            assertThat(build(engine, store, 1000)[1].message()).isEqualTo("pass");
        }
    }

    @Test
    void anomalyArgumentsAreChecked() throws Exception {
        write("baton.yml", "name: p\n");
        write("models/orders.sql", "select 1 as id");
        write("models/schema.yml", "version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        tests:\n"
                + "          - column_anomaly: {metric: nul_rate}\n");
        assertThatThrownBy(() -> ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of())))
                .hasMessage("models/schema.yml:7:13: 'metric' of test 'column_anomaly' must be null_rate, distinct_count, mean, min, max, not 'nul_rate'; "
                        + "did you mean 'null_rate'?");
        write("models/schema.yml", "version: 2\nmodels:\n  - name: orders\n    tests:\n      - volume_anomaly: {direction: down}\n");
        assertThatThrownBy(() -> ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of())))
                .hasMessage("models/schema.yml:5:9: 'direction' of test 'volume_anomaly' must be both, spike, drop, not 'down'");
    }
}
