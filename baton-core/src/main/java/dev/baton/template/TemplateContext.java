package dev.baton.template;

import dev.baton.api.SourceLocation;
import java.util.Map;
import java.util.Optional;

/**
 * What a rendered file may ask of the project: the callbacks behind {@code ref()}, {@code source()},
 * {@code config()}, {@code this} and {@code is_incremental()}. The loader creates one instance per
 * rendered file. Every callback receives the place of the call, so an error can point at it; a
 * {@link dev.baton.api.BatonException} thrown here reaches the caller of
 * {@link TemplateEngine#render} unchanged.
 */
public interface TemplateContext {
    /** {@code ref('m')} or {@code ref('pkg', 'm')}: the SQL text of the relation. */
    String ref(Optional<String> packageName, String name, SourceLocation at);

    /** {@code source('src', 'table')}: the SQL text of the relation. */
    String source(String sourceName, String tableName, SourceLocation at);

    /**
     * {@code config(materialized='table', tags=[...])} called in the template. Values are plain Java:
     * String, Boolean, Long, Double, List, Map (or null for {@code none}).
     */
    void config(Map<String, Object> values, SourceLocation at);

    /** The value of {@code this}; empty for files that are not models. */
    Optional<String> thisRelation();

    boolean isIncremental();

    /**
     * {@code config.get('key')} and {@code config.require('key')}: the node's configuration as it
     * stands at the call (the project file's folder configs, the properties YAML, then the
     * {@code config()} calls made so far). Empty where the key is not set, or for a file that is no node.
     */
    default Optional<Object> configValue(String key) {
        return Optional.empty();
    }
}
