package dev.baton.materialization;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.project.Node;
import java.sql.SQLException;

/** How one kind of node is written to (or checked in) the warehouse. Each materialization is one implementation. */
public interface NodeExecution {
    NodeOutcome execute(Engine engine, EngineSession session, Node node) throws SQLException;
}
