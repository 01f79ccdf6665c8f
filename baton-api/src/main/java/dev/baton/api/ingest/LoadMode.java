package dev.baton.api.ingest;

/** How a load's rows meet the rows already in the table. */
public enum LoadMode {
    /** The load is the whole table: it replaces what was there. */
    FULL,
    /** The load holds new rows only: they are appended. */
    APPEND
}
