package dev.baton.engine.duckdb;

import dev.baton.api.engine.Engine;
import java.nio.file.Path;

/** Opens the embedded DuckDB engine. */
public final class DuckDbEngines {
    private DuckDbEngines() {}

    /**
     * Opens (creating when missing) the DuckDB database file, and the default schema in it.
     *
     * @param databaseFile the warehouse file, such as {@code target/baton.duckdb}; messages show it as given
     * @param defaultSchema the schema sessions start in, created when missing
     * @param threads how many threads DuckDB may use; 0 or less leaves DuckDB's default (all cores)
     * @throws dev.baton.api.BatonException {@code WAREHOUSE_LOCKED} when another process holds the
     *     file, {@code CONNECTION_FAILED} when it cannot be opened for another reason
     */
    public static Engine open(Path databaseFile, String defaultSchema, int threads) {
        return DuckDbEngine.openFile(databaseFile, defaultSchema, threads);
    }

    /** Opens a private in-memory database: gone when the engine is closed. */
    public static Engine openInMemory(String defaultSchema, int threads) {
        return DuckDbEngine.openInMemory(defaultSchema, threads);
    }
}
