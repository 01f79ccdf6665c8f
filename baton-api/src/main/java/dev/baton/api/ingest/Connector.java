package dev.baton.api.ingest;

import java.util.Set;

/**
 * A way to load one source table into the warehouse: a database, a folder of files, an API, a
 * topic. Baton validates a source's {@code connector:} block against {@link #optionNames()} and
 * {@link #requiredOptions()} when the project loads, then calls {@link #open} once per load.
 *
 * <p>The connector only reads: it describes the columns it will produce and streams the rows as
 * CSV. Baton lands them, checks the counts and commits the rows together with the load's
 * high-water mark, so a connector never deals with the warehouse's transactions.
 */
public interface Connector {
    /** The name a {@code connector:} block gives in {@code type:}, such as {@code postgres}. */
    String type();

    /** Every option the connector accepts, besides {@code type}. */
    Set<String> optionNames();

    /** Options that must be given. */
    Set<String> requiredOptions();

    /**
     * Connects and settles what this load reads: the columns and, for an incremental load, the
     * upper bound of the cursor. Nothing is streamed yet.
     *
     * @throws dev.baton.api.BatonException naming the source when the source cannot be reached or
     *     read; messages never contain secret option values
     */
    Extraction open(ExtractRequest request);
}
