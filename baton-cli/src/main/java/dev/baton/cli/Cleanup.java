package dev.baton.cli;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.Relation;
import dev.baton.materialization.Janitor;
import dev.baton.project.Project;
import dev.baton.state.StateStore;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;

/** What a writing command does first, holding the warehouse: record dead runs as crashed and drop their leftovers. */
final class Cleanup {
    private Cleanup() {}

    /** Returns the number of things cleaned, after saying what they were. */
    static int run(Project project, StateStore store, Engine engine, PrintWriter out) throws SQLException {
        int crashed = store.markAbandonedRuns(project.name(), project.target().name());
        List<Relation> dropped = Janitor.clean(engine);
        if (crashed > 0) {
            out.println("Marked " + crashed + " run" + (crashed == 1 ? "" : "s") + " that stopped without finishing as crashed.");
        }
        if (!dropped.isEmpty()) {
            out.println("Dropped " + dropped.size() + " staging relation" + (dropped.size() == 1 ? "" : "s") + " left by an interrupted run: "
                    + String.join(", ", dropped.stream().map(Relation::toString).toList()));
        }
        return crashed + dropped.size();
    }
}
