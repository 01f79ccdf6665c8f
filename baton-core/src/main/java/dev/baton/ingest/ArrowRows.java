package dev.baton.ingest;

import java.io.IOException;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An extraction that can hand its rows to the warehouse as Arrow batches instead of CSV, so that
 * the warehouse parses no text. Its streams are those of {@link dev.baton.api.ingest.Extraction#streams()}.
 */
public interface ArrowRows {
    /** The rows' Arrow schema, one field per column of {@code columns()}; empty when this read cannot produce Arrow. */
    Optional<Schema> arrowSchema();

    /**
     * Reads one of the streams into {@code handoff}, as {@code writeCsv(stream, out)} would write it.
     *
     * @return the number of rows read
     * @throws IOException when the source or the handoff fails; nothing is committed then
     */
    long writeArrow(int stream, ArrowHandoff handoff) throws IOException;
}
