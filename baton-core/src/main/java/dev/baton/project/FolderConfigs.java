package dev.baton.project;


import dev.baton.yaml.YamlValue;
import java.util.List;
import java.util.Optional;

/**
 * A {@code models:}, {@code seeds:} or {@code tests:} block of the project file: configs keyed by
 * project name, then folder names, then node names. Keys with a {@code +} prefix are always
 * configs; keys without one are configs when they name a known config, and folders otherwise
 * (dbt's rule).
 */
final class FolderConfigs {
    private final Optional<YamlValue.Mapping> block;
    private final String file;

    FolderConfigs(Optional<YamlValue.Mapping> block, String file) {
        this.block = block;
        this.file = file;
        block.ifPresent(root -> validate(root, new ConfigValues()));
    }

    /** Applies every level of the block that matches {@code fqn}, least specific first. */
    void apply(List<String> fqn, ConfigValues into) {
        if (block.isEmpty()) {
            return;
        }
        YamlValue.Mapping level = block.get();
        applyLevel(level, into);
        for (String part : fqn) {
            YamlValue child = level.entries().get(part);
            if (!(child instanceof YamlValue.Mapping mapping) || isConfigKey(part, child)) {
                return;
            }
            level = mapping;
            applyLevel(level, into);
        }
    }

    private void applyLevel(YamlValue.Mapping level, ConfigValues into) {
        level.entries().forEach((key, value) -> {
            if (isConfigKey(key, value)) {
                into.set(key, value.toJava(), level.keyLocation(key), file);
            }
        });
    }

    private void validate(YamlValue.Mapping level, ConfigValues scratch) {
        level.entries().forEach((key, value) -> {
            if (isConfigKey(key, value)) {
                scratch.set(key, value.toJava(), level.keyLocation(key), file);
            } else if (value instanceof YamlValue.Mapping mapping) {
                validate(mapping, scratch);
            } else if (!(value instanceof YamlValue.Scalar scalar && scalar.isNull())) {
                // A scalar under a name that is not a config: a misspelt config key.
                scratch.set(key, value.toJava(), level.keyLocation(key), file);
            }
        });
    }

    private static boolean isConfigKey(String key, YamlValue value) {
        if (key.startsWith("+")) {
            return true;
        }
        if (!ConfigValues.KNOWN_KEYS.contains(key)) {
            return false;
        }
        return !(value instanceof YamlValue.Mapping) || ConfigValues.MAPPING_KEYS.contains(key);
    }
}
