package dev.baton.project;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Work on every core where the items take uneven times, such as rendering templates: each thread
 * takes the next item as soon as it is done with one. A parallel stream cuts a list into a few
 * fixed slices up front (four on two cores), and the core whose slices happen to be cheaper then
 * idles until the other is done: up to 150 ms of a 0.9 s render of 10,000 models.
 */
final class Balanced {
    private Balanced() {}

    /**
     * Runs {@code action} once for each item, on the calling thread and the common pool's. The first
     * failure stops the threads from taking more items and is thrown once they have stopped.
     */
    static <T> void forEach(List<T> items, Consumer<? super T> action) {
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        int threads = Math.min(items.size(), ForkJoinPool.getCommonPoolParallelism() + 1);
        IntStream.range(0, threads).parallel().forEach(thread -> {
            for (int i = next.getAndIncrement(); i < items.size() && !failed.get(); i = next.getAndIncrement()) {
                try {
                    action.accept(items.get(i));
                } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
            }
        });
    }
}
