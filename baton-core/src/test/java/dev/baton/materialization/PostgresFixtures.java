package dev.baton.materialization;

import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineTarget;
import dev.baton.engine.postgres.PostgresEngineProvider;
import dev.baton.engine.postgres.PostgresTestDatabase;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;

/** Incremental fixtures on the test machine's PostgreSQL server, and how PostgreSQL names the types the DuckDB tests expect. */
final class PostgresFixtures {
    private static final Map<String, String> TYPES = Map.of("INTEGER", "integer", "VARCHAR", "character varying", "DOUBLE", "double precision",
            "TIMESTAMP", "timestamp without time zone");

    private PostgresFixtures() {}

    /** A fixture whose warehouse is {@code database}, emptied of what an earlier test left. */
    static IncrementalFixture open(Path root, PostgresTestDatabase database) {
        try {
            database.execute("drop schema if exists main cascade; drop schema if exists main_baton_audit cascade; drop schema if exists raw cascade");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new IncrementalFixture(root, engine(root, database));
    }

    /** An engine on {@code database}, default schema {@code main}. */
    static Engine engine(Path root, PostgresTestDatabase database) {
        return new PostgresEngineProvider().open(new EngineTarget("pg", "postgres", "main", 4, Map.of("host", PostgresTestDatabase.HOST, "user",
                PostgresTestDatabase.USER, "dbname", database.name()), root, SourceLocation.of("baton.yml", 1)));
    }

    /** PostgreSQL's name ({@code information_schema.columns.data_type}) of a DuckDB type name. */
    static String type(String duckDbType) {
        return TYPES.getOrDefault(duckDbType, duckDbType);
    }
}
