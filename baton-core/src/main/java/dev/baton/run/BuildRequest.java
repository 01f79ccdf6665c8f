package dev.baton.run;

import static java.util.Objects.requireNonNull;

import dev.baton.graph.selector.SelectionSpec;
import dev.baton.plan.CommandKind;
import java.util.Map;

/**
 * One build to run programmatically, as {@code baton build|run|test|seed|ingest} would.
 *
 * @param command which kinds of node run
 * @param selection what to select
 * @param runId the id the run is recorded under
 * @param threads worker threads (at least 1)
 * @param commandLine what the run history shows as the command, such as {@code baton build -s tag:nightly}
 * @param env the environment connectors read secrets from
 */
public record BuildRequest(CommandKind command, SelectionSpec selection, String runId, int threads, String commandLine, Map<String, String> env) {
    public BuildRequest {
        requireNonNull(command, "command is null");
        requireNonNull(selection, "selection is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(commandLine, "commandLine is null");
        env = Map.copyOf(env);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }
}
