package dev.baton.plan;

/** What a plan step does to its node. */
public enum Action {
    CREATE_VIEW("create view"),
    CREATE_TABLE("create table"),
    /** An incremental model: the new rows are added to the live table, or the table is built when there is none. */
    INCREMENTAL("incremental"),
    LOAD_SEED("load seed"),
    RUN_TEST("run test"),
    SNAPSHOT("snapshot"),
    INGEST("ingest");

    private final String label;

    Action(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
