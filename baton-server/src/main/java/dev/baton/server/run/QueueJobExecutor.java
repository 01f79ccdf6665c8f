package dev.baton.server.run;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.event.RunStatus;
import dev.baton.graph.selector.SelectionSpec;
import dev.baton.schedule.Cancellation;
import dev.baton.schedule.Job;
import dev.baton.schedule.JobExecutor;
import dev.baton.schedule.JobOutcome;
import dev.baton.schedule.JobRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs a job's attempt as the matching command through the server's run queue and waits for it, so
 * that scheduled work and submitted work take the warehouse one at a time.
 */
public final class QueueJobExecutor implements JobExecutor {
    private static final long POLL_MILLIS = 200;

    private final Supplier<RunQueue> queue;
    private final Path projectRoot;

    /** @param queue the server's queue, asked for when a job runs */
    public QueueJobExecutor(Supplier<RunQueue> queue, Path projectRoot) {
        this.queue = requireNonNull(queue, "queue is null");
        this.projectRoot = requireNonNull(projectRoot, "projectRoot is null");
    }

    /** The command line of one attempt of a job. */
    public List<String> args(Job job) {
        List<String> args = new ArrayList<>();
        args.add(job.command().name().toLowerCase(Locale.ROOT));
        SelectionSpec selection = job.selection();
        if (!selection.select().isEmpty()) {
            args.add("--select");
            args.addAll(selection.select());
        }
        if (!selection.exclude().isEmpty()) {
            args.add("--exclude");
            args.addAll(selection.exclude());
        }
        selection.selectorName().ifPresent(name -> {
            args.add("--selector");
            args.add(name);
        });
        args.add("--project-dir=" + projectRoot);
        return args;
    }

    @Override
    public JobOutcome execute(Job job, JobRun run, Cancellation cancellation) {
        RunQueue runs = queue.get();
        QueuedRun queued;
        try {
            queued = runs.submit(new RunRequest(UUID.randomUUID().toString(), args(job), Map.of(), false));
        } catch (BatonException e) {
            return new JobOutcome(RunStatus.FAILED, Optional.empty(), e.getMessage());
        }
        cancellation.onCancel(() -> runs.cancel(queued.id()));
        try {
            while (queued.state() != QueuedRun.State.FINISHED) {
                queued.output(Integer.MAX_VALUE, POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            runs.cancel(queued.id());
            Thread.currentThread().interrupt();
            return new JobOutcome(RunStatus.CANCELLED, Optional.of(queued.id()), "interrupted while waiting for run " + queued.id());
        }
        int code = queued.exitCode().orElse(3);
        if (code == 0) {
            return new JobOutcome(RunStatus.SUCCESS, Optional.of(queued.id()), "run " + queued.id() + " succeeded");
        }
        if (code == SerialRunQueue.CANCELLED_EXIT || cancellation.reason().isPresent()) {
            return new JobOutcome(RunStatus.CANCELLED, Optional.of(queued.id()), "run " + queued.id() + " was cancelled");
        }
        return new JobOutcome(RunStatus.FAILED, Optional.of(queued.id()), "run " + queued.id() + " failed with exit code " + code
                + "; see GET /api/v1/runs/" + queued.id());
    }
}
