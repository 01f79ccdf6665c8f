package dev.baton.server.run;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Where the server's runs wait for the warehouse, which takes one writer at a time. */
public interface RunQueue {
    /** Queues a run and returns at once. */
    QueuedRun submit(RunRequest request);

    /** A run this queue accepted (queued, running or finished) since the server started. */
    Optional<QueuedRun> find(String id);

    /** How many runs wait, not counting the running one. */
    int waiting();

    /**
     * Asks a run to stop: a queued run never starts, a running one is cancelled as Ctrl-C
     * cancels it. Returns false when the run had already finished.
     */
    boolean cancel(String id);

    /**
     * Runs a short read of the warehouse on the queue's own thread, between runs, so that it never
     * meets a run's open warehouse, and returns its result. Waits up to {@code wait} for the
     * running run to end; a read that has started is waited for to its end.
     *
     * @throws TimeoutException when the read did not start within {@code wait} (it then never starts), or the queue is stopping
     * @throws ExecutionException with what the read threw
     */
    <T> T read(Callable<T> task, Duration wait) throws TimeoutException, ExecutionException, InterruptedException;

    /** Takes no more runs, cancels waiting ones, and gives the running one up to {@code grace} to finish after cancelling it. */
    void shutdown(Duration grace);
}
