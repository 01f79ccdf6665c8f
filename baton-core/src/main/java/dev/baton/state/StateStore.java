package dev.baton.state;

import dev.baton.api.event.NodeResult;
import dev.baton.api.event.RunEvent;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Baton's memory of runs and their node results, and the ledger of microbatch models' batches.
 *
 * <p>The default store is the SQLite file {@code .baton/state.db} in the project folder; a team
 * shares one in PostgreSQL by giving its JDBC URL. Every method is safe to call from several
 * threads. Node results are buffered and committed in batches, at least every
 * {@value #COMMIT_INTERVAL_MILLIS} ms, so a process that dies mid-run leaves its run marked
 * running with the results written until shortly before.
 */
public interface StateStore extends AutoCloseable, dev.baton.materialization.IntervalLedger {
    /** The longest a node result waits in memory before it is committed. */
    long COMMIT_INTERVAL_MILLIS = 200;

    /** The file of the default store, relative to the project folder. */
    Path DEFAULT_PATH = Path.of(".baton", "state.db");

    /**
     * Opens the store, creating or migrating its schema when needed.
     *
     * @param projectDir the project folder, which holds the default store
     * @param url a {@code jdbc:postgresql:} or {@code jdbc:sqlite:} URL; empty for
     *     {@code projectDir/.baton/state.db}
     * @throws dev.baton.api.BatonException with {@code STATE_STORE_FAILED} when the store cannot
     *     be opened
     */
    static StateStore open(Path projectDir, Optional<String> url) {
        return StateStoreOpener.open(projectDir, url);
    }

    /** Records a new run as running. */
    void runStarted(RunEvent.RunStarted event);

    /** Queues one node result of a running run; it is committed within the commit interval. */
    void nodeFinished(String runId, NodeResult result, Optional<String> errorMessage);

    /**
     * Records the end of a run: commits its queued results, adds any result of the event that was
     * never reported through {@link #nodeFinished}, and sets the run's status, times and counts.
     */
    void runFinished(RunEvent.RunFinished event);

    /**
     * Marks as crashed every run of this project and target still recorded as running. Call it
     * only while holding the target's warehouse, which proves no such run is alive. Returns how
     * many runs were marked.
     */
    int markAbandonedRuns(String project, String target);

    /** Records what an audit measured (its metrics), committed at once. */
    void auditFinished(RunEvent.AuditFinished event);

    /** Records the contract a build published for a model, committed at once. */
    void contractPublished(RunEvent.ContractPublished event);

    /** For every model whose contract was ever published, the latest published contract. */
    java.util.Map<String, ContractRecord> lastContracts();

    /**
     * The history of one metric of a node, newest first.
     *
     * @param column the column, or empty for a metric of the whole relation such as {@code row_count}
     */
    List<MetricRecord> metricHistory(String nodeId, String column, String metric, int limit);

    /** The latest runs, newest first. */
    List<RunRecord> recentRuns(int limit);

    /**
     * The run with this id, or with an id that starts with it when exactly one does.
     *
     * @throws dev.baton.api.BatonException with {@code INVALID_ARGUMENT} when the prefix matches
     *     several runs
     */
    Optional<RunRecord> run(String runIdOrPrefix);

    /** The node results of a run in the order the nodes finished; queued results are included. */
    List<NodeResultRecord> nodeResults(String runId);

    /**
     * For every node that was ever built successfully, the compiled-SQL hash of its latest
     * successful build: what {@code baton plan} compares against to say new, modified or unchanged.
     */
    java.util.Map<String, String> lastBuiltHashes();

    /**
     * For every node that was ever built successfully, what its latest successful build was built
     * from: what {@code state:modified} and its {@code .body}, {@code .configs} and
     * {@code .contract} variants compare against.
     */
    java.util.Map<String, dev.baton.api.event.Fingerprint> lastBuiltFingerprints();

    /** Records committed loads of sources; a load already recorded is left as it is. */
    void recordLoads(List<LoadRecord> loads);

    /** The latest recorded loads of a source node, newest first. */
    List<LoadRecord> loads(String nodeId, int limit);

    /** When the newest recorded load started; empty when none is recorded. */
    Optional<java.time.Instant> latestLoadStart();

    /**
     * A page of runs, newest first.
     *
     * @param status only runs with this status, when present
     */
    List<RunRecord> runs(Optional<dev.baton.api.event.RunStatus> status, int limit, int offset);

    /**
     * A page of test results of every run, newest first.
     *
     * @param nodeId only the results of this test, when present
     * @param status only results with this status, when present
     */
    List<NodeResultRecord> checkResults(Optional<String> nodeId, Optional<dev.baton.api.event.NodeStatus> status, int limit, int offset);

    /** Stores a new API token (its hash). */
    void saveToken(TokenRecord token);

    /** The token with this hash, if one is stored. */
    Optional<TokenRecord> tokenByHash(String tokenHash);

    /** Every stored token, oldest first. */
    List<TokenRecord> tokens();

    /** Deletes the token with this id; false when there is none. */
    boolean deleteToken(String id);

    /** Stores what a run printed, replacing what was stored for it. */
    void saveRunLog(RunLog log);

    /** What a run printed, when it was stored. */
    Optional<RunLog> runLog(String runId);

    /** Where the store lives, with any password removed: a file path or a JDBC URL. */
    String location();

    /** Commits queued results and closes the connection. */
    @Override
    void close();
}
