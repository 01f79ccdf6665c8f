package dev.baton.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineCapabilities;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import dev.baton.materialization.Materializations;
import dev.baton.materialization.Publisher;
import dev.baton.plan.Action;
import dev.baton.project.Materialization;
import dev.baton.project.Node;
import dev.baton.project.NodeConfig;
import dev.baton.project.ResourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every engine keeps, run against the real engine. A subclass opens its engine on an
 * empty warehouse whose default schema is {@code analytics}; cases that need a capability the
 * engine declares it lacks are skipped, with the capability as the reason.
 */
public abstract class AbstractEngineTest {
    protected static final String SCHEMA = "analytics";

    @TempDir
    protected Path directory;

    protected Engine engine;
    protected EngineSession session;

    /** Opens the engine under test on an empty warehouse with {@value #SCHEMA} as its default schema. */
    protected abstract Engine openEngine();

    /** Removes what a test left, after the engine is closed. */
    protected void dropWarehouse() throws Exception {}

    /** A query that runs for many seconds unless cancelled. */
    protected abstract String longRunningQuery();

    /** Part of the engine's message for a query reading a table named {@code missing_table} that does not exist. */
    protected abstract String missingTableMessage();

    /** Column type names as the engine's information_schema spells them, by logical type (bigint, double, text, date, boolean, decimal). */
    protected abstract Map<String, String> typeNames();

    @BeforeEach
    void openTheEngine() {
        engine = openEngine();
        session = engine.openSession();
    }

    @AfterEach
    void closeTheEngine() throws Exception {
        engine.close();
        dropWarehouse();
    }

    protected EngineCapabilities capabilities() {
        return engine.capabilities();
    }

    protected void assumeCapability(Predicate<EngineCapabilities> capability, String name) {
        assumeTrue(capability.test(capabilities()), () -> "the " + engine.name() + " engine declares no " + name);
    }

    private static Relation relation(String identifier) {
        return new Relation(SCHEMA, identifier);
    }

    private String sql(String identifier) {
        return engine.render(relation(identifier));
    }

    private Node model(String name, Materialization materialized, String compiledSql) {
        NodeConfig config = new NodeConfig(materialized, Optional.empty(), Optional.empty(), List.of(), true, Map.of(), "error", Map.of(), Map.of());
        return new Node("model.shop." + name, ResourceType.MODEL, name, "shop", "models/" + name + ".sql", SourceLocation.of("models/" + name + ".sql", 1),
                List.of("shop", name), config, Optional.of(relation(name)), compiledSql, compiledSql, List.of(), "", List.of(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    private List<List<String>> rows(String query) throws SQLException {
        return session.query(query, 1000).rows();
    }

    @Test
    void describesItselfWithAQuotingThatSurvivesQuotesAndCase() throws SQLException {
        assertThat(engine.defaultSchema()).isEqualTo(SCHEMA);
        assertThat(engine.quote("order \"items\"")).isEqualTo("\"order \"\"items\"\"\"");
        Relation odd = new Relation("Mixed Schema", "Order \"Items\"");
        assertThat(engine.render(odd)).isEqualTo("\"Mixed Schema\".\"Order \"\"Items\"\"\"");
        assumeCapability(EngineCapabilities::anyQuotedName, "names with any character");

        session.createSchemaIfMissing("Mixed Schema");
        session.createSchemaIfMissing("Mixed Schema");
        session.execute("create table " + engine.render(odd) + " (id integer)");

        assertThat(session.relationType(odd)).contains(RelationType.TABLE);
        assertThat(session.listRelations()).containsEntry(odd, RelationType.TABLE);
    }

    @Test
    void sessionsStartInTheDefaultSchema() throws SQLException {
        session.execute("create table orders as select 1 as id");

        assertThat(session.relationType(relation("orders"))).contains(RelationType.TABLE);
        assertThat(rows("select id from orders")).containsExactly(List.of("1"));
    }

    @Test
    void createsAndReplacesAViewThroughItsMaterialization() throws SQLException {
        Node view = model("recent_orders", Materialization.VIEW, "select 1 as id, 'placed' as status");
        Materializations.forAction(Action.CREATE_VIEW, directory).execute(engine, session, view);
        assertThat(session.relationType(relation("recent_orders"))).contains(RelationType.VIEW);

        Node changed = model("recent_orders", Materialization.VIEW, "select 'x' as id, 2 as amount, true as paid");
        Materializations.forAction(Action.CREATE_VIEW, directory).execute(engine, session, changed);

        QueryResult result = session.query("select * from " + sql("recent_orders"), 10);
        assertThat(result.columns()).containsExactly("id", "amount", "paid");
        assertThat(result.rows()).containsExactly(List.of("x", "2", "true"));
    }

    @Test
    void aViewReplacesATableOfTheSameNameAndATableReplacesAView() throws SQLException {
        session.execute("create table " + sql("orders") + " as select 1 as id");
        Materializations.forAction(Action.CREATE_VIEW, directory).execute(engine, session, model("orders", Materialization.VIEW, "select 2 as id"));
        assertThat(session.relationType(relation("orders"))).contains(RelationType.VIEW);
        assertThat(rows("select id from " + sql("orders"))).containsExactly(List.of("2"));

        Materializations.forAction(Action.CREATE_TABLE, directory).execute(engine, session, model("orders", Materialization.TABLE, "select 3 as id"));
        assertThat(session.relationType(relation("orders"))).contains(RelationType.TABLE);
        assertThat(rows("select id from " + sql("orders"))).containsExactly(List.of("3"));
    }

    @Test
    void createsAndReplacesATableLeavingNoStagingBehind() throws SQLException {
        assertThat(Publisher.publishTable(engine, session, relation("orders"), "(select 1 as id union all select 2)")).isIn(2L, -1L);
        Publisher.publishTable(engine, session, relation("orders"), "(select 'a' as code)");

        assertThat(rows("select code from " + sql("orders"))).containsExactly(List.of("a"));
        assertThat(session.listRelations().keySet()).extracting(Relation::identifier)
                .noneMatch(name -> name.endsWith(Publisher.STAGING_SUFFIX) || name.endsWith(Publisher.BACKUP_SUFFIX));
    }

    @Test
    void aFailingBuildLeavesTheLiveTableAsItWas() throws SQLException {
        Publisher.publishTable(engine, session, relation("orders"), "(select 1 as id)");

        assertThatThrownBy(() -> Publisher.publishTable(engine, session, relation("orders"), "(select * from missing_table)"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(missingTableMessage());

        assertThat(rows("select id from " + sql("orders"))).containsExactly(List.of("1"));
        assertThat(session.relationType(relation("orders" + Publisher.STAGING_SUFFIX))).isEmpty();
    }

    @Test
    void aConcurrentReaderSeesTheOldOrTheNewTableNeverNoneNeverPartial() throws Exception {
        assumeCapability(EngineCapabilities::atomicRename, "atomic renames");
        Publisher.publishTable(engine, session, relation("orders"), version(0));
        AtomicBoolean stop = new AtomicBoolean();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> anomalies = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        try (EngineSession reader = engine.openSession()) {
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    try {
                        List<String> row = reader.query("select min(version), max(version), count(*) from " + sql("orders"), 1).rows().get(0);
                        reads.incrementAndGet();
                        if (!row.get(0).equals(row.get(1)) || Long.parseLong(row.get(2)) != 1000L + Integer.parseInt(row.get(0))) {
                            anomalies.add("partial table: " + row);
                        }
                        seen.add(row.get(0));
                    } catch (SQLException e) {
                        anomalies.add(e.getMessage());
                    }
                }
            });
            for (int version = 1; version <= 15; version++) {
                Publisher.publishTable(engine, session, relation("orders"), version(version));
            }
            stop.set(true);
            reading.get(30, TimeUnit.SECONDS);
        }

        assertThat(anomalies).isEmpty();
        assertThat(reads.get()).isPositive();
        assertThat(seen).isNotEmpty();
        assertThat(rows("select min(version), count(*) from " + sql("orders"))).containsExactly(List.of("15", "1015"));
    }

    private static String version(int version) {
        return "(select " + version + " as version, n from generate_series(1, " + (1000 + version) + ") as g(n))";
    }

    @Test
    void replacingATableOrAViewKeepsTheViewsBuiltOnItReadingTheNewVersion() throws SQLException {
        Publisher.publishTable(engine, session, relation("orders"), "(select 1 as id)");
        session.execute("create view " + sql("order_ids") + " as select id from " + sql("orders"));
        session.execute("create view " + sql("order_count") + " as select count(*) as n, max(id) as top from " + sql("order_ids"));

        Publisher.publishTable(engine, session, relation("orders"), "(select 2 as id union all select 3)");

        assertThat(rows("select id from " + sql("order_ids") + " order by id")).containsExactly(List.of("2"), List.of("3"));
        assertThat(rows("select n, top from " + sql("order_count"))).containsExactly(List.of("2", "3"));

        Materializations.forAction(Action.CREATE_VIEW, directory).execute(engine, session,
                model("order_ids", Materialization.VIEW, "select id, 'x' as label from " + sql("orders") + " where id > 2"));

        assertThat(rows("select n, top from " + sql("order_count"))).containsExactly(List.of("1", "3"));
        assertThat(session.listRelations().keySet()).extracting(Relation::identifier)
                .noneMatch(name -> name.endsWith(Publisher.STAGING_SUFFIX) || name.endsWith(Publisher.BACKUP_SUFFIX));
    }

    @Test
    void loadsASeedWithInferredAndGivenTypes() throws Exception {
        Path csv = Files.writeString(directory.resolve("raw orders.csv"),
                "id,zip,amount,ratio,ordered_on,paid,note\n1,01234,9.5,0.25,2023-06-02,true,\"a, quoted\"\n2,98765,10,1.5,2023-06-05,false,\n");
        Map<String, String> given = new LinkedHashMap<>();
        given.put("zip", "varchar");
        given.put("amount", "decimal(10,2)");

        long loaded = session.loadCsv(relation("raw_orders"), csv, given);

        assertThat(loaded).isEqualTo(2);
        Map<String, String> types = typeNames();
        assertThat(session.query("select column_name, data_type from information_schema.columns where table_schema = '" + SCHEMA
                        + "' and table_name = 'raw_orders' order by ordinal_position", 10).rows())
                .extracting(row -> row.get(0) + " " + row.get(1).toLowerCase(Locale.ROOT))
                .containsExactly("id " + types.get("bigint"), "zip " + types.get("varchar"), "amount " + types.get("decimal"),
                        "ratio " + types.get("double"), "ordered_on " + types.get("date"), "paid " + types.get("boolean"), "note " + types.get("text"));
        assertThat(rows("select id, zip, amount, ratio, ordered_on, paid, note from " + sql("raw_orders") + " order by id"))
                .containsExactly(List.of("1", "01234", "9.50", "0.25", "2023-06-02", "true", "a, quoted"),
                        Arrays.asList("2", "98765", "10.00", "1.5", "2023-06-05", "false", null));
    }

    @Test
    void aSeedLoadRefusesToOverwriteAnExistingTable() throws Exception {
        Path csv = Files.writeString(directory.resolve("seed.csv"), "id\n1\n");
        session.loadCsv(relation("seed"), csv, Map.of());

        assertThatThrownBy(() -> session.loadCsv(relation("seed"), csv, Map.of()))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void queryKeepsAtMostMaxRowsCountsThemAllAndShowsNullsAndBooleans() throws SQLException {
        session.execute("create table numbers as select 1 as n, true as flag union all select 2, false union all select 3, null");

        QueryResult result = session.query("select n, flag, case when n = 2 then null else 'x' end as label from numbers order by n", 2);

        assertThat(result.columns()).containsExactly("n", "flag", "label");
        assertThat(result.rows()).containsExactly(Arrays.asList("1", "true", "x"), Arrays.asList("2", "false", null));
        assertThat(result.totalRows()).isEqualTo(3);
    }

    @Test
    void executeReturnsTheRowsChanged() throws SQLException {
        assumeCapability(EngineCapabilities::updateDelete, "UPDATE and DELETE");
        session.execute("create table numbers (n integer)");
        assertThat(session.execute("insert into numbers values (1), (2), (3), (4), (5)")).isEqualTo(5);
        assertThat(session.execute("update numbers set n = n + 1 where n < 3")).isEqualTo(2);
        assertThat(session.execute("delete from numbers where n > 4")).isEqualTo(1);
    }

    @Test
    void listsTablesAndViewsOfEverySchemaInOneCall() throws SQLException {
        session.createSchemaIfMissing("staging");
        session.execute("create table " + sql("orders") + " (id integer)");
        session.execute("create view " + sql("recent_orders") + " as select * from " + sql("orders"));
        session.execute("create table " + engine.render(new Relation("staging", "raw")) + " (id integer)");

        Map<Relation, RelationType> relations = session.listRelations();

        assertThat(relations).containsEntry(relation("orders"), RelationType.TABLE)
                .containsEntry(relation("recent_orders"), RelationType.VIEW)
                .containsEntry(new Relation("staging", "raw"), RelationType.TABLE);
        assertThat(session.relationType(relation("recent_orders"))).contains(RelationType.VIEW);
        assertThat(session.relationType(relation("missing"))).isEmpty();
        assertThat(session.relationType(new Relation("staging", "orders"))).isEmpty();
    }

    @Test
    void executeAtomicallyAppliesRenamesAndDropsTogether() throws SQLException {
        assumeCapability(EngineCapabilities::atomicRename, "atomic renames");
        session.execute("create table orders as select 1 as id");
        session.execute("create table orders__staging as select 2 as id");

        session.executeAtomically(List.of(
                "alter table orders rename to orders__backup",
                "alter table orders__staging rename to orders",
                "drop table orders__backup"));

        assertThat(rows("select id from orders")).containsExactly(List.of("2"));
        assertThat(session.relationType(relation("orders__backup"))).isEmpty();
        assertThat(session.relationType(relation("orders__staging"))).isEmpty();
    }

    @Test
    void aStatementFailingMidTransactionRollsBackItsDdlAndTheSessionGoesOn() throws SQLException {
        assumeCapability(EngineCapabilities::transactionalDdl, "transactional DDL");
        session.execute("create table orders as select 1 as id");

        assertThatThrownBy(() -> session.executeAtomically(List.of(
                        "insert into orders values (2)",
                        "alter table orders rename to orders__backup",
                        "select * from missing_table",
                        "create table never as select 1 as x")))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(missingTableMessage());

        assertThat(rows("select id from orders")).containsExactly(List.of("1"));
        assertThat(session.relationType(relation("orders__backup"))).isEmpty();
        assertThat(session.relationType(relation("never"))).isEmpty();
        session.execute("insert into orders values (3)");
        assertThat(rows("select count(*) from orders")).containsExactly(List.of("2"));
    }

    @Test
    void sqlErrorsCarryTheEngineMessageAndTheLineOfTheStatement() {
        assertThatThrownBy(() -> session.query("select\n    id,\n    no_such_column\nfrom (select 1 as id) t", 1))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("no_such_column")
                .hasMessageContaining("LINE 3:");
    }

    @Test
    void cancelInterruptsALongQueryFromAnotherThread() throws Exception {
        assumeCapability(EngineCapabilities::cancelStatements, "statement cancellation");
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                session.query(longRunningQuery(), 1);
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        Thread.sleep(500);
        assertThat(outcome).isNotDone();

        long cancelledAt = System.nanoTime();
        session.cancel();
        Throwable failure = outcome.get(10, TimeUnit.SECONDS);

        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(rows("select 42")).containsExactly(List.of("42"));
    }

    @Test
    void tableCommentsAreReadBack() throws SQLException {
        assumeCapability(EngineCapabilities::tableComments, "table comments");
        session.execute("create table orders (id integer)");
        session.execute("comment on table " + sql("orders") + " is 'built by baton at 2026-01-01T00:00:00Z'");

        assertThat(session.tableComment(relation("orders"))).contains("built by baton at 2026-01-01T00:00:00Z");
        assertThat(session.tableComment(relation("missing"))).isEmpty();
    }

    @Test
    void createOrReplaceTableReplacesInOneStatement() throws SQLException {
        assumeCapability(EngineCapabilities::createOrReplaceTable, "CREATE OR REPLACE TABLE");
        session.execute("create table orders as select 1 as id");
        session.execute("create or replace table orders as select 'a' as code");

        assertThat(rows("select code from orders")).containsExactly(List.of("a"));
    }

    @Test
    void createOrReplaceViewMayChangeTheColumns() throws SQLException {
        assumeCapability(EngineCapabilities::replaceViewChangingColumns, "CREATE OR REPLACE VIEW changing columns");
        session.execute("create view v as select 1 as id");
        session.execute("create or replace view v as select 'a' as code, 2 as n");

        assertThat(rows("select code, n from v")).containsExactly(List.of("a", "2"));
    }

    @Test
    void mergeIntoUpdatesAndInsertsInOneStatement() throws SQLException {
        assumeCapability(EngineCapabilities::merge, "MERGE INTO");
        session.execute("create table customers as select 1 as id, 'old' as name");
        session.execute("create table changes as select 1 as id, 'new' as name union all select 2, 'added'");

        session.execute("merge into customers t using changes s on t.id = s.id"
                + " when matched then update set name = s.name when not matched then insert (id, name) values (s.id, s.name)");

        assertThat(rows("select id, name from customers order by id")).containsExactly(List.of("1", "new"), List.of("2", "added"));
    }

    @Test
    void temporaryTablesStayInTheirSession() throws SQLException {
        assumeCapability(EngineCapabilities::temporaryTables, "temporary tables");
        session.execute("create temporary table scratch as select 1 as n");

        assertThat(rows("select n from scratch")).containsExactly(List.of("1"));
        try (EngineSession other = engine.openSession()) {
            assertThatThrownBy(() -> other.query("select n from scratch", 1)).isInstanceOf(SQLException.class);
        }
    }
}
