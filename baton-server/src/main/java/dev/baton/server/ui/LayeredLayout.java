package dev.baton.server.ui;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A left-to-right layered layout of a directed graph: each vertex goes one column right of its
 * furthest parent, and the vertices of a column are ordered by the mean position of their
 * neighbours (a few sweeps of the barycenter heuristic), which keeps edges short and crossings
 * few. Edges that would point backwards (only possible in a graph with cycles, such as folders
 * that depend on each other) are left out of the layering.
 */
final class LayeredLayout {
    static final int COLUMN_WIDTH = 260;
    static final int ROW_HEIGHT = 58;
    private static final int SWEEPS = 4;

    /** Where a vertex goes: column and row, and pixel coordinates of its top left corner. */
    record Position(int column, int row, int x, int y) {}

    private LayeredLayout() {}

    /**
     * @param vertices in a stable order, which breaks ties
     * @param edges [from, to] pairs among the vertices
     */
    static Map<String, Position> layout(List<String> vertices, Collection<List<String>> edges) {
        Map<String, List<String>> parents = new HashMap<>();
        Map<String, List<String>> children = new HashMap<>();
        for (String vertex : vertices) {
            parents.put(vertex, new ArrayList<>());
            children.put(vertex, new ArrayList<>());
        }
        for (List<String> edge : edges) {
            if (parents.containsKey(edge.get(0)) && parents.containsKey(edge.get(1)) && !edge.get(0).equals(edge.get(1))) {
                children.get(edge.get(0)).add(edge.get(1));
                parents.get(edge.get(1)).add(edge.get(0));
            }
        }
        Map<String, Integer> column = columns(vertices, parents);
        int columns = column.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<List<String>> layers = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            layers.add(new ArrayList<>());
        }
        for (String vertex : vertices) {
            layers.get(column.get(vertex)).add(vertex);
        }
        Map<String, Double> order = new HashMap<>();
        for (List<String> layer : layers) {
            for (int i = 0; i < layer.size(); i++) {
                order.put(layer.get(i), (double) i);
            }
        }
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            boolean forward = sweep % 2 == 0;
            for (int step = 1; step < columns; step++) {
                int index = forward ? step : columns - 1 - step;
                List<String> layer = layers.get(index);
                Map<String, List<String>> neighbours = forward ? parents : children;
                Map<String, Double> key = new HashMap<>();
                for (String vertex : layer) {
                    List<String> near = neighbours.get(vertex);
                    key.put(vertex, near.isEmpty() ? order.get(vertex) : near.stream().mapToDouble(order::get).average().orElse(0));
                }
                layer.sort(Comparator.comparingDouble(key::get));
                for (int i = 0; i < layer.size(); i++) {
                    order.put(layer.get(i), (double) i);
                }
            }
        }
        Map<String, Position> positions = new LinkedHashMap<>();
        int tallest = layers.stream().mapToInt(List::size).max().orElse(0);
        for (int c = 0; c < columns; c++) {
            List<String> layer = layers.get(c);
            int offset = (tallest - layer.size()) * ROW_HEIGHT / 2;
            for (int r = 0; r < layer.size(); r++) {
                positions.put(layer.get(r), new Position(c, r, 20 + c * COLUMN_WIDTH, 20 + offset + r * ROW_HEIGHT));
            }
        }
        return positions;
    }

    /** The longest path from a root to each vertex, walking in topological order; cycle edges are ignored. */
    private static Map<String, Integer> columns(List<String> vertices, Map<String, List<String>> parents) {
        Map<String, Integer> column = new HashMap<>();
        Map<String, Integer> state = new HashMap<>();
        for (String vertex : vertices) {
            depth(vertex, parents, column, state);
        }
        return column;
    }

    private static int depth(String start, Map<String, List<String>> parents, Map<String, Integer> column, Map<String, Integer> state) {
        // Iterative depth-first walk, so that a long chain of models cannot overflow the stack.
        Integer known = column.get(start);
        if (known != null) {
            return known;
        }
        List<Object[]> stack = new ArrayList<>();
        stack.add(new Object[] {start, 0});
        state.put(start, 1);
        while (!stack.isEmpty()) {
            Object[] frame = stack.get(stack.size() - 1);
            String vertex = (String) frame[0];
            int next = (Integer) frame[1];
            List<String> ups = parents.get(vertex);
            if (next < ups.size()) {
                frame[1] = next + 1;
                String parent = ups.get(next);
                if (!column.containsKey(parent) && state.get(parent) == null) {
                    state.put(parent, 1);
                    stack.add(new Object[] {parent, 0});
                }
                continue;
            }
            int value = 0;
            for (String parent : ups) {
                Integer parentColumn = column.get(parent);
                if (parentColumn != null) {
                    value = Math.max(value, parentColumn + 1);
                }
            }
            column.put(vertex, value);
            stack.remove(stack.size() - 1);
        }
        return column.get(start);
    }
}
