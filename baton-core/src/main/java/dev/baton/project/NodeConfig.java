package dev.baton.project;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resolved configuration of one node, after the project file, properties YAML and the
 * model's own {@code config()} have been applied in dbt's order.
 *
 * @param materialized how a model is written (tests and seeds: {@code TABLE})
 * @param schema the custom schema, if any; the target schema is used otherwise
 * @param alias the relation name, if it differs from the node name
 * @param tags tags, in declaration order, without duplicates
 * @param enabled whether the node takes part at all
 * @param meta free-form metadata; Baton reads {@code owner}, {@code tier}, {@code sla}, {@code runbook}
 * @param severity for tests: {@code error} or {@code warn}
 * @param columnTypes for seeds: column name to SQL type
 * @param other every other config key as written (where, limit, unique_key, …)
 */
public record NodeConfig(
        Materialization materialized,
        Optional<String> schema,
        Optional<String> alias,
        List<String> tags,
        boolean enabled,
        Map<String, Object> meta,
        String severity,
        Map<String, String> columnTypes,
        Map<String, Object> other) {
    public NodeConfig {
        requireNonNull(materialized, "materialized is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(alias, "alias is null");
        tags = List.copyOf(tags);
        meta = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(meta));
        requireNonNull(severity, "severity is null");
        columnTypes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columnTypes));
        other = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(other));
    }

    /** The configuration as dbt's manifest shows it. */
    public Map<String, Object> asMap() {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        map.put("enabled", enabled);
        map.put("materialized", materialized.label());
        map.put("schema", schema.orElse(null));
        map.put("alias", alias.orElse(null));
        map.put("tags", tags);
        map.put("meta", meta);
        map.put("severity", severity);
        if (!columnTypes.isEmpty()) {
            map.put("column_types", columnTypes);
        }
        map.putAll(other);
        return map;
    }
}
