package dev.baton.ingest.jdbc;

import dev.baton.api.ingest.Connector;
import dev.baton.api.ingest.ExtractRequest;
import dev.baton.api.ingest.Extraction;
import java.util.Set;

/**
 * Reads a table or a query of a PostgreSQL or MariaDB/MySQL database, in full or incrementally by
 * a cursor column.
 */
final class JdbcConnector implements Connector {
    static final Set<String> OPTIONS = Set.of("host", "port", "database", "user", "password", "schema", "table", "query", "mode", "cursor", "lag",
            "fast_path", "fetch_size", "connect_timeout", "parallel");

    private final String type;
    private final Dialect dialect;

    JdbcConnector(String type, Dialect dialect) {
        this.type = type;
        this.dialect = dialect;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public Set<String> requiredOptions() {
        return Set.of("database", "user");
    }

    @Override
    public Extraction open(ExtractRequest request) {
        return JdbcExtraction.open(type, dialect, request);
    }
}
