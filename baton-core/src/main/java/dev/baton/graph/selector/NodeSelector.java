package dev.baton.graph.selector;

import static java.util.Objects.requireNonNull;

import dev.baton.api.BatonException;
import dev.baton.api.ErrorCode;
import dev.baton.graph.Graph;
import dev.baton.graph.selector.SelectionExpression.Difference;
import dev.baton.graph.selector.SelectionExpression.Everything;
import java.util.Optional;

/**
 * Selects nodes of a graph with dbt's node selection syntax: {@code --select}, {@code --exclude},
 * {@code --selector} and {@code --indirect-selection}. Named selectors are all checked when the
 * selector is created, so a broken selectors.yml fails every command, as in dbt.
 */
public final class NodeSelector {
    private final Graph graph;
    private final SelectorsFile selectors;
    private final SelectorDefinitions definitions;

    private NodeSelector(Graph graph, SelectorsFile selectors, SelectorMethods methods) {
        this.graph = requireNonNull(graph, "graph is null");
        this.selectors = requireNonNull(selectors, "selectors is null");
        this.definitions = new SelectorDefinitions(selectors, requireNonNull(methods, "methods is null"));
    }

    /** A selector with the built-in methods. */
    public static NodeSelector create(Graph graph, SelectorsFile selectors) {
        return create(graph, selectors, SelectorMethods.builtIn());
    }

    /** A selector with these methods, for callers that add {@code state:} or {@code result:}. */
    public static NodeSelector create(Graph graph, SelectorsFile selectors, SelectorMethods methods) {
        return new NodeSelector(graph, selectors, methods);
    }

    /**
     * Selects the enabled nodes the spec asks for.
     *
     * @throws BatonException {@link ErrorCode#INVALID_SELECTOR} for a criterion or selector that
     *     cannot be read; a criterion that matches nothing is a warning in the result instead
     */
    public Selection select(SelectionSpec spec) {
        requireNonNull(spec, "spec is null");
        Optional<String> selectorName = spec.selectorName();
        if (selectorName.isPresent() && !(spec.select().isEmpty() && spec.exclude().isEmpty())) {
            throw new BatonException(ErrorCode.INVALID_SELECTOR, "--selector cannot be combined with --select or --exclude; "
                    + "add the extra criteria to selector '" + selectorName.get() + "' in selectors.yml, or drop --selector");
        }
        if (selectorName.isEmpty() && spec.select().isEmpty() && spec.exclude().isEmpty()) {
            selectorName = selectors.defaultSelector();
        }
        SelectionExpression expression;
        if (selectorName.isPresent()) {
            expression = definitions.resolve(selectorName.get());
        } else {
            CriterionParser parser = definitions.parser();
            SelectionExpression include = spec.select().isEmpty() ? new Everything() : parser.parseArguments(spec.select(), true);
            expression = new Difference(include, parser.parseArguments(spec.exclude(), true));
        }
        return new SelectionEvaluator(graph).select(expression, spec.indirectSelection(), selectorName);
    }
}
