package dev.baton.ingest;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.api.Suggestions;
import dev.baton.api.ingest.Connector;
import dev.baton.api.ingest.ConnectorOptions;
import dev.baton.yaml.YamlValue;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code connector:} blocks of sources YAML: merged (a table's block over its source's), validated
 * when the project loads, and resolved (with {@code env_var()}) only when a load starts, so a
 * secret is never part of the loaded project, the manifest or the plan.
 */
public final class ConnectorBlocks {
    private static final Pattern ENV_VAR = Pattern.compile(
            "\\{\\{\\s*env_var\\(\\s*['\"]([^'\"]+)['\"]\\s*(?:,\\s*['\"]([^'\"]*)['\"]\\s*)?\\)\\s*}}");
    private static final java.util.List<String> DRIFT_POLICIES = java.util.List.of("fail", "add_columns", "ignore");
    private static final Set<String> SECRET_WORDS = Set.of("password", "secret", "token", "key", "credential");

    private ConnectorBlocks() {}

    /**
     * Merges a source's connector block with one of its tables' and validates the result: a known
     * type, known options, the required ones present. Returns an empty map for a passive source.
     */
    public static Map<String, Object> merge(String sourceName, Optional<YamlValue.Mapping> sourceBlock, Optional<YamlValue.Mapping> tableBlock,
            SourceLocation tableLocation) {
        if (sourceBlock.isEmpty() && tableBlock.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, SourceLocation> keyLocations = new LinkedHashMap<>();
        for (Optional<YamlValue.Mapping> block : java.util.List.of(sourceBlock, tableBlock)) {
            block.ifPresent(mapping -> mapping.entries().forEach((key, value) -> {
                merged.put(key, value.toJava());
                keyLocations.put(key, mapping.keyLocation(key));
            }));
        }
        SourceLocation blockLocation = tableBlock.or(() -> sourceBlock).orElseThrow().location();
        Object type = merged.get("type");
        if (type == null || String.valueOf(type).isBlank()) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "the connector of source " + sourceName + " has no type; add 'type:' with one of "
                    + String.join(", ", Connectors.types()), blockLocation);
        }
        String typeName = String.valueOf(type);
        Connector connector = Connectors.find(typeName).orElseThrow(() -> new BatonException(ErrorCode.UNKNOWN_CONNECTOR,
                "unknown connector type '" + typeName + "' for source " + sourceName
                        + Suggestions.didYouMeanOr(typeName, Connectors.types(), "use one of " + String.join(", ", Connectors.types())),
                keyLocations.get("type")));
        Set<String> allowed = new TreeSet<>(connector.optionNames());
        allowed.add("type");
        allowed.add("schema_drift");
        Object drift = merged.get("schema_drift");
        if (drift != null && !DRIFT_POLICIES.contains(String.valueOf(drift))) {
            throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "schema_drift of source " + sourceName + " is '" + drift + "'; use one of "
                    + String.join(", ", DRIFT_POLICIES), keyLocations.get("schema_drift"));
        }
        for (Map.Entry<String, SourceLocation> key : keyLocations.entrySet()) {
            if (!allowed.contains(key.getKey())) {
                throw new BatonException(ErrorCode.UNKNOWN_CONFIG_KEY, "unknown option '" + key.getKey() + "' for a " + typeName + " connector"
                        + Suggestions.didYouMeanOr(key.getKey(), allowed, "it accepts " + String.join(", ", allowed)), key.getValue());
            }
        }
        for (String required : new TreeSet<>(connector.requiredOptions())) {
            if (!merged.containsKey(required)) {
                throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "the " + typeName + " connector of source " + sourceName
                        + " needs '" + required + "'; add it to the connector block", blockLocation);
            }
        }
        return merged;
    }

    /** The connector type of a merged block. */
    public static String type(Map<String, Object> block) {
        return String.valueOf(block.get("type"));
    }

    /**
     * Resolves {@code {{ env_var('NAME') }}} (and {@code env_var('NAME', 'default')}) in every
     * string option. Values read from the environment, and every password-like option, become
     * secrets of the returned options.
     */
    public static ConnectorOptions resolve(String sourceName, Map<String, Object> block, SourceLocation location, Map<String, String> env) {
        Map<String, Object> values = new LinkedHashMap<>();
        Set<String> secrets = new HashSet<>();
        block.forEach((key, value) -> {
            if (key.equals("type") || key.equals("schema_drift")) {
                return;
            }
            values.put(key, resolveValue(sourceName, key, value, location, env, secrets));
        });
        // Short environment values (a port, "1") would blot out ordinary text; keep the ones worth hiding.
        secrets.removeIf(secret -> secret.length() < 4 && !secrets.isEmpty() && !isSecretValueOfSecretKey(secret, block, values));
        return new ConnectorOptions(sourceName, values, location, secrets);
    }

    /** A string with its env_var() calls replaced, or a map or list of them, resolved all the way down. */
    private static Object resolveValue(String sourceName, String key, Object value, SourceLocation location, Map<String, String> env,
            Set<String> secrets) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((name, inner) -> resolved.put(String.valueOf(name), resolveValue(sourceName, key + "." + name, inner, location, env, secrets)));
            return resolved;
        }
        if (value instanceof java.util.List<?> list) {
            java.util.List<Object> resolved = new java.util.ArrayList<>();
            list.forEach(inner -> resolved.add(resolveValue(sourceName, key, inner, location, env, secrets)));
            return resolved;
        }
        if (!(value instanceof String text)) {
            return value;
        }
        Matcher matcher = ENV_VAR.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String found = env.get(name);
            if (found == null) {
                found = matcher.group(2);
            }
            if (found == null) {
                throw new BatonException(ErrorCode.INVALID_CONFIG_VALUE, "connector option '" + key + "' of source " + sourceName
                        + " reads env_var('" + name + "'), which is not set; set the variable or give a default: env_var('" + name + "', '...')",
                        location);
            }
            if (!found.isEmpty()) {
                secrets.add(found);
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(found));
        }
        matcher.appendTail(resolved);
        String result = resolved.toString();
        if (isSecretKey(key) && !result.isEmpty()) {
            secrets.add(result);
        }
        return result;
    }

    private static boolean isSecretValueOfSecretKey(String secret, Map<String, Object> block, Map<String, Object> values) {
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            if (isSecretKey(entry.getKey()) && secret.equals(entry.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }
}
