package dev.baton.server.catalog;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.graph.Graph;
import dev.baton.project.ColumnInfo;
import dev.baton.project.Node;
import dev.baton.project.Project;
import dev.baton.project.ResourceType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The loaded project as the API shows it: nodes by kind in a stable order, their JSON views built
 * once, and lineage walks over the graph. Immutable; the server swaps in a new one when the
 * project is loaded again.
 */
public final class Catalog {
    private final Project project;
    private final Graph graph;
    private final Map<ResourceType, List<Node>> byKind = new EnumMap<>(ResourceType.class);
    private final Map<String, Map<String, Object>> summaries = new HashMap<>();
    private final Map<String, List<String>> checksByNode = new HashMap<>();
    private final Map<String, String> idByName = new HashMap<>();

    public Catalog(Project project) {
        this.project = requireNonNull(project, "project is null");
        this.graph = Graph.of(project.nodes().values());
        for (ResourceType type : ResourceType.values()) {
            byKind.put(type, new ArrayList<>());
        }
        Map<String, Integer> nameCounts = new HashMap<>();
        for (Node node : project.nodes().values()) {
            byKind.get(node.resourceType()).add(node);
            node.attachedNode().ifPresent(attached -> checksByNode.computeIfAbsent(attached, key -> new ArrayList<>()).add(node.uniqueId()));
            nameCounts.merge(node.resourceType().label() + ":" + node.name(), 1, Integer::sum);
        }
        for (Node node : project.nodes().values()) {
            if (nameCounts.get(node.resourceType().label() + ":" + node.name()) == 1) {
                idByName.put(node.resourceType().label() + ":" + node.name(), node.uniqueId());
            }
        }
        byKind.values().forEach(nodes -> nodes.sort(Comparator.comparing(Node::uniqueId)));
        for (Node node : project.nodes().values()) {
            summaries.put(node.uniqueId(), summary(node));
        }
    }

    public Project project() {
        return project;
    }

    public List<Node> nodes(ResourceType type) {
        return byKind.get(type);
    }

    /** A node of this kind by unique id, or by name when exactly one node of the kind has it. */
    public Node node(ResourceType type, String idOrName) {
        Node node = project.nodes().get(idOrName);
        if (node == null || node.resourceType() != type) {
            String id = idByName.get(type.label() + ":" + idOrName);
            node = id == null ? null : project.nodes().get(id);
        }
        if (node == null) {
            throw new BatonException(ErrorCode.NOT_FOUND, "no " + type.label() + " '" + dev.baton.server.http.Params.shorten(idOrName)
                    + "' in project " + project.name() + "; list them with GET /api/v1/" + plural(type));
        }
        return node;
    }

    public static String plural(ResourceType type) {
        return type == ResourceType.TEST ? "checks" : type.label() + "s";
    }

    public Map<String, Object> summary(String uniqueId) {
        return summaries.get(uniqueId);
    }

    /** Everything the API tells about one node. */
    public Map<String, Object> detail(Node node) {
        Map<String, Object> detail = new LinkedHashMap<>(summaries.get(node.uniqueId()));
        detail.put("path", node.path());
        detail.put("line", node.location().line());
        detail.put("meta", node.config().meta());
        detail.put("config", node.config().asMap());
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ColumnInfo column : node.columns()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("name", column.name());
            view.put("description", column.description());
            view.put("data_type", column.dataType().orElse(null));
            view.put("meta", column.meta());
            view.put("checks", checksOf(node.uniqueId()).stream().filter(id -> project.nodes().get(id).columnName().map(column.name()::equals).orElse(false)).toList());
            columns.add(view);
        }
        detail.put("columns", columns);
        detail.put("depends_on", node.dependsOn());
        detail.put("referenced_by", graph.contains(node.uniqueId()) ? graph.children(node.uniqueId()) : List.of());
        detail.put("checks", checksOf(node.uniqueId()));
        node.attachedNode().ifPresent(attached -> detail.put("attached_to", attached));
        node.columnName().ifPresent(column -> detail.put("column", column));
        node.testMetadata().ifPresent(test -> detail.put("test", test));
        if (node.resourceType() == ResourceType.TEST) {
            detail.put("severity", node.config().severity());
        }
        if (!node.compiledSql().isEmpty()) {
            detail.put("compiled_sql", node.compiledSql());
        }
        return detail;
    }

    public List<String> checksOf(String uniqueId) {
        return checksByNode.getOrDefault(uniqueId, List.of());
    }

    /** One step of a lineage walk: a node and how many edges away it is. */
    public record LineageStep(String nodeId, int depth) {}

    /** Nodes upstream (parents first) or downstream of a node, up to {@code depth} edges away; tests are left out. */
    public List<LineageStep> lineage(String uniqueId, int depth, boolean upstream) {
        List<LineageStep> steps = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        seen.put(uniqueId, 0);
        Deque<String> queue = new ArrayDeque<>();
        queue.add(uniqueId);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            int distance = seen.get(current);
            if (distance == depth) {
                continue;
            }
            for (String next : upstream ? graph.parents(current) : graph.children(current)) {
                Node node = project.nodes().get(next);
                if (node == null || node.resourceType() == ResourceType.TEST || seen.containsKey(next)) {
                    continue;
                }
                seen.put(next, distance + 1);
                steps.add(new LineageStep(next, distance + 1));
                queue.add(next);
            }
        }
        return steps;
    }

    /** The edges among a set of nodes, as [from, to] pairs (from is read by to). */
    public List<List<String>> edges(java.util.Set<String> nodeIds) {
        List<List<String>> edges = new ArrayList<>();
        for (String id : nodeIds) {
            for (String parent : graph.parents(id)) {
                if (nodeIds.contains(parent)) {
                    edges.add(List.of(parent, id));
                }
            }
        }
        return edges;
    }

    public static Optional<String> owner(Node node) {
        Object owner = node.config().meta().get("owner");
        return owner == null ? Optional.empty() : Optional.of(owner.toString());
    }

    public static Optional<Integer> tier(Node node) {
        Object tier = node.config().meta().get("tier");
        if (tier instanceof Number number) {
            return Optional.of(number.intValue());
        }
        if (tier != null) {
            try {
                return Optional.of(Integer.parseInt(tier.toString().strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private Map<String, Object> summary(Node node) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", node.uniqueId());
        view.put("name", node.name());
        view.put("resource_type", node.resourceType().label());
        view.put("relation", node.relation().map(Object::toString).orElse(null));
        if (node.resourceType() == ResourceType.MODEL) {
            view.put("materialized", node.config().materialized().label());
        }
        view.put("description", node.description());
        view.put("owner", owner(node).orElse(null));
        view.put("tier", tier(node).orElse(null));
        view.put("sla", node.config().meta().get("sla"));
        Object freshness = node.config().other().get("freshness");
        if (freshness != null) {
            view.put("freshness", freshness);
        }
        view.put("tags", node.tags());
        view.put("columns", node.columns().stream().map(ColumnInfo::name).toList());
        return java.util.Collections.unmodifiableMap(view);
    }
}
