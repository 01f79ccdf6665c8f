package dev.baton.graph.selector;

import static dev.baton.graph.selector.BuiltInMethods.invalid;

import dev.baton.project.Node;
import dev.baton.project.NodeConfig;
import dev.baton.project.ResourceType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * {@code config.<key>:<value>}: nodes whose resolved config has that value, compared as dbt
 * does (exact text; {@code true}/{@code false} match booleans in any case; a list matches when
 * it holds the value; severity ignores case).
 */
final class ConfigMatcher {
    private static final Map<String, Function<Node, Optional<Object>>> KEYS = Map.of(
            "materialized", ConfigMatcher::materialized,
            "schema", node -> node.config().schema().map(Object.class::cast),
            "alias", node -> node.config().alias().map(Object.class::cast),
            "tags", node -> Optional.of(node.config().tags()),
            "enabled", node -> Optional.of(node.config().enabled()),
            "severity", node -> node.resourceType() == ResourceType.TEST ? Optional.of(node.config().severity()) : Optional.empty(),
            "meta", node -> Optional.of(node.config().meta()));

    private ConfigMatcher() {}

    static Predicate<Node> compile(MethodCall call) {
        List<String> keys = call.arguments();
        if (keys.isEmpty()) {
            throw invalid("selector method 'config' needs a config key after a dot, in '" + call.criterion()
                    + "'; for example 'config.materialized:" + call.value() + "'");
        }
        Function<Node, Optional<Object>> read = KEYS.get(keys.get(0));
        if (read == null) {
            throw invalid("unknown config key '" + keys.get(0) + "' in '" + call.criterion() + "'"
                    + Suggestions.didYouMean(keys.get(0), KEYS.keySet()).map(key -> "; did you mean '" + key + "'?")
                            .orElse("; selectable keys are: alias, enabled, materialized, meta.<key>, schema, severity, tags"));
        }
        if (keys.get(0).equals("meta") == (keys.size() == 1)) {
            throw invalid(keys.get(0).equals("meta")
                    ? "'config.meta' needs a meta key, in '" + call.criterion() + "'; for example 'config.meta.owner:" + call.value() + "'"
                    : "config key '" + keys.get(0) + "' has no nested keys, in '" + call.criterion() + "'");
        }
        List<String> path = keys.subList(1, keys.size());
        String wanted = call.value();
        boolean ignoreCase = keys.equals(List.of("severity"));
        return node -> read.apply(node).flatMap(value -> descend(value, path)).map(value -> matches(value, wanted, ignoreCase)).orElse(false);
    }

    private static Optional<Object> materialized(Node node) {
        NodeConfig config = node.config();
        return switch (node.resourceType()) {
            case MODEL -> Optional.of(config.materialized().label());
            case SEED -> Optional.of("seed");
            case TEST -> Optional.of("test");
            case SOURCE -> Optional.empty();
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
