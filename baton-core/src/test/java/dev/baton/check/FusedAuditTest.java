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

    @Test
    void whereTheEngineSortsFasterUniquenessIsProvedBySortingValuesOrHashes() throws Exception {
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 1); EngineSession session = engine.openSession()) {
            session.execute("create table main.t as select case when range % 10 = 0 then null else range end as a, range % 40 as b,"
                    + " case when range = 0 then 1000000000000000 else range end as c, 'r' || (range % 45) as d, range % 50 as e,"
                    + " case when range % 7 = 0 then null else md5(range::varchar) end as f, case when range < 60 then range * 1000000000000 else 7 end as g"
                    + " from range(100)");
            List<CheckSpec> checks = List.of(unique("a", Optional.empty()), unique("b", Optional.empty()), unique("c", Optional.empty()),
                    unique("d", Optional.empty()), unique("e", Optional.of("e < 50 and a < 50")), unique("e", Optional.empty()), unique("f", Optional.empty()),
                    unique("g", Optional.of("g <> 7")), unique("g", Optional.empty()));
            AuditReport report = Auditor.run(session, "main.t", "main.t", checks, Optional.empty(), MetricHistory.NONE, "", engine.capabilities());
            Map<String, String> outcomes = new TreeMap<>();
            report.outcomes().forEach((id, outcome) -> outcomes.put(id, outcome.verdict() + " " + outcome.failures()));
            // As dbt counts them: f (text) and c (a range too wide for a bitmap) are unique despite NULLs; g repeats one value (7).
            assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("test.p.unique_a", "PASS 0", "test.p.unique_b", "FAIL 40", "test.p.unique_c",
                    "PASS 0", "test.p.unique_d", "FAIL 45", "test.p.unique_e_where", "PASS 0", "test.p.unique_e", "FAIL 50", "test.p.unique_f", "PASS 0",
                    "test.p.unique_g_where", "PASS 0", "test.p.unique_g", "FAIL 1"));
            // c and g (wide integers) sort their values, d and f (text) their hashes; no grouped query for the unique ones, one each for the
            // duplicated ones, for the exact count.
            assertThat(report.queries()).filteredOn(sql -> sql.contains("lag(k) over (order by k)")).hasSize(5);
            assertThat(report.queries()).anySatisfy(sql -> assertThat(sql).contains("select c as k from main.t where c is not null"));
            assertThat(report.queries()).anySatisfy(sql -> assertThat(sql).contains("select g as k from main.t where g is not null and (g <> 7)"));
            assertThat(report.queries()).anySatisfy(sql -> assertThat(sql).contains("select hash(f) as k from main.t where f is not null"));
            assertThat(report.queries()).filteredOn(sql -> sql.contains("group by")).hasSize(4);
            assertThat(report.queries()).filteredOn(sql -> sql.contains("group by c\n") || sql.contains("group by f\n")).isEmpty();
            assertThat(report.queries()).filteredOn(sql -> sql.contains("group by d\n") || sql.contains("group by g\n")).hasSize(2);
            assertThat(report.metrics()).contains(new RunEvent.Metric("c", "distinct_count", "100"), new RunEvent.Metric("f", "distinct_count", "85"));
        }
    }

    static CheckSpec relationship(String name, String column, String parent, String field, Optional<String> where) {
        return new CheckSpec("test.p." + name, name, "relationships", Optional.of(column), Map.of("to", "ref('" + parent + "')", "field", field), where,
                java.util.OptionalLong.empty(), Optional.of("main." + parent), "", "error", Threshold.ANY, Threshold.ANY);
    }

    @Test
    void relationshipsToContiguousIntegerKeysAreDecidedByRangesAndEveryOtherByTheAntiJoin() throws Exception {
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 1); EngineSession session = engine.openSession()) {
            session.execute("create table main.dense as select range + 1 as id, 'k' || (range + 1) as code from range(100)"
                    + " union all select 5, 'k5' union all select null, null");
            session.execute("create table main.gapped as select range + 1 as id from range(100) where range <> 49");
            session.execute("create table main.child as select (range % 100) + 1 as inside, case when range = 3 then 50 else (range % 100) + 1 end as hits_gap,"
                    + " case when range < 2 then 101 when range = 2 then 0 else 1 end as outside, case when range % 3 = 0 then null else 2 end as sparse,"
                    + " 'k' || ((range % 100) + 1) as code, case when range < 5 then 'k999' else 'k1' end as bad_code from range(1000)");
            List<CheckSpec> checks = List.of(relationship("inside", "inside", "dense", "id", Optional.empty()),
                    relationship("hits_gap", "hits_gap", "gapped", "id", Optional.empty()),
                    relationship("inside_gapped", "inside", "gapped", "id", Optional.of("inside <> 50")),
                    relationship("outside", "outside", "dense", "id", Optional.empty()),
                    relationship("outside_where", "outside", "dense", "id", Optional.of("outside between 1 and 100")),
                    relationship("sparse", "sparse", "dense", "id", Optional.empty()),
                    relationship("code", "code", "dense", "code", Optional.empty()),
                    relationship("bad_code", "bad_code", "dense", "code", Optional.empty()));
            AuditReport report = Auditor.run(session, "main.child", "main.child", checks, Optional.empty(), MetricHistory.NONE, "", engine.capabilities());
            Map<String, String> outcomes = new TreeMap<>();
            report.outcomes().forEach((id, outcome) -> outcomes.put(id, outcome.verdict() + " " + outcome.failures()));
            Map<String, String> dbt = new TreeMap<>();
            for (CheckSpec check : checks) {
                String sql = "select count(*) from (select " + check.column().orElseThrow() + " as from_field from main.child where "
                        + check.column().orElseThrow() + " is not null" + check.where().map(w -> " and (" + w + ")").orElse("")
                        + ") child left join (select " + check.arguments().get("field") + " as to_field from " + check.parentRelation().orElseThrow()
                        + ") parent on child.from_field = parent.to_field where parent.to_field is null";
                long failures = Long.parseLong(session.query(sql, 1).rows().get(0).get(0));
                dbt.put(check.testId(), (failures == 0 ? "PASS " : "FAIL ") + failures);
            }
            assertThat(outcomes).isEqualTo(dbt).containsEntry("test.p.hits_gap", "FAIL 11").containsEntry("test.p.outside", "FAIL 3")
                    .containsEntry("test.p.bad_code", "FAIL 5").containsEntry("test.p.inside_gapped", "PASS 0");
            // Contiguous parent keys (duplicates and NULLs aside) and child keys within their range: no join. A gap in the parent's keys, a
            // child key outside, or text keys: the anti-join.
            assertThat(report.queries()).filteredOn(sql -> sql.contains("left join")).hasSize(5);
            assertThat(report.queries()).filteredOn(sql -> sql.contains("left join") && (sql.contains("select inside as from_field")
                    && sql.contains("main.dense") || sql.contains("select sparse as from_field") || sql.contains("outside between"))).isEmpty();
        }
    }

    @Test
    void aViewIsAuditedWithoutFilteredCountsWhichWouldRunItsQueryOncePerCheck() {
        List<CheckSpec> checks = List.of(
                new CheckSpec("test.p.nn", "nn", "not_null", Optional.of("id"), Map.of(), Optional.empty(), java.util.OptionalLong.empty(), Optional.empty(),
                        "", "error", Threshold.ANY, Threshold.ANY),
                new CheckSpec("test.p.av", "av", "accepted_values", Optional.of("code"), Map.of("values", List.of("a", "b")), Optional.empty(),
                        java.util.OptionalLong.empty(), Optional.empty(), "", "error", Threshold.ANY, Threshold.ANY));
        EngineCapabilities table = new dev.baton.engine.duckdb.DuckDbEngineProvider().capabilities();
        assertThat(FusedAudit.compile("main.t", "main.t", checks, table)).extracting(AuditQuery::shape).containsExactly("filtered counts");
        assertThat(FusedAudit.compile("main.t", "main.t", checks, table).get(0).sql()).isEqualTo("""
                select
                    (select count(*) from main.t),
                    (select count(*) from main.t where (id is null)),
                    (select count(distinct code) from main.t where (code not in ('a', 'b'))),
                    (select count(*) from main.t where id is null),
                    (select count(*) from main.t where code is null)""");
        List<AuditQuery> view = FusedAudit.compile("main.v", "main.v", checks, table.forViews());
        assertThat(view).extracting(AuditQuery::shape).containsExactly("aggregate");
        assertThat(view.get(0).sql()).isEqualTo("""
                select
                    count(*) - count(id),
                    count(distinct code) filter (where code not in ('a', 'b')),
                    count(*),
                    count(*) - count(id),
                    count(*) - count(code)
                from main.v""");
    }
}
