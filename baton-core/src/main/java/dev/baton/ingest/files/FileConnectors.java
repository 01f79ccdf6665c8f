package dev.baton.ingest.files;

import dev.baton.api.ingest.Connector;

/** The connector for local files. */
public final class FileConnectors {
    private FileConnectors() {}

    public static Connector files() {
        return new FilesConnector();
    }
}
