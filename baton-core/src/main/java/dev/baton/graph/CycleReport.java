package dev.baton.graph;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.project.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One dependency cycle, found among the nodes a topological sort could not place. Each of those
 * nodes still waits on a parent that was not placed either, so following such parents from any
 * of them must come back to a node already seen: that loop is the cycle.
 */
record CycleReport(List<Node> cycle) {
    CycleReport {
        cycle = List.copyOf(cycle);
        if (cycle.isEmpty()) {
            throw new IllegalArgumentException("cycle is empty");
        }
    }

    /**
     * @param pending for every node, how many of its parents were not placed; 0 for placed nodes
     */
    static CycleReport of(List<Node> nodes, int[][] parents, int[] pending) {
        int start = 0;
        while (pending[start] == 0) {
            start++;
        }
        int[] visitedAt = new int[nodes.size()];
        Arrays.fill(visitedAt, -1);
        List<Integer> path = new ArrayList<>();
        int current = start;
        while (visitedAt[current] < 0) {
            visitedAt[current] = path.size();
            path.add(current);
            current = unplacedParent(parents[current], pending);
        }
        List<Integer> loop = path.subList(visitedAt[current], path.size());
        int first = loop.indexOf(loop.stream().min(Integer::compare).orElseThrow());
        List<Node> cycle = new ArrayList<>();
        for (int i = 0; i < loop.size(); i++) {
            cycle.add(nodes.get(loop.get((first + i) % loop.size())));
        }
        return new CycleReport(cycle);
    }

    private static int unplacedParent(int[] parents, int[] pending) {
        for (int parent : parents) {
            if (pending[parent] > 0) {
                return parent;
            }
        }
        throw new IllegalStateException("an unplaced node has no unplaced parent");
    }

    BatonException toException() {
        String chain = cycle.stream()
                .map(node -> node.uniqueId() + " (" + node.location() + ")")
                .collect(Collectors.joining(" -> "));
        String message = "found a dependency cycle: " + chain + " -> " + cycle.get(0).uniqueId()
                + "; each node depends on the next, break the cycle by removing one of these ref() or source() calls";
        return new BatonException(ErrorCode.DEPENDENCY_CYCLE, message, cycle.get(0).location());
    }
}
