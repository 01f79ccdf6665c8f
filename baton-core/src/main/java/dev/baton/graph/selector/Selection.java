package dev.baton.graph.selector;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The outcome of a selection.
 *
 * @param nodeIds the selected enabled nodes, in the graph's topological order
 * @param warnings what the user should hear about, such as a criterion that matched nothing
 */
public record Selection(Set<String> nodeIds, List<String> warnings) {
    public Selection {
        nodeIds = Collections.unmodifiableSet(new LinkedHashSet<>(nodeIds));
        warnings = List.copyOf(warnings);
    }
}
