package dev.baton.api.event;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Everything a run tells its listeners. The runner emits these and never prints. */
public sealed interface RunEvent {
    String runId();

    /** A run began. {@code command} is the command line as the user typed it, without secrets. */
    record RunStarted(String runId, String command, String projectName, String target, int nodeCount, int threads, Instant startedAt)
            implements RunEvent {
        public RunStarted {
            requireNonNull(runId, "runId is null");
            requireNonNull(command, "command is null");
            requireNonNull(projectName, "projectName is null");
            requireNonNull(target, "target is null");
            requireNonNull(startedAt, "startedAt is null");
        }
    }

    /** A node began. {@code index} is 1-based in plan order, {@code description} reads like {@code table model main.orders}. */
    record NodeStarted(String runId, String nodeId, int index, int total, String description, Instant startedAt) implements RunEvent {
        public NodeStarted {
            requireNonNull(runId, "runId is null");
            requireNonNull(nodeId, "nodeId is null");
            requireNonNull(description, "description is null");
            requireNonNull(startedAt, "startedAt is null");
        }
    }

    /** A node finished, with any outcome (including skipped, which never starts). */
    record NodeFinished(String runId, int index, int total, String description, NodeResult result) implements RunEvent {
        public NodeFinished {
            requireNonNull(runId, "runId is null");
            requireNonNull(description, "description is null");
            requireNonNull(result, "result is null");
        }
    }

    /** The run ended. {@code results} holds every node's result in plan order. */
    record RunFinished(String runId, RunStatus status, Instant finishedAt, Duration elapsed, List<NodeResult> results) implements RunEvent {
        public RunFinished {
            requireNonNull(runId, "runId is null");
            requireNonNull(status, "status is null");
            requireNonNull(finishedAt, "finishedAt is null");
            requireNonNull(elapsed, "elapsed is null");
            results = List.copyOf(results);
        }
    }
}
