package dev.baton.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow record batches handed from a source's reading threads to the warehouse's scan: the
 * producers {@link #put} batches into a short queue, and the warehouse pulls them through an Arrow
 * C stream ({@link #stream()}), so the rows reach it typed, without being written as text and
 * parsed again. A producer's failure ends the scan with that failure; closing the handoff frees
 * every batch still queued and stops producers that wait.
 */
public final class ArrowHandoff implements AutoCloseable {
    /** Batches queued per producer: enough that reading and scanning overlap, few enough to bound memory. */
    private static final int QUEUED_PER_PRODUCER = 2;

    private static final class Root {
        static final BufferAllocator ALLOCATOR = new RootAllocator();
    }

    private static volatile Boolean available;

    private final BufferAllocator allocator;
    private final Schema schema;
    private final BlockingQueue<ArrowRecordBatch> queue;
    private final AtomicInteger running;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ArrowArrayStream stream;
    private volatile boolean closed;

    private ArrowHandoff(Schema schema, int producers) {
        this.schema = requireNonNull(schema, "schema is null");
        this.allocator = Root.ALLOCATOR.newChildAllocator("baton-load", 0, Long.MAX_VALUE);
        this.queue = new ArrayBlockingQueue<>(QUEUED_PER_PRODUCER * producers);
        this.running = new AtomicInteger(producers);
        this.stream = ArrowArrayStream.allocateNew(allocator);
        Data.exportArrayStream(allocator, new Reader(allocator), stream);
    }

    /**
     * Whether Arrow's memory works in this JVM. It needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED}
     * on JDK 17, which the launcher passes, and the C data interface's small native library, which
     * Arrow unpacks from its jar; without them loads take the CSV path.
     */
    public static boolean available() {
        Boolean known = available;
        if (known == null) {
            try {
                Root.ALLOCATOR.buffer(8).close();
                org.apache.arrow.c.jni.JniLoader.get().ensureLoaded();
                known = true;
            } catch (Throwable e) {
                known = false;
            }
            available = known;
        }
        return known;
    }

    /** A handoff of batches of {@code schema} from {@code producers} threads, each calling {@link #finished} once. */
    public static ArrowHandoff open(Schema schema, int producers) {
        if (producers < 1) {
            throw new IllegalArgumentException("producers must be at least 1: " + producers);
        }
        return new ArrowHandoff(schema, producers);
    }

    public Schema schema() {
        return schema;
    }

    /** Where producers allocate their vectors. */
    public BufferAllocator allocator() {
        return allocator;
    }

    /** The Arrow C stream ({@code ArrowArrayStream}) to register with the warehouse. */
    public Object stream() {
        return stream;
    }

    /**
     * Queues one batch, waiting while the queue is full; the handoff owns the batch from here on.
     *
     * @throws IOException when the scan stopped reading (it failed, or the load is being cleaned up)
     */
    public void put(ArrowRecordBatch batch) throws IOException {
        try {
            while (!closed) {
                if (queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                    if (closed) {
                        drain();
                    }
                    return;
                }
            }
            batch.close();
            throw new IOException("the warehouse stopped reading the load");
        } catch (InterruptedException e) {
            batch.close();
            Thread.currentThread().interrupt();
            throw new IOException("the load was interrupted", e);
        }
    }

    /** A producer is done; after the last one the scan ends. */
    public void finished() {
        running.decrementAndGet();
    }

    /** A producer failed: the scan ends with this failure instead of waiting for more rows. */
    public void fail(Throwable cause) {
        failure.compareAndSet(null, requireNonNull(cause, "cause is null"));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        drain();
        // A scan that took the stream over has already released it (its release callback is then unset); one that
        // never started has not, and releasing it closes the reader and frees its vectors.
        stream.release();
        stream.close();
        try {
            allocator.close();
        } catch (IllegalStateException leaked) {
            // A batch the warehouse still holds after a failed scan; the process frees it at exit.
        }
    }

    private void drain() {
        for (ArrowRecordBatch batch = queue.poll(); batch != null; batch = queue.poll()) {
            batch.close();
        }
    }

    /** What the warehouse pulls from: the next queued batch, until every producer is done. */
    private final class Reader extends ArrowReader {
        Reader(BufferAllocator allocator) {
            super(allocator);
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            try {
                while (true) {
                    Throwable failed = failure.get();
                    if (failed != null) {
                        throw new IOException(failed.getMessage() == null ? failed.getClass().getSimpleName() : failed.getMessage(), failed);
                    }
                    if (closed) {
                        throw new IOException("the load was stopped");
                    }
                    boolean done = running.get() <= 0;
                    ArrowRecordBatch batch = done ? queue.poll() : queue.poll(100, TimeUnit.MILLISECONDS);
                    if (batch != null) {
                        loadRecordBatch(batch);
                        return true;
                    }
                    if (done) {
                        return false;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("the load was interrupted", e);
            }
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {
            // The producers own their sources.
        }

        @Override
        protected Schema readSchema() {
            return schema;
        }
    }
}
