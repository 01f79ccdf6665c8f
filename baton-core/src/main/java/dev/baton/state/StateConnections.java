package dev.baton.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Optional;

/**
 * Connections to the state store for features that keep their own tables in it (schedules,
 * incidents): the same database as {@link StateStore#open}, migrated to the latest schema.
 */
public final class StateConnections {
    private StateConnections() {}

    /**
     * @param url a {@code jdbc:postgresql:} or {@code jdbc:sqlite:} URL; empty for {@code projectDir/.baton/state.db}
     * @throws dev.baton.api.BatonException {@code STATE_STORE_FAILED} when the store cannot be opened
     */
    public static Connection open(Path projectDir, Optional<String> url) {
        return StateStoreOpener.openConnection(projectDir, url);
    }
}
