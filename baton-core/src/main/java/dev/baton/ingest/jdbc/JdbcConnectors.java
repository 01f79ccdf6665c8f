package dev.baton.ingest.jdbc;

import dev.baton.api.ingest.Connector;
import java.util.List;

/** The database connectors: PostgreSQL, and MariaDB (also under the name mysql). */
public final class JdbcConnectors {
    private JdbcConnectors() {}

    public static List<Connector> all() {
        return List.of(new JdbcConnector("postgres", Dialect.POSTGRES), new JdbcConnector("mariadb", Dialect.MARIADB),
                new JdbcConnector("mysql", Dialect.MARIADB));
    }
}
