package dev.baton.graph.selector;

import static java.util.Objects.requireNonNull;

import dev.baton.project.Node;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A selector method such as {@code tag:} or {@code state:}. Methods are registered in
 * {@link SelectorMethods}; a feature that knows more than the graph (the state store, the last
 * run's results) adds its own.
 */
public interface SelectorMethod {
    /** The name written before the colon. */
    String name();

    /**
     * Compiles one use of the method into a test on a node. Called once per criterion, before
     * any node is looked at, so bad arguments fail early.
     *
     * @throws dev.baton.api.BatonException {@code INVALID_SELECTOR} when the arguments or the
     *     value cannot be used
     */
    Predicate<Node> matcher(MethodCall call);

    static SelectorMethod of(String name, Function<MethodCall, Predicate<Node>> compiler) {
        requireNonNull(name, "name is null");
        requireNonNull(compiler, "compiler is null");
        return new SelectorMethod() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Predicate<Node> matcher(MethodCall call) {
                return compiler.apply(call);
            }
        };
    }
}
