package dev.baton.plan;

/** What a plan step does to its node. */
public enum Action {
    CREATE_VIEW("create view"),
    CREATE_TABLE("create table"),
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
