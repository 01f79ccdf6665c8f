package dev.baton.template;

import static java.util.Objects.requireNonNull;

import java.util.AbstractMap;
import java.util.Set;

/**
 * A name of dbt's template context that Baton does not provide: the macro namespace of a dbt
 * package the project declares but Baton does not install (such as {@code dbt_utils}), or
 * {@code modules} (Python's modules). Reading anything from it, {@code dbt_utils.star(...)}, is an
 * error at the call that says why, rather than a value that renders as nothing.
 */
final class UnavailableNamespace extends AbstractMap<String, Object> {
    private final String namespace;
    private final String why;

    private UnavailableNamespace(String namespace, String why) {
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.why = requireNonNull(why, "why is null");
    }

    /** The namespace of the declared package {@code name}. */
    static UnavailableNamespace of(String namespace, String name) {
        return new UnavailableNamespace(namespace, "comes from the dbt package '" + name
                + "', which Baton does not install yet; replace the call with SQL or a macro of your own under macros/");
    }

    /** dbt's {@code modules}: Python's datetime, re, itertools and pytz, which Baton's templates do not have. */
    static UnavailableNamespace modules() {
        return new UnavailableNamespace("modules", "is one of Python's modules, which Baton's templates do not have yet; compute the value in SQL "
                + "(current_date, interval arithmetic, regexp functions) or pass it with --vars");
    }

    @Override
    public Object get(Object key) {
        throw DbtFunctions.runtimeError(DbtFunctions.current(), namespace + "." + key + " " + why);
    }

    @Override
    public boolean containsKey(Object key) {
        return true;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return Set.of();
    }

    @Override
    public String toString() {
        return namespace;
    }
}
