package dev.baton.project;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dbt configs that Baton accepts, so that a dbt project loads unchanged, but does not act on yet,
 * although in dbt they change the warehouse: hooks, grants and SQL headers. A project that sets one
 * is told so once per config, rather than finding out later that a grant or a hook never ran.
 */
final class IgnoredConfigs {
    /** Config key as written (both spellings) to the name shown and what Baton does instead. */
    private static final Map<String, String[]> IGNORED = Map.of(
            "pre-hook", new String[] {"pre-hook", "hooks are not run yet; run the statements yourself"},
            "pre_hook", new String[] {"pre-hook", "hooks are not run yet; run the statements yourself"},
            "post-hook", new String[] {"post-hook", "hooks are not run yet; run the statements yourself"},
            "post_hook", new String[] {"post-hook", "hooks are not run yet; run the statements yourself"},
            "grants", new String[] {"grants", "grants are not applied yet; grant the privileges yourself"},
            "sql_header", new String[] {"sql_header", "SQL headers are not sent yet; put the statements in the model or a macro"});

    private IgnoredConfigs() {}

    /**
     * One warning per ignored config that any node sets (with a value), naming the first such node
     * and how many there are, and one per {@code on-run-start}/{@code on-run-end} of the project file.
     */
    static List<String> warnings(ProjectSettings settings, Collection<Node> nodes) {
        Map<String, Node> first = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Node node : nodes) {
            java.util.Set<String> shown = new java.util.HashSet<>();
            for (Map.Entry<String, Object> entry : node.config().other().entrySet()) {
                String[] ignored = IGNORED.get(entry.getKey());
                if (ignored != null && isSet(entry.getValue()) && shown.add(ignored[0])) {
                    first.putIfAbsent(ignored[0], node);
                    counts.merge(ignored[0], 1, Integer::sum);
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        settings.unrunHooks().forEach((key, location) -> warnings.add(location + ": " + key
                + " is set, but Baton does not run it: hooks are not run yet; run the statements yourself"));
        first.forEach((name, node) -> {
            int others = counts.get(name) - 1;
            String reason = IGNORED.values().stream().filter(value -> value[0].equals(name)).findFirst().orElseThrow()[1];
            warnings.add(node.path() + ": config '" + name + "' is set on " + node.resourceType().label() + " '" + node.name() + "'"
                    + (others == 0 ? "" : " and " + others + (others == 1 ? " other node" : " other nodes")) + ", but Baton builds without it: "
                    + reason);
        });
        return warnings;
    }

    private static boolean isSet(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Collection<?> values) {
            return !values.isEmpty();
        }
        if (value instanceof Map<?, ?> map) {
            return !map.isEmpty();
        }
        return !value.toString().isBlank();
    }
}
