package dev.baton.graph.selector;

import static java.util.Objects.requireNonNull;

import dev.baton.project.Node;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** A parsed selection: criteria combined by dbt's set operators. */
sealed interface SelectionExpression {
    /** Every enabled node: what no {@code --select} means. */
    record Everything() implements SelectionExpression {}

    /**
     * One criterion with its graph operators.
     *
     * @param parentsDepth how many steps of ancestors to add: 0 for none, {@code Graph.UNLIMITED} for all
     * @param childrenDepth how many steps of descendants to add, likewise
     * @param childrensParents dbt's {@code @}: the matches, all their descendants, and all ancestors of those
     */
    record Criterion(
            String raw,
            Predicate<Node> matcher,
            int parentsDepth,
            int childrenDepth,
            boolean childrensParents,
            Optional<IndirectSelection> indirectSelection) implements SelectionExpression {
        public Criterion {
            requireNonNull(raw, "raw is null");
            requireNonNull(matcher, "matcher is null");
            requireNonNull(indirectSelection, "indirectSelection is null");
        }
    }

    /** Nodes in any part. {@code warnWhenEmpty} names the criterion to warn about when nothing matches. */
    record Union(List<SelectionExpression> parts, Optional<String> warnWhenEmpty) implements SelectionExpression {
        public Union {
            parts = List.copyOf(parts);
            requireNonNull(warnWhenEmpty, "warnWhenEmpty is null");
        }
    }

    /** Nodes in every part. */
    record Intersection(List<SelectionExpression> parts, Optional<String> warnWhenEmpty) implements SelectionExpression {
        public Intersection {
            parts = List.copyOf(parts);
            requireNonNull(warnWhenEmpty, "warnWhenEmpty is null");
        }
    }

    /** Nodes in {@code include} and not in {@code exclude}. */
    record Difference(SelectionExpression include, SelectionExpression exclude) implements SelectionExpression {
        public Difference {
            requireNonNull(include, "include is null");
            requireNonNull(exclude, "exclude is null");
        }
    }
}
