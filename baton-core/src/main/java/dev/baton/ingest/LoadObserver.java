package dev.baton.ingest;

/** Hears the steps of a load. The exactly-once tests stop a process at each of them. */
public interface LoadObserver {
    LoadObserver NONE = new LoadObserver() {};

    /** The rows are in the staging table; nothing is committed yet. */
    default void staged(String nodeId, long rows) {}

    /** The rows and the load's record (with its high-water mark) are committed in the warehouse; the state store does not know yet. */
    default void committed(String nodeId, String loadId) {}
}
