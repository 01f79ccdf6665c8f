package dev.baton.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.engine.duckdb.DuckDbEngines;
import dev.baton.project.LoadOptions;
import dev.baton.project.Project;
import dev.baton.project.ProjectLoader;
import dev.baton.state.StateConnections;
import dev.baton.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path root;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:59:30Z"));
    private Project project;
    private Engine engine;
    private StateStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private void project(String jobs) throws IOException {
        write("baton.yml", "name: p\n" + jobs);
        write("models/a.sql", "{{ config(materialized='table', tags=['hourly']) }} select 1 as id");
        write("models/slow.sql", "{{ config(materialized='table', tags=['slow']) }} select count(*) as n from range(100000000000)");
        write("models/broken.sql", "{{ config(materialized='table', tags=['broken']) }} select error('boom') as id");
        write("models/sources.yml", """
                version: 2
                sources:
                  - name: app
                    tables:
                      - name: orders
                        loaded_at_field: updated_at
                """);
        project = ProjectLoader.load(new LoadOptions(root, Optional.empty(), Map.of(), Map.of()));
        engine = DuckDbEngines.open(root.resolve("target/p.duckdb"), "main", 2);
        store = StateStore.open(root, Optional.empty());
    }

    private Scheduler scheduler() {
        List<Job> jobs = JobsConfig.read(project, () -> store);
        return new Scheduler(jobs, StateConnections.open(root, Optional.empty()), new BuildJobExecutor(project, engine, store, 2, List::of),
                new ProjectSensorProbe(project, engine), clock, new Scheduler.Options(4, Duration.ofHours(1), Duration.ofMinutes(1)));
    }

    /** Waits until the job has {@code count} runs and all of them ended. */
    private static List<JobRun> awaitEnded(Scheduler scheduler, String job, int count) throws InterruptedException {
        return await(scheduler, job, runs -> runs.size() == count && runs.stream().allMatch(run -> run.state().isFinal()));
    }

    private static List<JobRun> await(Scheduler scheduler, String job, Predicate<List<JobRun>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<JobRun> runs = scheduler.runs(Optional.of(job), 100).stream().sorted(Comparator.comparing(JobRun::queuedAt)
                    .thenComparing(run -> run.scheduledFor().orElse(Instant.EPOCH)).thenComparing(JobRun::attempt)).toList();
            if (condition.test(runs)) {
                return runs;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("runs of " + job + " never matched: " + runs);
            }
            Thread.sleep(20);
        }
    }

    private static List<Instant> scheduledTimes(List<JobRun> runs) {
        return runs.stream().map(run -> run.scheduledFor().orElseThrow()).sorted().toList();
    }

    private void hourlyJob(String catchUp) throws IOException {
        project("""
                jobs:
                  - name: hourly
                    select: tag:hourly
                    schedule: "0 * * * *"
                    catch_up: %s
                """.formatted(catchUp));
    }

    /** Runs 02:00 with a first scheduler, stops it, and looks again at 05:00:30 with a new one. */
    private List<JobRun> restartAcrossBoundaries(Instant restartAt) throws InterruptedException {
        try (Scheduler first = scheduler()) {
            first.tick();
            assertThat(first.runs(Optional.empty(), 10)).isEmpty();
            clock.set(Instant.parse("2026-03-02T02:00:10Z"));
            first.tick();
            List<JobRun> runs = awaitEnded(first, "hourly", 1);
            assertThat(runs.get(0).state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(runs.get(0).scheduledFor()).contains(Instant.parse("2026-03-02T02:00:00Z"));
            assertThat(runs.get(0).message()).isEqualTo("1 node: 1 success");
            assertThat(store.run(runs.get(0).buildRunId().orElseThrow()).orElseThrow().command()).isEqualTo("baton job hourly (schedule, attempt 1)");
            first.tick();
            assertThat(first.runs(Optional.empty(), 10)).hasSize(1);
        }
        clock.set(restartAt);
        try (Scheduler second = scheduler()) {
            second.recover();
            second.tick();
            Thread.sleep(50);
            List<JobRun> runs = await(second, "hourly", all -> all.stream().allMatch(run -> run.state().isFinal()));
            assertThat(runs).allMatch(run -> run.state() == RunState.SUCCEEDED);
        }
        try (Scheduler third = scheduler()) {
            third.tick();
            third.tick();
            return awaitEnded(third, "hourly", third.runs(Optional.of("hourly"), 100).size());
        }
    }

    @Test
    void catchUpAllRunsEveryMissedTimeOnceAcrossRestarts() throws Exception {
        hourlyJob("all");
        List<JobRun> runs = restartAcrossBoundaries(Instant.parse("2026-03-02T05:00:30Z"));
        assertThat(scheduledTimes(runs)).containsExactly(Instant.parse("2026-03-02T02:00:00Z"), Instant.parse("2026-03-02T03:00:00Z"),
                Instant.parse("2026-03-02T04:00:00Z"), Instant.parse("2026-03-02T05:00:00Z"));
        assertThat(store.recentRuns(100)).hasSize(4);
    }

    @Test
    void catchUpLatestRunsOnlyTheNewestMissedTime() throws Exception {
        hourlyJob("latest");
        List<JobRun> runs = restartAcrossBoundaries(Instant.parse("2026-03-02T05:20:00Z"));
        assertThat(scheduledTimes(runs)).containsExactly(Instant.parse("2026-03-02T02:00:00Z"), Instant.parse("2026-03-02T05:00:00Z"));
    }

    @Test
    void catchUpSkipRunsNoMissedTimeButKeepsTheSchedule() throws Exception {
        hourlyJob("skip");
        List<JobRun> runs = restartAcrossBoundaries(Instant.parse("2026-03-02T05:20:00Z"));
        assertThat(scheduledTimes(runs)).containsExactly(Instant.parse("2026-03-02T02:00:00Z"));
        clock.set(Instant.parse("2026-03-02T06:00:20Z"));
        try (Scheduler scheduler = scheduler()) {
            scheduler.tick();
            assertThat(scheduledTimes(awaitEnded(scheduler, "hourly", 2))).containsExactly(Instant.parse("2026-03-02T02:00:00Z"),
                    Instant.parse("2026-03-02T06:00:00Z"));
        }
    }

    @Test
    void aFailedRunIsRetriedAfterItsBackoffAndNoMore() throws Exception {
        project("""
                jobs:
                  - name: fragile
                    select: tag:broken
                    retries: 1
                    retry_backoff: 10m
                """);
        try (Scheduler scheduler = scheduler()) {
            JobRun first = scheduler.trigger("fragile");
            assertThat(first.trigger()).isEqualTo("manual");
            List<JobRun> runs = await(scheduler, "fragile", all -> all.size() == 2 && all.get(0).state().isFinal());
            assertThat(runs.get(0).state()).isEqualTo(RunState.FAILED);
            assertThat(runs.get(0).message()).isEqualTo("1 node: 1 error");
            assertThat(runs.get(1).state()).isEqualTo(RunState.QUEUED);
            assertThat(runs.get(1).attempt()).isEqualTo(2);
            assertThat(runs.get(1).notBefore()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
            clock.advance(Duration.ofMinutes(9));
            scheduler.tick();
            assertThat(scheduler.run(runs.get(1).id()).orElseThrow().state()).isEqualTo(RunState.QUEUED);
            clock.advance(Duration.ofMinutes(1));
            scheduler.tick();
            runs = awaitEnded(scheduler, "fragile", 2);
            assertThat(runs).extracting(JobRun::state).containsExactly(RunState.FAILED, RunState.FAILED);
            clock.advance(Duration.ofHours(1));
            scheduler.tick();
            assertThat(scheduler.runs(Optional.of("fragile"), 10)).hasSize(2);
        }
    }

    @Test
    void aRunPastItsTimeoutIsStoppedAndRecordedAsFailed() throws Exception {
        project("""
                jobs:
                  - name: slow
                    select: tag:slow
                    timeout: 1m
                """);
        try (Scheduler scheduler = scheduler()) {
            JobRun run = scheduler.trigger("slow");
            awaitBuildRunning();
            scheduler.tick();
            assertThat(scheduler.run(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
            clock.advance(Duration.ofSeconds(61));
            scheduler.tick();
            JobRun ended = awaitEnded(scheduler, "slow", 1).get(0);
            assertThat(ended.state()).isEqualTo(RunState.FAILED);
            assertThat(ended.message()).isEqualTo("timed out after 1m: 1 node: 1 cancelled");
        }
    }

    private void awaitBuildRunning() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (store.recentRuns(1).isEmpty() || store.recentRuns(1).get(0).status() != dev.baton.api.event.RunStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the build never started");
            }
            Thread.sleep(20);
        }
        Thread.sleep(200);
    }

    @Test
    void cancelStopsARunningRunAndAQueuedOneWithinTheConcurrencyLimit() throws Exception {
        project("""
                jobs:
                  - name: slow
                    select: tag:slow
                    concurrency: 1
                """);
        try (Scheduler scheduler = scheduler()) {
            JobRun running = scheduler.trigger("slow");
            JobRun waiting = scheduler.trigger("slow");
            assertThat(running.state()).isEqualTo(RunState.RUNNING);
            assertThat(waiting.state()).isEqualTo(RunState.QUEUED);
            JobRun cancelledWaiting = scheduler.cancel(waiting.id());
            assertThat(cancelledWaiting.state()).isEqualTo(RunState.CANCELLED);
            assertThat(cancelledWaiting.message()).isEqualTo("cancelled before it started");
            awaitBuildRunning();
            scheduler.cancel(running.id());
            List<JobRun> runs = awaitEnded(scheduler, "slow", 2);
            JobRun ended = runs.stream().filter(run -> run.id().equals(running.id())).findFirst().orElseThrow();
            assertThat(ended.state()).isEqualTo(RunState.CANCELLED);
            assertThat(ended.message()).isEqualTo("cancelled: 1 node: 1 cancelled");
            assertThat(store.run(ended.buildRunId().orElseThrow()).orElseThrow().status()).isEqualTo(dev.baton.api.event.RunStatus.CANCELLED);
            assertThatThrownBy(() -> scheduler.cancel(running.id()))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_TRANSITION))
                    .hasMessage("job run '" + running.id() + "' already ended cancelled; only a queued or running run can be cancelled");
            assertThatThrownBy(() -> scheduler.cancel("nope"))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_RECORD))
                    .hasMessage("no job run with id 'nope'; list the runs to find its id");
            assertThatThrownBy(() -> scheduler.trigger("slwo"))
                    .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_JOB))
                    .hasMessage("unknown job 'slwo'; did you mean 'slow'?");
        }
    }

    @Test
    void stoppingTheSchedulerCancelsRunningRunsAndRecordsThemWhileQueuedOnesWaitForTheNextStart() throws Exception {
        project("""
                jobs:
                  - name: slow
                    select: tag:slow
                    concurrency: 1
                """);
        JobRun running;
        JobRun waiting;
        try (Scheduler scheduler = scheduler()) {
            running = scheduler.trigger("slow");
            waiting = scheduler.trigger("slow");
            awaitBuildRunning();
        }
        try (Scheduler restarted = scheduler()) {
            assertThat(restarted.recover()).isZero();
            JobRun stopped = restarted.run(running.id()).orElseThrow();
            assertThat(stopped.state()).isEqualTo(RunState.CANCELLED);
            assertThat(stopped.message()).isEqualTo("cancelled because the scheduler stopped: 1 node: 1 cancelled");
            assertThat(restarted.run(waiting.id()).orElseThrow().state()).isEqualTo(RunState.QUEUED);
            restarted.tick();
            assertThat(restarted.run(waiting.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
            awaitBuildRunning();
            restarted.cancel(waiting.id());
            assertThat(awaitEnded(restarted, "slow", 2)).extracting(JobRun::state).containsOnly(RunState.CANCELLED);
        }
    }

    @Test
    void aRunThatDiesFreesItsSlotAndRunsLeftByADeadSchedulerAreCrashed() throws Exception {
        project("""
                jobs:
                  - name: hourly
                    select: tag:hourly
                    concurrency: 1
                """);
        // A scheduler that died left a run recorded as running, holding the job's only slot.
        JobRunStore planted = new JobRunStore(StateConnections.open(root, Optional.empty()));
        planted.insert(new JobRun("dead-run", "hourly", "manual", Optional.empty(), 1, RunState.RUNNING, clock.instant(), clock.instant(),
                Optional.of(clock.instant()), Optional.empty(), Optional.empty(), ""));
        planted.close();
        try (Scheduler scheduler = scheduler()) {
            JobRun blocked = scheduler.trigger("hourly");
            assertThat(blocked.state()).isEqualTo(RunState.QUEUED);
            assertThat(scheduler.recover()).isEqualTo(1);
            assertThat(scheduler.run("dead-run").orElseThrow().state()).isEqualTo(RunState.CRASHED);
            scheduler.tick();
            assertThat(awaitEnded(scheduler, "hourly", 2)).extracting(JobRun::state).containsExactlyInAnyOrder(RunState.CRASHED, RunState.SUCCEEDED);
            // The warehouse goes away under the executor: the attempt dies with an exception, and its slot is free again.
            engine.close();
            JobRun died = scheduler.trigger("hourly");
            List<JobRun> runs = awaitEnded(scheduler, "hourly", 3);
            JobRun failed = runs.stream().filter(run -> run.id().equals(died.id())).findFirst().orElseThrow();
            assertThat(failed.state()).isEqualTo(RunState.FAILED);
            assertThat(scheduler.idle()).isTrue();
            engine = DuckDbEngines.open(root.resolve("target/p.duckdb"), "main", 2);
        }
    }

    @Test
    void sensorsStartAJobWhenFilesArriveOrASourceAdvances() throws Exception {
        project("""
                jobs:
                  - name: on_files
                    select: tag:hourly
                    sensors:
                      - files: landing
                  - name: on_orders
                    select: tag:hourly
                    sensors:
                      - source: app.orders
                """);
        write("landing/orders-1.csv", "id\n1\n");
        try (EngineSession session = engine.openSession()) {
            session.execute("CREATE SCHEMA app");
            session.execute("CREATE TABLE app.orders AS SELECT 1 AS id, TIMESTAMP '2026-03-01 10:00:00' AS updated_at");
        }
        try (Scheduler scheduler = scheduler()) {
            scheduler.tick();
            scheduler.tick();
            assertThat(scheduler.runs(Optional.empty(), 10)).isEmpty();
            write("landing/orders-2.csv", "id\n2\n");
            scheduler.tick();
            JobRun sensed = awaitEnded(scheduler, "on_files", 1).get(0);
            assertThat(sensed.trigger()).isEqualTo("sensor:files:landing");
            assertThat(sensed.state()).isEqualTo(RunState.SUCCEEDED);
            try (EngineSession session = engine.openSession()) {
                session.execute("INSERT INTO app.orders VALUES (2, TIMESTAMP '2026-03-01 11:00:00')");
            }
            scheduler.tick();
            JobRun advanced = awaitEnded(scheduler, "on_orders", 1).get(0);
            assertThat(advanced.trigger()).isEqualTo("sensor:source_freshness:source.p.app.orders");
            scheduler.tick();
            assertThat(scheduler.runs(Optional.empty(), 10)).hasSize(2);
        }
    }
}
