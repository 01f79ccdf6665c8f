package dev.baton.state;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.event.EventSink;
import dev.baton.api.event.NodeResult;
import dev.baton.api.event.NodeStatus;
import dev.baton.api.event.RunEvent;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a run's events to a {@link StateStore}. Safe to call from several runner threads. Like
 * every sink it never throws: the first failure of the store is kept in {@link #failure()} so
 * the caller can report it once the run is over. Closing the sink does not close the store.
 */
public final class StateStoreSink implements EventSink {
    private final StateStore store;
    private final AtomicReference<BatonException> failure = new AtomicReference<>();

    public StateStoreSink(StateStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    @Override
    public void accept(RunEvent event) {
        requireNonNull(event, "event is null");
        try {
            if (event instanceof RunEvent.RunStarted started) {
                store.runStarted(started);
            } else if (event instanceof RunEvent.NodeFinished finished) {
                store.nodeFinished(finished.runId(), finished.result(), errorText(finished.result()));
            } else if (event instanceof RunEvent.RunFinished finished) {
                store.runFinished(finished);
            } else if (event instanceof RunEvent.AuditFinished audit) {
                store.auditFinished(audit);
            } else if (event instanceof RunEvent.ContractPublished contract) {
                store.contractPublished(contract);
            }
        } catch (BatonException e) {
            failure.compareAndSet(null, e);
        } catch (RuntimeException e) {
            failure.compareAndSet(null, new BatonException(ErrorCode.STATE_STORE_FAILED, "cannot record run '" + event.runId()
                    + "' in the state store at " + store.location() + ": " + e + "; the run itself is not affected",
                    Optional.empty(), e));
        }
    }

    /** The first error the store reported, if any. */
    public Optional<BatonException> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** The error text kept for a result: its message when the node failed to build. */
    static Optional<String> errorText(NodeResult result) {
        return result.status() == NodeStatus.ERROR ? Optional.of(result.message()) : Optional.empty();
    }
}
