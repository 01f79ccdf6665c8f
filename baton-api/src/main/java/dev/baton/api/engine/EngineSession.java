package dev.baton.api.engine;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One connection to an engine. Not thread-safe, except {@link #cancel()}. */
public interface EngineSession extends AutoCloseable {
    /** Runs one statement and returns the rows it changed, or -1 when the engine does not say. */
    long execute(String sql) throws SQLException;

    /** Runs a query and returns at most {@code maxRows} rows (and the exact total count of rows). */
    QueryResult query(String sql, int maxRows) throws SQLException;

    /**
     * Runs the statements in one transaction and verifies that the commit really happened: an
     * engine that silently rolls back an aborted transaction at commit time must be caught here.
     */
    void executeAtomically(List<String> statements) throws SQLException;

    /** Whether the relation exists, and as what. */
    Optional<RelationType> relationType(Relation relation) throws SQLException;

    /**
     * Every table and view of the warehouse, in one query: a run reads it once instead of asking
     * {@link #relationType} per node, which on a large catalog costs milliseconds each.
     */
    Map<Relation, RelationType> listRelations() throws SQLException;

    /**
     * The comment on a table, where the engine keeps table comments ({@link EngineCapabilities#tableComments()});
     * empty when the table has none or the engine keeps none.
     */
    default Optional<String> tableComment(Relation relation) throws SQLException {
        return Optional.empty();
    }

    /**
     * Statements that create again, in dependency order, the views built (directly or through
     * other views) on the relation, as they are defined now. Only engines whose views follow
     * renames ({@link EngineCapabilities#viewsFollowRenames()}) need them: replacing the relation
     * drops those views, and the same transaction creates them again on the new version.
     */
    default List<String> dependentViews(Relation relation) throws SQLException {
        return List.of();
    }

    /** Makes sure the schema exists. */
    void createSchemaIfMissing(String schema) throws SQLException;

    /**
     * Loads a CSV file with a header row into a new table, inferring column types except those
     * given in {@code columnTypes}. Returns the number of rows loaded.
     */
    long loadCsv(Relation relation, Path csvFile, Map<String, String> columnTypes) throws SQLException;

    /** Whether {@link #registerArrowStream} works: engines that scan Arrow record batches in process, such as DuckDB. */
    default boolean scansArrowStreams() {
        return false;
    }

    /**
     * Makes an Arrow C stream (an {@code org.apache.arrow.c.ArrowArrayStream}) readable in this
     * session's SQL as a table named {@code name}, for one scan. The engine reads the stream on its
     * own threads and releases it when the scan ends.
     *
     * @throws UnsupportedOperationException when {@link #scansArrowStreams()} is false
     */
    default void registerArrowStream(String name, Object arrowArrayStream) throws SQLException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not scan Arrow streams");
    }

    /** Interrupts the statement that is running, from any thread. Does nothing when idle. */
    void cancel();

    @Override
    void close();
}
