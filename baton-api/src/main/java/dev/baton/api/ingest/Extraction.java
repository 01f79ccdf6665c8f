package dev.baton.api.ingest;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * One load's read of a source, opened by {@link Connector#open}. Baton calls {@link #columns()},
 * then {@link #writeCsv} once on another thread, then {@link #close()}.
 */
public interface Extraction extends AutoCloseable {
    /** The columns, in the order {@link #writeCsv} writes them. */
    List<LoadColumn> columns();

    /** Whether the rows replace the table or are appended to it. */
    LoadMode mode();

    /** The high-water mark to remember once these rows are committed; empty for full loads. */
    Optional<String> watermark();

    /**
     * Writes every row as RFC 4180 CSV without a header: fields separated by commas, quoted with
     * {@code "} when needed, an unquoted empty field for NULL and {@code ""} for the empty string.
     *
     * @return the number of rows written
     * @throws IOException when the source or the stream fails; Baton then commits nothing
     */
    long writeCsv(OutputStream out) throws IOException;

    /** How many streams {@link #writeCsv(int, OutputStream)} can write at once, each a disjoint part of the rows. */
    default int streams() {
        return 1;
    }

    /**
     * Writes one of the {@link #streams()} parts of the rows, as {@link #writeCsv(OutputStream)}
     * writes all of them; Baton calls it once per stream, on as many threads.
     */
    default long writeCsv(int stream, OutputStream out) throws IOException {
        if (stream != 0) {
            throw new IllegalArgumentException("stream " + stream + " of 1");
        }
        return writeCsv(out);
    }

    /**
     * The files the warehouse should read itself instead of calling {@link #writeCsv}; empty for
     * sources that stream rows.
     */
    default Optional<FileScan> fileScan() {
        return Optional.empty();
    }

    /**
     * How many rows the connector itself read into the files of {@link #fileScan()}, when it
     * knows; the load then checks that exactly as many landed.
     */
    default java.util.OptionalLong rowsRead() {
        return java.util.OptionalLong.empty();
    }

    /** Stops a running {@link #writeCsv} from another thread. */
    void cancel();

    @Override
    void close();
}
