package dev.baton.artifact;

import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.RunEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Writes {@code target/run_results.json} when a run ends. */
public final class RunResultsSink implements EventSink {
    private final Path targetDir;
    private final List<String> args;
    private RunEvent.RunStarted started;

    public RunResultsSink(Path targetDir, List<String> args) {
        this.targetDir = targetDir;
        this.args = List.copyOf(args);
    }

    @Override
    public void accept(RunEvent event) {
        if (event instanceof RunEvent.RunStarted runStarted) {
            started = runStarted;
        } else if (event instanceof RunEvent.RunFinished finished) {
            Map<String, Object> document = new LinkedHashMap<>();
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("schema_version", Artifacts.RUN_RESULTS_SCHEMA);
            metadata.put("baton_version", Artifacts.batonVersion());
            metadata.put("generated_at", finished.finishedAt().toString());
            metadata.put("invocation_id", finished.runId());
            metadata.put("status", finished.status().label());
            if (started != null) {
                metadata.put("command", started.command());
                metadata.put("target", started.target());
            }
            document.put("metadata", metadata);
            List<Object> results = new ArrayList<>();
            for (NodeResult result : finished.results()) {
                results.add(describe(result));
            }
            document.put("results", results);
            document.put("elapsed_time", finished.elapsed().toMillis() / 1000.0);
            document.put("args", args);
            Artifacts.write(targetDir.resolve("run_results.json"), document);
        }
    }

    private static Map<String, Object> describe(NodeResult result) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("unique_id", result.nodeId());
        value.put("status", status(result));
        value.put("message", result.message());
        value.put("execution_time", result.duration().toMillis() / 1000.0);
        value.put("started_at", result.startedAt().toString());
        value.put("completed_at", result.startedAt().plus(result.duration()).toString());
        value.put("failures", result.failures().isPresent() ? result.failures().getAsLong() : null);
        value.put("rows_affected", result.rowsAffected().isPresent() ? result.rowsAffected().getAsLong() : null);
        value.put("relation_name", result.relation().orElse(null));
        value.put("compiled_sql_hash", result.compiledSqlHash().orElse(null));
        return value;
    }

    /** dbt's status words: success, error, skipped, pass, fail, warn; cancelled for interrupted nodes. */
    static String status(NodeResult result) {
        return switch (result.status()) {
            case SKIPPED -> "skipped";
            default -> result.status().name().toLowerCase(Locale.ROOT);
        };
    }
}
