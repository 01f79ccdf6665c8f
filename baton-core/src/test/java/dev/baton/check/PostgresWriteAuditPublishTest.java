package dev.baton.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.EngineTarget;
import dev.baton.api.engine.Relation;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunStatus;
import dev.baton.engine.postgres.PostgresEngineProvider;
import dev.baton.engine.postgres.PostgresTestDatabase;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Write, audit, publish on PostgreSQL: fused audits of the staged table, the previous version kept, failing rows stored. */
class PostgresWriteAuditPublishTest {
    private static PostgresTestDatabase database;

    @TempDir
    Path root;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = PostgresTestDatabase.create("baton_wap_test");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @AfterEach
    void dropSchemas() throws SQLException {
        database.execute("DROP SCHEMA IF EXISTS main CASCADE; DROP SCHEMA IF EXISTS main_baton_audit CASCADE");
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void project(boolean bad) throws IOException {
        write("baton.yml", "name: p\n");
        write("models/customers.sql", "{{ config(materialized='table') }}\nselect g.n as id from generate_series(0, 9) as g(n)");
        String id = bad ? "case when g.n % 100 = 7 then null else g.n end" : "g.n";
        write("models/orders.sql", "{{ config(materialized='table') }}\nselect " + id + " as id, " + (bad ? 2 : 1) + " as version,"
                + " case when g.n % 2 = 0 then 'placed' else 'shipped' end as status, g.n % 10 as customer_id from generate_series(0, 999) as g(n)\n"
                + "where g.n >= (select min(id) from {{ ref('customers') }})");
        write("models/orders_view.sql", "select " + (bad ? "cast(null as integer)" : "id") + " as id from {{ ref('customers') }}");
        write("models/revenue.sql", "{{ config(materialized='table') }}\nselect count(*) as n, max(version) as version from {{ ref('orders') }}");
        write("models/schema.yml", WriteAuditPublishTest.PROPERTIES);
    }

    private Engine engine() {
        return new PostgresEngineProvider().open(new EngineTarget("pg", "postgres", "main", 2, Map.of("host", PostgresTestDatabase.HOST, "user",
                PostgresTestDatabase.USER, "dbname", database.name()), root, SourceLocation.of("baton.yml", 1)));
    }

    private RunStatus build(Engine engine, RecordingSink recorder, boolean keepFailed) {
        Project project = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
        Graph graph = Graph.of(project.nodes().values());
        Plan plan = Planner.plan(CommandKind.BUILD, project, graph, new LinkedHashSet<>(graph.topologicalOrder()), Map.of(), List.of());
        return new Runner(engine, project, plan, new RunOptions("0123456789abcdef", 2, false, keepFailed), recorder).run("baton build");
    }

    @Test
    void failingChecksKeepThePreviousVersionLiveStoreTheFailingRowsAndSkipDownstream() throws Exception {
        project(false);
        try (Engine engine = engine()) {
            RecordingSink first = new RecordingSink();
            assertThat(build(engine, first, false)).as(first.results().toString()).isEqualTo(RunStatus.SUCCESS);
            assertThat(first.results().get("model.p.orders").message()).isEqualTo("created table model main.orders");
            assertThat(first.results().get("test.p.relationships_orders_customer_id__id__ref_customers_").status()).isEqualTo(NodeStatus.PASS);

            project(true);
            RecordingSink second = new RecordingSink();
            assertThat(build(engine, second, false)).isEqualTo(RunStatus.FAILED);
            Map<String, NodeResult> results = second.results();
            assertThat(results.get("model.p.orders").message())
                    .matches("kept previous version of main\\.orders \\(built 20\\d\\d-\\d\\d-\\d\\dT[0-9:]+Z\\); 1 check failed");
            assertThat(results.get("test.p.not_null_orders_id").message()).isEqualTo("""
                    Got 10 results, configured to fail if != 0; failing rows stored in main_baton_audit.not_null_orders_id__01234567
                        failing rows (first 5):
                          {id=null, version=2, status=***, customer_id=7}
                          {id=null, version=2, status=***, customer_id=7}
                          {id=null, version=2, status=***, customer_id=7}
                          {id=null, version=2, status=***, customer_id=7}
                          {id=null, version=2, status=***, customer_id=7}""");
            assertThat(results.get("test.p.accepted_values_orders_status__placed__shipped").status()).isEqualTo(NodeStatus.PASS);
            assertThat(results.get("model.p.revenue").status()).isEqualTo(NodeStatus.SKIPPED);
            assertThat(results.get("model.p.orders_view").message()).isEqualTo("kept previous definition of main.orders_view; 1 check failed");
            try (EngineSession session = engine.openSession()) {
                assertThat(session.query("select max(version), count(*), count(*) - count(id) from main.orders", 1).rows())
                        .containsExactly(List.of("1", "1000", "0"));
                assertThat(session.query("select count(*) - count(id) from main.orders_view", 1).rows()).containsExactly(List.of("0"));
                assertThat(session.query("select id, version, customer_id from main_baton_audit.not_null_orders_id__01234567 limit 1", 5).rows())
                        .containsExactly(Arrays.asList(null, "2", "7"));
                assertThat(session.listRelations().keySet()).extracting(Relation::identifier)
                        .filteredOn(name -> name.contains("__baton_")).isEmpty();
            }
        }
    }

    @Test
    void aBrandNewTableThatFailsIsNeverCreatedAndKeepFailedKeepsItForInspection() throws Exception {
        project(true);
        try (Engine engine = engine()) {
            RecordingSink recorder = new RecordingSink();
            assertThat(build(engine, recorder, true)).isEqualTo(RunStatus.FAILED);
            assertThat(recorder.results().get("model.p.orders").message()).isEqualTo("did not publish main.orders, which has no previous version; "
                    + "1 check failed; the rejected table is kept as main_baton_audit.orders__01234567");
            try (EngineSession session = engine.openSession()) {
                assertThat(session.relationType(new Relation("main", "orders"))).isEmpty();
                assertThat(session.query("select count(*) - count(id) from main_baton_audit.orders__01234567", 1).rows()).containsExactly(List.of("10"));
            }
        }
    }
}
