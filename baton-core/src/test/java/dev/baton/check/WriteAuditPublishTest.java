package dev.baton.check;

import dev.baton.run.RecordingSink;

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
import dev.baton.run.RunOptions;
import dev.baton.run.Runner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAuditPublishTest {
    @TempDir
    Path root;

    static final String PROPERTIES = """
            version: 2
            models:
              - name: customers
                columns:
                  - name: id
                    tests: [unique, not_null]
              - name: orders
                columns:
                  - name: id
                    tests:
                      - unique
                      - not_null:
                          config: {store_failures: true}
                  - name: status
                    meta: {pii: true}
                    tests:
                      - accepted_values:
                          values: [placed, shipped]
                  - name: customer_id
                    tests:
                      - relationships:
                          to: ref('customers')
                          field: id
              - name: orders_view
                columns:
                  - name: id
                    tests: [not_null]
            """;

    void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    void project(int orderRows, boolean bad) throws IOException {
        write("baton.yml", "name: p\n");
        write("models/customers.sql", "{{ config(materialized='table') }}\nselect range as id from range(10)");
        String id = bad ? "case when range % 1000 = 7 then null else range end" : "range";
        write("models/orders.sql", "{{ config(materialized='table') }}\nselect " + id + " as id, " + (bad ? 2 : 1) + " as version, "
                + "case when range % 2 = 0 then 'placed' else 'shipped' end as status, range % 10 as customer_id from range(" + orderRows + ")\n"
                + "where range >= (select min(id) from {{ ref('customers') }})");
        write("models/orders_view.sql", "select " + (bad ? "null" : "id") + " as id from {{ ref('customers') }}");
        write("models/revenue.sql", "{{ config(materialized='table') }}\nselect count(*) as n, max(version) as version from {{ ref('orders') }}");
        write("models/schema.yml", PROPERTIES);
    }

    Project load() {
        return ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
    }


    RunStatus build(Engine engine, RecordingSink recorder, boolean keepFailed) {
        Project project = load();
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(CommandKind.BUILD, project, graph, new LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        return new Runner(engine, project, plan, new RunOptions("0123456789abcdef", 2, false, keepFailed), recorder).run("baton build");
    }

    @Test
    void failingChecksKeepThePreviousVersionLiveAndSkipDownstream() throws Exception {
        project(1000, false);
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            RecordingSink first = new RecordingSink();
            assertThat(build(engine, first, false)).isEqualTo(RunStatus.SUCCESS);
            assertThat(first.results().get("model.p.orders").message()).isEqualTo("created table model main.orders");
            assertThat(first.results().get("test.p.unique_orders_id").status()).isEqualTo(NodeStatus.PASS);

            project(1000, true);
            RecordingSink second = new RecordingSink();
            assertThat(build(engine, second, false)).isEqualTo(RunStatus.FAILED);
            Map<String, NodeResult> results = second.results();
            NodeResult orders = results.get("model.p.orders");
            assertThat(orders.status()).isEqualTo(NodeStatus.FAIL);
            assertThat(orders.message()).matches("kept previous version of main\\.orders \\(built 20\\d\\d-\\d\\d-\\d\\dT[0-9:]+Z\\); 1 check failed");
            assertThat(results.get("test.p.not_null_orders_id").status()).isEqualTo(NodeStatus.FAIL);
            assertThat(results.get("test.p.not_null_orders_id").failures()).hasValue(1);
            assertThat(results.get("test.p.not_null_orders_id").message()).isEqualTo("""
                    Got 1 result, configured to fail if != 0; failing rows stored in main_baton_audit.not_null_orders_id__01234567
                        failing rows (first 1):
                          {id=null, version=2, status=***, customer_id=7}""");
            assertThat(results.get("test.p.unique_orders_id").status()).isEqualTo(NodeStatus.PASS);
            assertThat(results.get("model.p.revenue").status()).isEqualTo(NodeStatus.SKIPPED);
            assertThat(results.get("model.p.revenue").message()).isEqualTo("skipped because model.p.orders fail");
            NodeResult view = results.get("model.p.orders_view");
            assertThat(view.status()).isEqualTo(NodeStatus.FAIL);
            assertThat(view.message()).isEqualTo("kept previous definition of main.orders_view; 1 check failed");
            try (EngineSession session = engine.openSession()) {
                assertThat(session.query("select max(version), count(*), count(*) - count(id) from main.orders", 1).rows().get(0))
                        .containsExactly("1", "1000", "0");
                assertThat(session.query("select count(*) - count(id) from main.orders_view", 1).rows().get(0)).containsExactly("0");
                assertThat(session.query("select id, version, customer_id from main_baton_audit.not_null_orders_id__01234567", 5).rows())
                        .containsExactly(java.util.Arrays.asList(null, "2", "7"));
                assertThat(session.query("select count(*) from duckdb_tables() where table_name like '%baton%'", 1).rows().get(0)).containsExactly("0");
                assertThat(session.query("select count(*) from duckdb_views() where view_name like '%baton%'", 1).rows().get(0)).containsExactly("0");
            }
            List<RunEvent.AuditFinished> audits = second.events.stream().filter(RunEvent.AuditFinished.class::isInstance)
                    .map(RunEvent.AuditFinished.class::cast).toList();
            RunEvent.AuditFinished ordersAudit = audits.stream().filter(a -> a.nodeId().equals("model.p.orders")).findFirst().orElseThrow();
            assertThat(ordersAudit.published()).isFalse();
            // No aggregate scan (every check here is one DuckDB answers by a filtered count: the null check from block statistics, the
            // accepted values per dictionary entry); the filtered counts with the row and null counts; the key's type and range (two tiny
            // queries); its distinct values by bitmap; the relationship's probe (types, parent key range) and, the parent's keys 0..9 being
            // contiguous, the child keys' range instead of an anti-join.
            assertThat(ordersAudit.queries()).isEqualTo(6);
            assertThat(results.get("test.p.relationships_orders_customer_id__id__ref_customers_").status()).isEqualTo(NodeStatus.PASS);
            assertThat(ordersAudit.metrics()).contains(new RunEvent.Metric("", "row_count", "1000"), new RunEvent.Metric("id", "null_count", "1"),
                    new RunEvent.Metric("id", "distinct_count", "999"), new RunEvent.Metric("status", "null_count", "0"));
            assertThat(ordersAudit.metrics()).extracting(RunEvent.Metric::name).doesNotContain("min", "max");
        }
    }

    @Test
    void aBrandNewTableThatFailsIsNeverCreatedAndKeepFailedKeepsItForInspection() throws Exception {
        project(1000, true);
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 2)) {
            RecordingSink recorder = new RecordingSink();
            assertThat(build(engine, recorder, true)).isEqualTo(RunStatus.FAILED);
            assertThat(recorder.results().get("model.p.orders").message()).isEqualTo("did not publish main.orders, which has no previous version; "
                    + "1 check failed; the rejected table is kept as main_baton_audit.orders__01234567");
            try (EngineSession session = engine.openSession()) {
                assertThat(session.relationType(new dev.baton.api.engine.Relation("main", "orders"))).isEmpty();
                assertThat(session.query("select count(*) - count(id) from main_baton_audit.orders__01234567", 1).rows().get(0)).containsExactly("1");
            }
        }
    }

    @Test
    void aConcurrentReaderNeverSeesTheRowsOfABuildWhoseChecksFail() throws Exception {
        int rows = 2_000_000;
        project(rows, false);
        try (Engine engine = DuckDbEngines.open(root.resolve("w.duckdb"), "main", 3)) {
            assertThat(build(engine, new RecordingSink(), false)).isEqualTo(RunStatus.SUCCESS);
            project(rows, true);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            List<String> anomalies = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (EngineSession session = engine.openSession()) {
                    while (!stop.get()) {
                        List<String> row = session.query("select min(version), max(version), count(*), count(*) - count(id) from main.orders", 1).rows().get(0);
                        reads.incrementAndGet();
                        if (!row.equals(List.of("1", "1", String.valueOf(rows), "0"))) {
                            anomalies.add(row.toString());
                        }
                    }
                } catch (SQLException e) {
                    anomalies.add(e.getMessage());
                }
            });
            reader.start();
            RecordingSink recorder = new RecordingSink();
            RunStatus status = build(engine, recorder, false);
            stop.set(true);
            reader.join();
            assertThat(status).isEqualTo(RunStatus.FAILED);
            assertThat(recorder.results().get("model.p.orders").status()).isEqualTo(NodeStatus.FAIL);
            assertThat(anomalies).isEmpty();
            assertThat(reads.get()).isGreaterThan(5);
        }
    }
}
