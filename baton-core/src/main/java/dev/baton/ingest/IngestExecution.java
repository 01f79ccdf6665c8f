package dev.baton.ingest;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.materialization.NodeExecution;
import dev.baton.materialization.NodeOutcome;
import dev.baton.project.Node;
import dev.baton.state.LoadRecord;
import java.sql.SQLException;
import java.util.Map;

/** A source with a connector as a step of a run: one {@link SourceLoad}. */
final class IngestExecution implements NodeExecution {
    private final java.nio.file.Path projectDir;
    private final String runId;
    private final Map<String, String> env;

    IngestExecution(java.nio.file.Path projectDir, String runId, Map<String, String> env) {
        this.projectDir = projectDir;
        this.runId = runId;
        this.env = env;
    }

    @Override
    public NodeOutcome execute(Engine engine, EngineSession session, Node node) throws SQLException {
        if (!engine.capabilities().readsFiles()) {
            // A load stages the extracted rows as files and reads them in SQL, which needs an engine that reads files.
            throw new dev.baton.api.BatonException(dev.baton.api.ErrorCode.ENGINE_LACKS_CAPABILITY, "source " + node.name()
                    + " loads with a connector, which stages rows as files the engine reads itself; the " + engine.name()
                    + " engine cannot read files, so load this source on a DuckDB target, or load it with another tool and declare it as a plain source",
                    node.location());
        }
        SourceLoad sourceLoad = new SourceLoad(engine, session, projectDir, node, runId, env, LoadObserver.NONE);
        LoadRecord load = sourceLoad.run();
        return NodeOutcome.built(describe(load) + sourceLoad.driftReport().map(drift -> "; " + drift).orElse(""), load.rowsLoaded());
    }

    static String describe(LoadRecord load) {
        String text = "loaded " + load.rowsLoaded() + " rows into " + load.relation() + " (" + load.mode();
        if (load.rowsQuarantined() > 0) {
            text += ", " + load.rowsQuarantined() + " bad rows quarantined";
        }
        return text + load.watermark().filter(mark -> !mark.startsWith("{")).map(mark -> ", high-water mark " + mark).orElse("") + ")";
    }
}
