package dev.baton.project;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import dev.baton.api.engine.Relation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One loaded, compiled node of the project graph: a model, seed, test or source.
 *
 * @param uniqueId dbt-style id: {@code model.shop.orders}, {@code seed.shop.raw_orders},
 *     {@code test.shop.not_null_orders_id}, {@code source.shop.raw.orders}
 * @param resourceType what kind of node
 * @param name the node's name (for sources: the table name)
 * @param packageName the project name
 * @param path the file path relative to the project root, with forward slashes
 * @param location the file and line that declared the node
 * @param fqn fully qualified name: package, folders, name (as dbt builds it)
 * @param config resolved configuration
 * @param relation where the node lives in the warehouse (empty for ephemeral models and tests)
 * @param rawSql the SQL template as written (empty for seeds and sources)
 * @param compiledSql the rendered SQL with refs resolved (for ephemeral refs, CTEs are inlined)
 * @param dependsOn unique ids of the nodes this one reads, in first-use order
 * @param description the description from properties YAML
 * @param columns documented columns
 * @param attachedNode for tests: the node the test is attached to
 * @param columnName for generic tests: the column under test
 * @param testMetadata for generic tests: the test's name, such as {@code not_null}
 * @param testArguments for generic tests: the arguments as declared ({@code values}, {@code to}, …)
 * @param incremental for incremental models: how they add to their table
 */
public record Node(
        String uniqueId,
        ResourceType resourceType,
        String name,
        String packageName,
        String path,
        SourceLocation location,
        List<String> fqn,
        NodeConfig config,
        Optional<Relation> relation,
        String rawSql,
        String compiledSql,
        List<String> dependsOn,
        String description,
        List<ColumnInfo> columns,
        Optional<String> attachedNode,
        Optional<String> columnName,
        Optional<String> testMetadata,
        Map<String, Object> testArguments,
        Optional<IncrementalConfig> incremental) {
    public Node(String uniqueId, ResourceType resourceType, String name, String packageName, String path, SourceLocation location, List<String> fqn,
            NodeConfig config, Optional<Relation> relation, String rawSql, String compiledSql, List<String> dependsOn, String description,
            List<ColumnInfo> columns, Optional<String> attachedNode, Optional<String> columnName, Optional<String> testMetadata,
            Map<String, Object> testArguments) {
        this(uniqueId, resourceType, name, packageName, path, location, fqn, config, relation, rawSql, compiledSql, dependsOn, description, columns,
                attachedNode, columnName, testMetadata, testArguments, Optional.empty());
    }

    public Node(String uniqueId, ResourceType resourceType, String name, String packageName, String path, SourceLocation location, List<String> fqn,
            NodeConfig config, Optional<Relation> relation, String rawSql, String compiledSql, List<String> dependsOn, String description,
            List<ColumnInfo> columns, Optional<String> attachedNode, Optional<String> columnName, Optional<String> testMetadata) {
        this(uniqueId, resourceType, name, packageName, path, location, fqn, config, relation, rawSql, compiledSql, dependsOn, description, columns,
                attachedNode, columnName, testMetadata, Map.of());
    }

    public Node {
        requireNonNull(uniqueId, "uniqueId is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(name, "name is null");
        requireNonNull(packageName, "packageName is null");
        requireNonNull(path, "path is null");
        requireNonNull(location, "location is null");
        fqn = List.copyOf(fqn);
        requireNonNull(config, "config is null");
        requireNonNull(relation, "relation is null");
        requireNonNull(rawSql, "rawSql is null");
        requireNonNull(compiledSql, "compiledSql is null");
        dependsOn = List.copyOf(dependsOn);
        requireNonNull(description, "description is null");
        columns = List.copyOf(columns);
        requireNonNull(attachedNode, "attachedNode is null");
        requireNonNull(columnName, "columnName is null");
        requireNonNull(testMetadata, "testMetadata is null");
        testArguments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(testArguments));
        requireNonNull(incremental, "incremental is null");
    }

    public boolean isEphemeral() {
        return resourceType == ResourceType.MODEL && config.materialized() == Materialization.EPHEMERAL;
    }

    public List<String> tags() {
        return config.tags();
    }
}
