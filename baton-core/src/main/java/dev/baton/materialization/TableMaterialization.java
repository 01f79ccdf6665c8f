package dev.baton.materialization;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.project.Node;
import java.sql.SQLException;

/**
 * A model as a table, written beside the live one and swapped in: readers see the old table or
 * the new one, never none and never a partial one.
 */
final class TableMaterialization implements NodeExecution {
    @Override
    public NodeOutcome execute(Engine engine, EngineSession session, Node node) throws SQLException {
        Relation relation = node.relation().orElseThrow();
        long rows = Publisher.publishTable(engine, session, relation, "(\n" + node.compiledSql() + "\n)");
        return NodeOutcome.built("created table model " + relation, rows);
    }
}
