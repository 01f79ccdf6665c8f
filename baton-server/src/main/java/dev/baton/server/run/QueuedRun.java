package dev.baton.server.run;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One run the server accepted: its state, its exit code when finished, and everything it printed,
 * kept so that a client can follow it from the start.
 */
public final class QueuedRun {
    public enum State { QUEUED, RUNNING, FINISHED }

    /** A piece of output: {@code out} or {@code err}, and its text. */
    public record Chunk(String stream, String text) {}

    private final RunRequest request;
    private final Instant submittedAt = Instant.now();
    private final List<Chunk> chunks = new ArrayList<>();
    private State state = State.QUEUED;
    private OptionalInt exitCode = OptionalInt.empty();
    private boolean cancelRequested;
    private Runnable cancel;

    QueuedRun(RunRequest request) {
        this.request = request;
    }

    public String id() {
        return request.id();
    }

    public RunRequest request() {
        return request;
    }

    public Instant submittedAt() {
        return submittedAt;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized OptionalInt exitCode() {
        return exitCode;
    }

    public synchronized boolean cancelRequested() {
        return cancelRequested;
    }

    /** Output from {@code from} on, waiting up to {@code waitMillis} for some when there is none yet and the run goes on. */
    public synchronized List<Chunk> output(int from, long waitMillis) throws InterruptedException {
        if (from >= chunks.size() && state != State.FINISHED && waitMillis > 0) {
            wait(waitMillis);
        }
        return from >= chunks.size() ? List.of() : List.copyOf(chunks.subList(from, chunks.size()));
    }

    synchronized void append(String stream, byte[] bytes, int length) {
        chunks.add(new Chunk(stream, new String(bytes, 0, length, StandardCharsets.UTF_8)));
        notifyAll();
    }

    synchronized void started() {
        state = State.RUNNING;
        notifyAll();
    }

    synchronized void finished(int code) {
        state = State.FINISHED;
        exitCode = OptionalInt.of(code);
        cancel = null;
        notifyAll();
    }

    /** Returns what to call to cancel the running work, if any; marks the request either way. */
    synchronized Optional<Runnable> requestCancel() {
        cancelRequested = true;
        return Optional.ofNullable(cancel);
    }

    synchronized boolean registerCancel(Runnable action) {
        cancel = action;
        return cancelRequested;
    }
}
