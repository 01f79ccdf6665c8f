package dev.baton.check;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.api.engine.QueryResult;
import dev.baton.materialization.NodeExecution;
import dev.baton.materialization.NodeOutcome;
import dev.baton.project.Node;
import java.sql.SQLException;
import java.util.OptionalLong;

/**
 * Runs a test as dbt does: the test's query returns failing rows; zero rows pass. Failing rows
 * fail the test at severity error and warn at severity warn.
 */
public final class TestExecution implements NodeExecution {
    @Override
    public NodeOutcome execute(Engine engine, EngineSession session, Node node) throws SQLException {
        String query = node.compiledSql();
        Object limit = node.config().other().get("limit");
        if (limit != null) {
            query = query + "\nlimit " + Long.parseLong(String.valueOf(limit));
        }
        QueryResult result = session.query("select count(*) as failures from (\n" + query + "\n) dbt_internal_test", 1);
        long failures = Long.parseLong(result.rows().get(0).get(0));
        CheckOutcome outcome = CheckSpec.judging(node).judge(failures);
        return switch (outcome.verdict()) {
            case PASS -> new NodeOutcome("pass", OptionalLong.empty(), OptionalLong.of(failures), false, false);
            case WARN -> new NodeOutcome(outcome.message(), OptionalLong.empty(), OptionalLong.of(failures), true, false);
            case FAIL -> new NodeOutcome(outcome.message(), OptionalLong.empty(), OptionalLong.of(failures), false, true);
        };
    }
}
