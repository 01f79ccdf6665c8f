package dev.baton.template;

import static java.util.Objects.requireNonNull;

import java.util.AbstractMap;
import java.util.Set;

/**
 * The macro namespace of a dbt package the project declares but Baton does not install (such as
 * {@code dbt_utils}): reading any macro from it, {@code dbt_utils.star(...)}, is an error at the
 * call that names the package, rather than a call that renders as nothing.
 */
final class UninstalledPackage extends AbstractMap<String, Object> {
    private final String namespace;
    private final String name;

    UninstalledPackage(String namespace, String name) {
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.name = requireNonNull(name, "name is null");
    }

    @Override
    public Object get(Object key) {
        throw DbtFunctions.runtimeError(DbtFunctions.current(), namespace + "." + key + " comes from the dbt package '" + name
                + "', which Baton does not install yet; replace the call with SQL or a macro of your own under macros/");
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
