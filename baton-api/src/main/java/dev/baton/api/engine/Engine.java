package dev.baton.api.engine;

/**
 * A warehouse Baton builds into. An engine hands out sessions: one per worker thread, each with
 * its own connection. Implementations are package-private; callers reach them through a factory.
 */
public interface Engine extends AutoCloseable {
    /** The engine's name as targets spell it: {@code duckdb}, {@code postgres}, {@code spark}. */
    String name();

    EngineCapabilities capabilities();

    /** Opens a session with its own connection. The caller closes it. */
    EngineSession openSession();

    /** Quotes an identifier for this engine's SQL. */
    String quote(String identifier);

    /** The relation as SQL text, quoted: {@code "main"."orders"}. */
    default String render(Relation relation) {
        return quote(relation.schema()) + "." + quote(relation.identifier());
    }

    /**
     * Registers this process as one that builds in the warehouse, until the engine is closed, and says whether no other
     * process is registered there at this moment. The janitor drops leftover staging relations only then: on a warehouse
     * that several processes build in at once, another's staging relations may still be in use. An engine that admits
     * one writing process at a time (DuckDB's file lock) always answers {@code true}.
     */
    default boolean registerWriter() throws java.sql.SQLException {
        return true;
    }

    /** The default schema of the target, such as {@code main}. */
    String defaultSchema();

    @Override
    void close();
}
