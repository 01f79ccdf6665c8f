package dev.baton.ingest;

import dev.baton.api.engine.Engine;
import dev.baton.api.engine.EngineSession;
import dev.baton.state.LoadRecord;
import dev.baton.state.StateStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Copies the warehouse's load records into the state store. Idempotent: records the store has
 * are skipped, so it runs after every run and also catches up on a load whose process died
 * between the warehouse commit and the state store write.
 */
public final class LoadMirror {
    private LoadMirror() {}

    /** Returns how many records were offered to the store. */
    public static int sync(Engine engine, StateStore store) {
        long since = store.latestLoadStart().map(Instant::toEpochMilli).orElse(0L);
        try (EngineSession session = engine.openSession()) {
            List<LoadRecord> loads = LoadLog.since(session, since);
            store.recordLoads(loads);
            return loads.size();
        } catch (SQLException e) {
            throw new dev.baton.api.BatonException(dev.baton.api.ErrorCode.STATE_STORE_FAILED,
                    "could not read the load records of the warehouse: " + e.getMessage());
        }
    }
}
