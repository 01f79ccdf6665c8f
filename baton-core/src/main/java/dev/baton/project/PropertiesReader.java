package dev.baton.project;

import static dev.baton.api.ErrorCode.DUPLICATE_NODE;
import static dev.baton.api.ErrorCode.INVALID_CONFIG_VALUE;
import static dev.baton.api.ErrorCode.UNKNOWN_CONFIG_KEY;

import dev.baton.api.BatonException;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import dev.baton.project.Properties.NodeProperties;
import dev.baton.project.Properties.SourceTable;
import dev.baton.project.Properties.TestDeclaration;
import dev.baton.yaml.YamlFiles;
import dev.baton.yaml.YamlValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads dbt properties YAML ({@code version: 2} files with models:, seeds:, sources:). */
final class PropertiesReader {
    private static final Set<String> FILE_KEYS = Set.of("version", "anchors", "models", "seeds", "sources", "snapshots", "macros", "exposures",
            "metrics", "semantic_models", "saved_queries", "analyses", "groups", "unit_tests", "data_tests");
    private static final Set<String> NODE_KEYS = Set.of("name", "description", "config", "columns", "tests", "data_tests", "docs", "meta",
            "access", "group", "latest_version", "versions", "constraints", "deprecation_date", "time_spine", "tags");
    private static final Set<String> SNAPSHOT_KEYS = union(NODE_KEYS, Set.of("relation"));
    private static final Set<String> COLUMN_KEYS = Set.of("name", "description", "data_type", "meta", "tests", "data_tests", "quote", "tags",
            "constraints", "policy_tags", "granularity", "config", "docs");
    private static final Set<String> SOURCE_KEYS = Set.of("name", "description", "database", "schema", "loader", "loaded_at_field", "meta",
            "tags", "config", "overrides", "freshness", "quoting", "tables", "connector");
    private static final Set<String> TABLE_KEYS = Set.of("name", "description", "identifier", "meta", "tags", "config", "columns", "tests",
            "data_tests", "loaded_at_field", "freshness", "quoting", "external", "loader", "connector");

    final Map<String, NodeProperties> models = new LinkedHashMap<>();
    final Map<String, NodeProperties> seeds = new LinkedHashMap<>();
    /** snapshots: entries; those with a {@code relation} are snapshots of their own (dbt 1.9), the others describe a snapshot block. */
    final Map<String, NodeProperties> snapshots = new LinkedHashMap<>();
    /** The {@code relation:} of YAML snapshots, such as {@code ref('orders')}, with its place. */
    final Map<String, Properties.SnapshotRelation> snapshotRelations = new LinkedHashMap<>();
    final List<SourceTable> sources = new ArrayList<>();
    /** The model-level {@code constraints:} of each model, as written, each with its place under {@link ModelConstraints#LOCATION}. */
    final Map<String, List<Map<String, Object>>> modelConstraints = new LinkedHashMap<>();
    final List<String> files = new ArrayList<>();

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    void read(String text, String file) {
        read(YamlFiles.parseMapping(text, file), file);
    }

    void read(YamlValue.Mapping root, String file) {
        files.add(file);
        for (String key : root.entries().keySet()) {
            if (!FILE_KEYS.contains(key)) {
                throw unknownKey(key, "a properties file", FILE_KEYS, root.keyLocation(key));
            }
        }
        for (YamlValue entry : root.sequence("models")) {
            NodeProperties properties = node(entry, file, "model");
            putOnce(models, properties, "model");
            List<Map<String, Object>> constraints = new ArrayList<>();
            for (YamlValue constraint : ((YamlValue.Mapping) entry).sequence("constraints")) {
                Map<String, Object> definition = new LinkedHashMap<>(ProjectSettingsReader.castMap(asMapping(constraint,
                        "each constraint must be a mapping such as '{type: primary_key, columns: [id]}'").toJava()));
                definition.put(ModelConstraints.LOCATION, constraint.location().toString());
                constraints.add(definition);
            }
            if (!constraints.isEmpty()) {
                modelConstraints.put(properties.name(), constraints);
            }
        }
        for (YamlValue entry : root.sequence("seeds")) {
            NodeProperties properties = node(entry, file, "seed");
            putOnce(seeds, properties, "seed");
        }
        for (YamlValue entry : root.sequence("sources")) {
            source(entry, file);
        }
        for (YamlValue entry : root.sequence("snapshots")) {
            YamlValue.Mapping mapping = asMapping(entry, "each snapshot entry must be a mapping with a name");
            NodeProperties properties = node(entry, file, "snapshot", SNAPSHOT_KEYS);
            putOnce(snapshots, properties, "snapshot");
            if (mapping.entries().containsKey("relation")) {
                String relation = mapping.string("relation").map(String::strip).filter(text -> !text.isEmpty())
                        .orElseThrow(() -> new BatonException(INVALID_CONFIG_VALUE, "relation of snapshot '" + properties.name()
                                + "' must be text such as ref('orders') or source('app', 'orders')", mapping.keyLocation("relation")));
                snapshotRelations.put(properties.name(), new Properties.SnapshotRelation(relation, mapping.keyLocation("relation")));
            }
        }
    }

    private static void putOnce(Map<String, NodeProperties> target, NodeProperties properties, String kind) {
        NodeProperties previous = target.putIfAbsent(properties.name(), properties);
        if (previous != null) {
            throw new BatonException(DUPLICATE_NODE, kind + " '" + properties.name() + "' is described twice, here and at "
                    + previous.location() + "; keep one entry", properties.location());
        }
    }

    private NodeProperties node(YamlValue entry, String file, String kind) {
        return node(entry, file, kind, NODE_KEYS);
    }

    private NodeProperties node(YamlValue entry, String file, String kind, Set<String> keys) {
        YamlValue.Mapping mapping = asMapping(entry, "each " + kind + " entry must be a mapping with a name");
        checkKeys(mapping, keys, "a " + kind + " entry");
        String name = requiredName(mapping, kind);
        Map<String, Object> config = new LinkedHashMap<>();
        mapping.mapping("config").ifPresent(block -> config.putAll(ProjectSettingsReader.castMap(block.toJava())));
        mapping.mapping("meta").ifPresent(block -> config.merge("meta", block.toJava(), (a, b) -> {
            Map<String, Object> merged = new LinkedHashMap<>(ProjectSettingsReader.castMap(b));
            merged.putAll(ProjectSettingsReader.castMap(a));
            return merged;
        }));
        List<YamlValue> tagItems = mapping.sequence("tags");
        if (!tagItems.isEmpty()) {
            List<Object> tags = new ArrayList<>();
            tagItems.forEach(item -> tags.add(item.toJava()));
            config.put("tags", tags);
        }
        List<ColumnInfo> columns = new ArrayList<>();
        List<TestDeclaration> tests = new ArrayList<>();
        columnsAndTests(mapping, columns, tests);
        return new NodeProperties(name, file, mapping.string("description").orElse(""), config, mapping.location(), columns, tests);
    }

    private void source(YamlValue entry, String file) {
        YamlValue.Mapping mapping = asMapping(entry, "each source must be a mapping with a name and tables");
        checkKeys(mapping, SOURCE_KEYS, "a source");
        String sourceName = requiredName(mapping, "source");
        String schema = mapping.string("schema").orElse(sourceName);
        Optional<YamlValue.Mapping> sourceConnector = connectorBlock(mapping);
        Map<String, Object> sourceMeta = mapping.mapping("meta").map(m -> ProjectSettingsReader.castMap(m.toJava())).orElse(Map.of());
        for (YamlValue tableEntry : mapping.sequence("tables")) {
            YamlValue.Mapping table = asMapping(tableEntry, "each table of a source must be a mapping with a name");
            checkKeys(table, TABLE_KEYS, "a source table");
            String tableName = requiredName(table, "source table");
            Map<String, Object> meta = new LinkedHashMap<>(sourceMeta);
            table.mapping("meta").ifPresent(m -> meta.putAll(ProjectSettingsReader.castMap(m.toJava())));
            AssetMeta.validate(meta, table.mapping("meta").or(() -> mapping.mapping("meta")).map(YamlValue::location).orElse(table.location()));
            List<String> tags = new ArrayList<>();
            mapping.sequence("tags").forEach(t -> tags.add(String.valueOf(t.toJava())));
            table.sequence("tags").forEach(t -> tags.add(String.valueOf(t.toJava())));
            List<ColumnInfo> columns = new ArrayList<>();
            List<TestDeclaration> tests = new ArrayList<>();
            columnsAndTests(table, columns, tests);
            for (SourceTable existing : sources) {
                if (existing.sourceName().equals(sourceName) && existing.tableName().equals(tableName)) {
                    throw new BatonException(DUPLICATE_NODE, "source table '" + sourceName + "." + tableName + "' is declared twice, here and at "
                            + existing.location() + "; keep one", table.location());
                }
            }
            Map<String, Object> connector = dev.baton.ingest.ConnectorBlocks.merge(sourceName + "." + tableName, sourceConnector,
                    connectorBlock(table), table.location());
            Map<String, Object> freshness = new LinkedHashMap<>();
            for (YamlValue.Mapping level : List.of(mapping, table)) {
                level.string("loaded_at_field").ifPresent(field -> freshness.put("loaded_at_field", field));
                level.get("freshness").ifPresent(value -> {
                    Object java = value.toJava();
                    if (java == null) {
                        freshness.remove("freshness");
                    } else {
                        freshness.put("freshness", java);
                    }
                });
            }
            sources.add(new SourceTable(sourceName, tableName, schema, table.string("identifier").orElse(tableName),
                    table.string("description").orElse(""), meta, tags, table.location(), columns, tests, connector, freshness));
        }
    }

    /** The documented columns of a model, seed or source table, and its tests (column tests first). */
    private static void columnsAndTests(YamlValue.Mapping owner, List<ColumnInfo> columns, List<TestDeclaration> tests) {
        for (YamlValue columnEntry : owner.sequence("columns")) {
            YamlValue.Mapping column = asMapping(columnEntry, "each column must be a mapping with a name");
            checkKeys(column, COLUMN_KEYS, "a column");
            String columnName = requiredName(column, "column");
            Map<String, Object> meta = column.mapping("meta").map(m -> ProjectSettingsReader.castMap(m.toJava())).orElse(Map.of());
            List<String> tags = new ArrayList<>();
            column.sequence("tags").forEach(tag -> tags.add(String.valueOf(tag.toJava())));
            List<Map<String, Object>> constraints = new ArrayList<>();
            for (YamlValue constraint : column.sequence("constraints")) {
                constraints.add(ProjectSettingsReader.castMap(asMapping(constraint, "each constraint must be a mapping such as '{type: not_null}'").toJava()));
            }
            columns.add(new ColumnInfo(columnName, column.string("description").orElse(""), column.string("data_type"), meta, column.location(), tags,
                    constraints));
            tests.addAll(tests(column, Optional.of(columnName)));
        }
        tests.addAll(tests(owner, Optional.empty()));
    }

    private static Optional<YamlValue.Mapping> connectorBlock(YamlValue.Mapping owner) {
        Optional<YamlValue> block = owner.get("connector");
        if (block.isEmpty() || block.get() instanceof YamlValue.Scalar scalar && scalar.isNull()) {
            return Optional.empty();
        }
        return Optional.of(asMapping(block.get(), "'connector' must be a mapping such as '{type: postgres, database: app}'"));
    }

    private static List<TestDeclaration> tests(YamlValue.Mapping owner, Optional<String> column) {
        List<TestDeclaration> result = new ArrayList<>();
        List<YamlValue> items = new ArrayList<>(owner.sequence("tests"));
        items.addAll(owner.sequence("data_tests"));
        for (YamlValue item : items) {
            if (item instanceof YamlValue.Scalar scalar && !scalar.isNull()) {
                result.add(new TestDeclaration(scalar.text(), column, Map.of(), Map.of(), item.location()));
                continue;
            }
            if (!(item instanceof YamlValue.Mapping mapping) || mapping.entries().size() != 1) {
                throw new BatonException(INVALID_CONFIG_VALUE, "a test must be a name such as 'not_null', or a mapping of one test name to its arguments "
                        + "such as 'accepted_values: {values: [a, b]}'", item.location());
            }
            String testName = mapping.entries().keySet().iterator().next();
            YamlValue body = mapping.entries().get(testName);
            Map<String, Object> arguments = new LinkedHashMap<>();
            Map<String, Object> config = new LinkedHashMap<>();
            if (body instanceof YamlValue.Mapping bodyMapping) {
                bodyMapping.entries().forEach((key, value) -> {
                    switch (key) {
                        case "config" -> config.putAll(ProjectSettingsReader.castMap(value.toJava()));
                        case "arguments" -> arguments.putAll(ProjectSettingsReader.castMap(value.toJava()));
                        case "severity", "where", "limit", "warn_if", "error_if", "store_failures", "tags", "enabled", "meta", "fail_calc", "alias" ->
                                config.put(key, value.toJava());
                        case "name", "description" -> {
                        }
                        default -> arguments.put(key, value.toJava());
                    }
                });
            } else if (!(body instanceof YamlValue.Scalar scalar && scalar.isNull())) {
                throw new BatonException(INVALID_CONFIG_VALUE, "the arguments of test '" + testName + "' must be a mapping", body.location());
            }
            result.add(new TestDeclaration(testName, column, arguments, config, mapping.keyLocation(testName)));
        }
        return result;
    }

    private static YamlValue.Mapping asMapping(YamlValue value, String message) {
        if (value instanceof YamlValue.Mapping mapping) {
            return mapping;
        }
        throw new BatonException(INVALID_CONFIG_VALUE, message, value.location());
    }

    private static String requiredName(YamlValue.Mapping mapping, String kind) {
        return mapping.string("name").filter(n -> !n.isBlank()).orElseThrow(() -> new BatonException(INVALID_CONFIG_VALUE,
                "this " + kind + " entry has no name; add 'name: ...'", mapping.location()));
    }

    private static void checkKeys(YamlValue.Mapping mapping, Set<String> allowed, String what) {
        for (String key : mapping.entries().keySet()) {
            if (!allowed.contains(key)) {
                throw unknownKey(key, what, allowed, mapping.keyLocation(key));
            }
        }
    }

    private static BatonException unknownKey(String key, String what, Set<String> allowed, SourceLocation location) {
        return new BatonException(UNKNOWN_CONFIG_KEY, "unknown key '" + key + "' in " + what + Suggestions.didYouMeanOr(key, allowed, "fix the spelling or remove it"), location);
    }
}
