package dev.baton.cli;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.event.NodeStatus;
import dev.baton.graph.selector.Selection;
import dev.baton.plan.CommandKind;
import dev.baton.state.RunRecord;
import dev.baton.state.StateSelectorMethods;
import dev.baton.state.StateStore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;

@Command(name = "retry", mixinStandardHelpOptions = true,
        description = "Run again what failed or was skipped in the last run (as dbt retry does), with the last run's command; nothing else.")
final class RetryCommand extends ExecuteCommand {
    private static final Set<NodeStatus> RETRIED = Set.of(NodeStatus.ERROR, NodeStatus.FAIL, NodeStatus.SKIPPED, NodeStatus.CANCELLED);

    private CommandKind kind = CommandKind.BUILD;

    RetryCommand(CliContext context) {
        super(context);
    }

    /** A microbatch model runs again only its failed batches. */
    @Override
    dev.baton.materialization.IncrementalOptions incrementalOptions(StateStore store) {
        return new dev.baton.materialization.IncrementalOptions(false, java.util.Optional.empty(), true, store, java.time.Clock.systemUTC());
    }

    @Override
    CommandKind kind() {
        return kind;
    }

    @Override
    Selection select(Workspace workspace, StateStore store) {
        if (!selectionOptions.select.isEmpty() || !selectionOptions.exclude.isEmpty() || selectionOptions.selector != null) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "retry runs what the last run left undone and takes no --select, --exclude or --selector; "
                    + "use 'baton build -s result:error+' to choose yourself");
        }
        List<RunRecord> runs = store.recentRuns(1);
        if (runs.isEmpty()) {
            throw new BatonException(ErrorCode.INVALID_ARGUMENT, "nothing to retry: no run is recorded in " + store.location() + "; run 'baton build' first");
        }
        RunRecord last = runs.get(0);
        kind = commandOf(last.command());
        Set<String> ids = new LinkedHashSet<>();
        Map<String, NodeStatus> results = StateSelectorMethods.lastRunResults(store);
        for (String id : workspace.graph().topologicalOrder()) {
            NodeStatus status = results.get(id);
            if (status != null && RETRIED.contains(status)) {
                ids.add(id);
            }
        }
        return new Selection(ids, List.of());
    }

    /** The command a run was started with: the word after "baton" ("baton build -s x" is build). */
    private static CommandKind commandOf(String commandLine) {
        for (String word : commandLine.trim().split("\\s+")) {
            for (CommandKind candidate : CommandKind.values()) {
                if (candidate.label().equals(word.toLowerCase(Locale.ROOT))) {
                    return candidate;
                }
            }
        }
        return CommandKind.BUILD;
    }
}
