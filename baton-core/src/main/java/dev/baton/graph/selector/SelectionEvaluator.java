package dev.baton.graph.selector;

import dev.baton.graph.Graph;
import dev.baton.graph.selector.SelectionExpression.Criterion;
import dev.baton.graph.selector.SelectionExpression.Difference;
import dev.baton.graph.selector.SelectionExpression.Everything;
import dev.baton.graph.selector.SelectionExpression.Intersection;
import dev.baton.graph.selector.SelectionExpression.Union;
import dev.baton.project.Node;
import dev.baton.project.ResourceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates an expression the way dbt does: methods first, then graph operators, then tests
 * are added by indirect selection, then set operators. Each step yields the nodes selected
 * directly and, apart, tests that were held back because not all of their parents were selected
 * (cautious and buildable modes); set operators may let those in once their parents are.
 * One evaluator serves one selection: it collects that selection's warnings.
 */
final class SelectionEvaluator {
    private record Result(Set<String> direct, Set<String> indirect) {}

    private final Graph graph;
    private final Set<String> enabled = new HashSet<>();
    private final Set<String> sources = new HashSet<>();
    private final Set<String> warnings = new LinkedHashSet<>();

    SelectionEvaluator(Graph graph) {
        this.graph = graph;
        for (Node node : graph.nodes()) {
            if (node.config().enabled()) {
                enabled.add(node.uniqueId());
                if (node.resourceType() == ResourceType.SOURCE) {
                    sources.add(node.uniqueId());
                }
            }
        }
    }

    /** The enabled nodes the expression selects, in topological order. */
    Selection select(SelectionExpression expression, IndirectSelection mode, Optional<String> selectorName) {
        Set<String> selected = evaluate(expression, mode).direct();
        Set<String> ordered = new LinkedHashSet<>();
        for (String id : graph.topologicalOrder()) {
            if (selected.contains(id)) {
                ordered.add(id);
            }
        }
        if (ordered.isEmpty() && selectorName.isPresent()) {
            warnings.add("The selector '" + selectorName.get() + "' does not match any enabled nodes");
        }
        return new Selection(ordered, new ArrayList<>(warnings));
    }

    private Result evaluate(SelectionExpression expression, IndirectSelection mode) {
        if (expression instanceof Everything) {
            return new Result(enabled, Set.of());
        }
        if (expression instanceof Criterion criterion) {
            return expand(collect(criterion), criterion.indirectSelection().orElse(mode));
        }
        List<SelectionExpression> parts;
        Optional<String> warnWhenEmpty = Optional.empty();
        if (expression instanceof Union union) {
            parts = union.parts();
            warnWhenEmpty = union.warnWhenEmpty();
        } else if (expression instanceof Intersection intersection) {
            parts = intersection.parts();
            warnWhenEmpty = intersection.warnWhenEmpty();
        } else {
            Difference difference = (Difference) expression;
            parts = List.of(difference.include(), difference.exclude());
        }
        List<Set<String>> directs = new ArrayList<>();
        List<Set<String>> withIndirect = new ArrayList<>();
        for (SelectionExpression part : parts) {
            Result result = evaluate(part, mode);
            directs.add(result.direct());
            Set<String> both = new HashSet<>(result.direct());
            both.addAll(result.indirect());
            withIndirect.add(both);
        }
        Set<String> direct = combine(expression, directs);
        Set<String> indirect = combine(expression, withIndirect);
        direct = incorporate(direct, indirect, mode);
        if (direct.isEmpty() && warnWhenEmpty.isPresent()) {
            warnings.add("The selection criterion '" + warnWhenEmpty.get() + "' does not match any enabled nodes");
        }
        return new Result(direct, indirect);
    }

    private static Set<String> combine(SelectionExpression expression, List<Set<String>> sets) {
        Set<String> result = new HashSet<>();
        if (expression instanceof Union) {
            sets.forEach(result::addAll);
        } else if (expression instanceof Intersection) {
            if (!sets.isEmpty()) {
                result.addAll(sets.get(0));
                sets.subList(1, sets.size()).forEach(result::retainAll);
            }
        } else {
            result.addAll(sets.get(0));
            sets.subList(1, sets.size()).forEach(result::removeAll);
        }
        return result;
    }

    /** The enabled nodes the method matches, with the graph operators applied. */
    private Set<String> collect(Criterion criterion) {
        Set<String> matched = new LinkedHashSet<>();
        for (Node node : graph.nodes()) {
            if (enabled.contains(node.uniqueId()) && criterion.matcher().test(node)) {
                matched.add(node.uniqueId());
            }
        }
        Set<String> collected = new HashSet<>(matched);
        if (criterion.childrensParents()) {
            collected.addAll(graph.descendants(matched, Graph.UNLIMITED));
            collected.addAll(graph.ancestors(collected, Graph.UNLIMITED));
        } else {
            if (criterion.parentsDepth() > 0) {
                collected.addAll(graph.ancestors(matched, criterion.parentsDepth()));
            }
            if (criterion.childrenDepth() > 0) {
                collected.addAll(graph.descendants(matched, criterion.childrenDepth()));
            }
        }
        collected.retainAll(enabled);
        return collected;
    }

    /** Adds the tests of the collected nodes that the mode lets in; holds back the others. */
    private Result expand(Set<String> collected, IndirectSelection mode) {
        if (mode == IndirectSelection.EMPTY) {
            return new Result(collected, Set.of());
        }
        Set<String> direct = new HashSet<>(collected);
        Set<String> indirect = new HashSet<>();
        Set<String> buildable = mode == IndirectSelection.BUILDABLE ? selectedAndAncestors(collected) : Set.of();
        for (String id : collected) {
            for (String child : graph.children(id)) {
                if (direct.contains(child) || !enabled.contains(child) || graph.node(child).resourceType() != ResourceType.TEST) {
                    continue;
                }
                List<String> parents = graph.parents(child);
                if (mode == IndirectSelection.EAGER || collected.containsAll(parents)) {
                    direct.add(child);
                } else if (mode == IndirectSelection.BUILDABLE && buildable.containsAll(parents)) {
                    direct.add(child);
                } else {
                    indirect.add(child);
                }
            }
        }
        return new Result(direct, indirect);
    }

    /** Lets in held-back tests whose parents are now all selected (cautious) or buildable. */
    private Set<String> incorporate(Set<String> direct, Set<String> indirect, IndirectSelection mode) {
        if (direct.equals(indirect) || mode == IndirectSelection.EAGER || mode == IndirectSelection.EMPTY) {
            return direct;
        }
        Set<String> result = new HashSet<>(direct);
        Set<String> allowedParents = mode == IndirectSelection.BUILDABLE ? selectedAndAncestors(direct) : direct;
        for (String id : indirect) {
            if (!direct.contains(id) && allowedParents.containsAll(graph.parents(id))) {
                result.add(id);
            }
        }
        return result;
    }

    private Set<String> selectedAndAncestors(Set<String> selected) {
        Set<String> result = new HashSet<>(selected);
        result.addAll(graph.ancestors(selected, Graph.UNLIMITED));
        result.addAll(sources);
        return result;
    }
}
