package dev.baton.engine.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/** A database of its own on the test machine's PostgreSQL server, created for one test class and dropped after it. */
public final class PostgresTestDatabase implements AutoCloseable {
    public static final String HOST = Optional.ofNullable(System.getenv("BATON_TEST_POSTGRES_HOST")).orElse("127.0.0.1");
    public static final int PORT = 5432;
    public static final String USER = "postgres";

    private final String name;

    private PostgresTestDatabase(String name) {
        this.name = name;
    }

    /** Creates {@code <prefix>_<random>}. */
    public static PostgresTestDatabase create(String prefix) throws SQLException {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return new PostgresTestDatabase(name);
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/test?user=" + USER);
    }

    public String name() {
        return name;
    }

    /** A connection to this database, for setting up and inspecting what a test needs. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + name + "?user=" + USER);
    }

    public void execute(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection connection = admin(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
