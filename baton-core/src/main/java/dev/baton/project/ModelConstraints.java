package dev.baton.project;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model-level {@code constraints:} (dbt's syntax: {@code [{type: primary_key, columns: [id]}, …]})
 * travel with their model in its config, under {@value #CONFIG_KEY}; each keeps the place it was
 * written under {@value #LOCATION}, so a violation can name its line. An enforced contract reads them.
 */
public final class ModelConstraints {
    /** The config key holding a model's constraints. */
    public static final String CONFIG_KEY = "constraints";
    /** The key of a constraint holding its place, {@code file:line:column}. */
    public static final String LOCATION = "location";

    private ModelConstraints() {}

    /** The models with their model-level constraints in their config. */
    static Map<String, Node> attach(Map<String, Node> nodes, Map<String, List<Map<String, Object>>> constraintsByModel) {
        if (constraintsByModel.isEmpty()) {
            return nodes;
        }
        Map<String, Node> result = new LinkedHashMap<>(nodes);
        for (Node node : nodes.values()) {
            List<Map<String, Object>> constraints = constraintsByModel.get(node.name());
            if (node.resourceType() != ResourceType.MODEL || constraints == null) {
                continue;
            }
            NodeConfig config = node.config();
            Map<String, Object> other = new LinkedHashMap<>(config.other());
            other.put(CONFIG_KEY, List.copyOf(constraints));
            NodeConfig withConstraints = new NodeConfig(config.materialized(), config.schema(), config.alias(), config.tags(), config.enabled(), config.meta(),
                    config.severity(), config.columnTypes(), other);
            result.put(node.uniqueId(), new Node(node.uniqueId(), node.resourceType(), node.name(), node.packageName(), node.path(), node.location(),
                    node.fqn(), withConstraints, node.relation(), node.rawSql(), node.compiledSql(), node.dependsOn(), node.description(), node.columns(),
                    node.attachedNode(), node.columnName(), node.testMetadata(), node.testArguments(), node.incremental()));
        }
        return result;
    }
}
