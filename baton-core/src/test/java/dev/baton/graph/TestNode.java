package dev.baton.graph;

import dev.baton.api.SourceLocation;
import dev.baton.project.Materialization;
import dev.baton.project.Node;
import dev.baton.project.NodeConfig;
import dev.baton.project.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link Node} values for graph tests; only what selection looks at is settable. */
public final class TestNode {
    private final ResourceType resourceType;
    private String uniqueId;
    private final String name;
    private String packageName;
    private String path;
    private int line = 1;
    private List<String> fqn;
    private Materialization materialized = Materialization.VIEW;
    private Optional<String> schema = Optional.empty();
    private List<String> tags = List.of();
    private boolean enabled = true;
    private Map<String, Object> meta = Map.of();
    private Map<String, Object> other = Map.of();
    private String severity = "error";
    private final List<String> dependsOn = new ArrayList<>();
    private Optional<String> testMetadata = Optional.empty();

    private TestNode(ResourceType resourceType, String packageName, String name, String uniqueId, String path) {
        this.resourceType = resourceType;
        this.packageName = packageName;
        this.name = name;
        this.uniqueId = uniqueId;
        this.path = path;
        this.fqn = List.of(packageName, name);
    }

    /** {@code model.shop.<name>} at {@code models/<name>.sql}. */
    public static TestNode model(String name) {
        return new TestNode(ResourceType.MODEL, "shop", name, "model.shop." + name, "models/" + name + ".sql");
    }

    public static TestNode seed(String name) {
        return new TestNode(ResourceType.SEED, "shop", name, "seed.shop." + name, "seeds/" + name + ".csv")
                .materialized(Materialization.TABLE);
    }

    public static TestNode source(String sourceName, String table) {
        return new TestNode(ResourceType.SOURCE, "shop", table, "source.shop." + sourceName + "." + table, "models/sources.yml")
                .fqn("shop", sourceName, table);
    }

    /** A generic test such as {@code not_null}, defined in {@code models/schema.yml}. */
    public static TestNode genericTest(String testName, String name) {
        TestNode node = new TestNode(ResourceType.TEST, "shop", name, "test.shop." + name, "models/schema.yml");
        node.testMetadata = Optional.of(testName);
        return node.materialized(Materialization.TABLE);
    }

    public static TestNode singularTest(String name) {
        return new TestNode(ResourceType.TEST, "shop", name, "test.shop." + name, "tests/" + name + ".sql")
                .materialized(Materialization.TABLE);
    }

    /** Depends on these unique ids. */
    public TestNode dependsOn(String... uniqueIds) {
        dependsOn.addAll(List.of(uniqueIds));
        return this;
    }

    /** Depends on these models of package shop. */
    public TestNode refs(String... models) {
        for (String model : models) {
            dependsOn.add("model.shop." + model);
        }
        return this;
    }

    public TestNode path(String path) {
        this.path = path;
        return this;
    }

    public TestNode line(int line) {
        this.line = line;
        return this;
    }

    public TestNode fqn(String... parts) {
        this.fqn = List.of(parts);
        return this;
    }

    /** Moves the node to another package; its unique id follows. */
    public TestNode packageName(String packageName) {
        this.uniqueId = uniqueId.replaceFirst("\\." + this.packageName + "\\.", "." + packageName + ".");
        this.packageName = packageName;
        return this;
    }

    public TestNode materialized(Materialization materialized) {
        this.materialized = materialized;
        return this;
    }

    public TestNode schema(String schema) {
        this.schema = Optional.of(schema);
        return this;
    }

    public TestNode tags(String... tags) {
        this.tags = List.of(tags);
        return this;
    }

    public TestNode disabled() {
        this.enabled = false;
        return this;
    }

    public TestNode meta(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(meta);
        copy.put(key, value);
        this.meta = copy;
        return this;
    }

    public TestNode config(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(other);
        copy.put(key, value);
        this.other = copy;
        return this;
    }

    public TestNode severity(String severity) {
        this.severity = severity;
        return this;
    }

    public Node build() {
        NodeConfig config = new NodeConfig(materialized, schema, Optional.empty(), tags, enabled, meta, severity, Map.of(), other);
        return new Node(uniqueId, resourceType, name, packageName, path, SourceLocation.of(path, line), fqn, config,
                Optional.empty(), "", "", dependsOn, "", List.of(), Optional.empty(), Optional.empty(), testMetadata);
    }
}
