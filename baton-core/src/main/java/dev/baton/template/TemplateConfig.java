package dev.baton.template;

import java.util.Optional;

/**
 * dbt's {@code config} object beside the {@code config(...)} function: {@code config.get('key')},
 * {@code config.get('key', default)} and {@code config.require('key')} read the configuration of
 * the node being rendered ({@link TemplateContext#configValue}).
 */
public final class TemplateConfig {
    static final TemplateConfig INSTANCE = new TemplateConfig();

    private TemplateConfig() {}

    /** The value, or none when the key is not set. */
    public Object get(String key) {
        return get(key, null);
    }

    /** The value, or {@code fallback} when the key is not set. */
    public Object get(String key, Object fallback) {
        return value(key).orElse(fallback);
    }

    /** The value; an error at the call when the key is not set. */
    public Object require(String key) {
        return value(key).orElseThrow(() -> DbtFunctions.runtimeError(DbtFunctions.current(), "config '" + key
                + "' is required here but not set; set it with config(" + key + "=...) in the model, in its properties YAML or in the project file"));
    }

    private static Optional<Object> value(String key) {
        DbtInterpreter interpreter = DbtFunctions.current();
        if (interpreter.returnedFromCurrentMacro()) {
            return Optional.empty();
        }
        return interpreter.callbacks().configValue(key);
    }
}
