package dev.baton.server.run;

import java.time.Duration;
import java.util.Optional;

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

    /** Takes no more runs, cancels waiting ones, and gives the running one up to {@code grace} to finish after cancelling it. */
    void shutdown(Duration grace);
}
