package dev.baton.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Something slow to open (the warehouse, the state store), opened on another thread while the
 * project loads. Closing it waits for the open to finish and closes what was opened.
 */
final class BackgroundOpen<T extends AutoCloseable> implements AutoCloseable {
    private CompletableFuture<T> future;
    private final Supplier<T> opener;

    private BackgroundOpen(CompletableFuture<T> future, Supplier<T> opener) {
        this.future = future;
        this.opener = opener;
    }

    static <T extends AutoCloseable> BackgroundOpen<T> start(Supplier<T> opener) {
        return new BackgroundOpen<>(CompletableFuture.supplyAsync(opener), opener);
    }

    /** Opens nothing until {@link #get()} is first called; closing one never opened does nothing. */
    static <T extends AutoCloseable> BackgroundOpen<T> later(Supplier<T> opener) {
        return new BackgroundOpen<>(null, opener);
    }

    /** The opened value; a failure to open is rethrown as it was thrown. */
    synchronized T get() {
        if (future == null) {
            future = CompletableFuture.completedFuture(null).thenApply(ignored -> opener.get());
        }
        return join(future);
    }

    /** Waits for background work, rethrowing its failure as it was thrown. */
    static <V> V join(CompletableFuture<V> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (future == null) {
            return;
        }
        T value;
        try {
            value = future.join();
        } catch (CompletionException failedToOpen) {
            return;
        }
        value.close();
    }
}
