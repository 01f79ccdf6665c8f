package dev.baton.graph.selector;

import static dev.baton.graph.selector.BuiltInMethods.invalid;

import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code config.<key>[.<nested key>…]:<value>}: nodes whose resolved config has that value,
 * compared as dbt does: exact text; {@code true}/{@code false} match booleans in any case; a
 * list matches when it holds the value; severity ignores case. A node without the key does not
 * match, so custom keys ({@code config.unique_key:id}, {@code config.meta.owner:finance}) work.
 */
final class ConfigMatcher {
    private ConfigMatcher() {}

    static Predicate<Node> compile(MethodCall call) {
        List<String> keys = call.arguments();
        if (keys.isEmpty() || keys.stream().anyMatch(String::isEmpty)) {
            throw invalid("selector method 'config' needs a config key after a dot, in '" + call.criterion()
                    + "'; for example 'config.materialized:" + call.value() + "'");
        }
        String key = keys.get(0);
        List<String> nested = keys.subList(1, keys.size());
        String wanted = call.value();
        boolean ignoreCase = keys.equals(List.of("severity"));
        return node -> read(node, key).flatMap(value -> descend(value, nested)).map(value -> matches(value, wanted, ignoreCase)).orElse(false);
    }

    private static Optional<Object> read(Node node, String key) {
        var config = node.config();
        return switch (key) {
            case "materialized" -> materialized(node);
            case "schema" -> config.schema().map(Object.class::cast);
            case "alias" -> config.alias().map(Object.class::cast);
            case "tags" -> Optional.of(config.tags());
            case "enabled" -> Optional.of(config.enabled());
            case "meta" -> Optional.of(config.meta());
            case "severity" -> node.resourceType() == ResourceType.TEST ? Optional.of(config.severity()) : Optional.empty();
            case "column_types" -> node.resourceType() == ResourceType.SEED ? Optional.of(config.columnTypes()) : Optional.empty();
            default -> Optional.ofNullable(config.other().get(key));
        };
    }

    /** As dbt's manifest has it: models by their materialization, seeds and tests by their kind, sources not at all. */
    private static Optional<Object> materialized(Node node) {
        return switch (node.resourceType()) {
            case MODEL -> Optional.of(node.config().materialized().label());
            case SEED -> Optional.of("seed");
            case TEST -> Optional.of("test");
            case SOURCE -> Optional.empty();
            case SNAPSHOT -> Optional.of("snapshot");
        };
    }

    private static Optional<Object> descend(Object value, List<String> path) {
        Object current = value;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return Optional.empty();
            }
            current = map.get(key);
        }
        return Optional.ofNullable(current);
    }

    private static boolean matches(Object value, String wanted, boolean ignoreCase) {
        if (value instanceof Collection<?> items) {
            return items.stream().anyMatch(item -> item != null && matchesOne(item, wanted, ignoreCase));
        }
        return matchesOne(value, wanted, ignoreCase);
    }

    private static boolean matchesOne(Object value, String wanted, boolean ignoreCase) {
        if (value instanceof Boolean || ignoreCase) {
            return value.toString().equalsIgnoreCase(wanted);
        }
        return value.toString().equals(wanted);
    }
}
