package dev.baton.ingest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An output stream that hands its bytes in large chunks to a thread of its own, which writes them
 * to the real stream. The writer (the read of the source) goes on while the reader at the other
 * end (the warehouse's parse of a named pipe) is busy, up to {@code chunks} chunks ahead, instead of
 * the two taking turns over the pipe's 64 KiB buffer. Chunks are reused, so memory stays at about
 * {@code (chunks + 2) * chunkSize}.
 */
final class ChunkedRelay extends OutputStream {
    private record Chunk(byte[] bytes, int length) {}

    private static final Chunk END = new Chunk(new byte[0], 0);

    private final BlockingQueue<Chunk> full;
    private final BlockingQueue<byte[]> spare;
    private final int chunkSize;
    private final Thread drainer;
    private volatile IOException failure;
    private byte[] chunk;
    private int used;
    private boolean closed;

    ChunkedRelay(OutputStream target, int chunkSize, int chunks, String threadName) {
        this.chunkSize = chunkSize;
        this.full = new ArrayBlockingQueue<>(chunks);
        this.spare = new ArrayBlockingQueue<>(chunks + 2);
        this.chunk = new byte[chunkSize];
        this.drainer = new Thread(() -> drain(target), threadName);
        drainer.setDaemon(true);
        drainer.start();
    }

    private void drain(OutputStream target) {
        try (target) {
            while (true) {
                Chunk next = full.take();
                if (next == END) {
                    return;
                }
                target.write(next.bytes(), 0, next.length());
                spare.offer(next.bytes());
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            failure = new InterruptedIOException("the transfer to the warehouse was interrupted");
        } finally {
            full.clear();
        }
    }

    @Override
    public void write(int b) throws IOException {
        if (used == chunkSize) {
            pass();
        }
        chunk[used++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (used == chunkSize) {
                pass();
            }
            int n = Math.min(length, chunkSize - used);
            System.arraycopy(bytes, offset, chunk, used, n);
            used += n;
            offset += n;
            length -= n;
        }
    }

    private void pass() throws IOException {
        put(new Chunk(chunk, used));
        byte[] reused = spare.poll();
        chunk = reused != null ? reused : new byte[chunkSize];
        used = 0;
    }

    private void put(Chunk item) throws IOException {
        try {
            while (true) {
                check();
                if (full.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
                if (!drainer.isAlive()) {
                    check();
                    throw new IOException("the warehouse stopped reading the load stream");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the transfer to the warehouse was interrupted");
        }
    }

    /** Throws a new exception each time, so that a write and the close that follows can both report the failure. */
    private void check() throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException(failed.getMessage(), failed);
        }
    }

    /** Hands over what is left and waits until the real stream has taken all of it and is closed. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (used > 0) {
            pass();
        }
        put(END);
        try {
            drainer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the transfer to the warehouse was interrupted");
        }
        check();
    }
}
