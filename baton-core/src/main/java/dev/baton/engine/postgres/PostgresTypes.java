package dev.baton.engine.postgres;

import java.util.Locale;
import java.util.Map;

/** Column type names as PostgreSQL spells them, for the names projects written for DuckDB use. */
final class PostgresTypes {
    private static final Map<String, String> DUCKDB_NAMES = Map.of(
            "double", "double precision",
            "float8", "double precision",
            "hugeint", "numeric(38, 0)",
            "ubigint", "numeric(20, 0)",
            "tinyint", "smallint",
            "utinyint", "smallint",
            "string", "text",
            "blob", "bytea",
            "datetime", "timestamp",
            "timestamptz", "timestamp with time zone");

    private PostgresTypes() {}

    static String normalize(String type) {
        String lower = type.strip().toLowerCase(Locale.ROOT);
        return DUCKDB_NAMES.getOrDefault(lower, type.strip());
    }
}
