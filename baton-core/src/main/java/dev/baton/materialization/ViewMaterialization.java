package dev.baton.materialization;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.Relation;
import dev.baton.api.engine.RelationType;
import dev.baton.project.Node;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A model as a view: replaced in place, or swapped for a table of the same name in one transaction.
 * Where the engine cannot replace a view whose columns change, the view is dropped and created
 * again in one transaction.
 */
final class ViewMaterialization implements NodeExecution {
    @Override
    public NodeOutcome execute(Engine engine, EngineSession session, Node node) throws SQLException {
        Relation relation = node.relation().orElseThrow();
        String target = engine.render(relation);
        Optional<RelationType> existing = session.relationType(relation);
        String create = "create or replace view " + target + " as (\n" + node.compiledSql() + "\n)";
        if (existing.isPresent() && existing.get() == RelationType.TABLE) {
            session.executeAtomically(withDependents(engine, session, relation, List.of("drop table " + target + Publisher.dropDependents(engine), create)));
        } else if (existing.isEmpty() || engine.capabilities().replaceViewChangingColumns()) {
            session.execute(create);
        } else {
            try {
                session.execute(create);
            } catch (SQLException columnsChanged) {
                // This engine replaces a view only when its columns stay; drop and create it in one transaction instead.
                session.executeAtomically(withDependents(engine, session, relation, List.of("drop view " + target + Publisher.dropDependents(engine), create)));
            }
        }
        return NodeOutcome.built("created view model " + relation, -1);
    }

    private static List<String> withDependents(Engine engine, EngineSession session, Relation relation, List<String> statements) throws SQLException {
        List<String> all = new java.util.ArrayList<>(statements);
        all.addAll(Publisher.recreateDependents(engine, session, relation));
        return all;
    }
}
