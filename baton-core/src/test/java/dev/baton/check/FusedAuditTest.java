package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineCapabilities;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
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
import dev.baton.run.RunOptions;
import dev.baton.run.Runner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FusedAuditTest {
    @TempDir
    Path root;

    static final String MODEL = """
            {{ config(materialized='table') }}
            select
                range as id,
                case when range % 50 = 0 then null else range % 7 end as grp,
                case when range % 3 = 0 then 'a' when range % 3 = 1 then 'b' else 'zz' end as code,
                range * 1.5 as amount,
                cast(current_timestamp as timestamp) - interval '1 hour' as fresh_at,
                timestamp '2020-01-01 00:00:00' as stale_at
            from range(100)
            """;

    static final String PROPERTIES = """
            version: 2
            models:
              - name: items
                tests:
                  - row_count: {min_value: 10, max_value: 1000}
                  - row_count: {max_value: 50}
                  - not_empty
                  - expression_is_true: {expression: "amount >= 0"}
                  - unique_combination_of_columns: {combination_of_columns: [id, code]}
                  - unique_combination_of_columns: {combination_of_columns: [grp, code]}
                  - recency: {field: fresh_at, datepart: day, interval: 1}
                  - recency: {field: stale_at, datepart: day, interval: 1}
                columns:
                  - name: id
                    tests:
                      - not_null
                      - unique
                      - accepted_range: {min_value: 0, inclusive: false}
                  - name: grp
                    tests:
                      - not_null
                      - unique:
                          config: {limit: 3}
                  - name: code
                    tests:
                      - accepted_values: {values: [a, b]}
                      - accepted_values: {values: [a, b, zz], config: {severity: warn}}
                  - name: amount
                    tests:
                      - expression_is_true: {expression: "< 100", config: {severity: warn}}
                      - accepted_range:
                          min_value: 0
                          max_value: 90
                          config: {warn_if: ">10", error_if: ">100"}
                      - not_null:
                          config: {where: "id > 50"}
            """;

    void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** An engine whose sessions count the queries they run; everything else goes to DuckDB. */
    static final class CountingEngine implements Engine {
        final Engine delegate;
        final List<String> queries = new CopyOnWriteArrayList<>();

        CountingEngine(Engine delegate) {
            this.delegate = delegate;
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public EngineCapabilities capabilities() {
            return delegate.capabilities();
        }

        @Override
        public EngineSession openSession() {
            EngineSession session = delegate.openSession();
            return new dev.baton.api.engine.ForwardingEngineSession(session) {
                @Override
                public QueryResult query(String sql, int maxRows) throws SQLException {
                    queries.add(sql);
                    return session.query(sql, maxRows);
                }
            };
        }

        @Override
        public String quote(String identifier) {
            return delegate.quote(identifier);
        }

        @Override
        public String defaultSchema() {
            return delegate.defaultSchema();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    Map<String, NodeResult> run(Engine engine, CommandKind command, List<RunEvent> events) {
        Project project = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(command, project, graph, new LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        Map<String, NodeResult> results = new TreeMap<>();
        RunStatus status = new Runner(engine, project, plan, new RunOptions("run-" + command, 1, false), event -> {
            events.add(event);
            if (event instanceof RunEvent.NodeFinished finished) {
                results.put(finished.result().nodeId(), finished.result());
            }
        }).run("baton " + command.label());
        assertThat(status).isNotNull();
        return results;
    }

    @Test
    void everyCheckOfARelationRunsInEightQueriesAndAgreesWithOneQueryPerCheck() throws Exception {
        write("baton.yml", "name: p\n");
        write("models/items.sql", MODEL);
        write("models/schema.yml", PROPERTIES);
        try (CountingEngine engine = new CountingEngine(DuckDbEngines.open(root.resolve("w.duckdb"), "main", 1))) {
            run(engine, CommandKind.RUN, new CopyOnWriteArrayList<>());
            engine.queries.clear();
            Map<String, NodeResult> single = run(engine, CommandKind.TEST, new CopyOnWriteArrayList<>());
            assertThat(engine.queries).hasSize(18);

            engine.queries.clear();
            List<RunEvent> events = new CopyOnWriteArrayList<>();
            Map<String, NodeResult> fused = run(engine, CommandKind.BUILD, events);
            List<String> auditQueries = engine.queries.stream().filter(sql -> sql.contains("items__baton_staging") && !sql.startsWith(FailingRows.MARKER)).toList();
            assertThat(fused.values()).filteredOn(r -> r.resourceType().equals("test")).hasSize(18);
            // The aggregate scan; the filtered counts of the range and comparison checks (each a count of its own, which DuckDB answers
            // from its block statistics); the types of the unique columns (one row) and their integer ranges; the distinct values of id
            // and grp (by bitmaps); one grouped query per column combination; and, since grp has duplicates, its grouped query for the
            // exact count.
            assertThat(auditQueries).hasSize(8);
            assertThat(auditQueries).filteredOn(sql -> sql.startsWith("select\n    (select count(*) from ")).hasSize(1);
            assertThat(auditQueries).filteredOn(sql -> sql.contains("bit_count(bitstring_agg(id, 0, 99))")).hasSize(1);
            assertThat(auditQueries).filteredOn(sql -> sql.contains("group by grp\n")).hasSize(1);
            RunEvent.AuditFinished audit = events.stream().filter(RunEvent.AuditFinished.class::isInstance).map(RunEvent.AuditFinished.class::cast)
                    .findFirst().orElseThrow();
            assertThat(audit.queries()).isEqualTo(8);
            for (NodeResult result : single.values()) {
                NodeResult other = fused.get(result.nodeId());
                assertThat(other.failures()).as(result.nodeId()).isEqualTo(result.failures());
                assertThat(other.status()).as(result.nodeId()).isEqualTo(result.status());
                assertThat(other.message().lines().findFirst()).as(result.nodeId()).contains(result.message());
            }
            Map<String, String> outcomes = new TreeMap<>();
            fused.values().stream().filter(r -> r.resourceType().equals("test"))
                    .forEach(r -> outcomes.put(r.nodeId().substring("test.p.".length()), r.status() + " " + r.failures().orElse(-1)));
            assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    Map.entry("accepted_range_items_amount__90__0", "WARN 39"),
                    Map.entry("accepted_range_items_id__false__0", "FAIL 1"),
                    Map.entry("accepted_values_items_code__a__b", "FAIL 1"),
                    Map.entry("accepted_values_items_code__a__b__zz", "PASS 0"),
                    Map.entry("expression_is_true_items_amount___100", "WARN 33"),
                    Map.entry("expression_is_true_items_amount_0", "PASS 0"),
                    Map.entry("not_empty_items", "PASS 0"),
                    Map.entry("not_null_items_amount", "PASS 0"),
                    Map.entry("not_null_items_grp", "FAIL 2"),
                    Map.entry("not_null_items_id", "PASS 0"),
                    Map.entry("recency_items_day__fresh_at__1", "PASS 0"),
                    Map.entry("recency_items_day__stale_at__1", "FAIL 1"),
                    Map.entry("row_count_items_1000__10", "PASS 0"),
                    Map.entry("row_count_items_50", "FAIL 1"),
                    Map.entry("unique_combination_of_columns_items_grp__code", "FAIL 21"),
                    Map.entry("unique_combination_of_columns_items_id__code", "PASS 0"),
                    Map.entry("unique_items_grp", "FAIL 3"),
                    Map.entry("unique_items_id", "PASS 0")));
            assertThat(engine.queries.stream().filter(sql -> sql.startsWith(FailingRows.MARKER))).as("one sample per failing row-level check").hasSize(7);
            assertThat(fused.get("test.p.not_null_items_grp").message()).matches("""
                    Got 2 results, configured to fail if != 0
                        failing rows \\(first 2\\):
                          \\{id=0, grp=null, code=a, amount=0.0, fresh_at=[0-9: .-]+, stale_at=2020-01-01 00:00:00.0\\}
                          \\{id=50, grp=null, code=zz, amount=75.0, fresh_at=[0-9: .-]+, stale_at=2020-01-01 00:00:00.0\\}""");
            assertThat(fused.get("model.p.items").message()).isEqualTo("kept previous version of main.items; 7 checks failed");
        }
    }

    static CheckSpec unique(String column, Optional<String> where) {
        return new CheckSpec("test.p.unique_" + column + where.map(w -> "_where").orElse(""), "unique_" + column, "unique", Optional.of(column), Map.of(),
                where, java.util.OptionalLong.empty(), Optional.empty(), "", "error", Threshold.ANY, Threshold.ANY);
    }

    @Test
    void uniquenessIsProvedByBitmapOrGroupedAndCountedExactlyOnlyWhenDuplicated() throws Exception {
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 1); EngineSession session = engine.openSession()) {
            session.execute("create table main.t as select case when range % 10 = 0 then null else range end as a, range % 40 as b,"
                    + " case when range = 0 then 1000000000000000 else range end as c, 'r' || (range % 45) as d, range % 50 as e from range(100)");
            List<CheckSpec> checks = List.of(unique("a", Optional.empty()), unique("b", Optional.empty()), unique("c", Optional.empty()),
                    unique("d", Optional.empty()), unique("e", Optional.of("e < 50 and a < 50")), unique("e", Optional.empty()));
            AuditReport report = Auditor.run(session, "main.t", "main.t", checks, Optional.empty(), MetricHistory.NONE, "",
                    dev.baton.api.engine.EngineCapabilities.builder().integerBitmaps().zoneMaps().build());
            Map<String, String> outcomes = new TreeMap<>();
            report.outcomes().forEach((id, outcome) -> outcomes.put(id, outcome.verdict() + " " + outcome.failures()));
            // dbt counts duplicated values: b repeats 40 values (0..19 three times, 20..39 twice), d 45, e 50; a and c are unique despite NULLs
            // and a range too wide for a bitmap; e is unique where e < 50 and a < 50.
            assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("test.p.unique_a", "PASS 0", "test.p.unique_b", "FAIL 40", "test.p.unique_c",
                    "PASS 0", "test.p.unique_d", "FAIL 45", "test.p.unique_e_where", "PASS 0", "test.p.unique_e", "FAIL 50"));
            // Integer keys with a narrow range are proved by bitmaps in one scan; c (a range too wide) and d (text) go straight to dbt's
            // grouped query, which DuckDB answers faster than a distinct count; b and e, duplicated, get theirs for the exact count.
            String distinct = report.queries().stream().filter(sql -> sql.contains("bit_count(bitstring_agg(a, 1, 99))")).findFirst().orElseThrow();
            assertThat(distinct).contains("bit_count(bitstring_agg(b, 0, 39))", "bit_count(bitstring_agg(e, 1, 49) filter (where e < 50 and a < 50))")
                    .doesNotContain("count(distinct");
            assertThat(report.queries()).filteredOn(sql -> sql.contains("group by")).hasSize(4);
            assertThat(report.queries()).filteredOn(sql -> sql.contains("group by c\n") || sql.contains("group by d\n")).hasSize(2);
            assertThat(report.metrics()).contains(new RunEvent.Metric("a", "distinct_count", "90"), new RunEvent.Metric("b", "distinct_count", "40"));
        }
    }
}
