package dev.baton.cli;

import dev.baton.project.Project;
import dev.baton.state.StateStore;
import java.util.function.Supplier;

/** The project's state store, opened only if something asks for it, and closed with this. */
final class LazyStore implements Supplier<StateStore>, AutoCloseable {
    private final Project project;
    private StateStore store;

    LazyStore(Project project) {
        this.project = project;
    }

    @Override
    public synchronized StateStore get() {
        if (store == null) {
            store = StateStore.open(project.root(), project.settings().stateUrl());
        }
        return store;
    }

    @Override
    public synchronized void close() {
        if (store != null) {
            store.close();
        }
    }
}
