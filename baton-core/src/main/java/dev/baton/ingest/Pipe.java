package dev.baton.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The channel between a connector's CSV stream and the warehouse's CSV reader: a named pipe, so
 * the source is read while the warehouse parses, or, where named pipes cannot be made, a
 * temporary file written before it is read.
 */
final class Pipe implements AutoCloseable {
    private final Path directory;
    private final Path path;
    private final boolean fifo;

    private Pipe(Path directory, Path path, boolean fifo) {
        this.directory = directory;
        this.path = path;
        this.fifo = fifo;
    }

    static Pipe create() throws IOException {
        Path directory = Files.createTempDirectory("baton-load-");
        Path path = directory.resolve("rows.csv");
        return new Pipe(directory, path, makeFifo(path));
    }

    private static boolean makeFifo(Path path) {
        try {
            Process process = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).redirectErrorStream(true).start();
            process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Path path() {
        return path;
    }

    /** Whether reader and writer run at the same time (a named pipe) rather than one after the other. */
    boolean streaming() {
        return fifo;
    }

    /** Opens the reading end and drains it, so that a writer blocked on opening a pipe nobody reads is released. */
    void release() {
        if (!fifo) {
            return;
        }
        Thread drain = new Thread(() -> {
            try (InputStream in = Files.newInputStream(path)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // The writer is gone already; there is nothing to release.
            }
        }, "baton-pipe-release");
        drain.setDaemon(true);
        drain.start();
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
            Files.deleteIfExists(directory);
        } catch (IOException ignored) {
            // A temporary directory; the system cleans it up.
        }
    }
}
