package dev.baton.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** The contract of a model as a build published it: ODCS YAML and its version. */
public record ContractRecord(String nodeId, String runId, String version, String contract, Instant publishedAt) {
    public ContractRecord {
        requireNonNull(nodeId, "nodeId is null");
        requireNonNull(runId, "runId is null");
        requireNonNull(version, "version is null");
        requireNonNull(contract, "contract is null");
        requireNonNull(publishedAt, "publishedAt is null");
    }
}
