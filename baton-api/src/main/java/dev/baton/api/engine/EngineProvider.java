package dev.baton.api.engine;

import java.util.Set;

/**
 * Opens one kind of engine for the targets of its {@link #type()}. Providers are found with
 * {@link java.util.ServiceLoader}: an engine module lists its provider in
 * {@code META-INF/services/dev.baton.api.engine.EngineProvider}.
 */
public interface EngineProvider {
    /** The target type this provider opens, as {@code type:} spells it: {@code duckdb}, {@code postgres}. */
    String type();

    /** The schema a target of this type builds into when it names none: {@code main} on DuckDB, {@code public} on PostgreSQL. */
    String defaultSchema();

    /**
     * Quotes an identifier as this engine's SQL does, without opening an engine: for SQL written
     * before a connection is at hand. Standard SQL's double quotes unless the engine says otherwise.
     */
    default String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * What an engine of this type can do, without opening one: for plans that show how a build will
     * run. The default claims nothing; an engine whose capabilities shape its SQL says what they are.
     */
    default EngineCapabilities capabilities() {
        return EngineCapabilities.builder().build();
    }

    /** The keys a target of this type may have besides {@code type}, {@code schema} and {@code threads}. */
    Set<String> settingKeys();

    /**
     * Opens the engine of a target, checking its settings first.
     *
     * @throws dev.baton.api.BatonException {@code INVALID_CONFIG_VALUE} for a missing or malformed
     *     setting (pointing at the target), or when the engine cannot be reached or opened
     */
    Engine open(EngineTarget target);

    /** One line naming the engine's version, read through an open session, for {@code baton debug}. */
    String describeVersion(EngineSession session) throws java.sql.SQLException;
}
