package dev.baton.engine.duckdb;

import dev.baton.engine.AbstractEngineTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineCapabilities;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbEngineTest extends AbstractEngineTest {
    @Override
    protected Engine openEngine() {
        return DuckDbEngines.open(directory.resolve("target/baton.duckdb"), "analytics", 2);
    }

    @Override
    protected String longRunningQuery() {
        return "select count(*) from range(10000000000)";
    }

    @Override
    protected String missingTableMessage() {
        return "Table with name missing_table does not exist";
    }

    @Override
    protected Map<String, String> typeNames() {
        return Map.of("bigint", "bigint", "varchar", "varchar", "text", "varchar", "decimal", "decimal(10,2)", "double", "double",
                "date", "date", "boolean", "boolean");
    }

    @Test
    void createsTheFileAndDeclaresEveryCapability() {
        assertThat(directory.resolve("target/baton.duckdb")).isRegularFile();
        assertThat(engine.name()).isEqualTo("duckdb");
        assertThat(engine.capabilities()).isEqualTo(EngineCapabilities.builder().atomicRename().transactionalDdl().replaceViewChangingColumns()
                .createOrReplaceTable().merge().schemas().temporaryTables().bulkLoad().readsFiles().tableComments().cancelStatements().updateDelete().anyQuotedName().integerBitmaps().zoneMaps().sortedProbes()
                .build());
    }

    @Test
    void passesTheThreadsHintToDuckDb() throws SQLException {
        assertThat(session.query("select current_setting('threads')", 1).rows()).containsExactly(List.of("2"));
    }

    @Test
    void aSecondEngineOnTheSameFileInThisProcessSharesTheDatabase() throws SQLException {
        session.execute("create table shared as select 1 as n");
        try (Engine second = DuckDbEngines.open(directory.resolve("target/baton.duckdb"), "analytics", 2);
                EngineSession other = second.openSession()) {
            assertThat(other.query("select n from shared", 1).rows()).containsExactly(List.of("1"));
        }
        assertThat(session.query("select n from shared", 1).rows()).containsExactly(List.of("1"));
    }

    @Test
    void sqlErrorsSurfaceWithDuckDbsMessage() {
        assertThatThrownBy(() -> session.query("select * from missing_table", 1))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("Table with name missing_table does not exist");
    }

    @Test
    void aCommitThatDuckDbSilentlyRollsBackIsDetected() throws Exception {
        DuckDbSession duckDbSession = (DuckDbSession) session;
        session.execute("create table orders as select 1 as id");

        java.sql.Connection connection = connectionOf(duckDbSession);
        connection.setAutoCommit(false);
        try {
            String abortedToken = duckDbSession.writeCommitMarker();
            session.execute("insert into orders values (2)");
            assertThatThrownBy(() -> session.execute("select cast('x' as integer)")).isInstanceOf(SQLException.class);

            assertThatThrownBy(() -> duckDbSession.commitVerified(abortedToken))
                    .isInstanceOf(SQLException.class)
                    .hasMessage("DuckDB rolled the transaction back at commit (it had been aborted by an earlier error);"
                            + " none of its statements were applied");
        } finally {
            connection.setAutoCommit(true);
        }
        assertThat(session.query("select id from orders", 10).rows()).containsExactly(List.of("1"));
    }

    @Test
    void theCommitMarkerIsInvisibleToOtherSessionsAndToRelationLookups() throws SQLException {
        session.executeAtomically(List.of("create table a (id int)"));

        assertThat(session.relationType(new Relation("main", "baton_commit_marker"))).isEmpty();
        try (EngineSession other = engine.openSession()) {
            assertThatThrownBy(() -> other.query("select * from " + DuckDbSession.COMMIT_MARKER, 1))
                    .isInstanceOf(SQLException.class);
            assertThat(other.relationType(new Relation("analytics", "a"))).contains(RelationType.TABLE);
        }
    }

    @Test
    void loadsCsvWithHeaderAndTypeOverrides() throws Exception {
        Path csv = Files.writeString(directory.resolve("raw orders.csv"), "id,zip,amount\n1,01234,9.5\n2,98765,10\n");
        Map<String, String> types = new LinkedHashMap<>();
        types.put("zip", "VARCHAR");
        types.put("amount", "DECIMAL(10,2)");

        long loaded = session.loadCsv(new Relation("analytics", "raw_orders"), csv, types);

        assertThat(loaded).isEqualTo(2);
        assertThat(session.query("select column_name, data_type from information_schema.columns"
                        + " where table_name = 'raw_orders' order by ordinal_position", 10).rows())
                .containsExactly(List.of("id", "BIGINT"), List.of("zip", "VARCHAR"), List.of("amount", "DECIMAL(10,2)"));
        assertThat(session.query("select zip, amount from raw_orders order by id", 10).rows())
                .containsExactly(List.of("01234", "9.50"), List.of("98765", "10.00"));
    }

    @Test
    void cancelInterruptsALongQueryFromAnotherThreadWithinASecond() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            try {
                session.query("select count(*) from range(10000000000)", 1);
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        started.await();
        Thread.sleep(300);
        assertThat(outcome).isNotDone();

        long cancelledAt = System.nanoTime();
        session.cancel();
        Throwable failure = outcome.get(5, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - cancelledAt);

        assertThat(failure).isInstanceOf(SQLException.class).hasMessageContaining("INTERRUPT");
        assertThat(took).isLessThan(Duration.ofSeconds(1));
        assertThat(session.query("select 42", 1).rows()).containsExactly(List.of("42"));
    }

    @Test
    void cancelOnAnIdleSessionDoesNothing() throws SQLException {
        session.cancel();

        assertThat(session.query("select 1", 1).rows()).containsExactly(List.of("1"));
    }

    @Test
    void sessionsRunInParallelOnTheSameDatabase() throws Exception {
        session.execute("create table shared as select * from range(3)");
        try (EngineSession first = engine.openSession(); EngineSession second = engine.openSession()) {
            CompletableFuture<Throwable> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    first.query("select count(*) from range(10000000000)", 1);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            Thread.sleep(200);
            long started = System.nanoTime();
            QueryResult quick = second.query("select count(*) from shared", 1);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            first.cancel();

            assertThat(quick.rows()).containsExactly(List.of("3"));
            assertThat(took).isLessThan(Duration.ofSeconds(1));
            assertThat(slow.get(5, TimeUnit.SECONDS)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void closingTheEngineClosesItsSessionsAndReleasesTheFile() throws SQLException {
        session.execute("create table kept as select 7 as n");
        engine.close();

        try (Engine reopened = DuckDbEngines.open(directory.resolve("target/baton.duckdb"), "analytics", 1);
                EngineSession again = reopened.openSession()) {
            assertThat(again.query("select n from kept", 1).rows()).containsExactly(List.of("7"));
        }
        assertThatThrownBy(() -> engine.openSession()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inMemoryEnginesShareOneDatabaseAcrossSessions() throws SQLException {
        try (Engine memory = DuckDbEngines.openInMemory("main", 1);
                EngineSession writer = memory.openSession();
                EngineSession reader = memory.openSession()) {
            writer.execute("create table t as select 5 as n");

            assertThat(reader.query("select n from t", 1).rows()).containsExactly(List.of("5"));
            assertThat(reader.relationType(new Relation("main", "t"))).isEqualTo(Optional.of(RelationType.TABLE));
        }
    }

    private static java.sql.Connection connectionOf(DuckDbSession session) throws ReflectiveOperationException {
        java.lang.reflect.Field field = DuckDbSession.class.getDeclaredField("connection");
        field.setAccessible(true);
        return (java.sql.Connection) field.get(session);
    }
}
