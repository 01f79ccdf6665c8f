package dev.baton.graph.selector;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An immutable set of selector methods, by name. */
public final class SelectorMethods {
    private final Map<String, SelectorMethod> methods;

    private SelectorMethods(Map<String, SelectorMethod> methods) {
        this.methods = Collections.unmodifiableMap(new TreeMap<>(methods));
    }

    /**
     * The methods that need nothing but the graph. {@code state} and {@code result} are present
     * but fail with an explanation until a caller that has a state store replaces them through
     * {@link #with}.
     */
    public static SelectorMethods builtIn() {
        Map<String, SelectorMethod> methods = new TreeMap<>();
        for (SelectorMethod method : BuiltInMethods.all()) {
            methods.put(method.name(), method);
        }
        return new SelectorMethods(methods);
    }

    /** A copy with this method added, replacing any method of the same name. */
    public SelectorMethods with(SelectorMethod method) {
        requireNonNull(method, "method is null");
        Map<String, SelectorMethod> copy = new TreeMap<>(methods);
        copy.put(method.name(), method);
        return new SelectorMethods(copy);
    }

    public Optional<SelectorMethod> find(String name) {
        return Optional.ofNullable(methods.get(name));
    }

    /** The method names, sorted. */
    public List<String> names() {
        return List.copyOf(methods.keySet());
    }
}
