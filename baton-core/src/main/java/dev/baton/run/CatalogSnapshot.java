package dev.baton.run;

import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The warehouse's relations as they were when the run started, read in one query. Each node
 * writes only its own relation, so the first question about a relation in a run is answered
 * from the snapshot; any later question about it goes to the engine, since the run may have
 * changed it since.
 */
final class CatalogSnapshot {
    private final Map<String, RelationType> relations = new ConcurrentHashMap<>();
    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    CatalogSnapshot(Map<Relation, RelationType> listing) {
        listing.forEach((relation, type) -> relations.put(key(relation), type));
    }

    private static String key(Relation relation) {
        return (relation.schema() + "\u0000" + relation.identifier()).toLowerCase(Locale.ROOT);
    }

    /** A session that answers {@link EngineSession#relationType} from this snapshot where it can. */
    EngineSession wrap(EngineSession session) {
        return new EngineSession() {
            @Override
            public long execute(String sql) throws SQLException {
                return session.execute(sql);
            }

            @Override
            public QueryResult query(String sql, int maxRows) throws SQLException {
                return session.query(sql, maxRows);
            }

            @Override
            public void executeAtomically(List<String> statements) throws SQLException {
                session.executeAtomically(statements);
            }

            @Override
            public Optional<RelationType> relationType(Relation relation) throws SQLException {
                String key = key(relation);
                if (answered.add(key)) {
                    return Optional.ofNullable(relations.get(key));
                }
                return session.relationType(relation);
            }

            @Override
            public Map<Relation, RelationType> listRelations() throws SQLException {
                return session.listRelations();
            }

            @Override
            public void createSchemaIfMissing(String schema) throws SQLException {
                session.createSchemaIfMissing(schema);
            }

            @Override
            public long loadCsv(Relation relation, Path csvFile, Map<String, String> columnTypes) throws SQLException {
                return session.loadCsv(relation, csvFile, columnTypes);
            }

            @Override
            public void cancel() {
                session.cancel();
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
