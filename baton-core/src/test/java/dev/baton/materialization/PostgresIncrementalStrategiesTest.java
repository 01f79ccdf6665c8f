package dev.baton.materialization;

import dev.baton.engine.postgres.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every case of {@link IncrementalStrategiesTest} on the test machine's PostgreSQL server: the same rows and messages. */
class PostgresIncrementalStrategiesTest extends IncrementalStrategiesTest {
    private static PostgresTestDatabase database;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = PostgresTestDatabase.create("baton_incremental_test");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        database.close();
    }

    @Override
    IncrementalFixture openFixture(Path root) {
        return PostgresFixtures.open(root, database);
    }

    @Override
    String type(String duckDbType) {
        return PostgresFixtures.type(duckDbType);
    }
}
