package dev.baton.materialization;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Removes what an interrupted run left in the warehouse: staging relations built beside live
 * ones but never swapped in. A swap happens in one transaction, so a live relation is never
 * left half-published; only these leftovers need cleaning. Call it while holding the warehouse.
 *
 * <p>Where several processes may build in one warehouse at once (PostgreSQL), each registers as a
 * writer ({@link Engine#registerWriter()}) and the janitor cleans only when no other is registered:
 * a staging relation another build is writing is never dropped. Leftovers then wait for the next
 * build that runs alone (and a model's own leftover is replaced when that model is built again).
 */
public final class Janitor {
    private Janitor() {}

    /** Drops every leftover staging or backup relation and returns them; none while another process builds in the warehouse. */
    public static List<Relation> clean(Engine engine) throws SQLException {
        List<Relation> dropped = new ArrayList<>();
        if (!engine.registerWriter()) {
            return dropped;
        }
        try (EngineSession session = engine.openSession()) {
            for (Map.Entry<Relation, RelationType> entry : session.listRelations().entrySet()) {
                String name = entry.getKey().identifier();
                if (name.endsWith(Publisher.STAGING_SUFFIX) || name.endsWith(Publisher.BACKUP_SUFFIX)) {
                    session.execute("drop " + (entry.getValue() == RelationType.VIEW ? "view" : "table") + " if exists " + engine.render(entry.getKey()));
                    dropped.add(entry.getKey());
                }
            }
        }
        return dropped;
    }
}
