package dev.baton.graph;

import static dev.baton.graph.TestNode.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.api.SourceLocation;
import dev.baton.project.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GraphTest {
    private static Graph graph(TestNode... nodes) {
        List<Node> built = new ArrayList<>();
        for (TestNode node : nodes) {
            built.add(node.build());
        }
        return Graph.of(built);
    }

    /** a <- b <- d, a <- c <- d, d <- e; b also reads a model that does not exist. */
    private static Graph diamond() {
        return graph(
                model("e").refs("d"),
                model("d").refs("c", "b"),
                model("c").refs("a"),
                model("b").refs("a", "missing"),
                model("a"));
    }

    @Test
    void keepsNodesInIdOrderAndEdgesBothWays() {
        Graph graph = diamond();

        assertThat(graph.nodes()).extracting(Node::name).containsExactly("a", "b", "c", "d", "e");
        assertThat(graph.node("model.shop.d").name()).isEqualTo("d");
        assertThat(graph.parents("model.shop.d")).containsExactly("model.shop.c", "model.shop.b");
        assertThat(graph.parents("model.shop.b")).containsExactly("model.shop.a");
        assertThat(graph.children("model.shop.a")).containsExactly("model.shop.b", "model.shop.c");
        assertThat(graph.children("model.shop.e")).isEmpty();
        assertThat(graph.contains("model.shop.missing")).isFalse();
    }

    @Test
    void topologicalOrderBreaksTiesByUniqueId() {
        Graph graph = graph(
                model("z"),
                model("y").refs("z"),
                model("b").refs("y"),
                model("a"),
                model("c").refs("a"));

        assertThat(graph.topologicalOrder())
                .containsExactly("model.shop.a", "model.shop.c", "model.shop.z", "model.shop.y", "model.shop.b");
    }

    @Test
    void walksAncestorsAndDescendantsToADepth() {
        Graph graph = diamond();

        assertThat(graph.ancestors("model.shop.e", Graph.UNLIMITED))
                .containsExactly("model.shop.d", "model.shop.c", "model.shop.b", "model.shop.a");
        assertThat(graph.ancestors("model.shop.e", 1)).containsExactly("model.shop.d");
        assertThat(graph.ancestors("model.shop.e", 2)).containsExactlyInAnyOrder("model.shop.d", "model.shop.b", "model.shop.c");
        assertThat(graph.ancestors("model.shop.e", 0)).isEmpty();
        assertThat(graph.descendants("model.shop.a", 1)).containsExactly("model.shop.b", "model.shop.c");
        assertThat(graph.descendants("model.shop.a", Graph.UNLIMITED))
                .containsExactly("model.shop.b", "model.shop.c", "model.shop.d", "model.shop.e");
        assertThat(graph.ancestors(List.of("model.shop.d", "model.shop.b"), 1))
                .containsExactlyInAnyOrder("model.shop.c", "model.shop.b", "model.shop.a");
    }

    @Test
    void rejectsUnknownIdsAndDuplicates() {
        Graph graph = diamond();
        assertThatThrownBy(() -> graph.node("model.shop.nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no node 'model.shop.nope' in the graph");

        assertThatThrownBy(() -> graph(model("a"), model("a").path("models/other/a.sql").line(4)))
                .isInstanceOfSatisfying(BatonException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DUPLICATE_NODE))
                .hasMessage("models/other/a.sql:4: two nodes are named 'model.shop.a': models/a.sql:1 and models/other/a.sql:4;"
                        + " rename or disable one of them");
    }

    @Test
    void reportsATwoNodeCycleWithFilesAndLines() {
        assertThatThrownBy(() -> graph(model("a").refs("b"), model("b").refs("a").line(3), model("c").refs("a")))
                .isInstanceOfSatisfying(BatonException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.DEPENDENCY_CYCLE);
                    assertThat(e.location()).contains(SourceLocation.of("models/a.sql", 1));
                })
                .hasMessage("models/a.sql:1: found a dependency cycle: model.shop.a (models/a.sql:1) -> model.shop.b (models/b.sql:3)"
                        + " -> model.shop.a; each node depends on the next, break the cycle by removing one of these ref() or source() calls");
    }

    @Test
    void reportsALongerCycleFromItsFirstNodeAndIgnoresNodesOutsideIt() {
        assertThatThrownBy(() -> graph(
                        model("root"),
                        model("x").refs("root", "z"),
                        model("z").refs("y"),
                        model("y").refs("x"),
                        model("after").refs("y")))
                .hasMessage("models/x.sql:1: found a dependency cycle: model.shop.x (models/x.sql:1) -> model.shop.z (models/z.sql:1)"
                        + " -> model.shop.y (models/y.sql:1) -> model.shop.x; each node depends on the next,"
                        + " break the cycle by removing one of these ref() or source() calls");
    }

    @Test
    void reportsANodeThatDependsOnItself() {
        assertThatThrownBy(() -> graph(model("a").refs("a")))
                .hasMessage("models/a.sql:1: found a dependency cycle: model.shop.a (models/a.sql:1) -> model.shop.a;"
                        + " each node depends on the next, break the cycle by removing one of these ref() or source() calls");
    }

    @Test
    void sortsAHundredThousandNodesDependenciesFirst() {
        int count = 100_000;
        Random random = new Random(42);
        List<Node> nodes = new ArrayList<>(count);
        Map<String, List<String>> upstream = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String name = String.format("m%06d", i);
            TestNode node = model(name);
            List<String> refs = new ArrayList<>();
            for (int edge = 0; edge < 3 && i > 0; edge++) {
                String ref = String.format("m%06d", random.nextInt(i));
                node.refs(ref);
                refs.add("model.shop." + ref);
            }
            upstream.put("model.shop." + name, refs);
            nodes.add(node.build());
        }

        // How fast this is belongs to the benchmarks (bench/); here, that it is right at this size.
        List<String> order = Graph.of(nodes).topologicalOrder();
        assertThat(order).hasSize(count).doesNotHaveDuplicates();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        upstream.forEach((node, refs) -> refs.forEach(ref -> assertThat(position.get(ref)).as("%s before %s", ref, node).isLessThan(position.get(node))));
    }

    @Test
    void findsACycleThroughAHundredThousandNodesWithoutRecursion() {
        int count = 100_000;
        List<Node> nodes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            nodes.add(model(String.format("m%06d", i)).refs(String.format("m%06d", (i + 1) % count)).build());
        }

        long start = System.nanoTime();
        assertThatThrownBy(() -> Graph.of(nodes))
                .isInstanceOf(BatonException.class)
                .hasMessageStartingWith("models/m000000.sql:1: found a dependency cycle: model.shop.m000000 (models/m000000.sql:1)"
                        + " -> model.shop.m000001 (models/m000001.sql:1) -> ")
                .hasMessageContaining("model.shop.m099999 (models/m099999.sql:1) -> model.shop.m000000;");
        System.out.println("cycle of " + count + " nodes found in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
}
