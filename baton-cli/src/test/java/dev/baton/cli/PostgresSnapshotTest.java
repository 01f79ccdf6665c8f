package dev.baton.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Every case of {@link SnapshotTest} on the test machine's PostgreSQL server, in a database of its own: the same SCD2 tables. */
class PostgresSnapshotTest extends SnapshotTest {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static String database;

    @BeforeAll
    static void createDatabase() throws SQLException {
        database = "baton_snapshot_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("test", "CREATE DATABASE " + database);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        execute("test", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    @BeforeEach
    void emptyTheWarehouse() throws SQLException {
        execute(database, "DROP SCHEMA IF EXISTS main CASCADE; DROP SCHEMA IF EXISTS history CASCADE");
    }

    private static void execute(String in, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER + in + "?user=postgres"); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    String projectFile() {
        return "name: p\ntarget: pg\ntargets:\n  pg:\n    type: postgres\n    host: 127.0.0.1\n    user: postgres\n    dbname: " + database
                + "\n    schema: main\n    threads: 2\n";
    }

    @Override
    Connection connect(Path root) throws SQLException {
        return DriverManager.getConnection(SERVER + database + "?user=postgres");
    }
}
