package dev.baton.run;

import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.ForwardingEngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import java.sql.SQLException;
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
        return new ForwardingEngineSession(session) {
            @Override
            public Optional<RelationType> relationType(Relation relation) throws SQLException {
                String key = key(relation);
                if (answered.add(key)) {
                    return Optional.ofNullable(relations.get(key));
                }
                return delegate().relationType(relation);
            }
        };
    }
}
