package dev.baton.schedule;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.Suggestions;
import dev.baton.api.event.RunStatus;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a project's jobs: fires their schedules and sensors into a run queue kept in the state
 * store, starts queued runs within each job's concurrency limit, retries failures with backoff,
 * cancels runs past their timeout. Time comes from an injected {@link Clock}; {@link #tick()}
 * does one pass and is what the background loop of {@link #start()} calls.
 *
 * <p>A scheduled time is queued at most once per attempt (a unique key in the store), and a
 * schedule's cursor records how far it was looked at, so a restart neither repeats a run nor
 * misses one beyond the job's {@link CatchUp} policy.
 */
public final class Scheduler implements AutoCloseable {
    static final String SCHEDULE_CURSOR = "schedule";
    private static final int MAX_CATCH_UP = 1000;

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final JobRunStore store;
    private final JobExecutor executor;
    private final SensorProbe sensors;
    private final Clock clock;
    private final Options options;
    private final ExecutorService workers;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final Object dispatchLock = new Object();
    private ScheduledExecutorService loop;
    private volatile boolean closed;

    /**
     * @param workers how many runs may run at once over all jobs
     * @param tickInterval how often the background loop ticks
     * @param misfireGrace how late a schedule time may be looked at and still count as on time
     *     (a later one was missed, and the job's catch-up policy decides)
     */
    public record Options(int workers, Duration tickInterval, Duration misfireGrace) {
        public Options {
            requireNonNull(tickInterval, "tickInterval is null");
            requireNonNull(misfireGrace, "misfireGrace is null");
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1");
            }
        }

        public static Options defaults() {
            return new Options(4, Duration.ofSeconds(5), Duration.ofMinutes(1));
        }
    }

    private record Active(JobRun run, Cancellation cancellation, Optional<Instant> deadline) {}

    /**
     * @param connection a connection of its own to the state store ({@link dev.baton.state.StateConnections}); the scheduler closes it
     */
    public Scheduler(List<Job> jobs, Connection connection, JobExecutor executor, SensorProbe sensors, Clock clock, Options options) {
        jobs.forEach(job -> this.jobs.put(job.name(), job));
        this.store = new JobRunStore(connection);
        this.executor = requireNonNull(executor, "executor is null");
        this.sensors = requireNonNull(sensors, "sensors is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.options = requireNonNull(options, "options is null");
        this.workers = Executors.newFixedThreadPool(options.workers(), runnable -> {
            Thread thread = new Thread(runnable, "baton-job");
            thread.setDaemon(true);
            return thread;
        });
    }

    public List<Job> jobs() {
        return List.copyOf(jobs.values());
    }

    /**
     * Marks runs left running by a scheduler that died as crashed (their concurrency slots are
     * free again), then ticks every {@code tickInterval} in the background.
     */
    public synchronized void start() {
        recover();
        if (loop == null) {
            loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "baton-scheduler");
                thread.setDaemon(true);
                return thread;
            });
            long millis = options.tickInterval().toMillis();
            loop.scheduleWithFixedDelay(this::tickQuietly, 0, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Marks runs recorded as running, which no live scheduler runs, as crashed; returns how many. */
    public int recover() {
        return store.markCrashed(clock.instant());
    }

    /** One pass: cancel runs past their timeout, queue due schedule times and sensed changes, start what may start. */
    public void tick() {
        if (closed) {
            return;
        }
        Instant now = clock.instant();
        for (Active running : active.values()) {
            if (running.deadline().isPresent() && now.isAfter(running.deadline().get())) {
                Job job = jobs.get(running.run().jobName());
                running.cancellation().cancel("timed out after " + describe(job.timeout().orElseThrow()));
            }
        }
        for (Job job : jobs.values()) {
            job.schedule().ifPresent(schedule -> queueScheduled(job, schedule, now));
            for (Sensor sensor : job.sensors()) {
                sense(job, sensor, now);
            }
        }
        dispatch();
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            // The next tick tries again; the store reports its own failures to API callers.
        }
    }

    private void queueScheduled(Job job, CronSchedule schedule, Instant now) {
        Optional<String> cursor = store.cursor(job.name(), SCHEDULE_CURSOR);
        if (cursor.isEmpty()) {
            store.setCursor(job.name(), SCHEDULE_CURSOR, Long.toString(now.toEpochMilli()));
            return;
        }
        Instant after = Instant.ofEpochMilli(Long.parseLong(cursor.get()));
        if (!now.isAfter(after)) {
            return;
        }
        List<Instant> times = schedule.between(after, now, MAX_CATCH_UP);
        List<Instant> chosen = new ArrayList<>();
        for (Instant time : times) {
            boolean onTime = !time.plus(options.misfireGrace()).isBefore(now);
            if (onTime || job.catchUp() == CatchUp.ALL) {
                chosen.add(time);
            }
        }
        if (job.catchUp() == CatchUp.LATEST && !times.isEmpty() && !chosen.contains(times.get(times.size() - 1))) {
            chosen.add(times.get(times.size() - 1));
        }
        for (Instant time : chosen) {
            store.insert(queued(job.name(), "schedule", Optional.of(time), 1, now, now));
        }
        store.setCursor(job.name(), SCHEDULE_CURSOR, Long.toString(now.toEpochMilli()));
    }

    private void sense(Job job, Sensor sensor, Instant now) {
        Optional<String> value = sensors.read(sensor);
        if (value.isEmpty()) {
            return;
        }
        Optional<String> previous = store.cursor(job.name(), sensor.key());
        if (previous.isPresent() && previous.get().equals(value.get())) {
            return;
        }
        store.setCursor(job.name(), sensor.key(), value.get());
        if (previous.isPresent()) {
            store.insert(queued(job.name(), "sensor:" + sensor.key(), Optional.empty(), 1, now, now));
        }
    }

    /** Queues a run of a job now, whatever its schedule. */
    public JobRun trigger(String jobName) {
        Job job = job(jobName);
        Instant now = clock.instant();
        JobRun run = queued(job.name(), "manual", Optional.empty(), 1, now, now);
        store.insert(run);
        dispatch();
        return store.run(run.id()).orElse(run);
    }

    /**
     * Cancels a queued or running run. A running run stops its statements and ends cancelled.
     *
     * @throws BatonException {@code UNKNOWN_RECORD} for an unknown id, {@code INVALID_TRANSITION} for a run that already ended
     */
    public JobRun cancel(String runId) {
        JobRun run = run(runId).orElseThrow(() -> new BatonException(ErrorCode.UNKNOWN_RECORD, "no job run with id '" + runId
                + "'; list the runs to find its id"));
        // Under the dispatch lock a run is either still queued or running with its cancellation registered, never in between.
        synchronized (dispatchLock) {
            if (run.state() == RunState.QUEUED && store.transition(run.id(), RunState.QUEUED, RunState.CANCELLED, clock.instant(), Optional.empty(),
                    "cancelled before it started")) {
                return store.run(run.id()).orElseThrow();
            }
            Active running = active.get(run.id());
            if (running != null) {
                running.cancellation().cancel("cancelled");
                return store.run(run.id()).orElseThrow();
            }
        }
        JobRun current = store.run(run.id()).orElseThrow();
        throw new BatonException(ErrorCode.INVALID_TRANSITION, "job run '" + run.id() + "' already ended " + current.state().label()
                + "; only a queued or running run can be cancelled");
    }

    public Optional<JobRun> run(String runId) {
        return store.run(runId);
    }

    /** The latest runs, newest first, optionally of one job. */
    public List<JobRun> runs(Optional<String> jobName, int limit) {
        jobName.ifPresent(this::job);
        return store.recent(jobName, limit);
    }

    /** Whether no run is running in this scheduler. */
    public boolean idle() {
        return active.isEmpty();
    }

    /** Waits until no run is running in this scheduler; returns false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!active.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private Job job(String name) {
        Job job = jobs.get(name);
        if (job == null) {
            throw new BatonException(ErrorCode.UNKNOWN_JOB, "unknown job '" + name + "'" + Suggestions.didYouMeanOr(name, jobs.keySet(),
                    jobs.isEmpty() ? "the project defines no jobs: add them under jobs: in the project file" : "the jobs are " + String.join(", ", jobs.keySet())));
        }
        return job;
    }

    private void dispatch() {
        synchronized (dispatchLock) {
            if (closed) {
                return;
            }
            Instant now = clock.instant();
            for (JobRun run : store.due(now)) {
                Job job = jobs.get(run.jobName());
                if (job == null) {
                    store.transition(run.id(), RunState.QUEUED, RunState.CANCELLED, now, Optional.empty(), "the job is no longer in the project file");
                    continue;
                }
                if (active.size() >= options.workers() || store.running(job.name()) >= job.concurrency()) {
                    continue;
                }
                if (!store.transition(run.id(), RunState.QUEUED, RunState.RUNNING, now, Optional.empty(), "")) {
                    continue;
                }
                JobRun started = store.run(run.id()).orElseThrow();
                Active entry = new Active(started, new Cancellation(), job.timeout().map(now::plus));
                active.put(run.id(), entry);
                workers.execute(() -> execute(job, entry));
            }
        }
    }

    private void execute(Job job, Active entry) {
        JobRun run = entry.run();
        RunState state;
        String message;
        Optional<String> buildRunId = Optional.empty();
        try {
            JobOutcome outcome = executor.execute(job, run, entry.cancellation());
            buildRunId = outcome.buildRunId();
            state = outcome.status() == RunStatus.SUCCESS ? RunState.SUCCEEDED : outcome.status() == RunStatus.CANCELLED ? RunState.CANCELLED : RunState.FAILED;
            message = outcome.message();
        } catch (RuntimeException | Error e) {
            state = RunState.FAILED;
            message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        Optional<String> reason = entry.cancellation().reason();
        if (reason.isPresent() && state != RunState.SUCCEEDED) {
            boolean timedOut = reason.get().startsWith("timed out");
            state = timedOut ? RunState.FAILED : RunState.CANCELLED;
            message = reason.get() + (message.isEmpty() ? "" : ": " + message);
        }
        Instant now = clock.instant();
        try {
            store.transition(run.id(), RunState.RUNNING, state, now, buildRunId, message);
            if (state == RunState.FAILED && run.attempt() <= job.retries() && !closed) {
                int attempt = run.attempt() + 1;
                store.insert(queued(job.name(), run.trigger(), run.scheduledFor(), attempt, now, now.plus(job.backoffBefore(attempt))));
            }
        } finally {
            active.remove(run.id());
        }
        dispatch();
    }

    private static JobRun queued(String jobName, String trigger, Optional<Instant> scheduledFor, int attempt, Instant now, Instant notBefore) {
        return new JobRun(UUID.randomUUID().toString(), jobName, trigger, scheduledFor, attempt, RunState.QUEUED, now, notBefore,
                Optional.empty(), Optional.empty(), Optional.empty(), "");
    }

    static String describe(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return seconds / 60 + "m";
        }
        return seconds > 0 ? seconds + "s" : duration.toMillis() + "ms";
    }

    /**
     * Stops ticking, cancels running runs (they are recorded cancelled), waits for them to end,
     * and closes the store connection. Queued runs stay queued for the next start.
     */
    @Override
    public void close() {
        synchronized (dispatchLock) {
            closed = true;
        }
        synchronized (this) {
            if (loop != null) {
                loop.shutdownNow();
            }
        }
        for (Active running : active.values()) {
            running.cancellation().cancel("cancelled because the scheduler stopped");
        }
        workers.shutdown();
        try {
            workers.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
