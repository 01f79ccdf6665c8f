package dev.baton.ingest.http;

import dev.baton.api.ingest.Connector;

/** The connector for HTTP JSON APIs. */
public final class HttpConnectors {
    private HttpConnectors() {}

    public static Connector http() {
        return new HttpApiConnector();
    }
}
