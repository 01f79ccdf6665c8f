package dev.baton.ingest;

import dev.baton.materialization.NodeExecution;
import java.util.Map;

/** Entry points of ingestion for the runner and the commands. */
public final class Ingestion {
    private Ingestion() {}

    /** The plan step that loads a source with a connector. */
    public static NodeExecution execution(java.nio.file.Path projectDir, String runId, Map<String, String> env) {
        return new IngestExecution(projectDir, runId, env);
    }
}
