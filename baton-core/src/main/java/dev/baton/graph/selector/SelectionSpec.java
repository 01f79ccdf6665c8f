package dev.baton.graph.selector;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What the user asked for on the command line.
 *
 * @param select the {@code --select} arguments; each may hold several space-separated criteria
 *     (a union), and a criterion may join several parts with commas (an intersection). Empty
 *     means every enabled node (or the default selector of selectors.yml, when there is one).
 * @param exclude the {@code --exclude} arguments, read like {@code select}
 * @param selectorName the {@code --selector} name, a selector defined in selectors.yml
 * @param indirectSelection how tests follow the nodes they test
 */
public record SelectionSpec(List<String> select, List<String> exclude, Optional<String> selectorName, IndirectSelection indirectSelection) {
    public SelectionSpec {
        select = List.copyOf(select);
        exclude = List.copyOf(exclude);
        requireNonNull(selectorName, "selectorName is null");
        requireNonNull(indirectSelection, "indirectSelection is null");
    }

    public SelectionSpec(List<String> select, List<String> exclude, Optional<String> selectorName) {
        this(select, exclude, selectorName, IndirectSelection.EAGER);
    }

    /** No criteria: every enabled node, or the default selector. */
    public static SelectionSpec all() {
        return new SelectionSpec(List.of(), List.of(), Optional.empty());
    }

    /** {@code --select} these criteria. */
    public static SelectionSpec of(String... criteria) {
        return new SelectionSpec(List.of(criteria), List.of(), Optional.empty());
    }

    /** {@code --selector name}. */
    public static SelectionSpec selector(String name) {
        return new SelectionSpec(List.of(), List.of(), Optional.of(name));
    }

    /**
     * The node names {@code select} spells out: each criterion that names no method, without its
     * graph operators ({@code +orders}, {@code 2+orders+} and {@code @orders} name orders).
     */
    public java.util.Set<String> namedNodes() {
        return CriterionParser.plainValues(select);
    }

    public SelectionSpec withExclude(String... criteria) {
        return new SelectionSpec(select, List.of(criteria), selectorName, indirectSelection);
    }

    public SelectionSpec withIndirectSelection(IndirectSelection mode) {
        return new SelectionSpec(select, exclude, selectorName, mode);
    }
}
