package dev.baton.project;

import static java.util.Objects.requireNonNull;

import dev.baton.api.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What properties YAML files say about models, seeds and sources, before compilation. */
final class Properties {
    private Properties() {}

    /** A generic test as declared: {@code not_null}, or {@code accepted_values: {values: [...]}}. */
    record TestDeclaration(String testName, Optional<String> column, Map<String, Object> arguments, Map<String, Object> config, SourceLocation location) {
        TestDeclaration {
            requireNonNull(testName, "testName is null");
            requireNonNull(column, "column is null");
            arguments = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
            config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
            requireNonNull(location, "location is null");
        }
    }

    /** A models: or seeds: entry. */
    record NodeProperties(String name, String file, String description, Map<String, Object> config, SourceLocation location,
            List<ColumnInfo> columns, List<TestDeclaration> tests) {
        NodeProperties {
            config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
            columns = List.copyOf(columns);
            tests = List.copyOf(tests);
        }
    }

    /** The {@code relation:} of a YAML snapshot, as written ({@code ref('orders')}), and where. */
    record SnapshotRelation(String text, SourceLocation location) {
        SnapshotRelation {
            requireNonNull(text, "text is null");
            requireNonNull(location, "location is null");
        }
    }

    /** One table of a sources: entry. */
    record SourceTable(String sourceName, String tableName, String schema, String identifier, String description,
            Map<String, Object> meta, List<String> tags, SourceLocation location, List<ColumnInfo> columns, List<TestDeclaration> tests,
            Map<String, Object> connector, Map<String, Object> freshness) {
        SourceTable {
            freshness = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(freshness));
            connector = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(connector));
            meta = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(meta));
            tags = List.copyOf(tags);
            columns = List.copyOf(columns);
            tests = List.copyOf(tests);
        }
    }
}
