package dev.baton.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Something slow to open (the warehouse, the state store), opened on another thread while the
 * project loads. Closing it waits for the open to finish and closes what was opened.
 */
final class BackgroundOpen<T extends AutoCloseable> implements AutoCloseable {
    private final CompletableFuture<T> future;

    private BackgroundOpen(CompletableFuture<T> future) {
        this.future = future;
    }

    static <T extends AutoCloseable> BackgroundOpen<T> start(Supplier<T> opener) {
        return new BackgroundOpen<>(CompletableFuture.supplyAsync(opener));
    }

    /** The opened value; a failure to open is rethrown as it was thrown. */
    T get() {
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
    public void close() throws Exception {
        T value;
        try {
            value = future.join();
        } catch (CompletionException failedToOpen) {
            return;
        }
        value.close();
    }
}
