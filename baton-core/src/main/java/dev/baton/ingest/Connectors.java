package dev.baton.ingest;

import dev.baton.api.ingest.Connector;
import dev.baton.ingest.jdbc.JdbcConnectors;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The connectors Baton knows: the built-in ones and any on the class path through {@link ServiceLoader}. */
public final class Connectors {
    private static final Map<String, Connector> BY_TYPE = load();

    private Connectors() {}

    private static Map<String, Connector> load() {
        Map<String, Connector> connectors = new TreeMap<>();
        connectors.put("files", dev.baton.ingest.files.FileConnectors.files());
        connectors.put("http", dev.baton.ingest.http.HttpConnectors.http());
        for (Connector connector : JdbcConnectors.all()) {
            connectors.put(connector.type(), connector);
        }
        for (Connector connector : ServiceLoader.load(Connector.class)) {
            connectors.putIfAbsent(connector.type(), connector);
        }
        return Map.copyOf(connectors);
    }

    public static Optional<Connector> find(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    /** Every connector type, sorted. */
    public static java.util.Set<String> types() {
        return new java.util.TreeSet<>(BY_TYPE.keySet());
    }
}
