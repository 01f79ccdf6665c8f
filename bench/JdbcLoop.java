import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The strongest plain alternative to a Baton build of trivial table models: one DuckDB connection to
 * a fresh database file, and one {@code CREATE TABLE main.m_i AS SELECT i AS id} per model, in order.
 *
 * <p>Usage: {@code java -cp duckdb_jdbc.jar:CLASSES JdbcLoop DATABASE_FILE COUNT}; the file must not exist.
 * Prints the time of the statement loop, measured inside the JVM, as {@code loop <seconds> s}.
 */
public final class JdbcLoop {
    private JdbcLoop() {}

    public static void main(String[] args) throws SQLException {
        String file = args[0];
        int count = Integer.parseInt(args[1]);
        long opened = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + file);
                Statement statement = connection.createStatement()) {
            long start = System.nanoTime();
            for (int i = 1; i <= count; i++) {
                statement.execute("CREATE TABLE main.m_" + i + " AS SELECT " + i + " AS id");
            }
            long end = System.nanoTime();
            System.out.printf("connect %.3f s%nloop %.3f s%n", (start - opened) / 1e9, (end - start) / 1e9);
        }
    }
}
