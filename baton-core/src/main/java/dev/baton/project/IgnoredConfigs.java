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
    private static final String HOOKS = "hooks are not run yet; run the statements yourself";

    /** One config Baton does not act on: the name shown, and what to do instead. */
    private record Ignored(String name, String reason) {}

    private static final Ignored PRE_HOOK = new Ignored("pre-hook", HOOKS);
    private static final Ignored POST_HOOK = new Ignored("post-hook", HOOKS);

    /** Config key as written (both spellings of the hooks) to what is shown of it. */
    private static final Map<String, Ignored> IGNORED = Map.of(
            "pre-hook", PRE_HOOK,
            "pre_hook", PRE_HOOK,
            "post-hook", POST_HOOK,
            "post_hook", POST_HOOK,
            "grants", new Ignored("grants", "grants are not applied yet; grant the privileges yourself"),
            "sql_header", new Ignored("sql_header", "SQL headers are not sent yet; put the statements in the model or a macro"));

    private IgnoredConfigs() {}

    /**
     * One warning per ignored config that any node sets (with a value), naming the first such node
     * and how many there are, and one per {@code on-run-start}/{@code on-run-end} of the project file.
     */
    static List<String> warnings(ProjectSettings settings, Collection<Node> nodes) {
        Map<Ignored, Node> first = new LinkedHashMap<>();
        Map<Ignored, Integer> counts = new LinkedHashMap<>();
        for (Node node : nodes) {
            java.util.Set<Ignored> shown = new java.util.HashSet<>();
            for (Map.Entry<String, Object> entry : node.config().other().entrySet()) {
                Ignored ignored = IGNORED.get(entry.getKey());
                if (ignored != null && isSet(entry.getValue()) && shown.add(ignored)) {
                    first.putIfAbsent(ignored, node);
                    counts.merge(ignored, 1, Integer::sum);
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        settings.unrunHooks().forEach((key, location) -> warnings.add(location + ": " + key + " is set, but Baton does not run it: " + HOOKS));
        first.forEach((ignored, node) -> {
            int others = counts.get(ignored) - 1;
            warnings.add(node.path() + ": config '" + ignored.name() + "' is set on " + node.resourceType().label() + " '" + node.name() + "'"
                    + (others == 0 ? "" : " and " + others + (others == 1 ? " other node" : " other nodes")) + ", but Baton builds without it: "
                    + ignored.reason());
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
