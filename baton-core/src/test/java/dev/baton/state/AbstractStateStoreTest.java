package dev.baton.state;

import static dev.baton.state.StateStoreTestSupport.T0;
import static dev.baton.state.StateStoreTestSupport.result;
import static dev.baton.state.StateStoreTestSupport.success;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import dev.baton.api.event.RunStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The behaviour every state store database must show. Subclasses say where the store lives. */
abstract class AbstractStateStoreTest {
    /** The project folder the store belongs to. */
    abstract Path projectDir();

    /** The store's URL; empty for the default SQLite file. */
    abstract Optional<String> url();

    /** What {@link StateStore#location()} must say. */
    abstract String expectedLocation();

    StateStore open() {
        return StateStore.open(projectDir(), url());
    }

    static RunEvent.RunStarted started(String runId, Instant startedAt) {
        return new RunEvent.RunStarted(runId, "baton build -s orders+", "shop", "dev", 3, 4, startedAt);
    }

    static RunEvent.RunFinished finished(String runId, RunStatus status, List<NodeResult> results) {
        return new RunEvent.RunFinished(runId, status, T0.plusSeconds(5), Duration.ofMillis(4_877), results);
    }

    @Test
    void keepsTheLatestRecordOfEachBatchOfAModel() {
        java.time.LocalDateTime day1 = java.time.LocalDateTime.parse("2024-01-01T00:00");
        java.time.LocalDateTime day2 = day1.plusDays(1);
        try (StateStore store = open()) {
            store.recordBatch("model.shop.events", new dev.baton.materialization.IntervalLedger.BatchRecord(day2, day2.plusDays(1), false, "r1",
                    T0, -1, Optional.of("boom")));
            store.recordBatch("model.shop.events", new dev.baton.materialization.IntervalLedger.BatchRecord(day1, day2, true, "r1", T0, 5, Optional.empty()));
            store.recordBatch("model.shop.other", new dev.baton.materialization.IntervalLedger.BatchRecord(day1, day2, true, "r1", T0, 1, Optional.empty()));
            store.recordBatch("model.shop.events", new dev.baton.materialization.IntervalLedger.BatchRecord(day2, day2.plusDays(1), true, "r2",
                    T0.plusSeconds(60), 7, Optional.empty()));
        }
        try (StateStore store = open()) {
            assertThat(store.batches("model.shop.events")).containsExactly(
                    new dev.baton.materialization.IntervalLedger.BatchRecord(day1, day2, true, "r1", T0, 5, Optional.empty()),
                    new dev.baton.materialization.IntervalLedger.BatchRecord(day2, day2.plusDays(1), true, "r2", T0.plusSeconds(60), 7, Optional.empty()));
            store.clearBatches("model.shop.events");
            assertThat(store.batches("model.shop.events")).isEmpty();
            assertThat(store.batches("model.shop.other")).hasSize(1);
        }
    }

    @Test
    void keepsTheMetricHistoryOfAudits() {
        try (StateStore store = open()) {
            for (int run = 1; run <= 3; run++) {
                store.runStarted(started("metrics-" + run, T0.plusSeconds(run * 60L)));
                store.auditFinished(new RunEvent.AuditFinished("metrics-" + run, "model.shop.orders", "main.orders", run != 2, 3,
                        List.of(new RunEvent.Metric("", "row_count", String.valueOf(1000 * run)), new RunEvent.Metric("status", "max", "shipped"),
                                new RunEvent.Metric("amount", "min", null)), T0.plusSeconds(run * 60L + 1)));
                store.runFinished(finished("metrics-" + run, RunStatus.SUCCESS, List.of()));
            }
        }
        try (StateStore store = open()) {
            List<MetricRecord> rows = store.metricHistory("model.shop.orders", "", "row_count", 2);
            assertThat(rows).extracting(MetricRecord::runId).containsExactly("metrics-3", "metrics-2");
            assertThat(rows.get(0).numericValue()).hasValue(3000.0);
            assertThat(rows.get(1).published()).isFalse();
            assertThat(rows.get(0).recordedAt()).isEqualTo(T0.plusSeconds(181));
            MetricRecord max = store.metricHistory("model.shop.orders", "status", "max", 10).get(0);
            assertThat(max.value()).contains("shipped");
            assertThat(max.numericValue()).isEmpty();
            assertThat(store.metricHistory("model.shop.orders", "amount", "min", 10).get(0).value()).isEmpty();
        }
    }

    @Test
    void recordsARunWithItsNodeResults() {
        NodeResult orders = success("model.shop.orders");
        NodeResult failing = result("test.shop.not_null_orders_id", NodeStatus.FAIL, "3 failing rows");
        NodeResult broken = new NodeResult("model.shop.customers", "model", Optional.of("main.customers"), NodeStatus.ERROR,
                "Catalog Error: Table with name raw_customers does not exist", T0.plusMillis(5), Duration.ofMillis(3),
                OptionalLong.empty(), OptionalLong.empty(), Optional.of("cd".repeat(32)));
        try (StateStore store = open()) {
            assertThat(store.location()).isEqualTo(expectedLocation());
            store.runStarted(started("run-1", T0));
            store.nodeFinished("run-1", orders, Optional.empty());
            store.nodeFinished("run-1", failing, Optional.empty());
            store.nodeFinished("run-1", broken, Optional.of("Catalog Error: Table with name raw_customers does not exist\nLINE 1: ..."));
            store.runFinished(finished("run-1", RunStatus.FAILED, List.of(orders, broken, failing)));
        }
        try (StateStore store = open()) {
            RunRecord run = store.run("run-1").orElseThrow();
            assertThat(run).isEqualTo(new RunRecord("run-1", "baton build -s orders+", "shop", "dev", RunStatus.FAILED, 3, 4, T0,
                    Optional.of(T0.plusSeconds(5)), Optional.of(Duration.ofMillis(4_877)), new RunCounts(1, 1, 0, 0, 1, 0, 0)));
            List<NodeResultRecord> results = store.nodeResults("run-1");
            assertThat(results).extracting(NodeResultRecord::nodeId)
                    .containsExactly("model.shop.orders", "test.shop.not_null_orders_id", "model.shop.customers");
            assertThat(results.get(0).toNodeResult()).isEqualTo(orders);
            assertThat(results.get(0).errorMessage()).isEmpty();
            assertThat(results.get(1).toNodeResult()).isEqualTo(failing);
            assertThat(results.get(2)).isEqualTo(new NodeResultRecord("run-1", "model.shop.customers", "model", Optional.of("main.customers"),
                    NodeStatus.ERROR, "Catalog Error: Table with name raw_customers does not exist", T0.plusMillis(5), Duration.ofMillis(3),
                    OptionalLong.empty(), OptionalLong.empty(), Optional.of("cd".repeat(32)),
                    Optional.of("Catalog Error: Table with name raw_customers does not exist\nLINE 1: ...")));
        }
    }

    @Test
    void aRunningRunShowsTheResultsSoFar() {
        try (StateStore store = open()) {
            store.runStarted(started("run-live", T0));
            store.nodeFinished("run-live", success("model.shop.a"), Optional.empty());
            RunRecord run = store.run("run-live").orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(run.finishedAt()).isEmpty();
            assertThat(run.elapsed()).isEmpty();
            assertThat(run.counts()).isEqualTo(new RunCounts(1, 0, 0, 0, 0, 0, 0));
            assertThat(store.nodeResults("run-live")).extracting(NodeResultRecord::nodeId).containsExactly("model.shop.a");
        }
    }

    @Test
    void runFinishedAddsResultsThatWereNeverReported() {
        NodeResult built = success("model.shop.a");
        NodeResult skipped = result("model.shop.b", NodeStatus.SKIPPED, "skipped because model.shop.a failed");
        try (StateStore store = open()) {
            store.runStarted(started("run-2", T0));
            store.nodeFinished("run-2", built, Optional.empty());
            store.runFinished(finished("run-2", RunStatus.SUCCESS, List.of(built, skipped)));
            assertThat(store.nodeResults("run-2")).extracting(NodeResultRecord::nodeId).containsExactly("model.shop.a", "model.shop.b");
            assertThat(store.run("run-2").orElseThrow().counts()).isEqualTo(new RunCounts(1, 0, 1, 0, 0, 0, 0));
        }
    }

    @Test
    void listsRecentRunsNewestFirst() {
        try (StateStore store = open()) {
            for (int i = 1; i <= 5; i++) {
                store.runStarted(started("run-" + i, T0.plusSeconds(i)));
            }
            assertThat(store.recentRuns(3)).extracting(RunRecord::id).containsExactly("run-5", "run-4", "run-3");
            assertThat(store.recentRuns(10)).hasSize(5);
            assertThat(store.recentRuns(0)).isEmpty();
        }
    }

    @Test
    void pagesRunsAndCheckResultsWithFiltersAsBoundValues() {
        NodeResult failing = result("test.shop.unique_orders_id", NodeStatus.FAIL, "2 failing rows");
        NodeResult passing = result("test.shop.not_null_orders_id", NodeStatus.PASS, "pass");
        try (StateStore store = open()) {
            for (int i = 1; i <= 4; i++) {
                store.runStarted(started("run-" + i, T0.plusSeconds(i)));
                store.runFinished(finished("run-" + i, i % 2 == 0 ? RunStatus.FAILED : RunStatus.SUCCESS,
                        i % 2 == 0 ? List.of(success("model.shop.orders"), failing, passing) : List.of(success("model.shop.orders"), passing)));
            }
            assertThat(store.runs(Optional.empty(), 2, 1)).extracting(RunRecord::id).containsExactly("run-3", "run-2");
            assertThat(store.runs(Optional.of(RunStatus.FAILED), 10, 0)).extracting(RunRecord::id).containsExactly("run-4", "run-2");
            assertThat(store.checkResults(Optional.empty(), Optional.of(NodeStatus.FAIL), 10, 0)).extracting(NodeResultRecord::runId)
                    .containsExactly("run-4", "run-2");
            assertThat(store.checkResults(Optional.of("test.shop.not_null_orders_id"), Optional.empty(), 3, 1))
                    .extracting(NodeResultRecord::runId).containsExactly("run-3", "run-2", "run-1");
            assertThat(store.checkResults(Optional.of("x' OR '1'='1"), Optional.empty(), 10, 0)).isEmpty();
        }
    }

    @Test
    void storesTokensByTheirHashOnly() {
        TokenRecord token = new TokenRecord("a1b2c3", "ci", "operator", "ab".repeat(32), T0);
        try (StateStore store = open()) {
            store.saveToken(token);
            store.saveToken(new TokenRecord("d4e5f6", "ui", "viewer", "cd".repeat(32), T0.plusSeconds(1)));
        }
        try (StateStore store = open()) {
            assertThat(store.tokenByHash("ab".repeat(32))).contains(token);
            assertThat(store.tokenByHash("' OR 1=1 --")).isEmpty();
            assertThat(store.tokens()).extracting(TokenRecord::id).containsExactly("a1b2c3", "d4e5f6");
            assertThat(store.deleteToken("a1b2c3")).isTrue();
            assertThat(store.deleteToken("a1b2c3")).isFalse();
            assertThat(store.tokenByHash("ab".repeat(32))).isEmpty();
        }
    }

    @Test
    void findsARunByAUniquePrefixOfItsId() {
        try (StateStore store = open()) {
            store.runStarted(started("7f3a9c01-aaaa", T0));
            store.runStarted(started("7f3a9c02-bbbb", T0.plusSeconds(1)));
            store.runStarted(started("b2c4", T0.plusSeconds(2)));
            store.runStarted(started("b2c4e5", T0.plusSeconds(3)));

            assertThat(store.run("7f3a9c02")).map(RunRecord::id).contains("7f3a9c02-bbbb");
            assertThat(store.run("7f3a9c01-aaaa")).map(RunRecord::id).contains("7f3a9c01-aaaa");
            assertThat(store.run("b2c4")).map(RunRecord::id).as("an exact id wins over longer ids it starts").contains("b2c4");
            assertThat(store.run("0000")).isEmpty();
            assertThat(store.run("")).isEmpty();
            assertThat(store.run("7F3A9C02")).as("ids are case-sensitive").isEmpty();
            assertThatThrownBy(() -> store.run("7f3a"))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessage("run id '7f3a' is ambiguous: it starts the ids of runs 7f3a9c02-bbbb, 7f3a9c01-aaaa;"
                            + " give more characters of the id");
        }
    }

    @Test
    void theSinkTakesEventsFromFourThreadsAtOnce() throws Exception {
        int threads = 4;
        int perThread = 300;
        try (StateStore store = open()) {
            StateStoreSink sink = new StateStoreSink(store);
            sink.accept(started("run-parallel", T0));
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        NodeStatus status = i % 3 == 0 ? NodeStatus.PASS : NodeStatus.SUCCESS;
                        NodeResult result = status == NodeStatus.PASS
                                ? result("test.shop.t" + thread + "_" + i, status, "pass")
                                : success("model.shop.m" + thread + "_" + i);
                        sink.accept(new RunEvent.NodeFinished("run-parallel", i, perThread, "node", result));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get();
            }
            pool.shutdown();
            sink.accept(finished("run-parallel", RunStatus.SUCCESS, List.of()));
            assertThat(sink.failure()).isEmpty();

            List<NodeResultRecord> results = store.nodeResults("run-parallel");
            assertThat(results).hasSize(threads * perThread);
            assertThat(results).extracting(NodeResultRecord::nodeId).doesNotHaveDuplicates();
            assertThat(store.run("run-parallel").orElseThrow().counts()).isEqualTo(new RunCounts(800, 0, 0, 400, 0, 0, 0));
            for (int t = 0; t < threads; t++) {
                String prefix = "m" + t + "_";
                List<String> ownOrder = results.stream().map(NodeResultRecord::nodeId)
                        .filter(id -> id.startsWith("model.shop." + prefix)).toList();
                assertThat(ownOrder).as("results of one thread stay in finish order")
                        .isEqualTo(IntStream.range(0, perThread).filter(i -> i % 3 != 0).mapToObj(i -> "model.shop." + prefix + i).toList());
            }
        }
    }

    @Test
    void theSinkKeepsTheStoresFailureInsteadOfThrowing() {
        try (StateStore store = open()) {
            StateStoreSink sink = new StateStoreSink(store);
            sink.accept(started("run-dup", T0));
            sink.accept(started("run-dup", T0));
            assertThat(sink.failure()).hasValueSatisfying(e -> {
                assertThat(e.errorCode()).isEqualTo(ErrorCode.STATE_STORE_FAILED);
                assertThat(e.getMessage()).startsWith("cannot record the start of run 'run-dup' in the state store at " + expectedLocation() + ": ")
                        .endsWith("; check that the store is reachable and writable");
            });
        }
    }

    @Test
    void resultsAreCommittedWithinTheCommitIntervalWithoutWaitingForTheRunToEnd() throws Exception {
        try (StateStore writer = open(); StateStore reader = open()) {
            writer.runStarted(started("run-batch", T0));
            for (int i = 0; i < 10; i++) {
                writer.nodeFinished("run-batch", success("model.shop.m" + i), Optional.empty());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (reader.nodeResults("run-batch").size() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(reader.nodeResults("run-batch")).hasSize(10);
            assertThat(reader.run("run-batch").orElseThrow().counts().success()).isEqualTo(10);
        }
    }

    @Test
    void closingCommitsWaitingResults() {
        try (StateStore store = open()) {
            store.runStarted(started("run-close", T0));
            store.nodeFinished("run-close", success("model.shop.a"), Optional.empty());
        }
        try (StateStore store = open()) {
            assertThat(store.nodeResults("run-close")).hasSize(1);
        }
    }

    @Test
    void aRunWhoseProcessDiedStaysRunningWithTheResultsWrittenSoFar() throws Exception {
        try (StateStore store = open()) {
            assertThat(store.recentRuns(1)).isEmpty();
        }
        String output = StateStoreTestSupport.runProcess(Map.of(), "crash", projectDir().toString(), url().orElse(""), "run-crash");
        assertThat(output).contains("halting");
        try (StateStore store = open()) {
            RunRecord run = store.run("run-crash").orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(run.finishedAt()).isEmpty();
            assertThat(run.counts().success()).isEqualTo(3);
            assertThat(store.nodeResults("run-crash")).extracting(NodeResultRecord::nodeId)
                    .containsExactly("model.shop.m1", "model.shop.m2", "model.shop.m3");
        }
    }

    @Test
    void migratesANewStoreOnceAndThenSkipsFlyway() throws Exception {
        try (StateStore store = open()) {
            assertThat(((SqlStateStore) store).migrated()).isTrue();
        }
        try (StateStore store = open()) {
            assertThat(((SqlStateStore) store).migrated()).isFalse();
            Connection connection = connectionOf(store);
            assertThat(StateSchema.recordedVersion(connection)).hasValue(StateSchema.LATEST_VERSION);
            try (Statement statement = connection.createStatement()) {
                // Flyway would refuse a changed checksum; the version check must not even start it.
                statement.executeUpdate("UPDATE baton_schema_history SET checksum = 12345 WHERE version = '1'");
            }
        }
        try (StateStore store = open()) {
            assertThat(((SqlStateStore) store).migrated()).isFalse();
            try (Statement statement = connectionOf(store).createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM baton_schema_history WHERE version = '1'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void opensAnExistingStoreQuicklyInAFreshJvm() throws Exception {
        try (StateStore store = open()) {
            store.runStarted(started("run-timing", T0));
        }
        String output = StateStoreTestSupport.runProcess(Map.of(), "open", projectDir().toString(), url().orElse(""));
        assertThat(output).containsPattern("(?m)^open_micros=\\d+ migrated=false second_open_micros=\\d+$");
        long micros = number(output, "open_micros");
        System.out.printf("%s: first open() of an existing store in a fresh JVM: %.1f ms (%.1f ms CPU of the opening thread),"
                + " second open() in that JVM: %.1f ms%n", getClass().getSimpleName(), micros / 1000.0,
                number(output, "open_cpu_micros") / 1000.0, number(output, "second_open_micros") / 1000.0);
        // A sanity bound only: the time depends on the machine's load. Flyway alone would add about a second.
        assertThat(micros).as("open() in a fresh JVM, in microseconds").isLessThan(10_000_000);
    }

    private static long number(String output, String name) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?:^|\\s)" + name + "=(\\d+)", java.util.regex.Pattern.MULTILINE)
                .matcher(output);
        assertThat(matcher.find()).as(name + " in " + output).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    static Connection connectionOf(StateStore store) {
        return ((SqlStateStore) store).connection();
    }

    static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
