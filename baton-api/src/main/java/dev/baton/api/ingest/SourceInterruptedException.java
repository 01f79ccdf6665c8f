package dev.baton.api.ingest;

import java.io.IOException;

/**
 * Thrown by {@link Extraction#writeCsv} when the source dropped the connection in the middle of
 * the read (a restarted server, a killed session, a network cut). Nothing of the load is
 * committed, so Baton opens the source again and reads everything anew, a few times, before it
 * fails the load.
 */
public class SourceInterruptedException extends IOException {
    public SourceInterruptedException(String message) {
        super(message);
    }
}
