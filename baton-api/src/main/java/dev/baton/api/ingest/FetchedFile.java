package dev.baton.api.ingest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An extraction whose records a connector has already fetched into a temporary file, which the
 * warehouse reads itself through {@link #fileScan()} (HTTP APIs, Kafka topics). Its columns come
 * from the file; closing it deletes the file.
 *
 * @param records how many records the connector wrote into the file
 */
public record FetchedFile(Path file, FileScan scan, LoadMode mode, Optional<String> watermark, long records) implements Extraction {
    public FetchedFile {
        requireNonNull(file, "file is null");
        requireNonNull(scan, "scan is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(watermark, "watermark is null");
    }

    @Override
    public List<LoadColumn> columns() {
        return List.of();
    }

    @Override
    public Optional<FileScan> fileScan() {
        return Optional.of(scan);
    }

    @Override
    public OptionalLong rowsRead() {
        return OptionalLong.of(records);
    }

    @Override
    public long writeCsv(OutputStream out) {
        throw new UnsupportedOperationException("the warehouse reads the fetched records itself");
    }

    @Override
    public void cancel() {}

    @Override
    public void close() {
        deleteQuietly(file);
    }

    /** Deletes a temporary file of a load, if it is still there. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A temporary file; the system cleans it up.
        }
    }
}
