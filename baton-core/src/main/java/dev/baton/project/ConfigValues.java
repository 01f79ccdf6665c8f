package dev.baton.project;

import static dev.baton.api.ErrorCode.INVALID_CONFIG_VALUE;
import static dev.baton.api.ErrorCode.UNKNOWN_CONFIG_KEY;

import dev.baton.api.BatonException;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration being gathered for one node, layer by layer in dbt's order: project folder
 * configs, then properties YAML, then {@code config()} in the file. Later layers override
 * earlier ones, except {@code tags} (added up) and {@code meta} (merged key by key). Each value
 * keeps the place it was set, so a bad value points at its line.
 */
final class ConfigValues {
    /** Config keys Baton knows: dbt's model, seed and test configs. */
    static final Set<String> KNOWN_KEYS = Set.of(
            "materialized", "schema", "alias", "database", "tags", "enabled", "meta", "docs", "persist_docs",
            "pre-hook", "post-hook", "pre_hook", "post_hook", "full_refresh", "unique_key", "incremental_strategy",
            "on_schema_change", "contract", "grants", "group", "access", "sql_header", "event_time", "batch_size",
            "lookback", "begin", "concurrent_batches", "column_types", "quote_columns", "delimiter", "severity",
            "store_failures", "store_failures_as", "where", "limit", "warn_if", "error_if", "fail_calc", "strategy",
            "updated_at", "check_cols", "hard_deletes", "target_schema", "target_database", "invalidate_hard_deletes",
            "quoting", "description", "labels", "packages", "copy_grants", "freshness", "partition_by");
    /** Keys whose value is itself a mapping, so a folder config cannot mistake them for folders. */
    static final Set<String> MAPPING_KEYS = Set.of("meta", "docs", "persist_docs", "contract", "column_types", "grants", "quoting", "labels", "freshness",
            "partition_by");

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, SourceLocation> locations = new LinkedHashMap<>();
    private final Set<String> tags = new LinkedHashSet<>();
    private final Map<String, Object> meta = new LinkedHashMap<>();

    ConfigValues copy() {
        ConfigValues copy = new ConfigValues();
        copy.values.putAll(values);
        copy.locations.putAll(locations);
        copy.tags.addAll(tags);
        copy.meta.putAll(meta);
        return copy;
    }

    /** Applies one key; {@code what} names the place for messages, such as "config()". */
    void set(String key, Object value, SourceLocation location, String what) {
        String normalized = key.startsWith("+") ? key.substring(1) : key;
        if (!KNOWN_KEYS.contains(normalized)) {
            throw new BatonException(UNKNOWN_CONFIG_KEY, "unknown config key '" + normalized + "' in " + what
                    + Suggestions.didYouMeanOr(normalized, KNOWN_KEYS, "fix the spelling or remove it"), location);
        }
        switch (normalized) {
            case "tags" -> {
                if (value instanceof List<?> list) {
                    list.forEach(item -> tags.add(String.valueOf(item)));
                } else if (value != null) {
                    tags.add(String.valueOf(value));
                }
            }
            case "meta" -> {
                if (value != null && !(value instanceof Map<?, ?>)) {
                    throw new BatonException(INVALID_CONFIG_VALUE, "meta must be a mapping of keys to values", location);
                }
                if (value != null) {
                    AssetMeta.validate((Map<?, ?>) value, location);
                    ((Map<?, ?>) value).forEach((k, v) -> meta.put(String.valueOf(k), v));
                }
            }
            default -> values.put(normalized, value);
        }
        locations.put(normalized, location);
    }

    void setAll(Map<String, Object> config, SourceLocation location, String what) {
        config.forEach((key, value) -> set(key, value, location, what));
    }

    void addMeta(Map<String, Object> entries) {
        meta.putAll(entries);
    }

    Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    Optional<String> string(String key) {
        return get(key).map(String::valueOf);
    }

    SourceLocation location(String key, SourceLocation fallback) {
        return locations.getOrDefault(key, fallback);
    }

    NodeConfig freeze(Materialization defaultMaterialization, SourceLocation fallback) {
        Materialization materialized = defaultMaterialization;
        Optional<String> materializedText = string("materialized");
        if (materializedText.isPresent()) {
            String text = materializedText.get().toLowerCase(Locale.ROOT);
            materialized = Materialization.fromLabel(text).filter(m -> m != Materialization.SNAPSHOT || defaultMaterialization == Materialization.SNAPSHOT).orElseThrow(() -> new BatonException(INVALID_CONFIG_VALUE,
                    "unknown materialization '" + materializedText.get() + "'" + Suggestions.didYouMeanOr(text, List.of("view", "table", "incremental", "ephemeral"),
                            "use view, table, incremental or ephemeral"), location("materialized", fallback)));
        }
        String severity = string("severity").map(s -> s.toLowerCase(Locale.ROOT)).orElse("error");
        if (!severity.equals("error") && !severity.equals("warn")) {
            throw new BatonException(INVALID_CONFIG_VALUE, "severity must be 'error' or 'warn', not '" + severity + "'", location("severity", fallback));
        }
        boolean enabled = get("enabled").map(value -> !(value instanceof Boolean b) ? Boolean.parseBoolean(String.valueOf(value)) : b).orElse(true);
        Map<String, String> columnTypes = new LinkedHashMap<>();
        get("column_types").ifPresent(value -> {
            if (!(value instanceof Map<?, ?> map)) {
                throw new BatonException(INVALID_CONFIG_VALUE, "column_types must be a mapping of column name to SQL type", location("column_types", fallback));
            }
            map.forEach((column, type) -> columnTypes.put(String.valueOf(column), String.valueOf(type)));
        });
        return new NodeConfig(materialized, string("schema").filter(s -> !s.isBlank()), string("alias").filter(s -> !s.isBlank()),
                new ArrayList<>(tags), enabled, meta, severity, columnTypes, extras());
    }

    private Map<String, Object> extras() {
        Map<String, Object> extras = new LinkedHashMap<>(values);
        for (String key : List.of("materialized", "schema", "alias", "enabled", "severity", "column_types")) {
            extras.remove(key);
        }
        return extras;
    }
}
