package dev.baton.graph;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.project.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The dependency graph of a project: one vertex per node, an edge from each node to every node
 * it reads. Immutable; built once per project and shared. A dependency on an id that is not in
 * the graph is ignored, since the loader has already reported unknown refs.
 *
 * <p>Nodes are kept in uniqueId order, so every answer is deterministic whatever order the
 * loader produced them in.
 */
public final class Graph {
    /** A depth that does not limit {@link #ancestors} or {@link #descendants}. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    private final List<Node> nodes;
    private final Map<String, Integer> indexById;
    private final int[][] parents;
    private final int[][] children;
    private final List<String> topologicalOrder;

    private Graph(List<Node> nodes, Map<String, Integer> indexById, int[][] parents, int[][] children) {
        this.nodes = nodes;
        this.indexById = indexById;
        this.parents = parents;
        this.children = children;
        this.topologicalOrder = sortTopologically();
    }

    /**
     * Builds the graph.
     *
     * @throws BatonException {@link ErrorCode#DUPLICATE_NODE} when two nodes share a uniqueId,
     *     {@link ErrorCode#DEPENDENCY_CYCLE} when the dependencies form a cycle
     */
    public static Graph of(Collection<Node> nodes) {
        requireNonNull(nodes, "nodes is null");
        List<Node> sorted = new ArrayList<>(nodes);
        sorted.sort(Comparator.comparing(Node::uniqueId));
        Map<String, Integer> indexById = new HashMap<>(sorted.size() * 2);
        for (int i = 0; i < sorted.size(); i++) {
            Node node = sorted.get(i);
            Integer previous = indexById.put(node.uniqueId(), i);
            if (previous != null) {
                throw new BatonException(ErrorCode.DUPLICATE_NODE,
                        "two nodes are named '" + node.uniqueId() + "': " + sorted.get(previous).location() + " and " + node.location()
                                + "; rename or disable one of them",
                        node.location());
            }
        }
        int[][] parents = new int[sorted.size()][];
        int[] childCounts = new int[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            parents[i] = resolveParents(sorted.get(i), indexById);
            for (int parent : parents[i]) {
                childCounts[parent]++;
            }
        }
        int[][] children = new int[sorted.size()][];
        for (int i = 0; i < children.length; i++) {
            children[i] = new int[childCounts[i]];
            childCounts[i] = 0;
        }
        for (int i = 0; i < parents.length; i++) {
            for (int parent : parents[i]) {
                children[parent][childCounts[parent]++] = i;
            }
        }
        return new Graph(List.copyOf(sorted), indexById, parents, children);
    }

    private static int[] resolveParents(Node node, Map<String, Integer> indexById) {
        int[] result = new int[node.dependsOn().size()];
        int count = 0;
        for (String dependency : node.dependsOn()) {
            Integer parent = indexById.get(dependency);
            if (parent != null && !contains(result, count, parent)) {
                result[count++] = parent;
            }
        }
        return count == result.length ? result : Arrays.copyOf(result, count);
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    public boolean contains(String uniqueId) {
        return indexById.containsKey(uniqueId);
    }

    /** The node with this id; an {@link IllegalArgumentException} when there is none. */
    public Node node(String uniqueId) {
        return nodes.get(indexOf(uniqueId));
    }

    /** All nodes, in uniqueId order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The ids this node depends on that are in the graph, in the node's dependsOn order. */
    public List<String> parents(String uniqueId) {
        return ids(parents[indexOf(uniqueId)]);
    }

    /** The ids of the nodes that depend on this one, in uniqueId order. */
    public List<String> children(String uniqueId) {
        return ids(children[indexOf(uniqueId)]);
    }

    /** Every node id, each after all of its parents; ties are broken by uniqueId. */
    public List<String> topologicalOrder() {
        return topologicalOrder;
    }

    /** The nodes this one depends on, directly or within {@code maxDepth} steps, nearest first. */
    public Set<String> ancestors(String uniqueId, int maxDepth) {
        return ancestors(List.of(uniqueId), maxDepth);
    }

    /** The nodes that depend on this one, directly or within {@code maxDepth} steps, nearest first. */
    public Set<String> descendants(String uniqueId, int maxDepth) {
        return descendants(List.of(uniqueId), maxDepth);
    }

    /**
     * The nodes that any of {@code uniqueIds} depends on within {@code maxDepth} steps, nearest
     * first. A start node is included only when it is an ancestor of another start node.
     */
    public Set<String> ancestors(Collection<String> uniqueIds, int maxDepth) {
        return walk(uniqueIds, maxDepth, parents);
    }

    /** The nodes that depend on any of {@code uniqueIds} within {@code maxDepth} steps, nearest first. */
    public Set<String> descendants(Collection<String> uniqueIds, int maxDepth) {
        return walk(uniqueIds, maxDepth, children);
    }

    public int size() {
        return nodes.size();
    }

    private Set<String> walk(Collection<String> startIds, int maxDepth, int[][] edges) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must not be negative: " + maxDepth);
        }
        boolean[] seen = new boolean[nodes.size()];
        ArrayDeque<Integer> frontier = new ArrayDeque<>();
        for (String id : startIds) {
            int index = indexOf(id);
            if (!seen[index]) {
                seen[index] = true;
                frontier.add(index);
            }
        }
        Set<String> starts = new LinkedHashSet<>(startIds);
        Set<String> result = new LinkedHashSet<>();
        for (int depth = 0; depth < maxDepth && !frontier.isEmpty(); depth++) {
            ArrayDeque<Integer> next = new ArrayDeque<>();
            for (int current : frontier) {
                for (int neighbour : edges[current]) {
                    String id = nodes.get(neighbour).uniqueId();
                    if (!seen[neighbour]) {
                        seen[neighbour] = true;
                        next.add(neighbour);
                        result.add(id);
                    } else if (starts.contains(id)) {
                        result.add(id);
                    }
                }
            }
            frontier = next;
        }
        return Collections.unmodifiableSet(result);
    }

    private int indexOf(String uniqueId) {
        Integer index = indexById.get(requireNonNull(uniqueId, "uniqueId is null"));
        if (index == null) {
            throw new IllegalArgumentException("no node '" + uniqueId + "' in the graph");
        }
        return index;
    }

    private List<String> ids(int[] indexes) {
        List<String> result = new ArrayList<>(indexes.length);
        for (int index : indexes) {
            result.add(nodes.get(index).uniqueId());
        }
        return Collections.unmodifiableList(result);
    }

    /** Kahn's algorithm with the ready nodes kept in uniqueId order (the index order). */
    private List<String> sortTopologically() {
        int[] pending = new int[nodes.size()];
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            pending[i] = parents[i].length;
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<String> order = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int current = ready.poll();
            order.add(nodes.get(current).uniqueId());
            for (int child : children[current]) {
                if (--pending[child] == 0) {
                    ready.add(child);
                }
            }
        }
        if (order.size() < nodes.size()) {
            throw CycleReport.of(nodes, parents, pending).toException();
        }
        return Collections.unmodifiableList(order);
    }
}
