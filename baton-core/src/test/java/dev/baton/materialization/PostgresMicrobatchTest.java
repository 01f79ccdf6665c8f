package dev.baton.materialization;

import dev.baton.engine.postgres.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every case of {@link MicrobatchTest} on the test machine's PostgreSQL server: the same batches, rows and messages. */
class PostgresMicrobatchTest extends MicrobatchTest {
    private static PostgresTestDatabase database;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = PostgresTestDatabase.create("baton_microbatch_test");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @Override
    IncrementalFixture openFixture(Path root) {
        IncrementalFixture fixture = PostgresFixtures.open(root, database);
        // DuckDB's error(message), which the model calls to fail a batch.
        fixture.sql("create function main.error(message text) returns integer language plpgsql as $$ begin raise exception '%', message; end $$");
        return fixture;
    }

    @Override
    String type(String duckDbType) {
        return PostgresFixtures.type(duckDbType);
    }
}
