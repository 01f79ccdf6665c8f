package dev.baton.materialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.engine.postgres.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two builds share one PostgreSQL database: the janitor of one never drops what the other is building. */
class PostgresJanitorTest {
    private static PostgresTestDatabase database;

    @TempDir
    Path root;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = PostgresTestDatabase.create("baton_janitor_test");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @Test
    void theJanitorLeavesStagingAloneWhileAnotherBuildRunsAndCleansOnceItIsGone() throws Exception {
        Relation staging = new Relation("main", "orders" + Publisher.STAGING_SUFFIX);
        Engine second = PostgresFixtures.engine(root, database);
        try (Engine first = PostgresFixtures.engine(root, database); EngineSession building = first.openSession()) {
            assertThat(Janitor.clean(first)).isEmpty();
            building.execute("create table " + first.render(staging) + " as select 1 as id");

            // The second build starts while the first is building: the first's staging table stays.
            assertThat(Janitor.clean(second)).isEmpty();
            try (EngineSession session = second.openSession()) {
                assertThat(session.relationType(staging)).isPresent();
            }
        }
        // The first build is gone (as a killed process's connections are): what it left is cleaned, once its
        // backend has ended and released its lock, which PostgreSQL does a moment after the connection closes.
        java.util.List<Relation> cleaned = Janitor.clean(second);
        for (int attempt = 0; cleaned.isEmpty() && attempt < 100; attempt++) {
            Thread.sleep(50);
            cleaned = Janitor.clean(second);
        }
        assertThat(cleaned).containsExactly(staging);
        try (EngineSession session = second.openSession()) {
            assertThat(session.relationType(staging)).isEmpty();
        }
        second.close();
    }
}
