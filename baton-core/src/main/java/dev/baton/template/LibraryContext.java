package dev.baton.template;

import com.google.common.collect.SetMultimap;
import com.hubspot.jinjava.interpret.Context;

/**
 * The context shared by every render: builtin functions, globals and the project's macros. Jinjava
 * records resolved expressions and dependencies in every enclosing context; this one is shared
 * between threads and lives as long as the engine, so it keeps nothing of a render.
 */
final class LibraryContext extends Context {
    LibraryContext(Context parent) {
        super(parent);
    }

    @Override
    public void addResolvedExpression(String expression) {}

    @Override
    public void addResolvedValue(String value) {}

    @Override
    public void addResolvedFunction(String function) {}

    @Override
    public void addDependency(String type, String identification) {}

    @Override
    public void addDependencies(SetMultimap<String, String> dependencies) {}
}
