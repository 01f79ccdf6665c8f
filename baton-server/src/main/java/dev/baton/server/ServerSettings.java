package dev.baton.server;

import static java.util.Objects.requireNonNull;

import dev.baton.project.Project;
import dev.baton.server.run.RunExecutor;
import dev.baton.state.StateStore;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What a server needs.
 *
 * @param projectRoot the project folder; the discovery file is written under it
 * @param loader loads the project (at start, and again after every run)
 * @param store the project's state store; the server does not close it
 * @param host the address to listen on, {@code 127.0.0.1} unless told otherwise
 * @param port the port, or 0 for any free one
 * @param executor executes the writing commands submitted to the server
 */
public record ServerSettings(Path projectRoot, Supplier<Project> loader, StateStore store, String host, int port, RunExecutor executor) {
    public ServerSettings {
        requireNonNull(projectRoot, "projectRoot is null");
        requireNonNull(loader, "loader is null");
        requireNonNull(store, "store is null");
        requireNonNull(host, "host is null");
        requireNonNull(executor, "executor is null");
    }
}
