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

    /**
     * The checks of a relation were run against it (during a build: against the staged relation,
     * before it was published).
     *
     * @param nodeId the audited model
     * @param relation the live relation, such as {@code main.orders}
     * @param published whether the audited version was made live
     * @param queries how many queries the audit issued
     * @param metrics what the audit's scans measured
     */
    record AuditFinished(String runId, String nodeId, String relation, boolean published, int queries, List<Metric> metrics, Instant finishedAt)
            implements RunEvent {
        public AuditFinished {
            requireNonNull(runId, "runId is null");
            requireNonNull(nodeId, "nodeId is null");
            requireNonNull(relation, "relation is null");
            metrics = List.copyOf(metrics);
            requireNonNull(finishedAt, "finishedAt is null");
        }
    }

    /**
     * One measurement of an audit scan.
     *
     * @param column the column (or comma-separated column set); empty for the whole relation
     * @param name {@code row_count}, {@code null_count}, {@code distinct_count}, {@code min}, {@code max}
     * @param value the value as text; null when the relation has no non-null value
     */
    /** A model with a contract was published: {@code contract} is the contract as ODCS YAML. */
    record ContractPublished(String runId, String nodeId, String version, String contract, Instant publishedAt) implements RunEvent {
        public ContractPublished {
            requireNonNull(runId, "runId is null");
            requireNonNull(nodeId, "nodeId is null");
            requireNonNull(version, "version is null");
            requireNonNull(contract, "contract is null");
            requireNonNull(publishedAt, "publishedAt is null");
        }
    }

    record Metric(String column, String name, String value) {
        public Metric {
            requireNonNull(column, "column is null");
            requireNonNull(name, "name is null");
        }
    }
}
