package dev.baton.plan;

import dev.baton.graph.Graph;
import dev.baton.ingest.SourceLoad;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a selection into a {@link Plan}. */
public final class Planner {
    private Planner() {}

    /**
     * @param selected the selected node ids, in topological order
     * @param previousHashes compiled-SQL hash of each node's last successful build, from the state store
     */
    public static Plan plan(CommandKind command, Project project, Graph graph, Set<String> selected, Map<String, String> previousHashes,
            List<String> warnings) {
        Map<String, Node> included = new LinkedHashMap<>();
        for (String id : graph.topologicalOrder()) {
            if (!selected.contains(id)) {
                continue;
            }
            Node node = graph.node(id);
            if (!command.runs(node.resourceType()) || node.isEphemeral() || node.resourceType() == ResourceType.SOURCE && !SourceLoad.loads(node)) {
                continue;
            }
            included.put(id, node);
        }
        Map<String, List<String>> testsByParent = new LinkedHashMap<>();
        if (command == CommandKind.BUILD) {
            for (Node node : included.values()) {
                if (node.resourceType() == ResourceType.TEST) {
                    for (String parent : node.dependsOn()) {
                        testsByParent.computeIfAbsent(parent, key -> new ArrayList<>()).add(node.uniqueId());
                    }
                }
            }
        }
        List<PlanStep> steps = new ArrayList<>();
        Fingerprints fingerprints = Fingerprints.of(project);
        for (Node node : included.values()) {
            Set<String> waits = new LinkedHashSet<>();
            for (String parent : materializedParents(graph, node.uniqueId())) {
                if (included.containsKey(parent)) {
                    waits.add(parent);
                }
                if (node.resourceType() != ResourceType.TEST) {
                    for (String test : testsByParent.getOrDefault(parent, List.of())) {
                        if (!node.dependsOn().contains(test) && !testDependsOn(included.get(test), node.uniqueId())) {
                            waits.add(test);
                        }
                    }
                }
            }
            steps.add(new PlanStep(node.uniqueId(), action(node), reason(node, previousHashes, fingerprints), List.copyOf(waits), describe(node)));
        }
        return new Plan(command.label(), steps, warnings);
    }

    private static boolean testDependsOn(Node test, String nodeId) {
        return test != null && test.dependsOn().contains(nodeId);
    }

    /** A node's parents, looking through ephemeral models to what they read. */
    private static Set<String> materializedParents(Graph graph, String id) {
        Set<String> result = new LinkedHashSet<>();
        Set<String> seen = new HashSet<>();
        List<String> stack = new ArrayList<>(graph.parents(id));
        while (!stack.isEmpty()) {
            String parent = stack.remove(stack.size() - 1);
            if (!seen.add(parent)) {
                continue;
            }
            Node node = graph.node(parent);
            if (node.isEphemeral()) {
                stack.addAll(graph.parents(parent));
            } else {
                result.add(parent);
            }
        }
        return result;
    }

    private static Action action(Node node) {
        return switch (node.resourceType()) {
            case SEED -> Action.LOAD_SEED;
            case TEST -> Action.RUN_TEST;
            case SOURCE -> Action.INGEST;
            case SNAPSHOT -> Action.SNAPSHOT;
            default -> switch (node.config().materialized()) {
                case TABLE -> Action.CREATE_TABLE;
                case INCREMENTAL -> Action.INCREMENTAL;
                default -> Action.CREATE_VIEW;
            };
        };
    }

    private static String reason(Node node, Map<String, String> previousHashes, Fingerprints fingerprints) {
        if (node.resourceType() == ResourceType.TEST) {
            return "test";
        }
        if (node.resourceType() == ResourceType.SOURCE) {
            return "load";
        }
        String previous = previousHashes.get(node.uniqueId());
        if (previous == null) {
            return "new";
        }
        return previous.equals(fingerprints.get(node.uniqueId()).body()) ? "unchanged" : "modified";
    }

    /** How progress lines name a node: {@code table model main.orders}, {@code seed file main.raw_orders}, the test's name. */
    public static String describe(Node node) {
        return switch (node.resourceType()) {
            case SEED -> "seed file " + node.relation().orElseThrow();
            case TEST -> node.name();
            case SOURCE -> "source " + node.relation().orElseThrow();
            case SNAPSHOT -> "snapshot " + node.relation().orElseThrow();
            default -> node.config().materialized().label() + " model " + node.relation().map(Object::toString).orElse(node.name());
        };
    }
}
