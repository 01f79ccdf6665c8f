package dev.baton.api.event;

/**
 * Listens to a run. Sinks are called from the runner's threads, one event at a time (the
 * runner serialises calls), and must not throw.
 */
public interface EventSink extends AutoCloseable {
    void accept(RunEvent event);

    @Override
    default void close() {}
}
