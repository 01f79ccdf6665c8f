package dev.baton.schedule;

/** Runs one attempt of a job to its end. Called on a scheduler worker thread. */
@FunctionalInterface
public interface JobExecutor {
    /**
     * @param cancellation where to register how to stop the work; the outcome of a cancelled
     *     attempt should be {@code CANCELLED}
     */
    JobOutcome execute(Job job, JobRun run, Cancellation cancellation);
}
