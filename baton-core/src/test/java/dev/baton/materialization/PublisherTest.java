package dev.baton.materialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.engine.duckdb.DuckDbEngines;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherTest {
    private static final Relation ORDERS = new Relation("main", "orders");

    @TempDir
    Path temp;

    private static String version(int version, int rows) {
        return "(select " + version + " as version, range as id from range(" + rows + "))";
    }

    @Test
    void aConcurrentReaderSeesTheOldOrTheNewTableNeverNoneNeverPartial() throws Exception {
        try (Engine engine = DuckDbEngines.open(temp.resolve("w.duckdb"), "main", 2);
                EngineSession writer = engine.openSession();
                EngineSession reader = engine.openSession()) {
            Publisher.publishTable(engine, writer, ORDERS, version(0, 100_000));
            AtomicBoolean stop = new AtomicBoolean();
            Set<String> seen = ConcurrentHashMap.newKeySet();
            List<String> anomalies = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicInteger reads = new AtomicInteger();
            Thread readerThread = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        List<String> row = reader.query("select min(version), max(version), count(*) from main.orders", 1).rows().get(0);
                        reads.incrementAndGet();
                        int version = Integer.parseInt(row.get(0));
                        long expectedRows = 100_000L + version * 1_000L;
                        if (!row.get(0).equals(row.get(1)) || Long.parseLong(row.get(2)) != expectedRows) {
                            anomalies.add("partial table: " + row);
                        }
                        seen.add(row.get(0));
                    } catch (SQLException e) {
                        anomalies.add(e.getMessage());
                    }
                }
            });
            readerThread.start();
            for (int version = 1; version <= 20; version++) {
                Publisher.publishTable(engine, writer, ORDERS, version(version, 100_000 + version * 1_000));
            }
            stop.set(true);
            readerThread.join();
            assertThat(anomalies).isEmpty();
            assertThat(reads.get()).isGreaterThan(20);
            assertThat(seen.size()).isGreaterThan(1);
            assertThat(writer.query("select max(version), count(*) from main.orders", 1).rows().get(0)).containsExactly("20", "120000");
        }
    }

    @Test
    void aFailingBuildLeavesTheLiveTableAndNoStagingBehind() throws Exception {
        try (Engine engine = DuckDbEngines.open(temp.resolve("w.duckdb"), "main", 1); EngineSession session = engine.openSession()) {
            Publisher.publishTable(engine, session, ORDERS, version(1, 10));
            assertThatThrownBy(() -> Publisher.publishTable(engine, session, ORDERS, "(select nope)")).isInstanceOf(SQLException.class);
            assertThat(session.query("select max(version), count(*) from main.orders", 1).rows().get(0)).containsExactly("1", "10");
            assertThat(session.query("select count(*) from duckdb_tables() where table_name like '%baton%'", 1).rows().get(0)).containsExactly("0");
        }
    }

    @Test
    void aViewIsReplacedByATableAtomically() throws Exception {
        try (Engine engine = DuckDbEngines.open(temp.resolve("w.duckdb"), "main", 1); EngineSession session = engine.openSession()) {
            session.execute("create view main.orders as select 1 as version");
            Publisher.publishTable(engine, session, ORDERS, version(2, 3));
            assertThat(session.relationType(ORDERS)).contains(dev.baton.api.engine.RelationType.TABLE);
            assertThat(session.query("select count(*) from main.orders", 1).rows().get(0)).containsExactly("3");
        }
    }
}
